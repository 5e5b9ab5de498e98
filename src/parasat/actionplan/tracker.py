"""What the public tracker shows: the adopted plan as the public reads it.
Every read here uses the public audience: only accepted reports marked
public, only current assessments marked public, never a draft plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from parasat.actionplan import access, selectors
from parasat.actionplan.models import (
    Indicator,
    Measure,
    MeasureAssessment,
    Plan,
    ProgressEvidence,
    ProgressReport,
    Schedule,
)
from parasat.reviews.disclosure import Audience

ACCEPTED = ProgressReport.Status.ACCEPTED


def public_reports(review_id: int) -> QuerySet[ProgressReport]:
    """Accepted reports the public reads (never one marked for fewer readers)."""
    return access.readable_reports(Audience.public(review_id)).filter(status=ACCEPTED)


def public_assessments(review_id: int) -> QuerySet[MeasureAssessment]:
    return access.readable_assessments(Audience.public(review_id)).filter(
        superseded_at__isnull=True
    )


def public_evidence(review_id: int) -> QuerySet[ProgressEvidence]:
    """Evidence marked public of the accepted public reports and of the current
    public assessments (never a withdrawn item)."""
    return (
        access.readable_evidence(Audience.public(review_id))
        .filter(withdrawn_at__isnull=True)
        .filter(Q(report__isnull=False) | Q(assessment__superseded_at__isnull=True))
    )


def attach_evidence(
    review_id: int, measure: Measure, reports: list[ProgressReport], assessments: list
) -> None:
    """Each report and assessment given its public evidence as ``shown_evidence``; one query."""
    of_report: dict[int, list[ProgressEvidence]] = defaultdict(list)
    of_assessment: dict[int, list[ProgressEvidence]] = defaultdict(list)
    for e in public_evidence(review_id).filter(
        Q(report__indicator__measure=measure) | Q(assessment__measure=measure)
    ):
        if e.report_id:
            of_report[e.report_id].append(e)
        else:
            of_assessment[e.assessment_id].append(e)
    for r in reports:
        r.shown_evidence = of_report[r.pk]
    for a in assessments:
        a.shown_evidence = of_assessment[a.pk]


# A group on the plan's page shows this many measures, and links to all of them.
GROUP_PREVIEW = 12
PAGE_SIZE = 50


@dataclass
class Group:
    key: str
    title: Any
    measures: list[Measure] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.measures)


def measures(plan: Plan, today: dt.date) -> list[Measure]:
    """The plan's measures in order with their agency and area, each with its
    schedule; one query."""
    rows = sorted(
        Measure.objects.filter(plan=plan).select_related("responsible", "area"),
        key=selectors.code_key,
    )
    for m in rows:
        m.schedule = selectors.schedule(m, today)
    return rows


def grouped(rows: list[Measure], by: str) -> list[Group]:
    """Top-level measures by policy area (``area``) or by responsible agency (``agency``)."""
    groups: dict[str, Group] = {}
    for m in rows:
        if by == "agency":
            key, title = m.responsible.code, m.responsible
        else:
            key = m.area.code if m.area else "-"
            title = m.area.name if m.area else None
        groups.setdefault(key, Group(key, title)).measures.append(m)
    for g in groups.values():
        g.total = len(g.measures)
    return list(groups.values())


def preview(groups: list[Group]) -> list[Group]:
    """Each group cut to its first measures (a plan of a thousand measures
    stays a page a phone can hold)."""
    for g in groups:
        g.measures = g.measures[:GROUP_PREVIEW]
    return groups


def summary(rows: list[Measure]) -> dict[str, int]:
    active = [m for m in rows if m.withdrawn_at is None]
    counts: dict[str, int] = defaultdict(int)
    for m in active:
        counts[m.completion] += 1
        if m.schedule:
            counts[m.schedule] += 1
    counts["total"] = len(active)
    return dict(counts)


def overdue(rows: list[Measure]) -> list[Measure]:
    return [m for m in rows if m.schedule == Schedule.OVERDUE]


@dataclass
class IndicatorHistory:
    indicator: Indicator
    reports: list[ProgressReport]


def measure_history(measure: Measure) -> list[IndicatorHistory]:
    """Each indicator with the public's accepted reports, oldest first; two queries."""
    indicators = list(Indicator.objects.filter(measure=measure).order_by("number"))
    by_indicator: dict[int, list[ProgressReport]] = defaultdict(list)
    for r in (
        public_reports(measure.plan.review_id)
        .filter(indicator__measure=measure)
        .order_by("period_end")
    ):
        by_indicator[r.indicator_id].append(r)
    return [IndicatorHistory(i, by_indicator[i.pk]) for i in indicators]
