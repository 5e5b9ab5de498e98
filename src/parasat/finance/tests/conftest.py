import datetime as dt
import functools
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from parasat.conftest import made_review
from parasat.core.testing import shared
from parasat.finance import exports
from parasat.finance.services import budget_load_printed, entry_record
from parasat.reviews.loader import read_example

D = Decimal
START = dt.date(2015, 1, 20)  # the fixture review's last signature


_pdfs: dict[str, bytes] = {}
_real_pdf_from_html = exports.pdf_from_html


def _pdf_once(html: str) -> bytes:
    if html not in _pdfs:
        _pdfs[html] = _real_pdf_from_html(html)
    return _pdfs[html]


@pytest.fixture(autouse=True)
def _each_report_pdf_rendered_once(monkeypatch):
    """WeasyPrint turns the same HTML into the same PDF: the role-by-role tests,
    which all see one report, share its rendering (for this process) instead
    of waiting for it again and again. A report that differs is rendered anew."""
    monkeypatch.setattr(exports, "pdf_from_html", _pdf_once)


@functools.cache
def _printed_budget() -> dict:
    return read_example("kazakhstan-2014")["budget"]


@pytest.fixture(scope="session")
def printed_budget() -> dict:
    """The budget section of the Kazakhstan 2014 example, read once (loading it
    does not change it)."""
    return _printed_budget()


def made_budget() -> dict[str, Any]:
    """The rows of the ``budget`` fixture, for parasat.core.testing.shared."""
    made = made_review()
    made["budget"] = budget_load_printed(review=made["review"], data=_printed_budget())
    return made


shared.share_rows("budget", made_budget)


@pytest.fixture
def budget(review, printed_budget, _shared_rows):
    """The Kazakhstan 2014 budget as printed, on the fixture review (signed 2015-01-20)."""
    if _shared_rows is not None and "budget" in _shared_rows:
        return _shared_rows["budget"]
    return budget_load_printed(review=review, data=printed_budget)


@pytest.fixture
def analyst(persona):
    return persona("analyst")


@pytest.fixture
def record(review, budget, analyst):
    def make(line="staff", amount="100", on=dt.date(2015, 3, 1), kind="expenditure", payee="P"):
        return entry_record(
            review=review, kind=kind, line_code=line, on=on, amount=amount, payee=payee, by=analyst
        )

    return make


def xlsx_upload(rows, name="entries.xlsx", header=("date", "kind", "line", "amount", "payee")):
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())
