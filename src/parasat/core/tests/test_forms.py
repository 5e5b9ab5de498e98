import pytest

from parasat.core.lib.forms import MAX_PK, parse_pk


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), (str(MAX_PK), MAX_PK), ("0", None), ("²", None), ("x", None)],
)
def test_parse_pk(value, expected):
    assert parse_pk(value) == expected


@pytest.mark.parametrize("value", [str(MAX_PK + 1), "9" * 30, "9" * 5000])
def test_a_number_too_long_for_a_key_is_no_key(value):
    # 5,000 digits passed isdecimal() and made int() raise (a server error).
    assert parse_pk(value) is None
