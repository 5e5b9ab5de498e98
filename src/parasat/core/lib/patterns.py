"""Regular expressions written into questionnaires (XLSForm's ``regex()``),
which run on the server and in every browser that shows the form.

The server matches with RE2 (google-re2), whose time grows with the text,
never exponentially. The browser has only JavaScript's backtracking engine,
where ``(a+)+b`` doubles its time with each character and ``\\d*\\d*\\d*\\d*x``
takes half a minute on a thousand. So a pattern is accepted only when:

- RE2 compiles it, and it is at most :data:`MAX_PATTERN` characters;
- it keeps to the syntax both engines read alike (literals, ``.``, ``^``,
  ``$``, classes such as ``[a-z0-9._-]``, ``\\d \\w \\s \\b`` and their
  negations, escaped punctuation, groups ``( )`` and ``(?: )``, ``|``, and the
  quantifiers ``* + ? {n} {n,} {n,m}``) — no look-around, back-references,
  named groups, flags or Unicode classes;
- nothing repeated contains a repetition, an optional part or alternatives
  (``(a+)+``, ``(a|b)*``: the exponential cases), and the ways the pattern
  can split a text (the product of each quantifier's range, an open range
  counting as the longest text, and of each alternation's branches) stay
  within :data:`MAX_SPLITS`, the cost of three open-ended repeats (the
  polynomial cases: measured in Chromium, at most about 0.2 s on the longest
  text, where four such repeats took 30 s).

Texts longer than :data:`MAX_TEXT` characters match no pattern, on both sides.
``assessment/form.js`` applies the same bound; patterns reach it only after
:func:`problem` accepted them.
"""

from __future__ import annotations

from functools import lru_cache

import re2

MAX_PATTERN = 300
MAX_TEXT = 1000
MAX_SPLITS = (MAX_TEXT + 1) ** 3
MAX_COUNT = 1000  # RE2's own limit on {n,m}
COUNTED_WEIGHT = 32

_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CLASS_ESCAPES = frozenset("dDwWsS")
_CONTROL_ESCAPES = frozenset("ntr")
_QUANTIFIERS = frozenset("*+?{")


class PatternError(ValueError):
    """The pattern is outside what both engines run alike and safely."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # refusals are reported to the analyst, not logged
    return options


@lru_cache(maxsize=1024)
def _compiled(pattern: str):
    return re2.compile(pattern, _options())


def problem(pattern: str) -> str:
    """Why ``pattern`` is refused ("" when it is accepted)."""
    try:
        canonical(pattern)
    except PatternError as exc:
        return str(exc)
    return ""


def canonical(pattern: str) -> str:
    r"""``pattern`` as both engines read it alike; raise :class:`PatternError`
    unless it is accepted. The one rewrite: a "-" after ``\w``, ``\d`` or
    ``\s`` in a class (``[\w-.]``, common in e-mail patterns) is a literal
    dash to RE2 and an error to JavaScript's Unicode mode, so it is escaped."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN} characters")
    try:
        _compiled(pattern)
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise PatternError(f"RE2 refuses the pattern: {message}") from None
    scanner = _Scanner(pattern)
    scanner.run()
    if not scanner.dashes:
        return pattern
    out = list(pattern)
    for index in reversed(scanner.dashes):
        out.insert(index, "\\")
    return "".join(out)


def fullmatch(pattern: str, text: str) -> bool:
    """Whether ``text`` matches all of ``pattern``; False for a refused pattern
    or a text longer than :data:`MAX_TEXT`."""
    if len(text) > MAX_TEXT:
        return False
    try:
        pattern = canonical(pattern)
    except PatternError:
        return False
    return _compiled(pattern).fullmatch(text) is not None


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


class _Scanner:
    """Reads the pattern once, refusing what is outside the shared syntax and
    counting the ways it can split a text."""

    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.i = 0
        self.splits = 1
        self.dashes: list[int] = []  # literal dashes to escape for JavaScript

    def run(self) -> None:
        self.alternation()
        if self.i < len(self.s):
            raise PatternError(f"unexpected “{self.s[self.i]}”")

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def split(self, ways: int) -> None:
        self.splits *= max(ways, 1)
        if self.splits > MAX_SPLITS:
            raise PatternError(
                "the pattern can split a text in too many ways: use fewer open-ended repeats"
            )

    def alternation(self) -> bool:
        """Returns whether the part varies (holds a quantifier or alternatives)."""
        varies = self.sequence()
        branches = 1
        while self.peek() == "|":
            self.i += 1
            varies = self.sequence() or varies
            branches += 1
        if branches > 1:
            self.split(branches)
            return True
        return varies

    def sequence(self) -> bool:
        varies = False
        while self.peek() not in ("", "|", ")"):
            inner = self.atom()
            varies = self.quantifier(inner) or inner or varies
        return varies

    def atom(self) -> bool:
        c = self.peek()
        self.i += 1
        if c == "(":
            if self.peek() == "?":
                if self.s[self.i : self.i + 2] != "?:":
                    raise PatternError("only ( ) and (?: ) groups are supported")
                self.i += 2
            varies = self.alternation()
            if self.peek() != ")":
                raise PatternError("a group is not closed")
            self.i += 1
            return varies
        if c == "[":
            self.character_class()
            return False
        if c == "\\":
            self.escape(in_class=False)
            return False
        if c == "{":
            raise PatternError("write a literal “{” as “\\{”")
        if c in _QUANTIFIERS:
            raise PatternError(f"“{c}” repeats nothing")
        if c in "]}":
            raise PatternError(f"write a literal “{c}” as “\\{c}”")
        return False

    def escape(self, *, in_class: bool) -> None:
        c = self.peek()
        self.i += 1
        if (
            c in _SYNTAX
            or c in _CLASS_ESCAPES
            or c in _CONTROL_ESCAPES
            or (c == "-" and in_class)
            or (c in "bB" and not in_class)
        ):
            return
        raise PatternError(f"the escape “\\{c}” is not supported")

    def character_class(self) -> None:
        if self.peek() == "^":
            self.i += 1
        members = 0
        while self.peek() != "]":
            c = self.peek()
            if not c:
                raise PatternError("a [class] is not closed")
            self.i += 1
            if c == "\\":
                escaped = self.peek()
                self.escape(in_class=True)
                if escaped in _CLASS_ESCAPES and self.peek() == "-":
                    self.dashes.append(self.i)
                    self.i += 1
                    members += 1
            elif c == "[":
                raise PatternError("write a literal “[” in a class as “\\[”")
            members += 1
        if not members:
            raise PatternError("an empty [class] matches nothing")
        self.i += 1

    def quantifier(self, inner_varies: bool) -> bool:
        """Reads a quantifier after an atom, if any; returns whether it varies."""
        c = self.peek()
        if c not in _QUANTIFIERS:
            return False
        self.i += 1
        if c == "*":
            low, high = 0, None
        elif c == "+":
            low, high = 1, None
        elif c == "?":
            low, high = 0, 1
        else:
            low, high = self.counts()
        if self.peek() == "?":  # lazy
            self.i += 1
        if self.peek() in _QUANTIFIERS:
            raise PatternError("a repeat is repeated: write one quantifier")
        if (high is None or high > 1) and inner_varies:
            raise PatternError(
                "a repeated group holds a repeat, an optional part or alternatives "
                "(like (a+)+): browsers take exponential time on it"
            )
        if high is None:
            self.split(MAX_TEXT + 1)
        elif high > low:
            # JavaScript backtracks through {n,m} with a counter, some twenty
            # times slower a step than through * or + (measured in Chromium).
            ways = min(high, MAX_TEXT) - min(low, MAX_TEXT) + 1
            self.split(ways if high == 1 else ways * COUNTED_WEIGHT)
        return high != low

    def counts(self) -> tuple[int, int | None]:
        end = self.s.find("}", self.i)
        body = self.s[self.i : end] if end >= 0 else ""
        low_text, comma, high_text = body.partition(",")
        if not _digits(low_text) or not (_digits(high_text) or not high_text):
            raise PatternError("write a literal “{” as “\\{”")
        low = int(low_text)
        high = (int(high_text) if high_text else None) if comma else low
        if low > MAX_COUNT or (high is not None and (high > MAX_COUNT or high < low)):
            raise PatternError(f"repeat counts go from 0 to {MAX_COUNT}, the smaller first")
        self.i = end + 1
        return low, high
