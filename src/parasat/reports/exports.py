"""Files made from a report: the comment matrix (CSV, XLSX) and a figure's
data (CSV, XLSX)."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _

from parasat.reports.consultations import ContributionRow
from parasat.reports.models import ReportVersion
from parasat.reports.selectors import MatrixRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(name: str, head: list[str], rows: list[list[str]], fmt: str) -> HttpResponse:
    """``rows`` under ``head`` as a CSV or XLSX download named ``name``."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        # A cell that begins with = + - @ is a formula to a spreadsheet: make it text.
        for row in [head, *rows]:
            writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    elif fmt == "xlsx":
        # openpyxl takes a second to import: only the requests that need it load it.
        from openpyxl import Workbook

        from parasat.core.lib.spreadsheets import append_row

        book = Workbook()
        sheet = book.active
        append_row(sheet, head)
        for row in rows:
            append_row(sheet, row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def matrix_download(
    version: ReportVersion,
    rows: list[MatrixRow],
    fmt: str,
    contributions: list[ContributionRow] = (),
) -> HttpResponse:
    head = [
        _("Section"),
        _("Paragraph"),
        _("Identifier"),
        _("Excerpt"),
        _("Quoted phrase"),
        _("Comment"),
        _("Author"),
        _("Posted at"),
        _("Response"),
        _("Reason"),
        _("Change made to the text"),
    ]
    body = [
        [
            r.section,
            str(r.paragraph),
            r.comment.pid,
            r.excerpt,
            r.comment.quote,
            r.comment.body,
            r.comment.author.display_name,
            formats.date_format(r.comment.created_at, "j E Y, H:i"),
            r.comment.get_response_display() if r.comment.response else "",
            r.comment.reason,
            r.comment.change,
        ]
        for r in rows
    ]
    # The consultation on the draft report, in the same columns: the
    # consultation and the contribution's number where the text's place is.
    body += [
        [
            _("Consultation: %(title)s") % {"title": c.consultation},
            str(c.number),
            "",
            "",
            "",
            c.text,
            f"{c.author} ({c.channel})",
            "",
            c.response,
            # In the language of the file, as its other texts (English where
            # not translated).
            c.reason.render().text,
            c.change,
        ]
        for c in contributions
    ]
    name = f"comments-{version.report.review.slug}-v{version.number}"
    return table_download(name, head, body, fmt)
