import random

import pytest

from parasat.core.lib import diff
from parasat.core.lib.diff import word_diff


def spelled(ops, keep):
    return " ".join(words for op, words in ops if op in keep)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", []),
        ("same words", "same words", [(" ", "same words")]),
        ("", "all new", [("+", "all new")]),
        ("all gone", "", [("-", "all gone")]),
        (
            "The law of 2015 applies",
            "The law of 2016 applies in full",
            [(" ", "The law of"), ("-", "2015"), ("+", "2016"), (" ", "applies"), ("+", "in full")],
        ),
    ],
)
def test_words_kept_removed_and_added(old, new, expected):
    assert word_diff(old, new) == expected


def test_each_side_spells_its_text_even_where_the_words_repeat(monkeypatch):
    # Prose repeats its words; a matcher that treats frequent words as noise
    # (difflib's default) loses them, and ndiff took a minute on such texts.
    # What is matched, not how fast: a busy machine must not reach the time
    # limit (the next tests cover the limit itself).
    monkeypatch.setattr(diff, "SECONDS", 60)
    rng = random.Random(7)
    vocabulary = ["law", "the", "of", "ministry", "audit", "report", "agency", "court"]
    old = " ".join(rng.choice(vocabulary) for _ in range(400))
    new_words = old.split()
    for i in range(0, len(new_words), 25):
        new_words[i] = "changed"
    new = " ".join(new_words)
    ops = word_diff(old, new)
    assert spelled(ops, " -") == old and spelled(ops, " +") == new
    kept = sum(len(words.split()) for op, words in ops if op == " ")
    assert kept == 400 - 16  # only the changed words are marked


def test_past_the_budget_the_changed_middle_is_replaced_whole(monkeypatch):
    monkeypatch.setattr(diff, "PAIRS_BUDGET", 5)
    assert word_diff("a x y x b", "a x x b") == [(" ", "a x"), ("-", "y"), (" ", "x b")]
    # Middles x y x z / z x x y: six pairs of equal words, one too many.
    ops = word_diff("a x y x z b", "a z x x y b")
    assert ops == [(" ", "a"), ("-", "x y x z"), ("+", "z x x y"), (" ", "b")]


def test_out_of_time_what_is_not_yet_matched_is_shown_replaced(monkeypatch):
    monkeypatch.setattr(diff, "SECONDS", 0)
    ops = word_diff("a x y z b", "a x q z b")
    assert ops == [(" ", "a x"), ("-", "y"), ("+", "q"), (" ", "z b")]  # the shared ends
    monkeypatch.setattr(diff, "SECONDS", -1)
    ops = word_diff("x a y b z", "p a q b r")
    assert spelled(ops, " -") == "x a y b z" and spelled(ops, " +") == "p a q b r"
    assert ops == [("-", "x a y b z"), ("+", "p a q b r")]


def test_runs_alternating_with_unique_words_are_still_found():
    old = " ".join(f"X{i} w{i % 80}" for i in range(300))
    new = " ".join(f"Y{i} w{i % 80}" for i in range(300))
    ops = word_diff(old, new)
    assert spelled(ops, " -") == old and spelled(ops, " +") == new
