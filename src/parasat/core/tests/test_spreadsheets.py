import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from parasat.core.lib.spreadsheets import MAX_EMPTY_ROWS, xlsx_rows


def upload(cells: dict[str, object]) -> SimpleUploadedFile:
    book = Workbook()
    for ref, value in cells.items():
        book.active[ref] = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sheet.xlsx", out.getvalue())


def test_short_gaps_are_kept_so_rows_keep_their_numbers():
    rows = list(xlsx_rows(upload({"A1": "name", "A2": "one", "A12": "two"})))
    assert [r[0] for r in rows] == ["name", "one", *[None] * 9, "two"]


def test_a_cell_far_down_does_not_make_a_million_rows():
    far = upload({"A1": "name", "A2": "one", "ZZ1048576": "x"})
    rows = list(xlsx_rows(far))
    assert len(rows) == 2 + MAX_EMPTY_ROWS
    assert all(value != "x" for row in rows for value in row)


def test_a_file_that_is_no_spreadsheet_is_refused():
    with pytest.raises(ValidationError, match="not a readable .xlsx"):
        list(xlsx_rows(SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04 broken")))


def test_the_control_characters_dropped_are_those_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_RE

    from parasat.core.lib.spreadsheets import ILLEGAL_CHARACTERS_RE

    assert ILLEGAL_CHARACTERS_RE.pattern == OPENPYXL_RE.pattern
