"""The read edition: the published final report for everyone, signed in or
not — a contents page and one page per chapter in each language, the
figures' data, the PDF and an offline copy. Pages are cached whole under the
report's token, which publishing (or any change) replaces."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections import OrderedDict
from typing import Any

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from parasat.core.lib.translated import content_languages
from parasat.reports import exports, rendering
from parasat.reports.access import published_report
from parasat.reports.caching import report_token
from parasat.reports.models import Report, ReportPdf, ReportVersion
from parasat.reviews.models import Review

# Each language by its own name, as a reader of it looks for it.
LOCAL_NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}


def _language(language: str) -> str:
    if language not in content_languages():
        raise Http404
    return language


# What a server process keeps of the read edition between requests: review ids
# by slug (for a few minutes, as the shared cache does) and the last pages
# drawn, by their cache key — which holds the report's token, so a page of a
# report changed or published since is never found again. A hit reads one
# small entry of the shared cache (the token) and nothing else.
_SLUG_SECONDS = 300
_SLUGS: dict[str, tuple[int, float]] = {}
_PAGES: OrderedDict[str, str] = OrderedDict()
_PAGES_KEPT = 48
_PAGES_LOCK = threading.Lock()
# The page is cached with this in place of the request's CSP nonce.
NONCE_HOLE = "__parasat-csp-nonce__"


def _review_id(slug: str) -> int:
    """The review's id by its slug (a slug never changes hands)."""
    now = time.monotonic()
    known = _SLUGS.get(slug)
    if known is not None and now - known[1] < _SLUG_SECONDS:
        return known[0]
    key = f"reports:slug:{slug}"
    found = cache.get(key)
    if found is None:
        found = Review.objects.filter(slug=slug).values_list("pk", flat=True).first() or 0
        cache.set(key, found, _SLUG_SECONDS)
    if not found:
        raise Http404
    _SLUGS[slug] = (found, now)
    return found


def forget() -> None:
    """Drop what this process keeps (for tests, whose databases reuse slugs)."""
    _SLUGS.clear()
    with _PAGES_LOCK:
        _PAGES.clear()


def _kept_page(key: str) -> str | None:
    with _PAGES_LOCK:
        html = _PAGES.get(key)
        if html is not None:
            _PAGES.move_to_end(key)
        return html


def _keep_page(key: str, html: str) -> None:
    with _PAGES_LOCK:
        _PAGES[key] = html
        _PAGES.move_to_end(key)
        while len(_PAGES) > _PAGES_KEPT:
            _PAGES.popitem(last=False)


class Links:
    """Addresses inside the read edition: on the site, or in the offline copy."""

    def __init__(self, slug: str, language: str, *, offline: bool = False) -> None:
        self.slug, self.language, self.offline = slug, language, offline

    def home(self, language: str | None = None) -> str:
        language = language or self.language
        if self.offline:
            return f"../{language}/index.html"
        return reverse("reports:read_home", args=[self.slug, language])

    def section(self, key: str, language: str | None = None) -> str:
        language = language or self.language
        if self.offline:
            return f"../{language}/{key}.html"
        return reverse("reports:read_section", args=[self.slug, language, key])

    def figure(self, key: str, fmt: str) -> str:
        if self.offline:
            return f"{key}.{fmt}"
        return reverse("reports:read_figure", args=[self.slug, self.language, key, fmt])

    def pdf(self) -> str:
        if self.offline:
            return f"report-{self.language}.pdf"
        return reverse("reports:read_pdf", args=[self.slug, self.language])


def page_html(
    report: Report,
    version: ReportVersion,
    language: str,
    links: Links,
    *,
    key: str | None,
    nonce: Any = None,
    css_url: str,
    js_url: str,
    archive_url: str = "",
) -> str:
    """One page of the read edition (the contents when ``key`` is None)."""
    content = version.content
    with translation.override(language):
        view = None
        if key is not None:
            if rendering.find_section(content, key) is None:
                raise Http404
            view = rendering.render_sections(
                content,
                language,
                lambda k: links.section(k),
                only=key,
                downloads=links.figure,
                permalinks=True,
            )[0]
        nums = rendering.numbers(content)
        toc = [
            {
                "key": s["key"],
                "label": rendering.section_label(s, nums.get(s["key"]), language),
                "url": links.section(s["key"]),
                "current": s["key"] == key,
            }
            for s in content["sections"]
        ]
        index = next((i for i, item in enumerate(toc) if item["current"]), None)
        return render_to_string(
            "reports/read.html",
            {
                "language": language,
                "title": rendering.text(content["title"], language),
                "review_title": rendering.text(report.review.title, language),
                "published_at": report.published_at,
                "view": view,
                "toc": toc,
                "previous": toc[index - 1] if index else None,
                "next": toc[index + 1] if index is not None and index + 1 < len(toc) else None,
                "languages": [
                    {
                        "code": lang,
                        "name": LOCAL_NAMES.get(lang, lang),
                        "url": links.section(key, lang) if key else links.home(lang),
                        "current": lang == language,
                    }
                    for lang in content_languages()
                ],
                "home_url": links.home(),
                "pdf_url": links.pdf(),
                "archive_url": archive_url,
                "css_url": css_url,
                "js_url": js_url,
                "csp_nonce": nonce,
            },
        )


def _page(request: HttpRequest, slug: str, language: str, key: str | None) -> HttpResponse:
    """A page of the read edition: the same for every reader (it has no form,
    so no CSRF token), kept in this process and in the shared cache under the
    report's token; only the CSP nonce is put in afresh."""
    language = _language(language)
    review_id = _review_id(slug)
    cache_key = f"reports:read:{report_token(review_id)}:{slug}:{language}:{key or ''}"
    html = _kept_page(cache_key)
    if html is None:
        html = cache.get(cache_key)
        if html is None:
            report, version = published_report(slug)
            html = page_html(
                report,
                version,
                language,
                Links(slug, language),
                key=key,
                nonce=NONCE_HOLE,
                css_url=static("reports/reports.css"),
                js_url=static("reports/read.js"),
                archive_url=reverse("reports:read_archive", args=[slug]),
            )
            cache.set(cache_key, html, 3600)
        _keep_page(cache_key, html)
    nonce = get_nonce(request)  # lazy: made by str(), then sent in the CSP header
    return HttpResponse(html.replace(NONCE_HOLE, "" if nonce is None else str(nonce)))


def read_home(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    return _page(request, slug, language, None)


def read_section(request: HttpRequest, slug: str, language: str, key: str) -> HttpResponse:
    return _page(request, slug, language, key)


def _figure(version: ReportVersion, key: str, language: str) -> rendering.FigureData:
    places = rendering.figure_places(version.content)
    for figure in version.content.get("figures", []):
        if figure["key"] == key and key in places:
            return rendering.figure_data(figure, places[key][1], language)
    raise Http404


def read_figure(request: HttpRequest, slug: str, language: str, key: str, fmt: str) -> HttpResponse:
    language = _language(language)
    _report, version = published_report(slug)
    data = _figure(version, key, language)
    if data.image:
        if fmt != data.image["ext"].lstrip("."):
            raise Http404
        response = HttpResponse(rendering.image_bytes(data.image), content_type=data.image["type"])
        response["Cache-Control"] = "public, max-age=3600"
        return response
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.table_download(f"figure-{data.number}-{language}", data.columns, data.rows, fmt)


def read_pdf(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    language = _language(language)
    _report, version = published_report(slug)
    built = ReportPdf.objects.filter(version=version, language=language).first()
    if built is None or built.digest != version.digest or not built.file:
        with translation.override(language):
            response = HttpResponse(
                _("The PDF of the report is being prepared. Please try again in a few minutes."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response["Retry-After"] = "120"
        return response
    return FileResponse(
        built.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"report-{slug}-{language}.pdf",
    )


def offline_archive(report: Report, version: ReportVersion) -> bytes:
    """Every page of the read edition in every language as static files, with
    the styles, the figures' data and the PDFs already built: one ZIP the
    government can put on its own web site (Art. 6)."""
    slug = report.review.slug
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("reports.css", "read.js"):
            found = finders.find(f"reports/{name}")
            if found:
                with open(found, "rb") as fh:
                    archive.writestr(name, fh.read())
        for language in content_languages():
            links = Links(slug, language, offline=True)
            keys: list[str | None] = [None, *(s["key"] for s in version.content["sections"])]
            for key in keys:
                html = page_html(
                    report, version, language, links, key=key,
                    css_url="../reports.css", js_url="../read.js",
                )  # fmt: skip
                archive.writestr(f"{language}/{key or 'index'}.html", html)
            for figure in version.content.get("figures", []):
                if figure["key"] not in rendering.figure_places(version.content):
                    continue
                data = _figure(version, figure["key"], language)
                if data.image:
                    name = f"{language}/{figure['key']}{data.image['ext']}"
                    archive.writestr(name, rendering.image_bytes(data.image))
                    continue
                for fmt in ("csv", "xlsx"):
                    response = exports.table_download(figure["key"], data.columns, data.rows, fmt)
                    archive.writestr(f"{language}/{figure['key']}.{fmt}", response.content)
            built = ReportPdf.objects.filter(version=version, language=language).first()
            if built is not None and built.file:
                with built.file.open("rb") as fh:
                    archive.writestr(f"{language}/report-{language}.pdf", fh.read())
        archive.writestr(
            "index.html",
            '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" '
            'content="0; url=en/index.html"><a href="en/index.html">English</a>',
        )
    return out.getvalue()


def read_archive(request: HttpRequest, slug: str) -> HttpResponse:
    report, version = published_report(slug)
    key = f"reports:archive:{report_token(report.review_id)}:{slug}"
    data = cache.get(key)
    if data is None:
        data = offline_archive(report, version)
        cache.set(key, data, 3600)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="report-{slug}.zip"'
    return response


urlpatterns = [
    path("read/archive.zip", read_archive, name="read_archive"),
    path("read/<str:language>/", read_home, name="read_home"),
    path("read/<str:language>/pdf/", read_pdf, name="read_pdf"),
    path("read/<str:language>/figures/<slug:key>.<str:fmt>", read_figure, name="read_figure"),
    path("read/<str:language>/<slug:key>/", read_section, name="read_section"),
]
