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
    levels = [str(level.name) for level in scale.levels.all()]
    team, government = _("Analytical team"), _("Government")
    areas = [f"{row.area.code} · {row.area.name}" for row in overview.rows]
    values = []
    for label, row in zip(areas, overview.rows, strict=True):
        pair = row.pairs[0]
        if pair.team is not None:
            values.append({"area": label, "level": str(pair.team.level.name), "who": team})
        if pair.government is not None:
            values.append(
                {"area": label, "level": str(pair.government.level.name), "who": government}
            )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": _(
            "Ratings of the policy areas on the scale %(scale)s: "
            "the analytical team's and the government's."
        )
        % {"scale": scale.name},
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
                "title": str(scale.name),
                "sort": levels,
                "scale": {"domain": levels},
                "axis": {"labelAngle": 0, "labelLimit": 90},
            },
            "yOffset": {"field": "who", "type": "nominal", "scale": {"domain": [team, government]}},
            "color": {
                "field": "who",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [team, government], "range": [TEAM_COLOUR, GOVERNMENT_COLOUR]},
                "legend": {"orient": "top"},
            },
            "shape": {
                "field": "who",
                "type": "nominal",
                "scale": {"domain": [team, government], "range": ["circle", "diamond"]},
            },
        },
        "config": {"font": "sans-serif", "view": {"stroke": "#ddd"}},
    }


def ratings_svg(overview: Overview) -> str:
    """The chart as SVG ("" when there is nothing to draw)."""
    spec = ratings_spec(overview)
    return vegalite_svg(spec) if spec else ""
