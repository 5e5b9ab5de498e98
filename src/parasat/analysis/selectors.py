"""Reads of the analysis, each in a fixed number of queries however many
areas, findings, ratings and recommendations a review holds. Every read goes
through :mod:`parasat.analysis.access`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation
from parasat.analysis import mentions
from parasat.analysis.access import AnalysisReader, assessment_filter, readable_evidence
from parasat.analysis.models import (
    AreaAssessment,
    AssessmentComment,
    AssessmentTransition,
    AssessmentVersion,
    Finding,
    GovernmentRating,
    Priority,
    Rating,
    RatingLevel,
    RatingScale,
    RatingSource,
    Recommendation,
    ReviewScale,
)
from parasat.assessment.models import Answer, Assignment, Evidence
from parasat.reviews.disclosure import levels_from
from parasat.toolkit.models import PolicyArea, Provision, Question
from parasat.toolkit.selectors import latest_versions


def review_scales(review_id: int) -> list[RatingScale]:
    """The scales the review uses, in order, each with its levels (lowest
    first). Ordered here, not by the models' own ordering, which orders by
    the review's slug and the scale's order: tables joined only for that."""
    return [
        use.scale
        for use in ReviewScale.objects.filter(review_id=review_id)
        .select_related("scale")
        .prefetch_related(Prefetch("scale__levels", RatingLevel.objects.order_by("rank")))
        .order_by("order", "pk")
    ]


@dataclass
class RatingPair:
    """The team's and the government's rating of an area on one scale."""

    scale: RatingScale
    team: Rating | None = None
    government: GovernmentRating | None = None

    @property
    def gap(self) -> int | None:
        if self.team is None or self.government is None:
            return None
        return abs(self.team.level.rank - self.government.level.rank)

    @property
    def differs(self) -> bool:
        """The two differ by more than one level: the page says so."""
        return (self.gap or 0) > 1


def _pairs(
    scales: list[RatingScale], ratings: list[Rating], government: list[GovernmentRating]
) -> list[RatingPair]:
    team = {r.scale_id: r for r in ratings}
    gov = {g.scale_id: g for g in government}
    return [RatingPair(scale=s, team=team.get(s.pk), government=gov.get(s.pk)) for s in scales]


# --- links: what a finding or rating rests on, as the reader may follow it -------


@dataclass
class Links:
    """What one finding or rating rests on: the answers and evidence the reader
    may follow, how many more there are that they may not, the provisions and
    external sources (always shown)."""

    answers: list[Answer] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    hidden: int = 0
    provisions: list[Provision] = field(default_factory=list)
    external: list[RatingSource] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.answers or self.evidence or self.hidden or self.provisions or self.external
        )


def _links(
    answers: list[Answer],
    evidence: list[Evidence],
    provisions: list[Provision],
    external: list[RatingSource],
    readable: tuple[set[int], set[int]],
) -> Links:
    answer_ids, evidence_ids = readable
    shown_answers = [a for a in answers if a.pk in answer_ids]
    shown_evidence = [e for e in evidence if e.pk in evidence_ids]
    hidden = len(answers) - len(shown_answers) + len(evidence) - len(shown_evidence)
    return Links(shown_answers, shown_evidence, hidden, provisions, external)


# --- one area ------------------------------------------------------------------------


@dataclass
class AreaPage:
    area: PolicyArea
    assessment: AreaAssessment | None
    scales: list[RatingScale]
    pairs: list[RatingPair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    withdrawn: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    comments: list[AssessmentComment] = field(default_factory=list)
    transitions: list[AssessmentTransition] = field(default_factory=list)
    # The self-assessment's answers of this area the reader may read (the team's material).
    answers: list[Answer] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return any(p.differs for p in self.pairs)


def _finding_query() -> QuerySet[Finding]:
    return Finding.objects.prefetch_related(
        Prefetch("answers", Answer.objects.select_related("question").order_by("question__order")),
        "evidence",
        Prefetch("provisions", Provision.objects.select_related("instrument")),
    ).order_by("number")


def _rating_query() -> QuerySet[Rating]:
    return Rating.objects.select_related("scale", "level").prefetch_related(
        Prefetch(
            "sources",
            RatingSource.objects.select_related(
                "answer__question", "evidence", "provision__instrument"
            ),
        )
    )


def current_government(assessments: Any) -> QuerySet[GovernmentRating]:
    return GovernmentRating.objects.filter(
        assessment__in=assessments, superseded_at__isnull=True
    ).select_related("level", "scale", "given_by")


def area_answers(reader: AnalysisReader, area: PolicyArea) -> QuerySet[Answer]:
    """The self-assessment's answers of ``area`` the reader may read, in order."""
    return (
        reader.sources.answers()
        .filter(assignment__questionnaire__area=area)
        .select_related("question", "assignment__ministry")
        .order_by("assignment__questionnaire__identifier", "question__order")
    )


def area_evidence(reader: AnalysisReader, area: PolicyArea) -> QuerySet[Evidence]:
    """The evidence of ``area`` the reader may see, not withdrawn."""
    return (
        readable_evidence(reader.sources)
        .filter(answer__assignment__questionnaire__area=area, withdrawn_at__isnull=True)
        .select_related("answer__question")
        .order_by("answer__question__order", "pk")
    )


def area_page(
    reader: AnalysisReader, area: PolicyArea, assessment: AreaAssessment | None
) -> AreaPage:
    """Everything the area's page shows to this reader."""
    page = AreaPage(area=area, assessment=assessment, scales=review_scales(reader.review_id))
    if reader.sees_drafts:
        page.answers = list(area_answers(reader, area))
    if assessment is None:
        page.pairs = _pairs(page.scales, [], [])
        return page
    findings = list(_finding_query().filter(assessment=assessment))
    ratings = list(_rating_query().filter(assessment=assessment))
    government = list(current_government([assessment.pk]))
    page.pairs = _pairs(page.scales, ratings, government)
    page.recommendations = list(
        Recommendation.objects.filter(assessment=assessment)
        .prefetch_related("agencies", Prefetch("findings", Finding.objects.order_by("number")))
        .order_by("number")
    )
    answer_ids = {a.pk for f in findings for a in f.answers.all()} | {
        s.answer_id for r in ratings for s in r.sources.all() if s.answer_id
    }
    evidence_ids = {e.pk for f in findings for e in f.evidence.all()} | {
        s.evidence_id for r in ratings for s in r.sources.all() if s.evidence_id
    }
    readable = (reader.readable_answer_ids(answer_ids), reader.readable_evidence_ids(evidence_ids))
    for finding in findings:
        finding.links = _links(
            list(finding.answers.all()),
            list(finding.evidence.all()),
            list(finding.provisions.all()),
            [],
            readable,
        )
    said = mentions.collect(
        reader.review_id, [f.pk for f in findings], [r.pk for r in page.recommendations]
    )
    for finding in findings:
        finding.mentions = said.get(("finding", finding.pk), [])
    for recommendation in page.recommendations:
        recommendation.mentions = said.get(("recommendation", recommendation.pk), [])
    for rating in ratings:
        sources = list(rating.sources.all())
        K = RatingSource.Kind
        rating.links = _links(
            [s.answer for s in sources if s.kind == K.ANSWER and s.answer],
            [s.evidence for s in sources if s.kind == K.EVIDENCE and s.evidence],
            [s.provision for s in sources if s.kind == K.PROVISION and s.provision],
            [s for s in sources if s.kind == K.EXTERNAL],
            readable,
        )
    page.findings = [f for f in findings if f.withdrawn_at is None]
    page.withdrawn = [f for f in findings if f.withdrawn_at is not None]
    if reader.sees_drafts:
        page.comments = list(
            AssessmentComment.objects.filter(assessment=assessment)
            .select_related("author", "corrects")
            .order_by("created_at", "pk")
        )
        page.transitions = list(
            AssessmentTransition.objects.filter(assessment=assessment)
            .select_related("by")
            .order_by("at", "pk")
        )
    return page


# --- provision coverage ---------------------------------------------------------------


@dataclass
class CoverageRow:
    provision: Provision
    questions: list[str]
    findings: list[str]

    @property
    def tested(self) -> bool:
        return bool(self.questions)

    @property
    def addressed(self) -> bool:
        return bool(self.findings)


def coverage(
    reader: AnalysisReader, area: PolicyArea, assessment: AreaAssessment | None
) -> list[CoverageRow]:
    """Per provision: the questions of the area that test it (those assigned in
    this review, else the toolkit's newest questionnaires of the area) and the
    findings that address it. Ordered by instrument and key."""
    assigned = Question.objects.filter(
        questionnaire__assignments__review_id=reader.review_id, questionnaire__area=area
    )
    if not assigned.exists():
        assigned = Question.objects.filter(questionnaire__in=latest_versions().filter(area=area))
    tested: dict[int, list[str]] = {}
    for code, name, provision_id in assigned.filter(provisions__isnull=False).values_list(
        "code", "name", "provisions"
    ):
        tested.setdefault(provision_id, []).append(code or name)
    addressed: dict[int, list[str]] = {}
    if assessment is not None:
        for code, provision_id in Finding.objects.filter(
            assessment=assessment, withdrawn_at__isnull=True, provisions__isnull=False
        ).values_list("code", "provisions"):
            addressed.setdefault(provision_id, []).append(code)
    provisions = Provision.objects.filter(pk__in={*tested, *addressed}).select_related("instrument")
    return [
        CoverageRow(
            provision=p,
            questions=sorted(set(tested.get(p.pk, []))),
            findings=sorted(set(addressed.get(p.pk, []))),
        )
        for p in sorted(provisions, key=lambda p: (p.instrument.code, p.key))
    ]


# --- the review's overview ----------------------------------------------------------------


@dataclass
class OverviewRow:
    area: PolicyArea
    assessment: AreaAssessment | None
    pairs: list[RatingPair]
    findings: int = 0
    open_recommendations: int = 0

    @property
    def differs(self) -> bool:
        return any(p.differs for p in self.pairs)


@dataclass
class Overview:
    rows: list[OverviewRow]
    scales: list[RatingScale]
    open_by_priority: list[tuple[str, str, int]]
    states: Counter[str]

    @property
    def state_counts(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.states.get(s.value, 0)) for s in AreaAssessment.State]

    @property
    def primary(self) -> RatingScale | None:
        return self.scales[0] if self.scales else None


def overview(reader: AnalysisReader) -> Overview:
    """Every policy area with its assessment as the reader may read it, the
    team's and the government's ratings, the findings and open recommendations."""
    scales = review_scales(reader.review_id)
    areas = list(PolicyArea.objects.order_by("order", "code"))
    assessments = {
        a.area_id: a
        for a in reader.assessments()
        .annotate(
            n_findings=Count(
                "findings", filter=Q(findings__withdrawn_at__isnull=True), distinct=True
            )
        )
        .order_by()  # keyed by area: no join of the review and area to order them
    }
    ids = [a.pk for a in assessments.values()]
    ratings: dict[int, list[Rating]] = {}
    for rating in (
        Rating.objects.filter(assessment__in=ids).select_related("level", "scale").order_by()
    ):
        ratings.setdefault(rating.assessment_id, []).append(rating)
    government: dict[int, list[GovernmentRating]] = {}
    for rating in current_government(ids):
        government.setdefault(rating.assessment_id, []).append(rating)
    open_recs = Recommendation.objects.filter(
        assessment__in=ids, state=Recommendation.State.OPEN
    ).order_by()
    per_assessment = dict(
        open_recs.values("assessment_id").annotate(n=Count("pk")).values_list("assessment_id", "n")
    )
    per_priority = dict(
        open_recs.values("priority").annotate(n=Count("pk")).values_list("priority", "n")
    )
    rows = []
    for area in areas:
        assessment = assessments.get(area.pk)
        if assessment is None and not reader.sees_drafts:
            continue
        rows.append(
            OverviewRow(
                area=area,
                assessment=assessment,
                pairs=_pairs(
                    scales,
                    ratings.get(assessment.pk, []) if assessment else [],
                    government.get(assessment.pk, []) if assessment else [],
                ),
                findings=getattr(assessment, "n_findings", 0),
                open_recommendations=per_assessment.get(assessment.pk, 0) if assessment else 0,
            )
        )
    return Overview(
        rows=rows,
        scales=scales,
        open_by_priority=[(p.value, str(p.label), per_priority.get(p.value, 0)) for p in Priority],
        states=Counter(a.state for a in assessments.values()),
    )


# --- recommendations, review-wide ----------------------------------------------------------


def recommendations(
    reader: AnalysisReader,
    *,
    area: str = "",
    priority: str = "",
    agency: str = "",
    state: str = "",
) -> QuerySet[Recommendation]:
    """The recommendations of the assessments the reader may read, filtered by
    area code, priority, agency code and state."""
    qs = Recommendation.objects.filter(assessment_filter(reader, "assessment__"))
    if area:
        qs = qs.filter(assessment__area__code=area)
    if priority:
        qs = qs.filter(priority=priority)
    if state:
        qs = qs.filter(state=state)
    if agency:
        qs = qs.filter(agencies__code=agency)
    return (
        qs.select_related("assessment__area")
        .prefetch_related(
            Prefetch("agencies", Organisation.objects.order_by("code")),
            Prefetch("findings", Finding.objects.order_by("number")),
        )
        .order_by("assessment__area__order", "number")
        .distinct()
    )


def agencies_addressed(reader: AnalysisReader) -> list[Organisation]:
    """The agencies the reader's recommendations address (the list's filter)."""
    return list(
        Organisation.objects.filter(
            pk__in=Recommendation.agencies.through.objects.filter(
                recommendation__in=Recommendation.objects.filter(
                    assessment_filter(reader, "assessment__")
                )
            ).values("organisation_id")
        ).order_by("code")
    )


def versions(assessment: AreaAssessment) -> list[AssessmentVersion]:
    return list(
        AssessmentVersion.objects.filter(assessment=assessment)
        .select_related("saved_by")
        .order_by("number")
    )


def transitions(assessment: AreaAssessment) -> list[AssessmentTransition]:
    return list(
        AssessmentTransition.objects.filter(assessment=assessment)
        .select_related("by")
        .order_by("at", "pk")
    )


def problems(assessment: AreaAssessment) -> list[str]:
    """What the assessment still lacks before it can go to team review or be
    agreed: a context, a finding, a rating, and for each rating a
    justification and at least one source."""
    found = []
    if not assessment.context.source:
        found.append(_("Write the context of the area."))
    if not Finding.objects.filter(assessment=assessment, withdrawn_at__isnull=True).exists():
        found.append(_("Write at least one finding."))
    ratings = list(
        Rating.objects.filter(assessment=assessment)
        .select_related("scale")
        .prefetch_related("sources")
    )
    if not ratings:
        found.append(_("Rate the area on at least one scale."))
    for rating in ratings:
        if not rating.justification.source:
            found.append(
                _("The rating on %(scale)s has no justification.") % {"scale": rating.scale}
            )
        if not rating.sources.all():
            found.append(_("The rating on %(scale)s has no source.") % {"scale": rating.scale})
    return found


def agreed_count(review_id: int, level: str) -> int:
    """How many agreed assessments of the review readers cleared for ``level`` read."""
    return AreaAssessment.objects.filter(
        review=review_id, state=AreaAssessment.State.AGREED, confidentiality__in=levels_from(level)
    ).count()


def answers_token(review_id: int) -> str:
    """Changes whenever an answer of the review does (every change of an
    answer, its files or its state touches its assignment): what an area page
    shows of the self-assessment is cached under it."""
    latest = Assignment.objects.filter(review_id=review_id).aggregate(at=Max("last_activity_at"))
    return latest["at"].isoformat() if latest["at"] else "-"
