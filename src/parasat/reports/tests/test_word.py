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

pytestmark = pytest.mark.django_db


def edited(data: bytes, old: str, new: str) -> bytes:
    """The DOCX ``data`` with one phrase changed, as Word would save it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.docx"
        path.write_bytes(data)
        markdown = pypandoc.convert_file(str(path), "markdown", extra_args=["--wrap=none"])
        assert old in markdown
        out = Path(folder) / "out.docx"
        pypandoc.convert_text(
            markdown.replace(old, new), "docx", format="markdown", outputfile=str(out)
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
    upload = SimpleUploadedFile(
        "coi.docx", edited(exported.content, "Verify declarations", "Check declarations")
    )
    url = reverse("reports:word_import", args=[people.review.slug, "area-coi"])
    page = analyst.post(url, {"file": upload}).content.decode()
    assert "1 paragraph differs" in page and "<ins>Check</ins>" in page
    section.refresh_from_db()
    assert {p.pid: p.text.source for p in section.paragraphs.all()} == before  # nothing yet
    markdown = docx.import_docx(
        section,
        SimpleUploadedFile(
            "coi.docx", edited(exported.content, "Verify declarations", "Check declarations")
        ),
    )
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
