"""Tables of the engagement as XLSX or CSV files: the attendance list of an
event (built in the request: an event has some dozens of people) and, built
as a background job, a consultation's matrix. Text cells a spreadsheet would
run as a formula are prefixed with a quote
(:func:`parasat.assessment.exports.safe_text`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from parasat.assessment.exports import safe_text
from parasat.core.lib.spreadsheets import ILLEGAL_CHARACTERS_RE
from parasat.engagement.models import Event, Invitation

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _cell(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def to_csv(headers: list[str], table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Kazakh and Russian text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in headers])
    for row in table:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, headers: list[str], table: Iterable[list[Any]]) -> bytes:
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_text(text))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table:
        cells = []
        for value in row:
            text = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
            cell = WriteOnlyCell(sheet, value=_cell(text))
            if isinstance(text, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attendance_xlsx(event: Event, invitations: Iterable[Invitation]) -> bytes:
    headers = [_("Name"), _("Organisation"), _("Email address"), _("Reply"), _("Attended")]

    def attended(value: bool | None) -> str:
        if value is None:
            return ""
        return _("yes") if value else _("no")

    table = (
        [i.name, i.organisation, i.email, i.get_reply_display(), attended(i.attended)]
        for i in invitations
    )
    return to_xlsx(_("Attendance"), headers, table)
