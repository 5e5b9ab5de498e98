from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parasat.finance.money import format_amount, format_exact, parse_amount


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("212790", "212790.00"),
        ("212 790", "212790.00"),
        ("212\u00a0790,5", "212790.50"),
        ("0.1", "0.10"),
        ("1250.50", "1250.50"),
        (" 7000 ", "7000.00"),
        (7000, "7000.00"),
        (0.1, "0.10"),  # a spreadsheet float, read through its shortest text
        (Decimal("23734"), "23734.00"),
    ],
)
def test_amounts_people_type_are_read_exactly(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twelve", "is not an amount"),
        ("12abc", "is not an amount"),
        ("1e5", "is not an amount"),
        ("NaN", "is not an amount"),
        ("1,234", "ambiguous"),
        ("212,790.00", "ambiguous"),
        ("1.2.3", "is not an amount"),
        ("-50", "cannot be negative"),
        ("−50", "cannot be negative"),
        (-1, "cannot be negative"),
        ("0", "more than zero"),
        ("", "Enter an amount"),
        ("10.005", "at most two decimals"),
        ("9999999999999", "too large"),
        (True, "as a number"),
    ],
)
def test_bad_amounts_get_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as exc:
        parse_amount(typed)
    assert message in exc.value.messages[0]


def test_sums_stay_exact():
    assert parse_amount("0.1") + parse_amount("0.2") == Decimal("0.30")


def test_formatting_follows_the_reader_language():
    assert format_amount(Decimal("376726"), "en") == "376,726.00"
    assert format_amount(Decimal("376726"), "ru") == "376\xa0726,00"
    assert format_exact(Decimal("23733.738"), "en") == "23,733.738"


def test_formatting_reads_the_pattern_and_the_locale_once(monkeypatch):
    """A finance page formats some fifty amounts: babel's reading of the
    pattern and of the locale's name is done once, not for every amount."""
    from babel import Locale, numbers

    for language in ("en", "ru", "kk-kz", None):  # the locales read before
        format_amount(Decimal("1"), language)
    read: list[object] = []
    parse_pattern, parse_locale = numbers.parse_pattern, Locale.parse.__func__

    def counted_pattern(pattern):
        if isinstance(pattern, str):
            read.append(pattern)
        return parse_pattern(pattern)

    def counted_locale(cls, identifier, *args, **kwargs):
        if isinstance(identifier, str):
            read.append(identifier)
        return parse_locale(cls, identifier, *args, **kwargs)

    monkeypatch.setattr(numbers, "parse_pattern", counted_pattern)
    monkeypatch.setattr(Locale, "parse", classmethod(counted_locale))
    for language in ("en", "ru", "kk"):
        assert format_amount(Decimal("376726"), language).startswith("376")
        assert format_exact(Decimal("23733.738"), language).startswith("23")
    assert read == []


@pytest.mark.parametrize(
    "typed",
    [
        # Issue 10: amounts beyond what a decimal of 28 digits holds were a
        # server error (quantize raised InvalidOperation) instead of "too large".
        "1" * 28,
        "9" * 100_000,
        "1" * 28 + ".50",
        1e30,  # an XLSX number cell
        10**30,
        Decimal("1e30"),
        Decimal("1e999999"),
    ],
)
def test_huge_amounts_are_too_large_not_a_crash(typed):
    with pytest.raises(ValidationError, match="too large"):
        parse_amount(typed)
