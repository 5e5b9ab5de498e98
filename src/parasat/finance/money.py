"""Amounts of money as people type them, read into exact decimals.

Never floats: a budget is checked to the cent, and 0.1 + 0.2 must be 0.3."""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, parse_pattern
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# Fits DecimalField(max_digits=14, decimal_places=2).
MAX_AMOUNT = Decimal("999999999999.99")
MAX_CHARS = 40

# Spaces, no-break spaces and thin spaces are thousands separators in kk and ru.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_amount(value: object, *, allow_zero: bool = False) -> Decimal:
    """Read an amount typed by a person (or found in a spreadsheet cell).

    Accepts ``212790``, ``212 790``, ``212790.50`` and a decimal comma with one
    or two digits (``212790,5``). Refuses text, negative amounts, more than two
    decimals, and commas that could be either thousands or decimals
    (``1,234``): the reader would have to guess, so the writer must say.
    """
    if isinstance(value, bool):
        raise ValidationError(_("Enter an amount as a number, e.g. 1250.50."), code="invalid")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # A spreadsheet cell: repr() gives the shortest exact text of what was typed.
        amount = Decimal(repr(value))
    else:
        amount = _parse_text(str(value if value is not None else ""))
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount as a number, e.g. 1250.50."), code="invalid")
    if amount < 0:
        raise ValidationError(
            _("The amount cannot be negative. To undo an entry, reverse it."), code="negative"
        )
    if amount == 0 and not allow_zero:
        raise ValidationError(_("The amount must be more than zero."), code="zero")
    # Before rounding to cents: quantize() fails on more digits than a decimal holds.
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="too_large")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(
            _("Amounts have at most two decimals (cents): %(value)s.") % {"value": amount},
            code="precision",
        )
    return amount.quantize(CENT)


def _parse_text(raw: str) -> Decimal:
    text = _SPACES.sub("", raw.strip())
    if not text:
        raise ValidationError(_("Enter an amount."), code="required")
    sign = ""
    if text[0] in "-−–":
        sign, text = "-", text[1:]
    elif text[0] == "+":
        text = text[1:]
    if len(text) > MAX_CHARS and _PLAIN.match(text):
        # Far beyond the largest amount: said without reading it as a number.
        raise ValidationError(_("The amount is too large."), code="too_large")
    if _PLAIN.match(text):
        return Decimal(sign + text)
    if _DECIMAL_COMMA.match(text):
        return Decimal(sign + text.replace(",", "."))
    if _THOUSANDS_COMMA.match(text):
        raise ValidationError(
            _(
                "“%(value)s” is ambiguous: the comma could separate thousands or decimals. "
                "Write the amount without commas, e.g. 1234.50 or 1 234.50."
            )
            % {"value": raw.strip()},
            code="ambiguous",
        )
    raise ValidationError(
        _("“%(value)s” is not an amount. Enter a number, e.g. 1250.50.") % {"value": raw.strip()},
        code="invalid",
    )


# Read once: babel parses a locale name and a pattern string again on every
# call, and a finance page formats some fifty amounts.
_AMOUNT = parse_pattern("#,##0.00")
_EXACT = parse_pattern("#,##0.00##########")


def number_locale(language: str | None = None) -> Locale:
    """The babel locale of ``language`` (``ru-kz`` -> ``ru``), made once."""
    return _locale((language or "en").split("-")[0])


@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def format_amount(value: Decimal | None, language: str | None = None) -> str:
    """``Decimal("376726")`` → ``376,726.00`` (en) or ``376 726,00`` (ru, kk); exact,
    never through float."""
    if value is None:
        return ""
    locale = number_locale(language or get_language())
    return format_decimal(value.quantize(CENT), format=_AMOUNT, locale=locale)


def format_exact(value: Decimal, language: str | None = None) -> str:
    """Like :func:`format_amount` but keeps every decimal a computation produced
    (6.3% of 376,726 is 23,733.738, not 23,733.74)."""
    locale = number_locale(language or get_language())
    return format_decimal(value, format=_EXACT, locale=locale, decimal_quantization=False)
