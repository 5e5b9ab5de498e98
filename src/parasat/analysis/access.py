"""Who reads and writes which area assessments. Views, exports and the API
reach assessments only through these functions.

- The analytical team (analysts, experts, the local consultant) reads every
  assessment of its review in every state: it writes them.
- The co-ordinator reads every assessment too, drafts included, comments, and
  gives the government's own rating ("drafts never leave the team and the
  co-ordinator").
- Beyond them, only agreed assessments are read, at the level each carries:
  peer reviewers read those marked for peers or the public once the team has
  opened the analysis to them; civil-society and business representatives
  (and contact persons, who read the analysis as the public does) read those
  marked public once the team has published it.

What a finding or rating rests on (answers, evidence) is shown as a link only
when the reader may read it under the self-assessment's own rules
(:mod:`parasat.assessment.access`); otherwise the page says there is a source
the reader may not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404

from parasat.accounts.models import User
from parasat.analysis.caching import analysis_version
from parasat.analysis.models import AnalysisStage, AreaAssessment
from parasat.assessment import access as assessment_access
from parasat.assessment.access import Reader
from parasat.assessment.models import Answer, Evidence
from parasat.reviews.access import ReviewAccess
from parasat.reviews.caching import reviews_version
from parasat.reviews.disclosure import Audience, Confidentiality, audience_for
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import PolicyArea

A = AreaAssessment.State


def admission(stage: AnalysisStage | None) -> dict[str, bool]:
    """What the analysis's stage admits beyond the team and the government."""
    return {
        "peers": bool(stage and stage.peers_opened_at),
        "public": bool(stage and stage.published_at),
    }


def analysis_audience(access: ReviewAccess, stage: AnalysisStage | None) -> Audience:
    """The audience a person's roles make for the analysis, as its stage admits
    it. A contact person, who reads no one's work but their ministry's in the
    self-assessment, reads the analysis as the public does."""
    audience = audience_for(access)
    if audience.clearance is None and not audience.whole_government:
        audience = replace(audience, clearance=Confidentiality.PUBLIC)
    return audience.admitting(**admission(stage))


def writes(audience: Audience) -> bool:
    """The audience is the analytical team (the authors) or the government side."""
    return audience.whole_government or audience.in_team


# --- The gate: every read of assessments goes through this ------------------


def assessment_filter(audience: Audience, prefix: str = "") -> Q:
    """A filter on assessments (``prefix`` leads to AreaAssessment from another
    model): every one of the review for the team and the co-ordinator, else
    the agreed ones at a level the audience reads."""
    in_review = Q(**{f"{prefix}review": audience.review_id})
    if writes(audience):
        return in_review
    if audience.clearance is None:
        return Q(pk__in=[])
    return (
        in_review
        & Q(**{f"{prefix}state": A.AGREED})
        & audience.level_filter(f"{prefix}confidentiality")
    )


def readable_assessments(audience: Audience) -> QuerySet[AreaAssessment]:
    return AreaAssessment.objects.filter(assessment_filter(audience))


@dataclass(frozen=True, kw_only=True)
class AnalysisReader(Audience):
    """One signed-in person reading one review's analysis: the audience their
    roles make as the stage admits it, what they may do, and ``sources``, the
    same person as a reader of the self-assessment (for the links)."""

    access: ReviewAccess
    user: User
    stage: AnalysisStage | None
    sources: Reader

    @classmethod
    def of(cls, sources: Reader, stage: AnalysisStage | None) -> AnalysisReader:
        audience = analysis_audience(sources.access, stage)
        return cls(
            review_id=audience.review_id,
            clearance=audience.clearance,
            ministries=audience.ministries,
            whole_government=audience.whole_government,
            access=sources.access,
            user=sources.user,
            stage=stage,
            sources=sources,
        )

    @property
    def review(self) -> Review:
        return self.access.review

    @property
    def sees_drafts(self) -> bool:
        return writes(self)

    @property
    def peers_open(self) -> bool:
        return admission(self.stage)["peers"]

    @property
    def published(self) -> bool:
        return admission(self.stage)["public"]

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    def assessments(self) -> QuerySet[AreaAssessment]:
        return readable_assessments(self)

    def may_edit(self, assessment: AreaAssessment | None) -> bool:
        return self.can(Perm.DRAFT_ANALYSIS) and (assessment is None or assessment.is_editable)

    def may_send(self, assessment: AreaAssessment | None) -> bool:
        return (
            assessment is not None
            and self.can(Perm.DRAFT_ANALYSIS)
            and assessment.state in AreaAssessment.EDITABLE
        )

    def may_agree(self, assessment: AreaAssessment | None) -> bool:
        """An expert or analyst who did not send it for review (four eyes)."""
        return (
            assessment is not None
            and self.can(Perm.AGREE_ANALYSIS)
            and assessment.state == A.TEAM_REVIEW
            and assessment.sent_for_review_by_id != self.user.pk
        )

    def may_return(self, assessment: AreaAssessment | None) -> bool:
        return (
            assessment is not None
            and (self.can(Perm.AGREE_ANALYSIS) or self.can(Perm.DRAFT_ANALYSIS))
            and assessment.state == A.TEAM_REVIEW
        )

    def may_reopen(self, assessment: AreaAssessment | None) -> bool:
        return (
            assessment is not None
            and (self.can(Perm.AGREE_ANALYSIS) or self.can(Perm.DRAFT_ANALYSIS))
            and assessment.state == A.AGREED
        )

    def may_comment(self) -> bool:
        return self.can(Perm.COMMENT_ANALYSIS)

    def may_rate_for_government(self) -> bool:
        return self.can(Perm.RATE_FOR_GOVERNMENT)

    # --- what a finding or rating rests on --------------------------------

    def readable_answer_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that are answers this person may read."""
        wanted = set(ids)
        if not wanted:
            return set()
        return set(
            self.sources.answers().filter(pk__in=wanted).values_list("pk", flat=True).order_by()
        )

    def readable_evidence_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that are evidence items this person may see."""
        wanted = set(ids)
        if not wanted:
            return set()
        return set(
            readable_evidence(self.sources).filter(pk__in=wanted).values_list("pk", flat=True)
        )


def readable_evidence(sources: Audience) -> QuerySet[Evidence]:
    """Evidence items whose answer ``sources`` reads, at a level it reads (its
    own ministry's whatever their level), as the self-assessment shows them."""
    own = assessment_access.own_work(sources, "answer__assignment__")
    return (
        Evidence.objects.filter(assessment_access.answer_filter(sources, "answer__"))
        .filter(own | sources.level_filter())
        .order_by()
    )


def readable_answers(sources: Audience) -> QuerySet[Answer]:
    return assessment_access.readable_answers(sources)


def _stage_of(review: Review) -> AnalysisStage | None:
    return AnalysisStage.objects.filter(review=review).first()


def get_reader(
    user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW_ANALYSIS
) -> AnalysisReader:
    """The analysis of review ``slug`` as ``user`` may see it. Anonymous
    readers never reach it; 404/403 as for the review itself. The stage comes
    from the shared cache, keyed by the reviews' version token."""
    if not user.is_authenticated:
        raise Http404
    sources = assessment_access.get_reader(user, slug, perm=perm)
    stage = cache.get_or_set(
        f"analysis:stage:{reviews_version()}:{sources.review.pk}",
        lambda: _stage_of(sources.review) or False,
        300,
    )
    return AnalysisReader.of(sources, stage or None)


def get_area(code: str) -> PolicyArea:
    area = PolicyArea.objects.filter(code=code).order_by("pk").first()
    if area is None:
        raise Http404
    return area


def readable_codes(reader: AnalysisReader) -> dict[str, int]:
    """Area code -> pk of the assessments the reader may read, from the shared
    cache: the set changes only with the analysis (its token), the stage and
    the roles (the reviews' token), and is the same for every reader of the
    same clearance. Spares the area page served from its cache every query
    but the answers' token."""
    audience = f"{reader.clearance}:{reader.whole_government}:{reader.in_team}"
    key = (
        f"analysis:codes:{reviews_version()}:{analysis_version(reader.review_id)}:"
        f"{reader.review_id}:{audience}"
    )
    return cache.get_or_set(
        key, lambda: dict(reader.assessments().order_by().values_list("area__code", "pk")), 300
    )


def get_assessment(reader: AnalysisReader, area: PolicyArea) -> AreaAssessment | None:
    """The assessment of ``area`` if the reader may read it; None when there is
    none yet and the reader writes or reads drafts (the page offers to start
    it); 404 otherwise."""
    assessment = (
        reader.assessments().filter(area_id=area.pk).select_related("area").order_by("pk").first()
    )
    if assessment is None and not reader.sees_drafts:
        raise Http404
    return assessment
