"""The open data of an adopted plan: the whole plan and its progress as the
public reads it, in CSV (one row per indicator and accepted report, streamed)
and JSON (the plan, its measures, their indicators and reports, nested),
with each measure's current public assessments (the government's own and
the independent ones).

The schema is stable: ``SCHEMA`` names its version, and columns are only ever
added at the end under a new version, never renamed or reordered. What each
column holds is ``COLUMNS`` (shown on the tracker's open-data page too)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from parasat.actionplan import selectors
from parasat.actionplan.models import Indicator, Measure, MeasureAssessment, Plan
from parasat.actionplan.tracker import public_assessments, public_reports

# 2: the current public assessments of each measure (the government's and the
# independent ones) added at the end.
SCHEMA = "parasat-actionplan/2"
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

COLUMNS: list[tuple[str, Any]] = [
    ("plan_version", gettext_lazy("The adopted version of the plan the row belongs to.")),
    ("act_number", gettext_lazy("Number of the act that adopted that version.")),
    ("act_date", gettext_lazy("Date of that act (YYYY-MM-DD).")),
    ("measure", gettext_lazy("The measure's number, e.g. 3 or 3.2 (a part of measure 3).")),
    ("parent", gettext_lazy("The number of the measure it is part of; empty for a measure.")),
    ("title_en", gettext_lazy("The measure in English.")),
    ("title_ru", gettext_lazy("The measure in Russian.")),
    ("title_kk", gettext_lazy("The measure in Kazakh.")),
    ("area", gettext_lazy("Code of the policy area.")),
    ("responsible", gettext_lazy("Code of the responsible agency.")),
    ("responsible_name", gettext_lazy("The responsible agency's name in English.")),
    ("partners", gettext_lazy("Codes of the partner agencies, separated by ';'.")),
    ("recommendations", gettext_lazy("Codes of the recommendations answered, separated by ';'.")),
    ("start", gettext_lazy("Start date (YYYY-MM-DD).")),
    ("due", gettext_lazy("Due date (YYYY-MM-DD).")),
    ("budget", gettext_lazy("Budget, a decimal number with a point; empty when none.")),
    ("currency", gettext_lazy("Currency of the budget (ISO 4217).")),
    ("budget_source", gettext_lazy("state, local, donor, own or none.")),
    ("weight", gettext_lazy("Weight of a part in its measure's progress.")),
    ("completion", gettext_lazy("not_started, limited, substantial, complete or withdrawn.")),
    ("progress", gettext_lazy("Progress in per cent (0–100), from the accepted values.")),
    ("schedule", gettext_lazy("on_track, at_risk or overdue on the day of the download.")),
    ("indicator", gettext_lazy("The indicator's number within its measure.")),
    ("indicator_en", gettext_lazy("The indicator in English.")),
    ("unit", gettext_lazy("percent, count, days, kzt, yes_no or score.")),
    ("baseline", gettext_lazy("The value at the start.")),
    ("target", gettext_lazy("The value to reach.")),
    ("frequency", gettext_lazy("monthly, quarterly, half_yearly or yearly.")),
    ("period_end", gettext_lazy("Last day of the period reported on; empty when none yet.")),
    ("value", gettext_lazy("The accepted value for that period.")),
    ("accepted_at", gettext_lazy("When the co-ordinator accepted it (UTC, ISO 8601).")),
    (
        "assessment_government",
        gettext_lazy(
            "The government's own current assessment of the measure (a completion level)."
        ),
    ),
    (
        "assessment_team",
        gettext_lazy("The analytical team's current independent assessment (a completion level)."),
    ),
    (
        "assessment_civil_society",
        gettext_lazy("Civil society's current independent assessment (a completion level)."),
    ),
]
SOURCES = [s.value for s in MeasureAssessment.Source]
HEADER = [name for name, _help in COLUMNS]


def _d(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _measures(plan: Plan) -> list[Measure]:
    """The plan's measures in order with only what the open data shows: their
    parent's number, partners' and recommendations' codes as plain lists
    (three queries, no model built for a partner or a recommendation)."""
    rows = list(
        Measure.objects.filter(plan=plan)
        .select_related("responsible", "area")
        .only(
            "code",
            "parent_id",
            "title",
            "start_on",
            "due_on",
            "budget",
            "budget_currency",
            "budget_source",
            "weight",
            "completion",
            "progress",
            "withdrawn_at",
            "responsible__code",
            "responsible__name",
            "area__code",
        )
    )
    codes = {m.pk: m.code for m in rows}
    partners: dict[int, list[str]] = defaultdict(list)
    for measure_id, code in Measure.partners.through.objects.filter(measure__plan=plan).values_list(
        "measure_id", "organisation__code"
    ):
        partners[measure_id].append(code)
    recommendations: dict[int, list[str]] = defaultdict(list)
    for measure_id, code in Measure.recommendations.through.objects.filter(
        measure__plan=plan
    ).values_list("measure_id", "recommendation__code"):
        recommendations[measure_id].append(code)
    for m in rows:
        m.parent_code = codes.get(m.parent_id, "") if m.parent_id else ""
        m.partner_codes = sorted(partners[m.pk])
        m.recommendation_codes = sorted(recommendations[m.pk])
    return sorted(rows, key=selectors.code_key)


def _measure_cells(plan: Plan, m: Measure, today: dt.date) -> list[str]:
    return [
        str(plan.version),
        plan.act_number,
        _date(plan.act_date),
        m.code,
        m.parent_code,
        m.title.get("en"),
        m.title.get("ru"),
        m.title.get("kk"),
        m.area.code if m.area else "",
        m.responsible.code,
        m.responsible.name.get("en"),
        ";".join(m.partner_codes),
        ";".join(m.recommendation_codes),
        _date(m.start_on),
        _date(m.due_on),
        _d(m.budget),
        m.budget_currency,
        m.budget_source,
        str(m.weight),
        m.completion,
        str(m.progress),
        selectors.schedule(m, today) or "",
    ]


def _assessments(plan: Plan) -> dict[int, dict[str, MeasureAssessment]]:
    """measure id → source → its current public assessment; one query."""
    found: dict[int, dict[str, MeasureAssessment]] = defaultdict(dict)
    for a in public_assessments(plan.review_id).order_by("given_at", "pk"):
        found[a.measure_id][a.source] = a
    return found


class _Echo:
    def write(self, value: str) -> str:
        return value


# Lines sent at once: a server passes each piece of a streamed response on by
# itself, and 24,000 pieces of one line each cost more than the lines.
LINES_PER_CHUNK = 500


def csv_rows(plan: Plan, today: dt.date) -> Iterator[str]:
    """The CSV in pieces of some hundred lines, the header first."""
    chunk: list[str] = []
    for line in _csv_lines(plan, today):
        chunk.append(line)
        if len(chunk) >= LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _csv_lines(plan: Plan, today: dt.date) -> Iterator[str]:
    """The CSV, line by line: a measure with no indicator gets one row, an
    indicator with no accepted report one row with the period empty."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    measures = _measures(plan)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for i in Indicator.objects.filter(measure__plan=plan).order_by("measure_id", "number"):
        indicators[i.measure_id].append(i)
    reports: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = (
        public_reports(plan.review_id)
        .order_by("indicator_id", "period_end")
        .values_list("indicator_id", "period_end", "value", "decided_at")
    )
    for indicator_id, period_end, value, decided_at in rows.iterator(chunk_size=5000):
        reports[indicator_id].append((period_end, value, decided_at))
    assessed = _assessments(plan)
    for m in measures:
        cells = [str(c) for c in _measure_cells(plan, m, today)]
        mine = assessed.get(m.pk, {})
        levels = [mine[s].level if s in mine else "" for s in SOURCES]
        if not indicators[m.pk]:
            yield writer.writerow([*cells, *[""] * 9, *levels])
        for i in indicators[m.pk]:
            ind = [
                str(i.number),
                str(i.name.get("en")),
                str(i.unit),
                _d(i.baseline),
                _d(i.target),
                str(i.frequency),
            ]
            if not reports[i.pk]:
                yield writer.writerow([*cells, *ind, "", "", "", *levels])
            for period_end, value, decided_at in reports[i.pk]:
                yield writer.writerow(
                    [
                        *cells,
                        *ind,
                        _date(period_end),
                        _d(value),
                        decided_at.isoformat() if decided_at else "",
                        *levels,
                    ]
                )


def as_json(plan: Plan, today: dt.date) -> dict[str, Any]:
    """The same data nested: plan → measures → indicators → reports."""
    reports: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for indicator_id, period_end, value, decided_at in (
        public_reports(plan.review_id)
        .order_by("indicator_id", "period_end")
        .values_list("indicator_id", "period_end", "value", "decided_at")
    ):
        reports[indicator_id].append(
            {
                "period_end": _date(period_end),
                "value": _d(value),
                "accepted_at": decided_at.isoformat() if decided_at else None,
            }
        )
    indicators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in Indicator.objects.filter(measure__plan=plan).order_by("measure_id", "number"):
        indicators[i.measure_id].append(
            {
                "number": i.number,
                "name": {k: i.name.get(k) for k in ("en", "ru", "kk")},
                "unit": i.unit,
                "baseline": _d(i.baseline),
                "target": _d(i.target),
                "minimum": _d(i.minimum) or None,
                "maximum": _d(i.maximum) or None,
                "frequency": i.frequency,
                "withdrawn": i.withdrawn_at is not None,
                "reports": reports[i.pk],
            }
        )
    assessed = _assessments(plan)
    measures = []
    for m in _measures(plan):
        cells = dict(zip(HEADER, _measure_cells(plan, m, today), strict=False))
        measures.append(
            {
                "measure": m.code,
                "parent": m.parent_code or None,
                "title": {k: m.title.get(k) for k in ("en", "ru", "kk")},
                "area": cells["area"] or None,
                "responsible": m.responsible.code,
                "partners": cells["partners"].split(";") if cells["partners"] else [],
                "recommendations": cells["recommendations"].split(";")
                if cells["recommendations"]
                else [],
                "start": cells["start"],
                "due": cells["due"],
                "budget": cells["budget"] or None,
                "currency": m.budget_currency,
                "budget_source": m.budget_source or None,
                "weight": m.weight,
                "completion": m.completion,
                "progress": m.progress,
                "schedule": cells["schedule"] or None,
                "indicators": indicators[m.pk],
                "assessments": [
                    {
                        "source": a.source,
                        "level": a.level,
                        "text": a.text,
                        "given_at": a.given_at.isoformat(),
                    }
                    for a in sorted(
                        assessed.get(m.pk, {}).values(), key=lambda a: SOURCES.index(a.source)
                    )
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated": today.isoformat(),
        "plan": {
            "review": plan.review.slug,
            "title": {k: plan.title.get(k) for k in ("en", "ru", "kk")},
            "version": plan.version,
            "act_number": plan.act_number,
            "act_date": _date(plan.act_date),
            "illustrative": plan.illustrative,
        },
        "measures": measures,
    }
