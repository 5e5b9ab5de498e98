"""Translation files: exported with the paragraphs' identifiers, imported
back all or nothing, a file for another version or with broken identifiers
refused and named row by row."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from parasat.core.lib.translated import Status
from parasat.reports import services, translations
from parasat.reports.models import Paragraph
from parasat.reports.tests.conftest import drafted_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_people(request):
    """Every test here starts from the drafted report: drafted once for the module."""
    yield from drafted_once(request)


XLIFF = "application/x-xliff+xml"


def url(people, *args):
    name = "reports:translations_export" if args else "reports:translations"
    return reverse(name, args=[people.review.slug, *args])


def upload(client, people, data: bytes, name: str, language: str = "kk"):
    return client.post(
        url(people),
        {"language": language, "file": SimpleUploadedFile(name, data)},
    )


def test_an_xliff_round_trip_makes_a_stale_paragraph_current(people, client_for):
    report = people.report()
    section = report.sections.get(key="area-coi")
    paragraph = section.paragraphs.get(anchor="finding-COI-F2")
    text = "\n\n".join(
        p.text.source + (" Really." if p.pk == paragraph.pk else "")
        for p in section.paragraphs.order_by("order")
    )
    services.section_save(section=section, by=people.analyst, markdown=text, base_revision=None)
    paragraph.refresh_from_db()
    assert paragraph.text.status("kk") == Status.STALE
    consultant = client_for(people.consultant)
    exported = consultant.get(url(people, "kk", "xlf"))
    assert exported["Content-Type"] == XLIFF
    data = exported.content.decode()
    assert f'id="{paragraph.pid}"' in data and "Really." in data
    old = paragraph.text.get("kk")
    data = data.replace(old, old + " Шынымен.")
    response = upload(consultant, people, data.encode(), "report.xlf")
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text.get("kk").endswith("Шынымен.")
    assert paragraph.text.status("kk") == Status.OK


def test_broken_rows_are_named_and_nothing_is_written(people, client_for):
    report = people.report()
    consultant = client_for(people.consultant)
    book = load_workbook(io.BytesIO(consultant.get(url(people, "ru", "xlsx")).content))
    sheet = book.active
    assert sheet.cell(1, 2).value == services.version_label(report)
    first_id = sheet.cell(3, 1).value
    sheet.cell(3, 4).value = "Новый текст"
    sheet.cell(4, 1).value = "p-bogus"
    out = io.BytesIO()
    book.save(out)
    response = upload(consultant, people, out.getvalue(), "report.xlsx", language="ru")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Row 4: no paragraph of this report has the identifier “p-bogus”" in page
    assert Paragraph.objects.get(pid=first_id).text.get("ru") != "Новый текст"


def test_a_file_for_another_version_or_not_a_file_at_all_is_refused(people, client_for):
    report = people.report()
    consultant = client_for(people.consultant)
    data = consultant.get(url(people, "kk", "xlf")).content
    services.report_issue(report=report, by=people.analyst)
    services.report_advance(report=report, by=people.analyst)
    response = upload(consultant, people, data, "report.xlf")
    assert "made for another version" in response.content.decode()
    assert "not a readable" in upload(consultant, people, b"<?xml x", "a.xlf").content.decode()
    assert (
        "Upload the .xlf or .xlsx" in upload(consultant, people, b"%PDF", "a.pdf").content.decode()
    )
    wrong = upload(consultant, people, consultant.get(url(people, "ru", "xlf")).content, "a.xlf")
    assert "not Kazakh" in wrong.content.decode() or "not kk" in wrong.content.decode()


def test_only_the_team_handles_translation_files(people, client_for):
    people.report()
    for who in (people.coordinator, people.peer, people.civil):
        assert client_for(who).get(url(people, "kk", "xlf")).status_code == 403
    rows = translations.xliff_read(
        client_for(people.analyst).get(url(people, "kk", "xlf")).content
    )[2]
    assert rows and all(r.pid.startswith("p-") for r in rows)


def test_a_paragraph_is_translated_or_confirmed_in_the_browser(people, client_for):
    report = people.report()
    section = report.sections.get(key="area-coi")
    paragraph = section.paragraphs.get(anchor="finding-COI-F2")
    services.section_save(
        section=section,
        by=people.analyst,
        markdown="\n\n".join(
            p.text.source + (" Really." if p.pk == paragraph.pk else "")
            for p in section.paragraphs.order_by("order")
        ),
        base_revision=None,
    )
    url = reverse("reports:translate_section", args=[people.review.slug, "area-coi", "ru"])
    consultant = client_for(people.consultant)
    page = consultant.get(url).content.decode()
    assert f'name="confirm-{paragraph.pid}"' in page and "stale" in page
    consultant.post(
        url, {f"text-{paragraph.pid}": paragraph.text.get("ru"), f"confirm-{paragraph.pid}": "1"}
    )
    paragraph.refresh_from_db()
    assert paragraph.text.status("ru") == Status.OK
    assert client_for(people.peer).get(url).status_code == 403
