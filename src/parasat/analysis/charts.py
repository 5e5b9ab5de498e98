"""The overview's chart: every area's rating on the review's first scale, the
analytical team's beside the government's, drawn on the server as SVG from a
Vega-Lite specification (:mod:`parasat.core.lib.charts`). The page puts a
table of the same data beside it; the reports reuse both."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from parasat.analysis.selectors import Overview
from parasat.core.lib.charts import vegalite_svg

TEAM_COLOUR = "#2a6f97"
GOVERNMENT_COLOUR = "#c0621b"


def ratings_spec(overview: Overview) -> dict[str, Any] | None:
    """The chart's specification in the active language, or None when the
    review uses no scale yet."""
    scale = overview.primary
    if scale is None or not overview.rows:
        return None
    rows = []
    for row in overview.rows:
        pair = row.pairs[0]
        rows.append(
            (
                f"{row.area.code} · {row.area.name}",
                str(pair.team.level.name) if pair.team is not None else "",
                str(pair.government.level.name) if pair.government is not None else "",
            )
        )
    return chart_spec(
        rows=rows,
        levels=[str(level.name) for level in scale.levels.all()],
        team=_("Analytical team"),
        government=_("Government"),
        axis_title=str(scale.name),
        description=_(
            "Ratings of the policy areas on the scale %(scale)s: "
            "the analytical team's and the government's."
        )
        % {"scale": scale.name},
    )


def chart_spec(
    *,
    rows: list[tuple[str, str, str]],
    levels: list[str],
    team: str,
    government: str,
    description: str,
    axis_title: str | None = None,
    font: str = "sans-serif",
) -> dict[str, Any]:
    """The ratings chart from its rows (area label, the team's level, the
    government's level; "" where there is none): one definition for the
    analysis pages and the report (web and PDF), so the two cannot drift."""
    areas = [label for label, _team, _government in rows]
    values = []
    for label, ours, theirs in rows:
        if ours:
            values.append({"area": label, "level": ours, "who": team})
        if theirs:
            values.append({"area": label, "level": theirs, "who": government})
    who = {"domain": [team, government]}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": description,
        "width": 320,
        "height": {"step": 24},
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 120, "opacity": 1},
        "encoding": {
            "y": {
                "field": "area",
                "type": "nominal",
                "title": None,
                "sort": areas,
                "scale": {"domain": areas},
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "level",
                "type": "ordinal",
                "title": axis_title,
                "sort": levels,
                "scale": {"domain": levels},
                "axis": {"labelAngle": 0, "labelLimit": 90},
            },
            "yOffset": {"field": "who", "type": "nominal", "scale": who},
            "color": {
                "field": "who",
                "type": "nominal",
                "title": None,
                "scale": {**who, "range": [TEAM_COLOUR, GOVERNMENT_COLOUR]},
                "legend": {"orient": "top"},
            },
            "shape": {
                "field": "who",
                "type": "nominal",
                "scale": {**who, "range": ["circle", "diamond"]},
            },
        },
        "config": {"font": font, "view": {"stroke": "#ddd"}},
    }


def ratings_svg(overview: Overview) -> str:
    """The chart as SVG ("" when there is nothing to draw)."""
    spec = ratings_spec(overview)
    return vegalite_svg(spec) if spec else ""
