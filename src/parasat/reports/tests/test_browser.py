"""In Chromium, the issue's "done when": the team drafts the preliminary
report from the example's analysis and moves it to peer review; a peer
comments on a paragraph; the team answers and changes it; the final report is
published; a signed-out reader opens the read edition in Kazakh, follows a
paragraph link, switches to English at the same place and downloads the PDF,
whose text contains the Kazakh paragraph."""

import io

import pytest
from pypdf import PdfReader

from parasat.reports.models import Report, ReportComment, ReportPdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KAZAKH = "Декларациялар басқа тізілімдермен салыстырылмайды"


def _pid(report: Report, stage: str, anchor: str) -> str:
    version = report.versions.get(stage=stage)
    for section in version.content["sections"]:
        for paragraph in section["paragraphs"]:
            if paragraph["anchor"] == anchor:
                return paragraph["id"]
    raise AssertionError(anchor)


def test_from_the_analysis_to_the_published_read_edition(people, open_as):
    slug = people.review.slug
    analyst = open_as(people.analyst)
    analyst.goto(f"/reviews/{slug}/report/")
    analyst.get_by_role("button", name="Draft the preliminary report from the analysis").click()
    assert "drafted from the agreed analysis" in analyst.locator(".messages").inner_text()
    analyst.get_by_role("button", name="Issue the preliminary report to the government").click()
    analyst.get_by_role("button", name="Move to peer review").click()
    analyst.get_by_role("button", name="Issue the draft for peer review").click()
    assert "Draft for peer review" in analyst.locator("#report-stage").inner_text()
    report = Report.objects.get()
    pid = _pid(report, "peer_review", "rec-COI-1")

    # A peer reviewer comments on the paragraph of recommendation COI-1.
    peer = open_as(people.peer, width=390)
    peer.goto(f"/reviews/{slug}/report/v/2/area-coi/")
    assert peer.locator(f"#{pid}").is_visible()
    peer.get_by_label("Paragraph").select_option(pid)
    peer.get_by_label("Quoted phrase (optional)").fill("Verify declarations")
    peer.locator("#id_body").fill("Say which registers come first.")
    peer.get_by_role("button", name="Post the comment").click()
    assert "Your comment is recorded." in peer.locator(".messages").inner_text()
    comment = ReportComment.objects.get()

    # The team answers it, and changes the paragraph in the final report.
    analyst.goto(f"/reviews/{slug}/report/v/2/area-coi/#comment-{comment.pk}")
    form = analyst.locator(f"#comment-{comment.pk}")
    form.get_by_label("Accepted", exact=True).check()
    form.get_by_label("Reason").fill("Agreed: the tax register first.")
    form.get_by_label("Change made to the text").fill("Names the tax register first.")
    form.get_by_role("button", name="Record the response").click()
    assert "The response is recorded." in analyst.locator(".messages").inner_text()
    analyst.goto(f"/reviews/{slug}/report/")
    analyst.get_by_role("button", name="Move to the final report").click()
    analyst.goto(f"/reviews/{slug}/report/edit/area-coi/")
    editor = analyst.locator("#id_markdown")
    text = editor.input_value()
    editor.fill(text.replace("Verify declarations against", "Verify declarations first against"))
    analyst.locator("#preview").get_by_text("Verify declarations first against tax").wait_for()
    analyst.get_by_role("button", name="Save the section").click()
    assert "1 changed" in analyst.locator(".messages").inner_text()
    analyst.goto(f"/reviews/{slug}/report/")
    analyst.get_by_role("button", name="Issue the final report").click()
    analyst.goto(f"/reviews/{slug}/report/v/3/changes/")
    assert "first" in analyst.locator("ins").first.inner_text()
    analyst.goto(f"/reviews/{slug}/report/")
    analyst.get_by_role("button", name="Publish the final report").click(timeout=180_000)
    assert "published" in analyst.locator(".messages").inner_text()

    # A signed-out reader, in Kazakh, follows a paragraph's link, switches to English.
    reader = open_as(width=390, locale="kk-KZ")
    reader.goto(f"/reviews/{slug}/report/read/kk/")
    assert "ағылшын тіліндегі мәтін басым" in reader.locator(".prevails").inner_text()
    chapter = reader.locator("main").get_by_role("link", name="Мүддені білдіру", exact=False)
    chapter.first.click()
    finding = _pid(report, "final", "finding-COI-F2")
    paragraph = reader.locator(f"#{finding}")
    assert KAZAKH in paragraph.inner_text()
    paragraph.locator(".copy-link").click()
    assert reader.url.endswith(f"#{finding}")
    reader.get_by_role("link", name="English").click()
    reader.wait_for_url(f"**/read/en/area-coi/#{finding}")
    assert (
        "Declarations are not checked against other registers"
        in reader.locator(f"#{finding}").inner_text()
    )
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    reader.goto(f"/reviews/{slug}/report/read/kk/")
    assert ReportPdf.objects.filter(language="kk").exists()  # built by a job on publishing
    with reader.expect_download() as download:
        reader.get_by_role("link", name="PDF", exact=True).click()
    with open(download.value.path(), "rb") as fh:
        data = fh.read()
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert KAZAKH in text
