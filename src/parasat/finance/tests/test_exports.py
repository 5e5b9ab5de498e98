import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from parasat.finance import exports
from parasat.finance.selectors import final_report
from parasat.finance.services import entry_record


def test_report_pdf_with_a_document_attached(review, budget, analyst):
    """Issue 10: an entry with a document made the PDF a server error (the
    ledger linked to the document through a review the PDF's context lacked)."""
    entry_record(
        review=review,
        kind="expenditure",
        line_code="staff",
        on=dt.date(2015, 3, 1),
        amount="100",
        payee="Hotel",
        by=analyst,
        document=SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice"),
    )
    report = final_report(review, today=dt.date(2015, 4, 1))
    assert exports.report_pdf(report).startswith(b"%PDF")
    # A file cannot follow a link into the site: the PDF names the document.
    html = exports.report_pdf_html(report)
    assert "invoice.pdf" in html
    assert "/finance/" not in html


def test_report_xlsx_writes_texts_as_text_not_formulas(review, budget, analyst):
    """Same fault as the XLSForm export (issue 10): a payee beginning with "="
    became a formula cell, run when the spreadsheet is opened."""
    entry_record(
        review=review,
        kind="expenditure",
        line_code="staff",
        on=dt.date(2015, 3, 1),
        amount="100",
        payee='=HYPERLINK("http://x","Paid")',
        by=analyst,
    )
    report = final_report(review, today=dt.date(2015, 4, 1))
    book = load_workbook(io.BytesIO(exports.report_xlsx(report)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert '=HYPERLINK("http://x","Paid")' in {c.value for c in cells}
