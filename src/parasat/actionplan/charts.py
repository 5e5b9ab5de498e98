"""A measure's progress over time on the public tracker: each indicator's
accepted values by period, as a share of the way from its baseline to its
target, drawn on the server as SVG (:mod:`parasat.core.lib.charts`). The page
puts a table of the same values beside it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from parasat.actionplan.tracker import IndicatorHistory
from parasat.core.lib.charts import vegalite_svg


def progress_spec(history: list[IndicatorHistory]) -> dict[str, Any] | None:
    values = []
    for row in history:
        ind = row.indicator
        span = ind.target - ind.baseline
        label = f"{ind.number}. {ind.name}"[:60]
        for r in row.reports:
            if r.value is None:
                continue
            share = max(0.0, min(1.0, float((r.value - ind.baseline) / span)))
            values.append(
                {
                    "period": r.period_end.isoformat(),
                    "progress": round(share * 100),
                    "indicator": label,
                }
            )
    if not values:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": _("Progress of each indicator from its baseline to its target, by period."),
        "width": 300,
        "height": 180,
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "title": _("Period ending")},
            "y": {
                "field": "progress",
                "type": "quantitative",
                "title": _("Progress (%)"),
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "indicator",
                "type": "nominal",
                "title": None,
                "legend": {"orient": "bottom"},
            },
        },
        "config": {"font": "sans-serif", "view": {"stroke": "#ddd"}},
    }


def progress_svg(history: list[IndicatorHistory]) -> str:
    spec = progress_spec(history)
    return vegalite_svg(spec) if spec else ""
