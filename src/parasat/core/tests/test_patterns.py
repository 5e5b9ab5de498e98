import time

import pytest

from parasat.core.lib import patterns


@pytest.mark.parametrize(
    "pattern",
    [
        r"[0-9]{12}",
        r"\d{3}-\d{3}-\d{4}",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        r"(?:\+7|8)[ -]?\(?\d{3}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}",
        r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
        r"https?://\S+",
        r"^[A-Z][a-z]+$",
        r"(ab)+c",
        r"(\d{3}-){2}\d{4}",
        r"[\w-]+",
        r"[^@\s]+",
        r"\d*\d*\d*x",  # three open-ended repeats: the most allowed
        r"a\/b\.c\{d\}",
    ],
)
def test_patterns_questionnaires_use_are_accepted(pattern):
    assert patterns.problem(pattern) == ""


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(a+)+b", "exponential"),
        (r"(a|b)*c", "exponential"),
        (r"(a?)*", "exponential"),
        (r"(x\d+y)+", "exponential"),
        (r"\d*\d*\d*\d*x", "too many ways"),
        ("a?" * 30, "too many ways"),
        (r"\d{1,1000}\d{1,1000}\d{1,1000}x", "too many ways"),
        (r"a(?=b)", "RE2 refuses"),
        (r"(a)\1", "RE2 refuses"),
        (r"a{2,1001}", "RE2 refuses"),
        (r"(?P<year>\d{4})", "groups"),
        (r"(?i)abc", "groups"),
        (r"\p{L}+", "escape"),
        (r"\Aabc\z", "escape"),
        (r"a\-b", "escape"),
        (r"[[:alpha:]]", "class"),
        (r"a{,3}", "literal “{”"),
        (r"a]", "literal “]”"),
        ("x" * 301, "longer than 300"),
    ],
)
def test_patterns_outside_the_shared_safe_syntax_are_refused(pattern, why):
    assert why in patterns.problem(pattern)


@pytest.mark.parametrize(
    ("pattern", "canonical"),
    [
        (r"[\w-\.]+@[\w-]+\.[\w-]{2,}", r"[\w\-\.]+@[\w\-]+\.[\w\-]{2,}"),
        (r"[\d-z]", r"[\d\-z]"),
        (r"[a-z]", r"[a-z]"),
    ],
)
def test_a_dash_after_a_class_escape_is_escaped_for_the_browser(pattern, canonical):
    assert patterns.canonical(pattern) == canonical
    assert patterns.fullmatch(pattern, "-") is patterns.fullmatch(canonical, "-")


def test_a_text_longer_than_the_bound_matches_nothing():
    assert patterns.fullmatch("[a-z]*", "a" * patterns.MAX_TEXT)
    assert not patterns.fullmatch("[a-z]*", "a" * (patterns.MAX_TEXT + 1))


def test_matching_takes_linear_time_on_the_server():
    # RE2 even for a pattern refused for the browser's sake: no backtracking.
    started = time.monotonic()
    assert patterns._compiled("(a+)+b").fullmatch("a" * 100_000 + "c") is None
    assert time.monotonic() - started < 0.5
    assert not patterns.fullmatch("(a+)+b", "aab")  # refused, so it matches nothing
