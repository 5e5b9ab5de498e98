"""A version's content (or the working text's snapshot) as HTML in one
language: chapter numbers, cross-reference targets, figures with their data,
each section's Markdown. The same code serves the editor's preview, the read
edition, the offline copy and the PDF; only the addresses differ."""

from __future__ import annotations

import base64
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from parasat.analysis.charts import chart_spec
from parasat.core.lib.charts import vegalite_svg
from parasat.core.lib.translated import SOURCE_LANGUAGE, Status, TranslatedText
from parasat.reports.markdown import FIGURE, Rendered, Target, Targets, render

NUMBERED = ("methodology", "chapter")
_FIGURE_LINE = re.compile(FIGURE.pattern, re.MULTILINE)

# ``url_for(section_key)`` → the address of a section's page (or "" for one page).
UrlFor = Callable[[str], str]


def numbers(content: dict[str, Any]) -> dict[str, str]:
    """Methodology and chapters 1, 2, …; annexes A, B, …; the rest unnumbered."""
    result: dict[str, str] = {}
    chapter = annex = 0
    for section in content.get("sections", []):
        if section["kind"] in NUMBERED:
            chapter += 1
            result[section["key"]] = str(chapter)
        elif section["kind"] == "annex":
            result[section["key"]] = string.ascii_uppercase[annex % 26]
            annex += 1
    return result


def text(value: Any, language: str) -> str:
    return TranslatedText.from_json(value).render(language).text


def section_label(section: dict[str, Any], number: str | None, language: str) -> str:
    title = text(section["title"], language)
    if not number:
        return title
    if section["kind"] == "annex":
        return _("Annex %(number)s. %(title)s") % {"number": number, "title": title}
    return f"{number}. {title}"


def figure_places(content: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """figure key → (section key, its number in the report), in reading order."""
    places: dict[str, tuple[str, int]] = {}
    for section in content.get("sections", []):
        for paragraph in section["paragraphs"]:
            for match in _FIGURE_LINE.finditer(paragraph["text"].get("en", "")):
                key = match.group(1)
                if key not in places:
                    places[key] = (section["key"], len(places) + 1)
    return places


def targets(content: dict[str, Any], language: str, url_for: UrlFor) -> Targets:
    found = Targets()
    nums = numbers(content)
    for section in content.get("sections", []):
        key = section["key"]
        url = url_for(key)
        found.sections[key] = Target(
            section_label(section, nums.get(key), language), url + f"#{key}"
        )
        for paragraph in section["paragraphs"]:
            found.paragraphs[paragraph["id"]] = Target("¶", f"{url}#{paragraph['id']}")
            anchor = paragraph.get("anchor", "")
            if anchor.startswith("rec-"):
                found.recommendations[anchor[4:]] = Target(anchor[4:], f"{url}#{paragraph['id']}")
            elif anchor.startswith("ref-"):
                found.citations[anchor[4:]] = Target(anchor[4:], f"{url}#{paragraph['id']}")
    for key, (section_key, number) in figure_places(content).items():
        found.figures[key] = Target(
            _("Figure %(number)s") % {"number": number}, f"{url_for(section_key)}#fig-{key}"
        )
    return found


@dataclass
class FigureData:
    """A figure's data as a table in one language: column headings and rows."""

    key: str
    number: int
    title: str
    alt: str
    columns: list[str]
    rows: list[list[str]]
    spec: dict[str, Any] = field(default_factory=dict)
    # An uploaded image instead of a chart: {"file": storage name, "type", "ext"}.
    image: dict[str, str] = field(default_factory=dict)


def figure_data(figure: dict[str, Any], number: int, language: str) -> FigureData:
    data = figure.get("data") or {}
    if data.get("image"):
        return FigureData(
            key=figure["key"],
            number=number,
            title=text(figure["title"], language),
            alt=text(figure["alt"], language),
            columns=[],
            rows=[],
            image=data["image"],
        )
    if data.get("chart") == "findings":
        return _findings_data(figure, number, language)
    with translation.override(language):
        columns = [_("Code"), _("Policy area"), _("Analytical team"), _("Government")]
        rows = [
            [row[0], text(row[1], language), text(row[2], language), text(row[3], language)]
            for row in data.get("rows", [])
        ]
        levels = [text(level, language) for level in data.get("levels", [])]
        result = FigureData(
            key=figure["key"],
            number=number,
            title=text(figure["title"], language),
            alt=text(figure["alt"], language),
            columns=columns,
            rows=rows,
        )
        scale = text(data["scale"], language) if data.get("scale") else None
        result.spec = _ratings_spec(result, levels, scale)
    return result


def _findings_data(figure: dict[str, Any], number: int, language: str) -> FigureData:
    with translation.override(language):
        kinds = [_("Strengths"), _("Weaknesses"), _("Gaps")]
        rows = [
            [row[0], text(row[1], language), *(str(n) for n in row[2:5])]
            for row in (figure.get("data") or {}).get("rows", [])
        ]
        result = FigureData(
            key=figure["key"],
            number=number,
            title=text(figure["title"], language),
            alt=text(figure["alt"], language),
            columns=[_("Code"), _("Policy area"), *kinds],
            rows=rows,
        )
    values = [
        {"area": f"{row[0]} · {row[1]}", "kind": kind, "count": int(row[2 + i])}
        for row in rows
        for i, kind in enumerate(kinds)
    ]
    result.spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": result.alt,
        "width": 300,
        "height": {"step": 24},
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "area", "type": "nominal", "title": None,
                  "sort": [f"{r[0]} · {r[1]}" for r in rows], "axis": {"labelLimit": 220}},
            "x": {"field": "count", "type": "quantitative", "title": None, "stack": True,
                  "axis": {"tickMinStep": 1}},
            "color": {"field": "kind", "type": "nominal", "title": None,
                      "scale": {"domain": kinds, "range": ["#2a6f97", "#c0621b", "#7a7a7a"]},
                      "legend": {"orient": "top"}},
        },
        "config": {"font": "DejaVu Sans, sans-serif", "view": {"stroke": "#ddd"}},
    }  # fmt: skip
    return result


def _ratings_spec(figure: FigureData, levels: list[str], scale: str | None) -> dict[str, Any]:
    # The analysis pages' own chart definition, from the version's frozen data.
    return chart_spec(
        rows=[(f"{code} · {name}", ours, theirs) for code, name, ours, theirs in figure.rows],
        levels=levels,
        team=figure.columns[2],
        government=figure.columns[3],
        description=figure.alt,
        axis_title=scale,
        font="DejaVu Sans, sans-serif",
    )


def figure_html(
    figure: FigureData, downloads: Callable[[str, str], str] | None, *, draw: bool = True
) -> str:
    """The figure: its number and title, the chart as SVG with its text
    alternative, the data as a table and (on the web) the data to download.
    An uploaded image is shown from ``downloads(key, its extension)``, or
    inline where there is no address (the PDF, the editor's preview)."""
    if figure.image:
        ext = figure.image["ext"].lstrip(".")
        src = (
            downloads(figure.key, ext)
            if downloads
            else (image_data_uri(figure.image) if draw else "")
        )
        return render_to_string("reports/_image.html", {"figure": figure, "src": src})
    svg = vegalite_svg(figure.spec) if figure.rows and draw else ""
    return render_to_string(
        "reports/_figure.html",
        {
            "figure": figure,
            "svg": svg,
            "csv_url": downloads(figure.key, "csv") if downloads else "",
            "xlsx_url": downloads(figure.key, "xlsx") if downloads else "",
        },
    )


def image_bytes(image: dict[str, str]) -> bytes:
    with default_storage.open(image["file"], "rb") as fh:
        return fh.read()


def image_data_uri(image: dict[str, str]) -> str:
    try:
        data = image_bytes(image)
    except OSError:
        return ""
    return f"data:{image['type']};base64,{base64.b64encode(data).decode('ascii')}"


class _Figures(Mapping[str, str]):
    """figure key → its HTML, for the figures placed in the text; each drawn
    when a section first shows it, so a page of one section draws only its
    own figures, not every chart of the report."""

    def __init__(
        self,
        content: dict[str, Any],
        language: str,
        downloads: Callable[[str, str], str] | None,
        draw: bool,
    ) -> None:
        places = figure_places(content)
        self._figures = {
            f["key"]: (f, places[f["key"]][1])
            for f in content.get("figures", [])
            if f["key"] in places
        }
        self._language, self._downloads, self._draw = language, downloads, draw
        self._html: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self._html:
            figure, number = self._figures[key]
            data = figure_data(figure, number, self._language)
            self._html[key] = figure_html(data, self._downloads, draw=self._draw)
        return self._html[key]

    def __contains__(self, key: object) -> bool:
        return key in self._figures

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


@dataclass
class SectionView:
    key: str
    kind: str
    number: str
    title: str
    label: str
    html: str
    problems: list[str]
    missing: int = 0
    stale: int = 0


def paragraphs_in(section: dict[str, Any], language: str) -> list[tuple[str, str]]:
    return [(p["id"], text(p["text"], language)) for p in section["paragraphs"]]


def translation_marks(section: dict[str, Any], language: str) -> tuple[int, int]:
    """How many paragraphs are missing, and how many stale, in ``language``."""
    if language == SOURCE_LANGUAGE:
        return 0, 0
    statuses = [TranslatedText.from_json(p["text"]).status(language) for p in section["paragraphs"]]
    return statuses.count(Status.MISSING), statuses.count(Status.STALE)


def render_sections(
    content: dict[str, Any],
    language: str,
    url_for: UrlFor,
    *,
    only: str | None = None,
    downloads: Callable[[str, str], str] | None = None,
    permalinks: bool = False,
    draw: bool = True,
) -> list[SectionView]:
    """The sections of ``content`` (or just ``only``) in ``language``."""
    with translation.override(language):
        nums = numbers(content)
        found = targets(content, language, url_for)
        figures = _Figures(content, language, downloads, draw)
        views = []
        for section in content.get("sections", []):
            if only is not None and section["key"] != only:
                continue
            number = nums.get(section["key"], "")
            rendered: Rendered = render(
                paragraphs_in(section, language),
                targets=found,
                figures=figures,
                doc_id=section["key"],
                number=number if section["kind"] in NUMBERED else None,
                permalinks=permalinks,
            )
            missing, stale = translation_marks(section, language)
            views.append(
                SectionView(
                    key=section["key"],
                    kind=section["kind"],
                    number=number,
                    title=text(section["title"], language),
                    label=section_label(section, number, language),
                    html=rendered.html,
                    problems=rendered.problems,
                    missing=missing,
                    stale=stale,
                )
            )
    return views


def problems(content: dict[str, Any]) -> list[str]:
    """Every broken cross reference, figure or footnote of the English text,
    each named with its section."""
    found = []
    for view in render_sections(content, SOURCE_LANGUAGE, lambda key: "", draw=False):
        found += [f"{view.label}: {p}" for p in view.problems]
    return found


def find_section(content: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((s for s in content.get("sections", []) if s["key"] == key), None)
