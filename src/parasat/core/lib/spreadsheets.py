"""Reading the first sheet of an uploaded .xlsx file, for the imports that take
spreadsheets (finance entries, self-assessment submissions), and writing rows
whose texts stay texts.

openpyxl takes about a second to import: it is imported where a spreadsheet is
read or written, not when the pages that may build one are loaded."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# A run of this many empty rows ends the sheet. A file a few kilobytes long can
# claim a million rows (one cell far down is enough); reading them all would
# keep a request busy for minutes.
MAX_EMPTY_ROWS = 60

# The control characters openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE,
# the same pattern; a test compares them), without importing openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _is_empty(row: tuple[Any, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def xlsx_rows(upload: UploadedFile) -> Iterator[tuple[Any, ...]]:
    """The rows of the file's first sheet, values only, up to the first run of
    :data:`MAX_EMPTY_ROWS` empty rows (shorter runs are kept: callers number
    rows as the spreadsheet does). ValidationError when it is no .xlsx file."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ValidationError(_("The file is not a readable .xlsx spreadsheet.")) from exc
    try:
        empty = 0
        rows = book.worksheets[0].iter_rows(values_only=True)
        number = 0
        while True:
            number += 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except (ValueError, OverflowError) as exc:
                # A cell openpyxl cannot convert, such as a number of 5,000
                # digits (Python refuses to read integers that long).
                raise ValidationError(
                    _("Row %(row)s of the spreadsheet holds a number too long to read.")
                    % {"row": number}
                ) from exc
            empty = empty + 1 if _is_empty(row) else 0
            if empty > MAX_EMPTY_ROWS:
                return
            yield row
    finally:
        book.close()


def append_row(sheet: Worksheet, values: list[Any]) -> None:
    """Append ``values`` to ``sheet`` with every text written as text:
    openpyxl makes a string that begins with "=" a formula, which a
    spreadsheet runs when the file is opened (labels, payees and names come
    from people). Control characters, which openpyxl refuses, are dropped."""
    from openpyxl.cell.cell import Cell  # loaded already: the caller holds a sheet

    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                # A cell of this sheet, marked as text before it is placed: looking
                # the row up again afterwards (``sheet[sheet.max_row]``) scans the
                # whole sheet, which made a 6,000-row export take 25 s.
                cell = Cell(sheet, value=value)
                cell.data_type = "s"
                value = cell
        row.append(value)
    sheet.append(row)


@cache
def _in_memory_writer() -> type:
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class InMemoryWriter(ExcelWriter):
        def write_worksheet(self, ws: Worksheet) -> None:
            # ExcelWriter.write_worksheet (not write-only), the XML in a BytesIO.
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    return InMemoryWriter


def workbook_bytes(book: Workbook) -> bytes:
    """``book`` as the .xlsx bytes ``book.save`` writes, each sheet's XML kept
    in memory: openpyxl writes it to a temporary file, zips it from there and
    deletes it, milliseconds a sheet spent waiting on the disk."""
    out = io.BytesIO()
    if book.write_only or book.read_only:
        book.save(out)
        return out.getvalue()
    # openpyxl's save_workbook, with the writer above.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        book.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _in_memory_writer()(book, archive).save()
    return out.getvalue()
