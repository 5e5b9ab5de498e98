"""XLSForm expressions (``relevant``, ``constraint``, ``required``) for the
answer form: parsed once on the server into a small tree that both the server
(:func:`evaluate`) and the browser (``assessment/form.js``, which reads the same
tree as JSON) evaluate, so the skip logic and constraints behave alike on both
sides.

The supported subset is what questionnaires of this kind use: ``${name}``,
``.``, strings, numbers, ``= != < <= > >=``, ``and or``, ``+ - * div mod``,
parentheses and the functions ``selected``, ``count-selected``, ``not``,
``string-length``, ``number``, ``int``, ``string``, ``if``, ``coalesce``,
``true``, ``false``, ``today``, ``regex`` and ``contains``. An expression
outside it raises :class:`Unsupported`; the form then shows the question
(relevance) or does not check it (constraint), and says so to the analyst.
``regex()`` patterns are matched with RE2 and must keep to what both RE2 and
the browser run alike and fast (:mod:`parasat.core.lib.patterns`); the others
are unsupported like any expression the form cannot run, and the XLSForm
import lists them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import timezone

from parasat.core.lib import patterns

Node = list[Any]  # ["op", ...]: JSON-friendly for the browser


class Unsupported(ValueError):
    """The expression uses syntax or functions the form cannot evaluate."""


class RefusedPattern(Unsupported):
    """A regex() pattern that RE2 refuses, or that the browser's backtracking
    engine would read otherwise or take too long on (:mod:`parasat.core.lib.patterns`).
    The XLSForm import lists them, row by row."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
      | (?P<num>\d+(?:\.\d+)?|\.\d+)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w\-]*(?::[\w\-]+)?)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)

FUNCTIONS = {
    "selected": 2,
    "count-selected": 1,
    "not": 1,
    "string-length": 1,
    "number": 1,
    "int": 1,
    "string": 1,
    "if": 3,
    "coalesce": 2,
    "true": 0,
    "false": 0,
    "today": 0,
    "regex": 2,
    "contains": 2,
}
_BINARY = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"cannot read {text[pos:]!r}")
        pos = m.end()
        if m.group("ref"):
            out.append(("ref", m.group("refname")))
        elif m.group("num"):
            out.append(("num", m.group("num")))
        elif m.group("str"):
            out.append(("str", m.group("str")[1:-1]))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("name"):
            out.append(("name", m.group("name")))
        else:
            out.append(("dot", "."))
    return out


# How deep an expression may nest: parentheses, functions and signs (parsed
# recursively), and its tree as a whole, where a long chain such as
# a or b or c … counts a level per term (evaluated recursively). Real forms
# use a handful of levels; without a bound a crafted expression exhausts
# Python's recursion.
MAX_NESTING = 64
MAX_DEPTH = 200


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Unsupported("nested too deeply")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise Unsupported("unexpected end")
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, got = self.take()
        if got != value or kind not in {"op"}:
            raise Unsupported(f"expected {value!r}, got {got!r}")

    def binary_op(self) -> str | None:
        tok = self.peek()
        if tok is None:
            return None
        kind, value = tok
        if (kind == "op" and value in _BINARY) or (
            kind == "name" and value in {"and", "or", "div", "mod"}
        ):
            return value
        return None

    def expression(self, min_prec: int = 1) -> Node:
        self.nested()
        left = self.unary()
        while (op := self.binary_op()) is not None and _BINARY[op] >= min_prec:
            self.take()
            right = self.expression(_BINARY[op] + 1)
            left = [op, left, right]
        self.depth -= 1
        return left

    def unary(self) -> Node:
        tok = self.peek()
        if tok == ("op", "-"):
            self.take()
            self.nested()
            node = ["neg", self.unary()]
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "ref":
            return ["ref", value]
        if kind == "num":
            if len(value) > MAX_NUMBER_CHARS:
                raise Unsupported("number too long")
            return ["num", value]
        if kind == "str":
            return ["str", value]
        if kind == "dot":
            return ["self"]
        if kind == "op" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "name":
            if self.peek() != ("op", "("):
                raise Unsupported(f"unknown name {value!r}")
            if value not in FUNCTIONS:
                raise Unsupported(f"function {value}() is not supported")
            self.take()
            args: list[Node] = []
            if self.peek() != ("op", ")"):
                args.append(self.expression())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.expression())
            self.expect(")")
            if len(args) != FUNCTIONS[value]:
                raise Unsupported(f"{value}() takes {FUNCTIONS[value]} arguments")
            if value == "regex":
                if args[1][0] != "str":
                    # A pattern taken from an answer would let anyone who answers
                    # make the server match a pattern of their choosing.
                    raise Unsupported("regex() needs its pattern written out")
                try:
                    args[1] = ["str", patterns.canonical(args[1][1])]
                except patterns.PatternError as exc:
                    raise RefusedPattern(f"regex(): {exc}") from None
            return ["call", value, *args]
        raise Unsupported(f"unexpected {value!r}")


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> tuple[Node | None, str, bool]:
    try:
        return parse_strict(text), "", False
    except Unsupported as exc:
        return None, str(exc), isinstance(exc, RefusedPattern)


def parse_strict(text: str) -> Node:
    """The tree of ``text``; raises :class:`Unsupported`."""
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.peek() is not None:
        raise Unsupported(f"unexpected {parser.peek()[1]!r}")
    if _depth(node) > MAX_DEPTH:
        raise Unsupported("nested too deeply")
    return node


def _depth(node: Node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in current[1:] if isinstance(child, list))
    return deepest


def parse(text: str) -> Node | None:
    """The tree of ``text``, or None when it is empty or unsupported."""
    text = (text or "").strip()
    if not text:
        return None
    return _parse_cached(text)[0]


def problem(text: str) -> str:
    """Why ``text`` cannot be evaluated ("" when it can)."""
    text = (text or "").strip()
    return _parse_cached(text)[1] if text else ""


def refused_pattern(text: str) -> str:
    """Why a ``regex()`` pattern of ``text`` is refused ("" when none is)."""
    text = (text or "").strip()
    if not text:
        return ""
    _node, message, refused = _parse_cached(text)
    return message if refused else ""


def references(node: Node | None) -> set[str]:
    """The ``${names}`` an expression reads."""
    if not node:
        return set()
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, list):
            found |= references(part)
    return found


# --- evaluation (the browser's form.js mirrors this, operator for operator) --


# What reads as a number, on both sides: form.js applies the same syntax and
# bounds, so that "1_000" or "Infinity" (which Python's Decimal and JavaScript's
# Number read differently) are no number to either. Bounded as text first: int()
# of "1e300000" would build a 300,000-digit integer.
MAX_NUMBER_CHARS = 40
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SMALLEST = Decimal("1e-300")
_LARGEST = Decimal("1e300")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, list):
        value = " ".join(value)
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip()
        if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    if not number.is_finite():
        return None
    if number and not _SMALLEST <= number.copy_abs() < _LARGEST:
        return None
    return number


# A date (2024-02-29) or date-time (2024-02-29T10:30, with seconds, a fraction
# and Z or an offset), which XLSForm compares as a point in time: ". <= today()"
# or ". >= '1991-01-01'" compared as numbers were always false. form.js's
# moment() reads the same forms by the same rules.
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)
_EPOCH = dt.date(1970, 1, 1).toordinal()


def _moment(value: Any) -> int | None:
    """Milliseconds since 1970 (UTC when an offset is given, as written when
    not), or None when ``value`` is no date or date-time."""
    if not isinstance(value, str):
        return None
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    hour_, minute_, second_ = int(hour or 0), int(minute or 0), int(second or 0)
    if hour_ > 23 or minute_ > 59 or second_ > 59:
        return None
    millis = int((fraction + "00")[:3]) if fraction else 0
    offset = 0
    if zone and zone != "Z":
        zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
        if zone_hours > 23 or zone_minutes > 59:
            return None
        offset = (-1 if zone[0] == "-" else 1) * (zone_hours * 60 + zone_minutes)
    days = date.toordinal() - _EPOCH
    return days * 86_400_000 + ((hour_ * 60 + minute_ - offset) * 60 + second_) * 1000 + millis


def today() -> str:
    """What ``today()`` gives: the date where the review is run (TIME_ZONE);
    the form page passes it to form.js, so both sides use the same day."""
    return timezone.localdate().isoformat()


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value != 0
    if isinstance(value, list):
        return bool(value)
    return value not in (None, "")


def _order(op: str, a: Decimal | int, b: Decimal | int) -> bool:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _compare(op: str, a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    da = _moment(a) if na is None else None
    db = _moment(b) if nb is None else None
    if op in {"=", "!="}:
        if isinstance(a, bool) or isinstance(b, bool):
            same = _truthy(a) == _truthy(b)
        elif na is not None and nb is not None:
            same = na == nb
        elif da is not None and db is not None:
            same = da == db
        else:
            same = _string(a) == _string(b)
        return same if op == "=" else not same
    if na is not None and nb is not None:
        return _order(op, na, nb)
    if da is not None and db is not None:
        return _order(op, da, db)
    # An empty, non-numeric or mixed side compares false, as XPath's NaN.
    return False


def evaluate(node: Node, values: Mapping[str, Any], current: Any = None) -> Any:
    """Evaluate a parsed expression. ``values`` maps question names to their
    answers (a string, a list of choice names, or None); ``current`` is ``.``."""
    op = node[0]
    if op == "num":
        return Decimal(node[1])
    if op == "str":
        return node[1]
    if op == "ref":
        return values.get(node[1])
    if op == "self":
        return current
    if op == "neg":
        n = _number(evaluate(node[1], values, current))
        return None if n is None else -n
    if op == "or":
        return _truthy(evaluate(node[1], values, current)) or _truthy(
            evaluate(node[2], values, current)
        )
    if op == "and":
        return _truthy(evaluate(node[1], values, current)) and _truthy(
            evaluate(node[2], values, current)
        )
    if op in {"=", "!=", "<", "<=", ">", ">="}:
        return _compare(op, evaluate(node[1], values, current), evaluate(node[2], values, current))
    if op in {"+", "-", "*", "div", "mod"}:
        a = _number(evaluate(node[1], values, current))
        b = _number(evaluate(node[2], values, current))
        if a is None or b is None:
            return None
        if op in {"div", "mod"} and b == 0:
            return None
        return _ARITH[op](a, b)
    if op == "call":
        return _call(node[1], [lambda n=n: evaluate(n, values, current) for n in node[2:]])
    raise Unsupported(op)


_ARITH: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "mod": lambda a, b: a % b,
}


def _selected_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return _string(value).split()


def _call(name: str, args: list[Callable[[], Any]]) -> Any:
    if name == "selected":
        return _string(args[1]()) in _selected_list(args[0]())
    if name == "count-selected":
        return Decimal(len(_selected_list(args[0]())))
    if name == "not":
        return not _truthy(args[0]())
    if name == "string-length":
        return Decimal(len(_string(args[0]())))
    if name == "number":
        return _number(args[0]())
    if name == "int":
        n = _number(args[0]())
        return None if n is None else Decimal(int(n))
    if name == "string":
        return _string(args[0]())
    if name == "if":
        return args[1]() if _truthy(args[0]()) else args[2]()
    if name == "coalesce":
        first = args[0]()
        return first if _truthy(first) else args[1]()
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "today":
        return today()
    if name == "regex":
        return patterns.fullmatch(_string(args[1]()), _string(args[0]()))
    if name == "contains":
        return _string(args[1]()) in _string(args[0]())
    raise Unsupported(name)


def is_true(text: str, values: Mapping[str, Any], current: Any = None, *, default: bool) -> bool:
    """Evaluate ``text`` to a boolean; ``default`` when empty or unsupported."""
    node = parse(text)
    if node is None:
        return default
    try:
        return _truthy(evaluate(node, values, current))
    except (Unsupported, ArithmeticError):
        return default
