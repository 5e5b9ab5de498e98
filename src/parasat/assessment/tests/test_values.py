"""What each kind of question accepts (values.normalise), without a database."""

import time

import pytest
from django.core.exceptions import ValidationError

from parasat.assessment.values import normalise
from parasat.toolkit.models import Question

K = Question.Kind


def number(kind, text):
    return normalise(Question(kind=kind, name="n"), text)


@pytest.mark.parametrize("kind", [K.INTEGER, K.DECIMAL])
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "12"),
        (" 1 234 ", "1234"),
        ("1e3", "1000"),
        ("-7", "-7"),
        ("0e999999999", "0"),
        ("-0", "0"),
        ("999999999999999", "999999999999999"),
    ],
)
def test_numbers_are_stored_as_typed_once_normalised(kind, typed, stored):
    assert number(kind, typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12,5", "12.5"), ("0.0000000001", "0.0000000001"), ("1.50", "1.5")],
)
def test_decimals_keep_their_decimals(typed, stored):
    assert number(K.DECIMAL, typed) == stored


@pytest.mark.parametrize("kind", [K.INTEGER, K.DECIMAL])
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # Issue 10: a huge exponent was a server error, and held a worker for
        # seconds (1e300000) while Python built the integer.
        ("1e5000", "too large"),
        ("1e300000", "too large"),
        ("-1e300000", "too large"),
        ("1e999999999999999999", "too large"),
        ("1e15", "too large"),
        ("9" * 5000, "too long"),
        ("1e-300000", "decimal places|whole number"),
        ("1e-99999999999999999", "decimal places|whole number"),
        ("1_000", "Enter a number"),
        ("Infinity", "Enter a number"),
        ("NaN", "Enter a number"),
    ],
)
def test_numbers_out_of_bounds_are_refused_quickly(kind, typed, message):
    started = time.monotonic()
    with pytest.raises(ValidationError, match=message):
        number(kind, typed)
    assert time.monotonic() - started < 0.1


def test_a_whole_number_has_no_decimals():
    with pytest.raises(ValidationError, match="whole number"):
        number(K.INTEGER, "1.5")
    with pytest.raises(ValidationError, match="decimal places"):
        number(K.DECIMAL, "0.00000000001")
