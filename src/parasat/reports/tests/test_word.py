"""The Word round trip: export, an edited document's differences shown
paragraph by paragraph, accepted only on request; a file that is not a Word
document refused."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pypandoc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.reports import docx, services
from parasat.reports.tests.conftest import drafted_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_people(request):
    """Every test here starts from the drafted report: drafted once for the module."""
    yield from drafted_once(request)


def markdown_of(section) -> str:
    return "\n\n".join(p.text.source for p in section.paragraphs.order_by("order"))


def edited(data: bytes, old: str, new: str) -> bytes:
    """The DOCX ``data`` with one phrase changed, as Word would save it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.docx"
        path.write_bytes(data)
        markdown = pypandoc.convert_file(
            str(path), "markdown", extra_args=["--wrap=none"], verify_format=False
        )
        assert old in markdown
        out = Path(folder) / "out.docx"
        pypandoc.convert_text(
            markdown.replace(old, new),
            "docx",
            format="markdown",
            outputfile=str(out),
            verify_format=False,
        )
        return out.read_bytes()


def test_an_edited_word_document_shows_its_differences_before_it_is_accepted(people, client_for):
    report = people.report()
    section = report.sections.get(key="area-coi")
    before = {p.pid: p.text.source for p in section.paragraphs.all()}
    analyst = client_for(people.analyst)
    exported = analyst.get(reverse("reports:word_export", args=[people.review.slug, "area-coi"]))
    assert exported["Content-Type"].endswith("wordprocessingml.document")
    assert (
        analyst.get(reverse("reports:word_export_all", args=[people.review.slug])).status_code
        == 200
    )
    changed = edited(exported.content, "Verify declarations", "Check declarations")
    upload = SimpleUploadedFile("coi.docx", changed)
    url = reverse("reports:word_import", args=[people.review.slug, "area-coi"])
    page = analyst.post(url, {"file": upload}).content.decode()
    assert "1 paragraph differs" in page and "<ins>Check</ins>" in page
    section.refresh_from_db()
    assert {p.pid: p.text.source for p in section.paragraphs.all()} == before  # nothing yet
    markdown = docx.import_docx(section, SimpleUploadedFile("coi.docx", changed))
    analyst.post(url, {"accept": "1", "markdown": markdown, "revision": section.revision})
    after = {p.pid: p.text.source for p in section.paragraphs.all()}
    assert set(after) == set(before)
    changed = [pid for pid in after if after[pid] != before[pid]]
    assert len(changed) == 1 and after[changed[0]].count("Check declarations") == 1


def test_a_file_that_is_not_a_word_document_is_refused(people, client_for):
    people.report()
    url = reverse("reports:word_import", args=[people.review.slug, "summary"])
    for name, data in [
        ("a.docx", b"%PDF-1.7 not word"),
        ("a.docx", io.BytesIO(b"PK\x03\x04junk").read()),
    ]:
        response = client_for(people.analyst).post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 400
        assert (
            "not a Word document" in response.content.decode()
            or "could not be read" in response.content.decode()
        )
    assert client_for(people.coordinator).get(url).status_code == 403
    report = people.review.report
    services.report_issue(report=report, by=people.analyst)
    frozen = client_for(people.analyst).get(url, follow=True)
    assert "frozen" in frozen.content.decode()


def test_an_edited_paragraph_keeps_its_citations_through_word(people, client_for):
    report = people.report()
    section = report.sections.get(key="area-coi")
    finding = section.paragraphs.get(anchor="finding-COI-F2").text.source
    assert "[@cite:" in finding
    exported = client_for(people.analyst).get(
        reverse("reports:word_export", args=[people.review.slug, "area-coi"])
    )
    upload = SimpleUploadedFile(
        "coi.docx", edited(exported.content, "Declarations are not", "Declarations are never")
    )
    markdown = docx.import_docx(section, upload)
    changed = [b for b in markdown.split("\n\n") if "Declarations are never" in b]
    assert changed and "[@cite:" in changed[0] and "\\[@cite" not in changed[0]


def test_the_whole_report_comes_back_from_word_section_by_section(people, client_for):
    report = people.report()
    analyst = client_for(people.analyst)
    slug = people.review.slug
    exported = analyst.get(reverse("reports:word_export_all", args=[slug])).content
    data = edited(exported, "Verify declarations", "Check declarations")
    data = edited(data, "The review assessed", "This review assessed")
    url = reverse("reports:word_import_all", args=[slug])
    page = analyst.post(url, {"file": SimpleUploadedFile("all.docx", data)}).content.decode()
    assert page.count("1 paragraph differs") == 2 and "<ins>Check</ins>" in page
    assert 'name="key" value="area-coi"' in page and 'name="key" value="summary"' in page
    coi = report.sections.get(key="area-coi")
    assert "Check declarations" not in markdown_of(coi)  # nothing yet
    texts = docx.import_docx_all(report, SimpleUploadedFile("all.docx", data))
    assert set(texts) == {s.key for s in report.sections.all()}
    post = {"accept": "1", "key": ["area-coi", "summary"]}
    for key in ("area-coi", "summary"):
        post[f"markdown-{key}"] = texts[key]
        post[f"revision-{key}"] = report.sections.get(key=key).revision
    analyst.post(url, post)
    assert "Check declarations" in markdown_of(coi)
    assert "This review assessed" in markdown_of(report.sections.get(key="summary"))
    # A document without the report's section titles is refused, named.
    other = SimpleUploadedFile("x.docx", edited(exported, "Executive summary", "Something"))
    texts = docx.import_docx_all(report, other)
    assert "summary" not in texts
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "note.docx"
        pypandoc.convert_text(
            "Just a note.", "docx", format="markdown", outputfile=str(out), verify_format=False
        )
        note = SimpleUploadedFile("note.docx", out.read_bytes())
    refused = analyst.post(url, {"file": note})
    assert refused.status_code == 400 and "No section of the report" in refused.content.decode()
