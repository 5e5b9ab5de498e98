import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

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
