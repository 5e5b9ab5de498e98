"""Small helpers every app's views share about forms and submitted values."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key the databases store (a signed 64-bit integer).
MAX_PK = 2**63 - 1


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: errors naming a field of the
    form go beside it, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def parse_pk(value: object) -> int | None:
    """``value`` as a primary key, or None when it is not one: ASCII digits
    only (``"²"`` passes ``str.isdigit`` and fails ``int``), 1 up to what a
    database column holds (larger values overflow SQLite's integers)."""
    text = str(value).strip() if value is not None else ""
    # Length first: int() refuses (ValueError) more than 4,300 digits.
    if len(text) > len(str(MAX_PK)) or not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_PK else None
