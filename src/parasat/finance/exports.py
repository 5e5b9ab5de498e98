"""The final financial report as a file: PDF (WeasyPrint) and XLSX (openpyxl),
in the language active when they are built."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parasat.core.lib.pdf import offline_fetcher
from parasat.core.lib.spreadsheets import append_row
from parasat.core.lib.translated import TranslatedText
from parasat.finance.selectors import FinalReport

MONEY_FORMAT = "#,##0.00"


def _base_url() -> str:
    found = finders.find("parasat/parasat.css")
    folder = Path(found).parent if found else Path(settings.BASE_DIR)
    return folder.as_uri() + "/"


def report_pdf_html(report: FinalReport) -> str:
    """The page the PDF is printed from. A file cannot follow links into the
    site, so the ledger names the documents instead of linking to them."""
    return render_to_string(
        "finance/report_pdf.html", {"r": report, "review": report.review, "in_file": True}
    )


# A built PDF is kept this long after it was last built (a month): a report no
# longer read is let go; one read again after that is built again.
PDF_KEPT = 30 * 24 * 3600


def _pdf_key(report: FinalReport, html: str) -> str:
    # The version of the report is the page it is printed from: any change to
    # the ledger, the funding, the lines or the period (or the date it is
    # dated) changes the page, so the key, and the PDF is built again.
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"finance:report-pdf:{report.review.pk}:{translation.get_language()}:{digest}"


def kept_report_pdf(report: FinalReport) -> bytes | None:
    """The PDF of ``report`` in the active language if it was built since the
    ledger last changed, else None."""
    return cache.get(_pdf_key(report, report_pdf_html(report)))


def report_pdf(report: FinalReport) -> bytes:
    """The PDF of ``report`` in the active language: built once per version of
    the report and language (WeasyPrint takes seconds) and kept in the cache."""
    html = report_pdf_html(report)
    key = _pdf_key(report, html)
    pdf = cache.get(key)
    if pdf is None:
        pdf = pdf_from_html(html)
        cache.set(key, pdf, PDF_KEPT)
    return pdf


def pdf_from_html(html: str) -> bytes:
    """The PDF of ``html``, with the project's static files at hand (the same
    HTML always gives the same document)."""
    # WeasyPrint takes seconds to import: load it when a PDF is asked for, not
    # in every process that serves a page.
    from weasyprint import HTML

    return HTML(
        string=html, base_url=_base_url(), url_fetcher=offline_fetcher("file", "data")
    ).write_pdf()


def _text(value: object) -> str:
    return TranslatedText.from_json(value).render().text


def report_xlsx(report: FinalReport) -> bytes:
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    budget = report.budget
    pos = report.position
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    bold = Font(bold=True)
    append_row(ws, [_("Final financial report")])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [_text(report.review.title)])
    append_row(ws, [_("Currency"), budget.currency])
    period = report.period
    append_row(ws, [_("Start (last signature)"), period.start])
    append_row(ws, [_("End"), period.end])
    if period.financial_report is not None:
        append_row(ws, [_("Due by (Art. 4)"), period.financial_report.due])
    append_row(ws, [])
    header_row = ws.max_row + 1
    append_row(ws, [_("Budget line"), _("Budget"), _("Spent"), _("Committed"), _("Remaining")])
    for cell in ws[header_row]:
        cell.font = bold
    for s in pos.lines:
        append_row(ws, [_text(s.line.name), s.budget, s.spent, s.committed, s.remaining])
    append_row(
        ws,
        [
            _("Total of the lines"),
            pos.total_budget,
            pos.total_spent,
            pos.total_committed,
            pos.total_remaining,
        ],
    )
    for cell in ws[ws.max_row]:
        cell.font = bold
    append_row(
        ws,
        [
            _("Administrative fee (%(rate)s%%)") % {"rate": budget.fee_rate.normalize()},
            budget.fee_amount,
        ],
    )
    append_row(ws, [_("Total funding as printed"), budget.total])
    append_row(ws, [_("Funds received"), pos.received])
    append_row(ws, [_("Balance (received less spent, committed and fee)"), pos.balance])
    if report.settlement is not None:
        st = report.settlement
        append_row(ws, [])
        append_row(ws, [_("Terminated on"), st.terminated_on])
        append_row(ws, [_("Costs incurred up to the termination"), st.incurred])
        append_row(ws, [_("Commitments made up to the termination"), st.committed])
        append_row(ws, [_("Owed by the Government"), st.owed])
        append_row(ws, [_("Refund to the Government"), st.refund])
    for row in ws.iter_rows(min_row=1, max_col=5):
        for cell in row[1:]:
            if hasattr(cell.value, "as_tuple"):
                cell.number_format = MONEY_FORMAT
            elif cell.is_date:
                cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 48
    for col in "BCDE":
        ws.column_dimensions[col].width = 16

    entries = wb.create_sheet(_("Entries")[:31])
    append_row(
        entries,
        [
            _("No."),
            _("Date"),
            _("Kind"),
            _("Budget line"),
            _("Amount"),
            _("Payee or description"),
            _("Reverses"),
            _("Recorded by"),
            _("Recorded at"),
        ],
    )
    for cell in entries[1]:
        cell.font = bold
    for e in report.entries:
        append_row(
            entries,
            [
                e.pk,
                e.on,
                e.get_kind_display(),
                _text(e.line.name),
                e.amount,
                e.payee,
                e.reverses_id,
                str(e.recorded_by),
                timezone.localtime(e.recorded_at).replace(tzinfo=None),
            ],
        )
        entries.cell(entries.max_row, 5).number_format = MONEY_FORMAT
        entries.cell(entries.max_row, 2).number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_template_xlsx(lines: list) -> bytes:
    """An empty sheet with the columns the import reads, and the line codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Entries")[:31]
    append_row(ws, ["date", "kind", "line", "amount", "payee"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    codes = wb.create_sheet(_("Budget lines")[:31])
    append_row(codes, [_("Code"), _("Budget line")])
    for line in lines:
        append_row(codes, [line.code, _text(line.name)])
    codes.column_dimensions["B"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
