"""The team's pages: each works, refuses bad input with a message, and
refuses the roles that must not reach it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parasat.jobs.models import Job
from parasat.reports import pdf, services
from parasat.reports.jobs import build_pdf
from parasat.reports.models import Report, Response

pytestmark = pytest.mark.django_db


def url(name, people, *args):
    return reverse(f"reports:{name}", args=[people.review.slug, *args])


def test_the_analyst_drafts_edits_with_a_preview_and_issues(people, client_for):
    analyst = client_for(people.analyst)
    assert analyst.get(url("home", people)).status_code == 200
    response = analyst.post(url("draft", people))
    assert response.status_code == 302
    report = Report.objects.get()
    page = analyst.get(url("home", people)).content.decode()
    assert "Executive summary" in page and "complete" in page
    edit = analyst.get(url("edit", people, "summary"))
    assert edit.status_code == 200 and "{{figure:ratings}}" in edit.content.decode()
    preview = analyst.post(
        url("preview", people, "summary"), {"markdown": "**Bold** <script>x</script> [@sec:nope]"}
    ).content.decode()
    assert "<strong>Bold</strong>" in preview and "<script>" not in preview
    assert "[@sec:nope] points at nothing" in preview
    saved = analyst.post(
        url("edit", people, "summary"), {"markdown": "One.\n\nTwo.", "revision": 0}
    )
    assert saved.status_code == 302
    assert list(report.sections.get(key="summary").paragraphs.values_list("text__en", flat=True))
    analyst.post(url("step", people, "issue"))
    report.refresh_from_db()
    assert report.state == Report.State.ISSUED
    # Frozen: the editor sends the analyst back with the reason.
    refused = analyst.get(url("edit", people, "summary"), follow=True)
    assert "frozen" in refused.content.decode()


def test_roles_reach_what_each_stage_admits(people, drafted, client_for, stranger):
    report = drafted
    services.report_issue(report=report, by=people.analyst)
    v1 = url("version", people, 1)
    assert client_for(people.coordinator).get(v1).status_code == 200
    assert client_for(people.contact).get(v1).status_code == 200
    # The preliminary report goes to the government, not to the peers or the public.
    assert client_for(people.peer).get(v1).status_code == 404
    assert client_for(people.civil).get(v1).status_code == 404
    assert client_for(stranger).get(v1).status_code == 404
    assert client_for(None).get(v1).status_code == 302
    # Only the analysts issue, advance and publish; only the team edits.
    for who in (people.coordinator, people.peer, people.expert):
        assert client_for(who).post(url("step", people, "advance")).status_code == 403
    assert client_for(people.coordinator).get(url("edit", people, "front")).status_code == 403


def test_a_peer_comments_on_the_draft_and_the_team_answers(people, drafted, client_for):
    report = drafted
    services.report_issue(report=report, by=people.analyst)
    services.report_advance(report=report, by=people.analyst)
    version = services.report_issue(report=report, by=people.analyst)
    pid = version.content["sections"][1]["paragraphs"][0]["id"]
    peer = client_for(people.peer)
    page = peer.get(url("version_section", people, version.number, "summary"))
    assert page.status_code == 200 and "Comment on a paragraph" in page.content.decode()
    empty = peer.post(
        url("comment", people, version.number, "summary"), {"pid": pid, "body": ""}, follow=True
    )
    assert "Write a comment first." in empty.content.decode()
    peer.post(url("comment", people, version.number, "summary"), {"pid": pid, "body": "Say more."})
    comment = version.comments.get()
    # A peer does not answer; the team does, with a reason.
    assert peer.post(url("respond", people, comment.pk), {}).status_code == 403
    expert = client_for(people.expert)
    expert.post(url("respond", people, comment.pk), {"response": Response.NOTED, "reason": ""})
    comment.refresh_from_db()
    assert not comment.response
    expert.post(
        url("respond", people, comment.pk), {"response": Response.NOTED, "reason": "Will do."}
    )
    comment.refresh_from_db()
    assert comment.response == Response.NOTED
    coordinator = client_for(people.coordinator)
    matrix = coordinator.get(url("matrix", people, version.number))
    assert "Say more." in matrix.content.decode() and "Will do." in matrix.content.decode()
    xlsx = coordinator.get(url("matrix_download", people, version.number, "xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = coordinator.get(url("matrix_download", people, version.number, "csv"))
    assert "Say more." in csv.content.decode("utf-8-sig")
    changes = client_for(people.analyst).get(url("changes", people, version.number))
    assert changes.status_code == 200


def test_the_editor_lists_the_bibliography_and_previews_citations(people, drafted, client_for):
    analyst = client_for(people.analyst)
    page = analyst.get(url("edit", people, "summary")).content.decode()
    assert "[@cite:UNCAC]" in page and "United Nations Convention against Corruption" in page
    preview = analyst.post(
        url("preview", people, "summary"), {"markdown": "As [@cite:UNCAC] and [@cite:NOPE] say."}
    ).content.decode()
    assert '<a class="cite" href="' in preview and ">UNCAC</a>" in preview
    assert "[@cite:NOPE] names no work of the review" in preview
    assert "[@cite:UNCAC] names no work" not in preview


# What the PDF holds is proven in test_read (built and read back): here only
# the jobs, the page and the download, so WeasyPrint's second of CPU is spared.
STUB_PDF = b"%PDF-1.7\n% the layout is read back in test_read\n%%EOF\n"


def test_the_pdfs_are_built_as_jobs_with_their_progress_on_the_reports_page(
    people, published, client_for, stranger, monkeypatch
):
    monkeypatch.setattr(pdf, "pdf_from_html", lambda html: STUB_PDF)
    analyst = client_for(people.analyst)
    page = analyst.get(url("home", people)).content.decode()
    assert "PDF of version 3" in page and page.count("Not built yet.") == 3
    assert client_for(people.coordinator).post(url("pdfs", people)).status_code == 403
    assert analyst.post(url("pdfs", people)).status_code == 302
    assert Job.objects.filter(kind="reports.pdf").count() == 3
    page = analyst.get(url("home", people)).content.decode()
    assert page.count('<progress max="100" value="0"') == 3 and "Follow the job" in page
    # Asked again while they run: nothing is queued twice.
    analyst.post(url("pdfs", people))
    assert Job.objects.filter(kind="reports.pdf").count() == 3
    build_pdf(published.versions.get(stage="final"), "kk")
    page = analyst.get(url("home", people)).content.decode()
    download = url("version_pdf", people, 3, "kk")
    assert download in page
    response = client_for(people.peer).get(download)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == STUB_PDF  # the file built, served
    assert client_for(stranger).get(download).status_code == 404
    assert analyst.get(url("version_pdf", people, 3, "ru")).status_code == 404
