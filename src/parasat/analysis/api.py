"""JSON API of the analysis: the scales a review uses, the area assessments,
their findings, ratings (the team's and the government's) and
recommendations, read through :mod:`parasat.analysis.access` as the pages are:
drafts never leave the team and the co-ordinator, others read the agreed
assessments at their level once the stage admits them, and a finding's or
rating's answers and evidence are listed only when the reader may read them
(``hidden_sources`` counts the others). Texts come in every content language.

Recommendations are addressed by their code (``COI-3``), stable for good."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from parasat.analysis import access, selectors
from parasat.analysis.models import (
    AreaAssessment,
    Finding,
    Priority,
    Rating,
    RatingLevel,
    Recommendation,
)
from parasat.core.lib.schemas import PageOut, PageQuery, Texts, page_of
from parasat.reviews.disclosure import Confidentiality

router = Router(tags=["analysis"])


class LevelOut(Schema):
    code: str
    rank: int
    name: Texts
    colour: str
    min_score: int | None
    max_score: int | None


class ScaleOut(Schema):
    code: str
    name: Texts
    scored: bool
    levels: list[LevelOut]


class AreaRef(Schema):
    code: str
    name: Texts


class RatingOut(Schema):
    scale: str
    level: str
    rank: int
    score: int | None
    justification: Texts


class PairOut(Schema):
    scale: str
    team: RatingOut | None
    government: RatingOut | None
    differs_by_more_than_one_level: bool


class SourcesOut(Schema):
    answers: list[int] = Field(description="Answers the reader may read (ids of the answers API).")
    evidence: list[int]
    provisions: list[str]
    external: list[dict[str, str]]
    hidden_sources: int = Field(description="Sources the reader may not see.")


class FindingOut(Schema):
    code: str
    kind: Finding.Kind
    text: Texts
    sources: SourcesOut
    withdrawn: bool


class RecommendationOut(Schema):
    code: str
    area: str
    priority: Priority
    state: Recommendation.State
    text: Texts
    agencies: list[str]
    findings: list[str]
    assessment_state: AreaAssessment.State


class AssessmentSummary(Schema):
    area: AreaRef
    state: AreaAssessment.State
    confidentiality: Confidentiality
    illustrative: bool
    version: int
    agreed_at: dt.datetime | None
    ratings: list[PairOut]
    findings: int
    open_recommendations: int


class AssessmentOut(Schema):
    area: AreaRef
    state: AreaAssessment.State
    confidentiality: Confidentiality
    illustrative: bool
    version: int
    agreed_at: dt.datetime | None
    context: Texts
    ratings: list[PairOut]
    findings: list[FindingOut]
    recommendations: list[RecommendationOut]


class AssessmentPage(PageOut):
    items: list[AssessmentSummary]


class RecommendationPage(PageOut):
    items: list[RecommendationOut]


class RecommendationFilters(PageQuery):
    area: str = Field("", max_length=3)
    priority: Priority | None = None
    agency: str = Field("", max_length=60, description="An organisation's code.")
    state: Recommendation.State | None = None


def _level(level: RatingLevel) -> LevelOut:
    return LevelOut(
        code=level.code,
        rank=level.rank,
        name=Texts.of(level.name),
        colour=level.colour,
        min_score=level.min_score,
        max_score=level.max_score,
    )


def _rating(rating: Rating | None) -> RatingOut | None:
    if rating is None:
        return None
    return RatingOut(
        scale=rating.scale.code,
        level=rating.level.code,
        rank=rating.level.rank,
        score=rating.score,
        justification=Texts.of(rating.justification),
    )


def _pairs(pairs: list[selectors.RatingPair]) -> list[PairOut]:
    return [
        PairOut(
            scale=p.scale.code,
            team=_rating(p.team),
            government=_rating(p.government),
            differs_by_more_than_one_level=p.differs,
        )
        for p in pairs
    ]


def _sources(links: selectors.Links) -> SourcesOut:
    return SourcesOut(
        answers=[a.pk for a in links.answers],
        evidence=[e.pk for e in links.evidence],
        provisions=[p.key for p in links.provisions],
        external=[
            {
                "title": s.title,
                "url": s.url,
                "consulted_on": s.consulted_on.isoformat() if s.consulted_on else "",
            }
            for s in links.external
        ],
        hidden_sources=links.hidden,
    )


def _recommendation(rec: Recommendation, assessment: AreaAssessment) -> RecommendationOut:
    return RecommendationOut(
        code=rec.code,
        area=assessment.area.code,
        priority=Priority(rec.priority),
        state=Recommendation.State(rec.state),
        text=Texts.of(rec.text),
        agencies=[a.code for a in rec.agencies.all()],
        findings=[f.code for f in rec.findings.all()],
        assessment_state=AreaAssessment.State(assessment.state),
    )


@router.get(
    "/reviews/{slug}/analysis/scales",
    response=list[ScaleOut],
    summary="The rating scales the review uses, with their levels (rank 1 is the lowest)",
)
def list_scales(request: HttpRequest, slug: str) -> list[ScaleOut]:
    reader = access.get_reader(request.user, slug)
    return [
        ScaleOut(
            code=s.code,
            name=Texts.of(s.name),
            scored=s.scored,
            levels=[_level(level) for level in s.levels.all()],
        )
        for s in selectors.review_scales(reader.review_id)
    ]


@router.get(
    "/reviews/{slug}/analysis/areas",
    response=AssessmentPage,
    summary="The area assessments I may read, with the team's and the government's ratings",
    description="A page at a time, in the order of the areas.",
)
def list_assessments(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> AssessmentPage:
    reader = access.get_reader(request.user, slug)
    rows = [row for row in selectors.overview(reader).rows if row.assessment is not None]
    page = page_of(rows, paging)
    return AssessmentPage(
        **page.meta(),
        items=[
            AssessmentSummary(
                area=AreaRef(code=row.area.code, name=Texts.of(row.area.name)),
                state=AreaAssessment.State(row.assessment.state),
                confidentiality=Confidentiality(row.assessment.confidentiality),
                illustrative=row.assessment.illustrative,
                version=row.assessment.version,
                agreed_at=row.assessment.agreed_at,
                ratings=_pairs(row.pairs),
                findings=row.findings,
                open_recommendations=row.open_recommendations,
            )
            for row in page.items
        ],
    )


@router.get(
    "/reviews/{slug}/analysis/areas/{code}",
    response=AssessmentOut,
    summary="One area assessment I may read: context, findings, ratings, recommendations",
)
def get_assessment(request: HttpRequest, slug: str, code: str) -> AssessmentOut:
    reader = access.get_reader(request.user, slug)
    area = access.get_area(code)
    assessment = access.get_assessment(reader, area)
    if assessment is None:
        raise Http404
    page = selectors.area_page(reader, area, assessment)
    return AssessmentOut(
        area=AreaRef(code=area.code, name=Texts.of(area.name)),
        state=AreaAssessment.State(assessment.state),
        confidentiality=Confidentiality(assessment.confidentiality),
        illustrative=assessment.illustrative,
        version=assessment.version,
        agreed_at=assessment.agreed_at,
        context=Texts.of(assessment.context),
        ratings=_pairs(page.pairs),
        findings=[
            FindingOut(
                code=f.code,
                kind=Finding.Kind(f.kind),
                text=Texts.of(f.text),
                sources=_sources(f.links),
                withdrawn=False,
            )
            for f in page.findings
        ],
        recommendations=[_recommendation(r, assessment) for r in page.recommendations],
    )


@router.get(
    "/reviews/{slug}/analysis/recommendations",
    response=RecommendationPage,
    summary="The recommendations I may read, filtered by area, priority, agency and state",
    description="A page at a time, by area and then by number.",
)
def list_recommendations(
    request: HttpRequest, slug: str, filters: Query[RecommendationFilters]
) -> RecommendationPage:
    reader = access.get_reader(request.user, slug)
    items = selectors.recommendations(
        reader,
        area=filters.area.strip(),
        priority=filters.priority or "",
        agency=filters.agency.strip(),
        state=filters.state or "",
    )
    page = page_of(items, filters)
    return RecommendationPage(
        **page.meta(), items=[_recommendation(r, r.assessment) for r in page.items]
    )


@router.get(
    "/reviews/{slug}/analysis/recommendations/{code}",
    response=RecommendationOut,
    summary="One recommendation by its stable code, e.g. COI-3",
)
def get_recommendation(request: HttpRequest, slug: str, code: str) -> RecommendationOut:
    reader = access.get_reader(request.user, slug)
    rec = selectors.recommendations(reader).filter(code=code).first()
    if rec is None:
        raise Http404
    return _recommendation(rec, rec.assessment)
