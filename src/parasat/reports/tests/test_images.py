"""Uploaded images with their text alternative: placed in the text as
figures, shown in the editor, the read edition, its offline copy and the PDF."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parasat.reports import pdf, services
from parasat.reports.models import Figure
from parasat.reports.tests.conftest import drafted_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_people(request):
    """Every test here starts from the drafted report: drafted once for the module."""
    yield from drafted_once(request)


ALT = "The organisation chart: the agency reports to the President."


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(client, people, **fields):
    data = {
        "file": SimpleUploadedFile("chart.png", png(), content_type="image/png"),
        "key": "org-chart",
        "title_en": "Organisation of the agency",
        "alt_en": ALT,
        "alt_kk": "Ұйымдық құрылым: агенттік Президентке бағынады.",
        **fields,
    }
    return client.post(
        reverse("reports:image", args=[people.review.slug, "summary"]), data, follow=True
    )


def test_an_image_needs_its_text_alternative_and_to_be_an_image(people, client_for):
    people.report()
    analyst = client_for(people.analyst)
    refused = upload(analyst, people, alt_en="").content.decode()
    assert "Text alternative" in refused and not Figure.objects.filter(key="org-chart").exists()
    fake = SimpleUploadedFile("chart.png", b"<script>alert(1)</script>", content_type="image/png")
    refused = upload(analyst, people, file=fake).content.decode()
    assert "does not match its name" in refused
    assert not Figure.objects.filter(key="org-chart").exists()
    assert (
        client_for(people.coordinator)
        .post(reverse("reports:image", args=[people.review.slug, "summary"]))
        .status_code
        == 403
    )
    page = upload(analyst, people).content.decode()
    assert "{{figure:org-chart}}" in page and ALT in page
    assert "already has a figure" in upload(analyst, people).content.decode()


def test_an_image_in_the_text_reaches_the_read_edition_the_offline_copy_and_the_pdf(
    people, client_for, client
):
    report = people.report()
    upload(client_for(people.analyst), people)
    summary = report.sections.get(key="summary")
    markdown = "\n\n".join(p.text.source for p in summary.paragraphs.order_by("order"))
    services.section_save(
        section=summary,
        by=people.analyst,
        markdown=markdown + "\n\nAs [@fig:org-chart] shows:\n\n{{figure:org-chart}}",
        base_revision=summary.revision,
    )
    for _stage in range(2):
        services.report_issue(report=report, by=people.analyst)
        services.report_advance(report=report, by=people.analyst)
    services.report_issue(report=report, by=people.analyst)
    services.report_publish(report=report, by=people.analyst)
    slug = people.review.slug
    page = client.get(reverse("reports:read_section", args=[slug, "kk", "summary"]))
    html = page.content.decode()
    src = reverse("reports:read_figure", args=[slug, "kk", "org-chart", "png"])
    assert f'<img src="{src}" alt="Ұйымдық құрылым' in html
    assert 'href="/reviews/' in html and "#fig-org-chart" in html  # the cross reference
    image = client.get(src)
    assert image["Content-Type"] == "image/png" and image.content == png()
    assert client.get(src.replace(".png", ".csv")).status_code == 404
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("reports:read_archive", args=[slug])).content)
    )
    assert archive.read("kk/org-chart.png") == png()
    assert 'src="org-chart.png"' in archive.read("kk/summary.html").decode()
    version = report.versions.get(stage="final")
    printed = pdf.report_html(version.content, "en", review_title="t")
    assert 'src="data:image/png;base64,' in printed and f'alt="{ALT}"' in printed
