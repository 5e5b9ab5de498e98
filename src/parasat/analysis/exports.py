"""The review-wide list of recommendations as XLSX or CSV: one row per
recommendation the reader may read, as filtered on the page, texts in the
language active when the file is built (English beside it, since it prevails).

Built in the request, not as a background job: a review holds some dozens of
recommendations, a hundred or two at most. Measured on the 2-core machine
under load (bench/README.md): 60 recommendations take 0.1 s as XLSX, a
thousand 1.3 s (0.6 s as CSV).
Text cells that a spreadsheet would run as a formula are prefixed with a quote
(:func:`parasat.assessment.exports.safe_text`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.analysis.models import Recommendation
from parasat.assessment.exports import safe_text
from parasat.core.lib.spreadsheets import ILLEGAL_CHARACTERS_RE
from parasat.reviews.models import Review

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def headers() -> list[str]:
    return [
        _("Code"),
        _("Area code"),
        _("Area"),
        _("Priority"),
        _("State"),
        _("Recommendation"),
        _("Recommendation (English)"),
        _("Addressed to"),
        _("Findings answered"),
        _("Assessment state"),
    ]


def rows(recommendations: Iterable[Recommendation]) -> Iterable[list[Any]]:
    for rec in recommendations:
        area = rec.assessment.area
        yield [
            rec.code,
            area.code,
            str(area.name),
            rec.get_priority_display(),
            rec.get_state_display(),
            str(rec.text),
            rec.text.source,
            "; ".join(str(a) for a in rec.agencies.all()),
            ", ".join(f.code for f in rec.findings.all()),
            rec.assessment.get_state_display(),
        ]


def _cell(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def to_csv(table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Kazakh and Russian text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in headers()])
    for row in table:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Iterable[list[Any]]) -> bytes:
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Recommendations")[:31])
    bold = Font(bold=True)
    header = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=safe_text(title))
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


def export_recommendations(recommendations: Iterable[Recommendation], fmt: str) -> bytes:
    table = rows(recommendations)
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)


def filename(review: Review, fmt: str) -> str:
    return f"{review.slug}-recommendations-{timezone.localdate().isoformat()}.{fmt}"
