"""JSON API of the action plan: the plan, its measures with their indicators,
the progress reports and the assessments of measures, read through
:mod:`parasat.actionplan.access` as the pages are: the draft plan only for the
government side and the analytical team, reports and assessments at the
reader's level (a report marked for the government only never leaves it).
Measures are addressed by their number (``3``, ``3.2``); texts come in every
content language."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from parasat.actionplan import access, selectors
from parasat.actionplan.models import (
    BudgetSource,
    Completion,
    Frequency,
    Indicator,
    Measure,
    MeasureAssessment,
    Plan,
    ProgressReport,
    Unit,
)
from parasat.core.lib.schemas import PageOut, PageQuery, Texts, page_of
from parasat.reviews.disclosure import Confidentiality

router = Router(tags=["action plan"])

# The OpenAPI document names an enum by its class: the models' nested
# ``State``, ``Status`` and ``Source`` would clash with other apps' own.
PlanState = StrEnum("PlanState", {v.upper(): v for v in Plan.State.values})
ReportStatus = StrEnum("ReportStatus", {v.upper(): v for v in ProgressReport.Status.values})
AssessmentSource = StrEnum(
    "AssessmentSource", {v.upper(): v for v in MeasureAssessment.Source.values}
)


class PlanOut(Schema):
    title: Texts
    state: PlanState
    version: int = Field(description="The latest adopted version (0: never adopted).")
    act_number: str
    act_date: dt.date | None
    illustrative: bool
    recommendations: int = Field(description="Agreed recommendations of the review.")
    uncovered: list[str] = Field(description="Codes of the recommendations not yet covered.")


class IndicatorOut(Schema):
    number: int
    name: Texts
    unit: Unit
    baseline: Decimal
    target: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    frequency: Frequency
    latest_value: Decimal | None = Field(
        description="The latest accepted value marked public (null: none yet)."
    )
    withdrawn: bool


class MeasureOut(Schema):
    code: str
    parent: str | None
    title: Texts
    deliverables: Texts
    area: str | None
    responsible: str
    partners: list[str]
    recommendations: list[str]
    start: dt.date
    due: dt.date
    budget: Decimal | None
    currency: str
    budget_source: BudgetSource | None
    weight: int
    completion: Completion
    progress: int
    schedule: str | None = Field(description="on_track, at_risk or overdue (null: withdrawn).")
    frozen: bool
    withdrawn: bool
    indicators: list[IndicatorOut]


class MeasurePage(PageOut):
    items: list[MeasureOut]


class EvidenceOut(Schema):
    id: int
    kind: str = Field(description="file, link or legal_act.")
    title: str
    url: str = Field(description="A link's address; empty otherwise.")
    citation: str = Field(description="A legal act's reference; empty otherwise.")
    file_name: str
    confidentiality: Confidentiality


def _evidence_of(reader: access.PlanReader, **where: Any) -> dict[int, list[EvidenceOut]]:
    """Evidence the reader may read of the reports or assessments ``where``
    names, by their id; one query."""
    found: dict[int, list[EvidenceOut]] = defaultdict(list)
    for e in reader.evidence().filter(withdrawn_at__isnull=True, **where):
        found[e.report_id or e.assessment_id].append(
            EvidenceOut(
                id=e.pk,
                kind=e.kind,
                title=e.title,
                url=e.url,
                citation=e.citation,
                file_name=e.file_name,
                confidentiality=Confidentiality(e.confidentiality),
            )
        )
    return found


class ReportOut(Schema):
    id: int
    measure: str
    indicator: int
    period_end: dt.date
    due_on: dt.date
    value: Decimal | None
    narrative: str
    status: ReportStatus
    confidentiality: Confidentiality
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    return_reason: str
    evidence: list[EvidenceOut]


class ReportPage(PageOut):
    items: list[ReportOut]


class ReportFilters(Schema):
    measure: str = Field("", max_length=20, description="A measure's number, e.g. 3.")
    status: ReportStatus | None = None


class AssessmentOut(Schema):
    measure: str
    source: AssessmentSource
    level: Completion
    text: str
    confidentiality: Confidentiality
    given_at: dt.datetime
    evidence: list[EvidenceOut]


def _indicator(i: Indicator) -> IndicatorOut:
    return IndicatorOut(
        number=i.number,
        name=Texts.of(i.name),
        unit=Unit(i.unit),
        baseline=i.baseline,
        target=i.target,
        minimum=i.minimum,
        maximum=i.maximum,
        frequency=Frequency(i.frequency),
        latest_value=i.latest_value,
        withdrawn=i.withdrawn_at is not None,
    )


def _measure(m: Measure, codes: dict[int, str]) -> MeasureOut:
    return MeasureOut(
        code=m.code,
        parent=codes.get(m.parent_id) if m.parent_id else None,
        title=Texts.of(m.title),
        deliverables=Texts.of(m.deliverables),
        area=m.area.code if m.area else None,
        responsible=m.responsible.code,
        partners=sorted(p.code for p in m.partners.all()),
        recommendations=[r.code for r in m.recommendations.all()],
        start=m.start_on,
        due=m.due_on,
        budget=m.budget,
        currency=m.budget_currency,
        budget_source=BudgetSource(m.budget_source) if m.budget_source else None,
        weight=m.weight,
        completion=Completion(m.completion),
        progress=m.progress,
        schedule=selectors.schedule(m) if m.plan.is_adopted else None,
        frozen=m.frozen_at is not None,
        withdrawn=m.withdrawn_at is not None,
        indicators=[_indicator(i) for i in m.indicators.all()],
    )


@router.get("/reviews/{slug}/plan", response=PlanOut, summary="The action plan, if I may read it")
def get_plan(request: HttpRequest, slug: str) -> PlanOut:
    reader = access.get_reader(request.user, slug)
    plan = access.get_plan(reader)
    rows = selectors.coverage(plan)
    return PlanOut(
        title=Texts.of(plan.title),
        state=PlanState(plan.state),
        version=plan.version,
        act_number=plan.act_number,
        act_date=plan.act_date,
        illustrative=plan.illustrative,
        recommendations=len(rows),
        uncovered=[r.recommendation.code for r in rows if not r.covered],
    )


@router.get(
    "/reviews/{slug}/plan/measures",
    response=MeasurePage,
    summary="The plan's measures with their indicators, in order",
)
def list_measures(request: HttpRequest, slug: str, query: Query[PageQuery]) -> dict:
    reader = access.get_reader(request.user, slug)
    plan = access.get_plan(reader)
    rows = selectors.measure_rows(plan)
    codes = {m.pk: m.code for m in rows}
    for m in rows:
        m.plan = plan
    page = page_of(rows, query)
    return {**page.meta(), "items": [_measure(m, codes) for m in page.items]}


@router.get(
    "/reviews/{slug}/plan/measures/{code}",
    response=MeasureOut,
    summary="One measure by its number, e.g. 3 or 3.2",
)
def get_measure(request: HttpRequest, slug: str, code: str) -> MeasureOut:
    reader = access.get_reader(request.user, slug)
    plan = access.get_plan(reader)
    m = next((m for m in selectors.measure_rows(plan) if m.code == code), None)
    if m is None:
        raise Http404
    m.plan = plan
    return _measure(m, {m.parent_id: m.parent.code} if m.parent_id else {})


@router.get(
    "/reviews/{slug}/plan/reports",
    response=ReportPage,
    summary="The progress reports I may read, newest period first",
)
def list_reports(
    request: HttpRequest, slug: str, filters: Query[ReportFilters], query: Query[PageQuery]
) -> dict:
    reader = access.get_reader(request.user, slug)
    access.get_plan(reader)
    rows = (
        reader.reports()
        .select_related("indicator__measure")
        .order_by("-period_end", "indicator__measure__code", "indicator__number")
    )
    if filters.measure.strip():
        rows = rows.filter(indicator__measure__code=filters.measure.strip())
    if filters.status:
        rows = rows.filter(status=filters.status)
    page = page_of(rows, query)
    evidence = _evidence_of(reader, report__in=[r.pk for r in page.items])
    return {
        **page.meta(),
        "items": [
            ReportOut(
                id=r.pk,
                measure=r.indicator.measure.code,
                indicator=r.indicator.number,
                period_end=r.period_end,
                due_on=r.due_on,
                value=r.value,
                narrative=r.narrative,
                status=ReportStatus(r.status),
                confidentiality=Confidentiality(r.confidentiality),
                submitted_at=r.submitted_at,
                decided_at=r.decided_at,
                return_reason=r.return_reason,
                evidence=evidence[r.pk],
            )
            for r in page.items
        ],
    }


@router.get(
    "/reviews/{slug}/plan/assessments",
    response=list[AssessmentOut],
    summary="The current assessments of measures I may read: the government's and independent",
)
def list_assessments(request: HttpRequest, slug: str) -> list[AssessmentOut]:
    reader = access.get_reader(request.user, slug)
    access.get_plan(reader)
    rows = list(
        reader.assessments()
        .filter(superseded_at__isnull=True)
        .select_related("measure")
        .order_by("measure__code", "given_at")
    )
    evidence = _evidence_of(reader, assessment__in=[a.pk for a in rows])
    return [
        AssessmentOut(
            measure=a.measure.code,
            source=AssessmentSource(a.source),
            level=Completion(a.level),
            text=a.text,
            confidentiality=Confidentiality(a.confidentiality),
            given_at=a.given_at,
            evidence=evidence[a.pk],
        )
        for a in rows
    ]
