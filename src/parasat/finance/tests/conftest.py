import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from parasat.finance.services import budget_load_printed, entry_record
from parasat.reviews.loader import read_example

D = Decimal
START = dt.date(2015, 1, 20)  # the fixture review's last signature


@pytest.fixture
def budget(review):
    """The Kazakhstan 2014 budget as printed, on the fixture review (signed 2015-01-20)."""
    return budget_load_printed(review=review, data=read_example("kazakhstan-2014")["budget"])


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
