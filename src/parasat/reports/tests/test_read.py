"""The read edition, for everyone once the final report is published: pages
in each language, links to paragraphs, figures' data, the PDF and the
offline copy; cached, and renewed when the report changes."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from parasat.reports import services
from parasat.reports.jobs import build_pdf, pdfs_start
from parasat.reports.models import ReportPdf
from parasat.reports.views import read

pytestmark = pytest.mark.django_db


def read_url(people, language, key=None):
    if key is None:
        return reverse("reports:read_home", args=[people.review.slug, language])
    return reverse("reports:read_section", args=[people.review.slug, language, key])


def test_nothing_is_public_before_publication(people, client):
    report = people.report()
    services.report_issue(report=report, by=people.analyst)
    assert client.get(read_url(people, "en")).status_code == 404
    assert client.get(read_url(people, "en", "area-coi")).status_code == 404


def test_a_signed_out_reader_reads_a_chapter_in_kazakh(people, published, client):
    home = client.get(read_url(people, "kk")).content.decode()
    assert 'lang="kk"' in home and "ағылшын тіліндегі мәтін басым" in home.lower()
    page = client.get(read_url(people, "kk", "area-coi"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Декларациялар басқа тізілімдермен салыстырылмайды" in html
    # Numbered sections, a ¶ link on each paragraph, the other languages at the same page.
    assert '<span class="secno">' in html and 'class="copy-link"' in html
    assert reverse("reports:read_section", args=[people.review.slug, "en", "area-coi"]) in html
    assert "<script>" not in html.split("</head>")[1]
    assert client.get(read_url(people, "de", "area-coi")).status_code == 404
    assert client.get(read_url(people, "kk", "nope")).status_code == 404


def test_figures_and_their_data(people, published, client):
    html = client.get(read_url(people, "en", "summary")).content.decode()
    assert 'id="fig-ratings"' in html and "<svg" in html and 'role="img"' in html
    csv = client.get(
        reverse("reports:read_figure", args=[people.review.slug, "ru", "ratings", "csv"])
    )
    assert "COI" in csv.content.decode("utf-8-sig") and "Правительство" in csv.content.decode(
        "utf-8-sig"
    )
    xlsx = client.get(
        reverse("reports:read_figure", args=[people.review.slug, "en", "ratings", "xlsx"])
    )
    assert xlsx.status_code == 200


def test_pages_are_cached_and_renewed_when_the_report_changes(
    people, published, client, django_assert_max_num_queries
):
    cache.clear()
    url = read_url(people, "en", "area-psi")
    client.get(url)
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200
    report = published
    report.title = report.title.updated({"en": "A new title"})
    report.save()
    services._touch(report)
    assert "A new title" not in client.get(url).content.decode()  # the version is frozen
    with django_assert_max_num_queries(4):
        client.get(url)


def test_a_cached_page_is_served_from_the_process_the_same_for_everyone(
    people, published, client, monkeypatch
):
    url = read_url(people, "kk", "area-coi")
    first = client.get(url)
    assert first.status_code == 200
    # The same for every reader: no CSRF cookie (there is no form), so nothing
    # personal in a page that anyone's copy may be served from.
    assert "csrftoken" not in first.cookies
    reads = []

    class Watched:
        def get(self, key, *args):
            reads.append(key)
            return cache.get(key, *args)

        def __getattr__(self, name):
            return getattr(cache, name)

    monkeypatch.setattr(read, "cache", Watched())
    again = client.get(url)
    assert again.status_code == 200 and "csrftoken" not in again.cookies
    # One small shared read (the report's token); the page itself from the process.
    assert not [k for k in reads if k.startswith("reports:read:")]
    assert again.content == first.content
    # Its one script comes from our own origin, which the policy allows without a nonce.
    assert "nonce=" not in again.content.decode()
    assert "script-src 'self'" in again["Content-Security-Policy"]
    assert '<script src="/static/reports/read.js' in again.content.decode()


def test_the_pdf_is_built_once_per_version_and_language(people, published, client):
    version = published.versions.get(stage="final")
    pdf_url = reverse("reports:read_pdf", args=[people.review.slug, "kk"])
    assert client.get(pdf_url).status_code == 503
    made = build_pdf(version, "kk")
    again = build_pdf(version, "kk")
    assert again.pk == made.pk and again.built_at == made.built_at
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    # Page by page, up to the one that has it (pypdf takes most of a second
    # of CPU to read the text of all thirteen).
    assert any(
        "басқа тізілімдермен салыстырылмайды" in " ".join(page.extract_text().split())
        for page in reader.pages
    )
    assert reader.trailer["/Root"]["/Lang"] == "kk"
    assert reader.outline  # bookmarks
    # The jobs skip what is built.
    queued = pdfs_start(report=published, by=people.analyst)
    assert sorted(job.params["language"] for job in queued) == ["en", "ru"]
    assert ReportPdf.objects.count() == 1


def test_the_offline_copy(people, published, client):
    response = client.get(reverse("reports:read_archive", args=[people.review.slug]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"index.html", "reports.css", "en/index.html", "kk/area-coi.html"} <= names
    page = archive.read("kk/area-coi.html").decode()
    assert 'href="../en/area-coi.html"' in page and 'href="../reports.css"' in page


def test_the_benchmark_generator_makes_a_published_report(example, client):
    from parasat.reports import benchdata

    made = benchdata.generate(example, chapters=2, paragraphs=8, footnotes=2, charts=1)
    assert made.counts == {"chapters": 2, "paragraphs": 18, "footnotes": 4, "charts": 2}
    url = reverse("reports:read_section", args=[example.slug, "ru", "chapter-2"])
    html = client.get(url).content.decode()
    assert 'class="footnotes' in html and "<svg" in html
