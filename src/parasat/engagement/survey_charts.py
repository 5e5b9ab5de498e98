"""A survey question's chart: the share of respondents giving each answer (or
each bin of numbers), one bar per option, and with a breakdown one bar per
group beside each other. Drawn on the server as SVG from a Vega-Lite
specification (:mod:`parasat.core.lib.charts`); the page puts a table of the
same data beside it."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from parasat.core.lib.charts import drawn_svgs, spec_key, vegalite_svg
from parasat.engagement.selectors_surveys import Group, QuestionResult, Results

BAR_COLOUR = "#2a6f97"
# How long a chart's specification waits for the page's request to draw it.
PENDING_SECONDS = 3600
GROUP_COLOURS = ["#2a6f97", "#c0621b", "#4d7c0f", "#7c3aed", "#be123c", "#0f766e", "#a16207"]


def question_spec(result: QuestionResult, groups: list[Group]) -> dict[str, Any] | None:
    if not result.counted or not result.rows or not result.answered:
        return None
    labels = [row.label for row in result.rows]
    share = _("Share of respondents (per cent)")
    values: list[dict[str, Any]] = []
    encoding: dict[str, Any] = {
        "y": {
            "field": "answer",
            "type": "nominal",
            "title": None,
            "sort": labels,
            "scale": {"domain": labels},
            "axis": {"labelLimit": 220},
        },
        "x": {
            "field": "percent",
            "type": "quantitative",
            "title": share,
            "scale": {"domain": [0, 100]},
        },
    }
    if groups:
        names = [g.label for g in groups]
        for row in result.rows:
            for group, cell in zip(groups, row.cells, strict=True):
                values.append(
                    {"answer": row.label, "group": group.label, "percent": cell.percent or 0}
                )
        encoding["yOffset"] = {"field": "group", "type": "nominal", "scale": {"domain": names}}
        encoding["color"] = {
            "field": "group",
            "type": "nominal",
            "title": None,
            "scale": {"domain": names, "range": GROUP_COLOURS[: len(names)] or [BAR_COLOUR]},
            "legend": {"orient": "top"},
        }
    else:
        values = [{"answer": row.label, "percent": row.percent or 0} for row in result.rows]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": _("Share of the respondents giving each answer to %(question)s.")
        % {"question": result.question.code or result.question.name},
        "width": 320,
        "height": {"step": 14 if groups else 22},
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": encoding,
        "config": {"font": "sans-serif", "view": {"stroke": "#ddd"}},
    }


def question_svg(result: QuestionResult, groups: list[Group]) -> str:
    spec = question_spec(result, groups)
    return vegalite_svg(spec) if spec else ""


def pending_key(survey_id: int, key: str) -> str:
    return f"engagement:survey-chart:{survey_id}:{key}"


def page_charts(results: Results) -> None:
    """The charts of the results page: those drawn before (by the import job,
    or an earlier view of the same results, breakdown and language) put in
    ``svg``, read from the cache at once; the others are not drawn here
    (about 40 charts take the renderer seconds) but their specifications kept
    for a little while under ``chart_key``, each drawn by its own request
    that the page makes once shown (:func:`pending_spec`)."""
    specs = {r.question.pk: question_spec(r, results.groups) for r in results.questions}
    drawn = drawn_svgs([s for s in specs.values() if s])
    pending: dict[str, dict[str, Any]] = {}
    for result in results.questions:
        spec = specs[result.question.pk]
        if spec is None:
            continue
        key = spec_key(spec)
        if key in drawn:
            result.svg = drawn[key]
        else:
            result.chart_key = key
            pending[pending_key(results.survey.pk, key)] = spec
    if pending:
        cache.set_many(pending, PENDING_SECONDS)


def pending_spec(survey_id: int, key: str) -> dict[str, Any] | None:
    """A chart's specification the results page left to be drawn, if it is still kept."""
    return cache.get(pending_key(survey_id, key))
