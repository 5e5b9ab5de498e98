"""Answer values: what each question type accepts, how it is stored, and how
the skip logic and constraints of a questionnaire judge a set of answers.

A value is stored as ``{"value": ...}``: a choice name (single choice and
yes/partly/no), a list of choice names (multiple choice), text, a number kept
as the string the person typed once normalised (never a float), or an ISO date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parasat.core.lib.translated import TranslatedText
from parasat.toolkit import expressions
from parasat.toolkit.models import Question

K = Question.Kind
ANSWERABLE_KINDS = frozenset(
    {
        K.YES_NO_PARTLY,
        K.SELECT_ONE,
        K.SELECT_MULTIPLE,
        K.TEXT,
        K.INTEGER,
        K.DECIMAL,
        K.DATE,
        K.EVIDENCE,
    }
)
CHOICE_KINDS = frozenset({K.YES_NO_PARTLY, K.SELECT_ONE, K.SELECT_MULTIPLE})
MAX_TEXT = 20_000
# Numbers answer questions of size and share: below 10^15 (what the browser's
# doubles hold exactly) with at most ten decimals. Bounded as text before any
# conversion: "1e300000" is eight characters, and as an integer it would hold
# a worker for seconds.
MAX_NUMBER_CHARS = 40
MAX_MAGNITUDE = 15  # digits before the decimal point
MAX_DECIMALS = 10
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def is_answerable(question: Question) -> bool:
    return question.kind in ANSWERABLE_KINDS and bool(question.name)


def is_empty(raw: Any) -> bool:
    return raw in (None, "", [])


def normalise(question: Question, raw: Any, choice_names: Iterable[str] = ()) -> Any:
    """The stored form of ``raw`` for ``question``; raises ValidationError with
    a message the person can act on. Empty input gives None."""
    # NUL: PostgreSQL refuses it in text and JSON (SQLite stored it), and no
    # one types it; an imported file may hold one.
    if isinstance(raw, str):
        raw = raw.replace("\x00", "").strip()
    elif isinstance(raw, list):
        raw = [i.replace("\x00", "") if isinstance(i, str) else i for i in raw]
    if is_empty(raw):
        return None
    kind = question.kind
    if kind in {K.YES_NO_PARTLY, K.SELECT_ONE}:
        if isinstance(raw, list):
            if len(raw) != 1:
                raise ValidationError(_("Choose one option."))
            raw = raw[0]
        names = set(choice_names)
        if str(raw) not in names:
            raise ValidationError(_("“%(value)s” is not one of the options.") % {"value": raw})
        return str(raw)
    if kind == K.SELECT_MULTIPLE:
        items = raw if isinstance(raw, list) else str(raw).split()
        names = set(choice_names)
        unknown = [str(i) for i in items if str(i) not in names]
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not one of the options.") % {"value": ", ".join(unknown)}
            )
        order = list(choice_names)
        return sorted({str(i) for i in items}, key=order.index)
    if kind in {K.INTEGER, K.DECIMAL}:
        return _number(str(raw), whole=kind == K.INTEGER)
    if kind == K.DATE:
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    # Text, and the note that goes with an evidence question.
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT}
        )
    return text


def _number(raw: str, *, whole: bool) -> str:
    text = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if len(text) > MAX_NUMBER_CHARS:
        raise ValidationError(
            _("The number is too long (at most %(limit)s characters).")
            % {"limit": MAX_NUMBER_CHARS}
        )
    if not _NUMBER.fullmatch(text):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent beyond what decimals hold
        raise ValidationError(_("The number is too large.")) from None
    if not number:
        return "0"
    # Read from the exponent, never by expanding the number.
    if number.adjusted() >= MAX_MAGNITUDE:
        raise ValidationError(_("The number is too large."))
    _sign, digits, exponent = number.as_tuple()
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    decimals = -(int(exponent) + trailing)
    if whole and decimals > 0:
        raise ValidationError(_("Enter a whole number."))
    if decimals > MAX_DECIMALS:
        raise ValidationError(
            _("Enter at most %(limit)s decimal places.") % {"limit": MAX_DECIMALS}
        )
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class Check:
    """What the skip logic and constraints say about one answer."""

    relevant: bool = True
    required: bool = False
    error: str = ""


def check_answers(
    questions: list[Question],
    values: Mapping[str, Any],
    *,
    language: str | None = None,
    has_evidence: Mapping[str, bool] | None = None,
) -> dict[str, Check]:
    """Judge every question of a questionnaire against ``values`` (name → stored
    value): relevance, required and constraint, as the browser does live.
    A question inside a non-relevant group is not relevant either."""
    results: dict[str, Check] = {}
    group_stack: list[bool] = []
    has_evidence = has_evidence or {}
    for question in questions:
        if question.kind in {K.BEGIN_GROUP, K.BEGIN_REPEAT}:
            parent = all(group_stack)
            group_stack.append(
                parent and expressions.is_true(question.relevant, values, default=True)
            )
            continue
        if question.kind in {K.END_GROUP, K.END_REPEAT}:
            if group_stack:
                group_stack.pop()
            continue
        if not is_answerable(question):
            continue
        relevant = all(group_stack) and expressions.is_true(question.relevant, values, default=True)
        raw = values.get(question.name)
        required = relevant and (
            question.is_required or expressions.is_true(question.required, values, default=False)
        )
        error = ""
        if relevant:
            empty = is_empty(raw) and not (
                question.kind == K.EVIDENCE and has_evidence.get(question.name)
            )
            if required and empty:
                error = _("This question needs an answer.")
            elif (
                not is_empty(raw)
                and question.constraint
                and not expressions.is_true(question.constraint, values, raw, default=True)
            ):
                message = TranslatedText.from_json(question.constraint_message)
                error = message.render(language).text or _(
                    "The answer does not meet the question's condition."
                )
        results[question.name] = Check(relevant=relevant, required=required, error=error)
    return results


def display(question: Question, raw: Any, labels: Mapping[str, str]) -> str:
    """The answer as a person reads it (choice labels in the current language)."""
    if is_empty(raw):
        return ""
    if question.kind in CHOICE_KINDS:
        items = raw if isinstance(raw, list) else [raw]
        return "; ".join(labels.get(str(i), str(i)) for i in items)
    return str(raw)
