"""Word-level differences between two texts, for showing two versions side by side."""

from __future__ import annotations

import time
from collections import Counter
from difflib import SequenceMatcher

# Each search for the longest run of common words costs about one step per pair
# of equal words (one in each text) in the stretch searched: real prose of the
# longest explanation makes some 30,000 pairs, text of a handful of repeated
# words millions. Past this many pairs the changed middle is shown replaced as
# a whole without searching.
PAIRS_BUDGET = 100_000
# The searches repeat once per run found, so crafted text can still make many
# of them. Past this time the stretches not yet matched are shown replaced;
# what was matched stays.
SECONDS = 0.25


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``[(op, words)]`` with op " " (kept), "-" (removed) or "+" (added), in
    reading order; the " " and "-" parts spell ``old``, the " " and "+" parts
    ``new``. Consecutive words with the same op are joined by a space."""
    a, b = old.split(), new.split()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    ops: list[tuple[str, list[str]]] = [(" ", a[:start])]
    in_b = Counter(b_mid)
    if sum(in_b[word] for word in a_mid) > PAIRS_BUDGET:
        ops += [("-", a_mid), ("+", b_mid)]
    else:
        i = j = 0
        for bi, bj, size in _common_runs(a_mid, b_mid, time.monotonic() + SECONDS):
            ops += [("-", a_mid[i:bi]), ("+", b_mid[j:bj]), (" ", a_mid[bi : bi + size])]
            i, j = bi + size, bj + size
        ops += [("-", a_mid[i:]), ("+", b_mid[j:])]
    ops.append((" ", a[len(a) - end :]))
    out: list[tuple[str, str]] = []
    for op, words in ops:
        if not words:
            continue
        text = " ".join(words)
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + " " + text)
        else:
            out.append((op, text))
    return out


def _common_runs(a: list[str], b: list[str], deadline: float) -> list[tuple[int, int, int]]:
    """(i, j, size) runs of words common to ``a`` and ``b``, in order, found as
    difflib's ``get_matching_blocks`` finds them (no junk heuristic: in prose the
    common words are the ones that match), stopping at ``deadline``."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    stretches = [(0, len(a), 0, len(b))]
    runs = []
    while stretches and time.monotonic() < deadline:
        alo, ahi, blo, bhi = stretches.pop()
        i, j, size = matcher.find_longest_match(alo, ahi, blo, bhi)
        if size:
            runs.append((i, j, size))
            if alo < i and blo < j:
                stretches.append((alo, i, blo, j))
            if i + size < ahi and j + size < bhi:
                stretches.append((i + size, ahi, j + size, bhi))
    return sorted(runs)
