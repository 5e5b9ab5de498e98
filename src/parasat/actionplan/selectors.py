"""Reading the action plan: the coverage of the recommendations, the plan's
measures as a tree, a version's snapshot and two versions compared, and the
state of a measure against its due date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parasat.actionplan.models import (
    Completion,
    Indicator,
    Measure,
    Plan,
    Position,
    ProgressReport,
    Schedule,
)
from parasat.actionplan.periods import due_date, period_ends
from parasat.analysis.models import AreaAssessment, Recommendation
from parasat.core.lib.diff import word_diff
from parasat.reports.models import Report, ReportVersion, Stage
from parasat.reviews.models import Review

# A measure is at risk when its progress lags the time gone by this much, or
# when less than this many days are left and it is not complete.
AT_RISK_LAG = Decimal("0.25")
AT_RISK_DAYS = 30


def final_report(review: Review) -> ReportVersion | None:
    """The published final report's version (its content deferred), if any."""
    return (
        ReportVersion.objects.defer("content")
        .select_related("report")
        .filter(
            report__review=review,
            report__stage=Stage.FINAL,
            report__state=Report.State.PUBLISHED,
            stage=Stage.FINAL,
        )
        .first()
    )


def final_report_codes(version: ReportVersion) -> list[str]:
    """The codes of the recommendations a final report makes: its paragraphs
    anchored ``rec-CODE``. A version is frozen for ever, so the codes are
    kept in the cache under its key rather than read from its whole text again."""
    key = f"actionplan:final-report-codes:{version.pk}"
    codes = cache.get(key)
    if codes is None:
        content = ReportVersion.objects.filter(pk=version.pk).values_list("content", flat=True)[0]
        codes = [
            p["anchor"][4:]
            for section in content.get("sections", [])
            for p in section.get("paragraphs", [])
            if p.get("anchor", "").startswith("rec-")
        ]
        cache.set(key, codes, None)
    return codes


# "The caller has not read the final report" (None: there is none).
UNREAD: Any = object()


def agreed_recommendations(
    review: Review, final: ReportVersion | None = UNREAD
) -> QuerySet[Recommendation]:
    """The recommendations the plan answers, not withdrawn: once the final
    report is published, those it makes; until then those of the agreed
    assessments (the plan may be drafted while the report is finished).
    ``final``: the review's ``final_report``, where the caller has read it."""
    recommendations = Recommendation.objects.filter(review=review).exclude(
        state=Recommendation.State.WITHDRAWN
    )
    version = final_report(review) if final is UNREAD else final
    if version is not None:
        return recommendations.filter(code__in=final_report_codes(version))
    return recommendations.filter(assessment__state=AreaAssessment.State.AGREED)


@dataclass
class CoverageRow:
    recommendation: Recommendation
    measures: list[Measure]
    position: Position | None

    @property
    def covered(self) -> bool:
        """By a measure, or by a position with its reason."""
        return bool(self.measures) or bool(self.position and self.position.reason)


def coverage(plan: Plan, final: ReportVersion | None = UNREAD) -> list[CoverageRow]:
    """Every agreed recommendation with the measures answering it and the
    government's position on it; three queries whatever the size (and one
    for the final report unless the caller passes it)."""
    recommendations = list(
        agreed_recommendations(plan.review, final)
        .select_related("assessment__area")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(plan=plan, withdrawn_at__isnull=True).order_by(
                    "code"
                ),
                to_attr="plan_measures",
            )
        )
    )
    positions = {p.recommendation_id: p for p in Position.objects.filter(plan=plan)}
    return [CoverageRow(r, r.plan_measures, positions.get(r.pk)) for r in recommendations]


# --- the measures ----------------------------------------------------------------


def measure_rows(plan: Plan, *, with_withdrawn: bool = True) -> list[Measure]:
    """The plan's measures in order, each with its agency, partners,
    recommendations and indicators; a fixed number of queries."""
    qs = (
        Measure.objects.filter(plan=plan)
        .select_related("responsible", "area")
        .prefetch_related(
            "partners",
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("code")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("number")),
        )
    )
    if not with_withdrawn:
        qs = qs.filter(withdrawn_at__isnull=True)
    return sorted(qs, key=code_key)


def code_key(measure: Measure) -> tuple[int, ...]:
    """ "2.10" after "2.9": codes sorted as numbers."""
    return tuple(int(part) for part in measure.code.split(".") if part.isdecimal())


@dataclass
class MeasureNode:
    measure: Measure
    children: list[Measure] = field(default_factory=list)


def tree(measures: list[Measure]) -> list[MeasureNode]:
    """Top-level measures, each with its parts."""
    nodes = {m.pk: MeasureNode(m) for m in measures if m.parent_id is None}
    for m in measures:
        if m.parent_id is not None and m.parent_id in nodes:
            nodes[m.parent_id].children.append(m)
    return list(nodes.values())


def schedule(measure: Measure, today: dt.date | None = None) -> str | None:
    """On track, at risk or overdue against the due date (None: withdrawn)."""
    if measure.withdrawn_at is not None:
        return None
    if measure.completion == Completion.COMPLETE or measure.progress >= 100:
        return Schedule.ON_TRACK
    today = today or timezone.localdate()
    if today > measure.due_on:
        return Schedule.OVERDUE
    if (measure.due_on - today).days <= AT_RISK_DAYS and today >= measure.start_on:
        return Schedule.AT_RISK
    span = (measure.due_on - measure.start_on).days or 1
    elapsed = Decimal(max(0, (today - measure.start_on).days)) / span
    if Decimal(measure.progress) / 100 < elapsed - AT_RISK_LAG:
        return Schedule.AT_RISK
    return Schedule.ON_TRACK


# --- versions --------------------------------------------------------------------


def _d(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as it stands: what a version keeps and what two versions compare."""
    measures = measure_rows(plan)
    return {
        "title": plan.title.to_json(),
        "measures": [
            {
                "code": m.code,
                "title": m.title.source,
                "deliverables": m.deliverables.source,
                "responsible": m.responsible.code,
                "partners": sorted(p.code for p in m.partners.all()),
                "recommendations": [r.code for r in m.recommendations.all()],
                "start_on": m.start_on.isoformat(),
                "due_on": m.due_on.isoformat(),
                "budget": _d(m.budget),
                "budget_currency": m.budget_currency,
                "budget_source": m.budget_source,
                "weight": m.weight,
                "withdrawn": m.withdrawn_at is not None,
                "indicators": [
                    {
                        "number": i.number,
                        "name": i.name.source,
                        "unit": i.unit,
                        "baseline": _d(i.baseline),
                        "target": _d(i.target),
                        "minimum": _d(i.minimum),
                        "maximum": _d(i.maximum),
                        "frequency": i.frequency,
                        "withdrawn": i.withdrawn_at is not None,
                    }
                    for i in m.indicators.all()
                ],
            }
            for m in measures
        ],
    }


@dataclass
class Change:
    code: str
    kind: str  # "added", "removed", "changed"
    fields: list[tuple[str, Any]] = field(default_factory=list)


# The snapshot's fields a comparison shows, with the words of a text diffed.
TEXT_FIELDS = ("title", "deliverables")
PLAIN_FIELDS = (
    "responsible",
    "partners",
    "recommendations",
    "start_on",
    "due_on",
    "budget",
    "budget_currency",
    "budget_source",
    "weight",
    "withdrawn",
)


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed from version ``old`` to ``new``, measure by measure: texts
    word by word, other fields as before → after, indicators likewise."""
    before = {m["code"]: m for m in old.get("measures", [])}
    after = {m["code"]: m for m in new.get("measures", [])}
    changes = []
    for code in sorted(before.keys() | after.keys(), key=lambda c: [int(p) for p in c.split(".")]):
        a, b = before.get(code), after.get(code)
        if a is None:
            changes.append(Change(code, "added", [("title", [(" ", b["title"])])]))
            continue
        if b is None:
            changes.append(Change(code, "removed", [("title", [(" ", a["title"])])]))
            continue
        fields: list[tuple[str, Any]] = []
        for name in TEXT_FIELDS:
            if a.get(name) != b.get(name):
                fields.append((name, word_diff(a.get(name) or "", b.get(name) or "")))
        for name in PLAIN_FIELDS:
            if a.get(name) != b.get(name):
                fields.append((name, (a.get(name), b.get(name))))
        ind_a = {i["number"]: i for i in a.get("indicators", [])}
        ind_b = {i["number"]: i for i in b.get("indicators", [])}
        for number in sorted(ind_a.keys() | ind_b.keys()):
            if ind_a.get(number) != ind_b.get(number):
                fields.append((f"indicator {number}", (ind_a.get(number), ind_b.get(number))))
        if fields:
            changes.append(Change(code, "changed", fields))
    return changes


def agency_counts(measures: list[Measure]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for m in measures:
        counts[m.responsible_id] += 1
    return counts


# --- monitoring ---------------------------------------------------------------------


@dataclass
class DueRow:
    """One indicator's period: its report if any, and whether it is overdue."""

    indicator: Indicator
    period_end: dt.date
    due_on: dt.date
    report: Any  # ProgressReport | None
    overdue: bool

    @property
    def period_key(self) -> str:
        return self.period_end.isoformat()


def due_rows(measures: list[Measure], reports: list[Any], today: dt.date) -> list[DueRow]:
    """The periods of the measures' indicators that have ended by ``today``,
    each with its report (from ``reports``), the latest first."""
    by_key = {(r.indicator_id, r.period_end): r for r in reports}
    rows = []
    for m in measures:
        if m.withdrawn_at or m.frozen_at:
            continue
        for i in m.indicators.all():
            if i.withdrawn_at:
                continue
            for end in period_ends(i.frequency, m.start_on, m.due_on):
                if end > today:
                    break
                report = by_key.get((i.pk, end))
                due = due_date(end)
                done = report is not None and report.status in {"submitted", "accepted"}
                rows.append(DueRow(i, end, due, report, not done and due < today))
    rows.sort(key=lambda r: (r.period_end, r.indicator.measure_id), reverse=True)
    return rows


@dataclass
class DashboardRow:
    measure: Measure
    schedule: str | None
    awaiting: int
    overdue: int


def dashboard(plan: Plan, today: dt.date | None = None) -> list[DashboardRow]:
    """Every measure with its completion, schedule, reports awaiting a decision
    and reports overdue: three queries whatever the plan's size."""
    today = today or timezone.localdate()
    measures = sorted(Measure.objects.filter(plan=plan).select_related("responsible"), key=code_key)
    indicators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, measure_id, frequency in Indicator.objects.filter(
        measure__plan=plan, withdrawn_at__isnull=True
    ).values_list("pk", "measure_id", "frequency"):
        indicators[measure_id].append((pk, frequency))
    status: dict[tuple[int, dt.date], str] = {
        (i, end): s
        for i, end, s in ProgressReport.objects.filter(indicator__measure__plan=plan).values_list(
            "indicator_id", "period_end", "status"
        )
    }
    awaiting: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    for m in measures:
        for pk, frequency in indicators[m.pk]:
            for end in period_ends(frequency, m.start_on, m.due_on):
                state = status.get((pk, end))
                if state == ProgressReport.Status.SUBMITTED:
                    awaiting[m.pk] += 1
                if (
                    due_date(end) < today
                    and state not in {"submitted", "accepted"}
                    and not (m.withdrawn_at or m.frozen_at)
                ):
                    overdue[m.pk] += 1
    return [DashboardRow(m, schedule(m, today), awaiting[m.pk], overdue[m.pk]) for m in measures]
