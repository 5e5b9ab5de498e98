"""Who reads and writes what of a review's action plan. Views, exports, the
feed and the API reach plans, measures, reports and assessments only through
these functions.

- The co-ordinator drafts the plan and reads everything, drafts included.
- The analytical team reads the draft plan too (it wrote the recommendations)
  and every report not marked government only once it is submitted.
- Contact persons read their own ministry's reports whatever their state and
  level; beyond them they read as the public does.
- Everyone else — peer reviewers, civil society and business, and the public
  on the tracker — reads the plan once adopted, and the accepted reports and
  the assessments at a level their audience reads. A report marked for the
  government only never leaves the government.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from parasat.accounts.models import User
from parasat.actionplan.models import (
    Measure,
    MeasureAssessment,
    Plan,
    ProgressEvidence,
    ProgressReport,
)
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.disclosure import Audience, Confidentiality, audience_for
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm

R = ProgressReport.Status


def plan_audience(access: ReviewAccess) -> Audience:
    """The audience a person's roles make for the plan: a contact person reads
    others' work as the public does."""
    audience = audience_for(access)
    if audience.clearance is None and not audience.whole_government:
        return Audience(
            review_id=audience.review_id,
            clearance=Confidentiality.PUBLIC,
            ministries=audience.ministries,
        )
    return audience


def sees_drafts(audience: Audience) -> bool:
    """The co-ordinator's side and the analytical team read the draft plan."""
    return audience.whole_government or audience.in_team


# --- The gates ----------------------------------------------------------------


def plan_readable(audience: Audience, plan: Plan | None) -> bool:
    return plan is not None and (plan.is_adopted or sees_drafts(audience))


def report_filter(audience: Audience, prefix: str = "") -> Q:
    """Reports ``audience`` reads (``prefix`` leads to ProgressReport)."""
    in_review = Q(**{f"{prefix}indicator__measure__plan__review": audience.review_id})
    if audience.whole_government:
        return in_review
    own = (
        Q(**{f"{prefix}indicator__measure__responsible__in": sorted(audience.ministries)})
        if audience.ministries
        else Q(pk__in=[])
    )
    if audience.clearance is None:
        return in_review & own
    states = [R.SUBMITTED, R.ACCEPTED] if audience.in_team else [R.ACCEPTED]
    others = Q(**{f"{prefix}status__in": states}) & audience.level_filter(
        f"{prefix}confidentiality"
    )
    return in_review & (own | others)


def readable_reports(audience: Audience) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(report_filter(audience))


def assessment_filter(audience: Audience, prefix: str = "") -> Q:
    in_review = Q(**{f"{prefix}measure__plan__review": audience.review_id})
    if audience.whole_government:
        return in_review
    return in_review & audience.level_filter(f"{prefix}confidentiality")


def readable_assessments(audience: Audience) -> QuerySet[MeasureAssessment]:
    return MeasureAssessment.objects.filter(assessment_filter(audience))


def readable_evidence(audience: Audience) -> QuerySet[ProgressEvidence]:
    """Evidence of a report or assessment the audience reads, at a level it
    reads (its own ministry's whatever the level)."""
    of_report = Q(report__isnull=False) & report_filter(audience, "report__")
    of_assessment = Q(assessment__isnull=False) & assessment_filter(audience, "assessment__")
    level = audience.level_filter()
    if audience.ministries and not audience.whole_government:
        level |= Q(report__indicator__measure__responsible__in=sorted(audience.ministries))
    return ProgressEvidence.objects.filter((of_report | of_assessment) & level)


# --- The reader ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PlanReader(Audience):
    """One signed-in person reading one review's action plan."""

    access: ReviewAccess
    user: User
    plan: Plan | None

    @property
    def review(self) -> Review:
        return self.access.review

    @property
    def sees_drafts(self) -> bool:
        return sees_drafts(self)

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    def may_draft(self) -> bool:
        return self.can(Perm.DRAFT_PLAN)

    def may_edit(self) -> bool:
        return self.may_draft() and self.plan is not None and self.plan.is_editable

    def may_report_on(self, measure: Measure) -> bool:
        return self.can(Perm.REPORT_PROGRESS) and measure.responsible_id in self.ministries

    def may_decide(self) -> bool:
        return self.can(Perm.DECIDE_PROGRESS)

    def may_assess(self) -> bool:
        return self.can(Perm.ASSESS_MEASURES)

    def reports(self) -> QuerySet[ProgressReport]:
        return readable_reports(self)

    def assessments(self) -> QuerySet[MeasureAssessment]:
        return readable_assessments(self)

    def evidence(self) -> QuerySet[ProgressEvidence]:
        return readable_evidence(self)


def get_reader(user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW_PLAN) -> PlanReader:
    """The action plan of review ``slug`` as ``user`` may see it (signed in:
    the public reads the tracker). 404/403 as for the review itself."""
    if not user.is_authenticated:
        raise Http404
    access = get_review_for_user(user, slug, perm=perm)
    audience = plan_audience(access)
    plan = Plan.objects.filter(review=access.review).first()
    return PlanReader(
        review_id=audience.review_id,
        clearance=audience.clearance,
        ministries=audience.ministries,
        whole_government=audience.whole_government,
        access=access,
        user=user,
        plan=plan,
    )


def get_plan(reader: PlanReader) -> Plan:
    """The plan if the reader may read it (drafts: the government side and the
    team), else 404."""
    if not plan_readable(reader, reader.plan):
        raise Http404
    assert reader.plan is not None
    return reader.plan


def get_measure(reader: PlanReader, code: str) -> Measure:
    plan = get_plan(reader)
    measure = (
        Measure.objects.filter(plan=plan, code=code)
        .select_related("responsible", "parent", "area", "plan")
        .first()
    )
    if measure is None:
        raise Http404
    return measure


def get_report(reader: PlanReader, pk: int) -> ProgressReport:
    report = (
        reader.reports()
        .filter(pk=pk)
        .select_related("indicator__measure__responsible", "indicator__measure__plan")
        .first()
    )
    if report is None:
        raise Http404
    return report


def public_plan(slug: str) -> tuple[Review, Plan]:
    """The adopted plan of a public review, for the signed-out tracker; 404 otherwise."""
    review = Review.objects.filter(slug=slug, is_public=True).first()
    plan = Plan.objects.filter(review=review).first() if review else None
    if review is None or plan is None or not plan.is_adopted:
        raise Http404
    return review, plan
