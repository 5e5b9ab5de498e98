"""Word-level differences between two texts, for showing two versions side by side."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

# Matching costs about one step per pair of equal words (one in each text)
# beyond the shared start and end, more as the changes multiply: real prose of
# the longest explanation (10,000 characters) makes some 30,000 pairs, while
# text of a handful of repeated words makes millions and took seconds. Past
# this budget the changed middle is shown as replaced as a whole.
PAIRS_BUDGET = 100_000


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
        # No "junk" heuristic: in prose the common words are the ones that match.
        matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                ops.append((" ", a_mid[i1:i2]))
            else:
                ops += [("-", a_mid[i1:i2]), ("+", b_mid[j1:j2])]
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
