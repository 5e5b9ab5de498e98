"""Reads of reports, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q

from parasat.core.lib.translated import Status, TranslatedText, content_languages
from parasat.jobs.models import Job
from parasat.reports.access import ReportReader, readable_versions
from parasat.reports.markdown import plain_text
from parasat.reports.models import Paragraph, Report, ReportComment, ReportPdf, ReportVersion
from parasat.reports.rendering import find_section
from parasat.toolkit.models import Instrument


@dataclass
class WorkingSection:
    key: str
    kind: str
    title: str
    area_code: str
    paragraphs: int
    missing: dict[str, int]
    stale: dict[str, int]


def working_sections(report: Report, language: str) -> list[WorkingSection]:
    """The working text's sections with their translation marks (two queries)."""
    sections = report.sections.select_related("area").prefetch_related(
        Prefetch("paragraphs", Paragraph.objects.only("section_id", "text").order_by("order"))
    )
    result = []
    for section in sections:
        texts = [TranslatedText.from_json(p.text) for p in section.paragraphs.all()]
        result.append(
            WorkingSection(
                key=section.key,
                kind=section.kind,
                title=TranslatedText.from_json(section.title).render(language).text,
                area_code=section.area.code if section.area else "",
                paragraphs=len(texts),
                missing={
                    lang: sum(t.status(lang) == Status.MISSING for t in texts)
                    for lang in ("kk", "ru")
                },
                stale={
                    lang: sum(t.status(lang) == Status.STALE for t in texts)
                    for lang in ("kk", "ru")
                },
            )
        )
    return result


def current_version(report: Report) -> ReportVersion | None:
    return report.versions.defer("content").filter(stage=report.stage).first()


def versions_with_counts(reader: ReportReader) -> list[ReportVersion]:
    """The versions the reader may read, each with its comments counted."""
    readable = {v.pk for v in readable_versions(reader)}
    if not readable:
        return []
    return list(
        ReportVersion.objects.filter(pk__in=readable)
        .defer("content")
        .annotate(
            comment_count=Count("comments"),
            open_count=Count("comments", filter=Q(comments__response="")),
        )
        .order_by("number")
    )


def comments(version: ReportVersion, *, section_key: str) -> list[ReportComment]:
    return list(
        version.comments.filter(section_key=section_key).select_related("author", "responded_by")
    )


def _excerpt(markdown: str, size: int = 70) -> str:
    words = plain_text(markdown) or markdown
    return words if len(words) <= size else words[: size - 1].rstrip() + "…"


def paragraph_choices(section: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """The paragraphs of a version's section as choices: "¶ 3 — first words…"."""
    return [
        (
            p["id"],
            f"¶ {n} — {_excerpt(TranslatedText.from_json(p['text']).render(language).text)}",
        )
        for n, p in enumerate(section["paragraphs"], start=1)
    ]


@dataclass
class MatrixRow:
    comment: ReportComment
    section: str
    paragraph: int
    excerpt: str


def matrix(version: ReportVersion, language: str) -> list[MatrixRow]:
    """Every comment on a version with its response, in the order of the text."""
    places: dict[str, tuple[int, int, str, str]] = {}
    for s_index, section in enumerate(version.content.get("sections", [])):
        title = TranslatedText.from_json(section["title"]).render(language).text
        for p_index, paragraph in enumerate(section["paragraphs"], start=1):
            text = TranslatedText.from_json(paragraph["text"]).render(language).text
            places[paragraph["id"]] = (s_index, p_index, title, _excerpt(text))
    rows = []
    for item in version.comments.select_related("author", "responded_by"):
        s_index, p_index, title, excerpt = places.get(item.pid, (999, 0, item.section_key, ""))
        rows.append((s_index, p_index, MatrixRow(item, title, p_index, excerpt)))
    rows.sort(key=lambda r: (r[0], r[1], r[2].comment.created_at))
    return [r[2] for r in rows]


def section_of(version: ReportVersion, key: str) -> dict[str, Any] | None:
    return find_section(version.content, key)


def bibliography_codes() -> set[str]:
    return set(Instrument.objects.values_list("code", flat=True))


def bibliography(language: str) -> list[tuple[str, str]]:
    """The works a report may cite (the toolkit's international standards):
    (code, name in ``language``), one query."""
    return [
        (i.code, TranslatedText.from_json(i.name).render(language).text)
        for i in Instrument.objects.only("code", "name").order_by("code")
    ]


@dataclass
class PdfBuild:
    """Where the PDF of a version in one language stands: built (and kept
    until the text changes), being built (with the job's progress), or not."""

    language: str
    pdf: ReportPdf | None
    job: Job | None


def pdf_builds(version: ReportVersion) -> list[PdfBuild]:
    """One row per content language (two queries)."""
    from parasat.reports.jobs import pdf_jobs

    built = {
        p.language: p
        for p in ReportPdf.objects.filter(version=version, digest=version.digest).defer("digest")
    }
    latest: dict[str, Job] = {}
    for job in pdf_jobs(version):
        latest.setdefault(job.params.get("language", ""), job)
    return [
        PdfBuild(language, built.get(language), latest.get(language))
        for language in content_languages()
    ]


def images(report: Report, language: str) -> list[tuple[str, str, str]]:
    """The report's uploaded images: (key, title, text alternative), one query."""
    return [
        (
            f.key,
            TranslatedText.from_json(f.title).render(language).text,
            TranslatedText.from_json(f.alt).render(language).text,
        )
        for f in report.figures.order_by("key")
        if (f.data or {}).get("image")
    ]
