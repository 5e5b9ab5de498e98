"""Who reads and writes which part of a report. Views, exports, jobs and the
API reach reports only through these functions.

- The analytical team writes the working text and reads it and every version.
- The government (the co-ordinator and the ministries' contact persons, to
  whom the preliminary report goes: Annex I §IV step 6) reads every issued
  version and comments on each stage.
- Peer reviewers read the draft for peer review and the final report once
  issued, and comment on the draft (step 7).
- Everyone, signed in or not, reads the final report once it is published:
  the read edition (:mod:`parasat.reports.views.read`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from parasat.accounts.models import User
from parasat.reports.models import STAGE_LEVEL, Report, ReportComment, ReportVersion, Stage
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.disclosure import Audience, audience_for
from parasat.reviews.models import Review, Role
from parasat.reviews.permissions import Perm

GOVERNMENT_ROLES = frozenset({Role.COORDINATOR, Role.CONTACT_PERSON})


def report_audience(access: ReviewAccess, report: Report | None) -> Audience:
    """The audience a person's roles make for the report, as its stage admits
    it: a contact person reads as the government does (the report is sent to
    the government), peers once the draft for peer review is issued, the
    public once the final report is published."""
    if access.roles & GOVERNMENT_ROLES and not access.is_admin:
        audience = Audience.government(access.review.pk)
    else:
        audience = audience_for(access)
    peers = report is not None and (
        report.stage_index > 1 or (report.stage == Stage.PEER_REVIEW and not report.is_editable)
    )
    public = report is not None and report.published_at is not None
    return audience.admitting(peers=peers, public=public)


@dataclass(frozen=True)
class ReportReader:
    """One signed-in person reading one review's report."""

    access: ReviewAccess
    user: User
    audience: Audience
    report: Report | None

    @property
    def review(self) -> Review:
        return self.access.review

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    @property
    def writes(self) -> bool:
        """The analytical team: reads and writes the working text."""
        return self.can(Perm.DRAFT_REPORT)

    def reads(self, version: ReportVersion) -> bool:
        return (
            self.writes
            or self.audience.whole_government
            or (self.audience.reads(STAGE_LEVEL[Stage(version.stage)]))
        )

    def may_comment(self, version: ReportVersion) -> bool:
        """The stage admits the person's comments: the team and the government
        on every stage, peer reviewers on the draft for peer review."""
        if version.closed_at is not None or not self.can(Perm.COMMENT_REPORT):
            return False
        if not self.reads(version):
            return False
        if self.writes or self.audience.whole_government:
            return True
        return Role.PEER_REVIEWER in self.access.roles and version.stage == Stage.PEER_REVIEW

    def may_respond(self, comment: ReportComment) -> bool:
        return self.writes and comment.version.closed_at is None

    @property
    def may_manage(self) -> bool:
        return self.can(Perm.MANAGE_REPORT)


def get_reader(
    user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW_REPORT
) -> ReportReader:
    """The report of review ``slug`` as ``user`` may see it (404/403 as for
    the review itself; a signed-out visitor reads only the read edition)."""
    if not user.is_authenticated:
        raise Http404
    access = get_review_for_user(user, slug, perm=perm)
    report = Report.objects.filter(review=access.review).first()
    return ReportReader(access, user, report_audience(access, report), report)


def get_report(reader: ReportReader) -> Report:
    if reader.report is None:
        raise Http404
    return reader.report


def readable_versions(reader: ReportReader) -> list[ReportVersion]:
    if reader.report is None:
        return []
    return [v for v in reader.report.versions.defer("content") if reader.reads(v)]


def get_version(reader: ReportReader, number: int) -> ReportVersion:
    """Version ``number`` if the reader may read it; 404 otherwise."""
    report = get_report(reader)
    version = ReportVersion.objects.filter(report=report, number=number).first()
    if version is None or not reader.reads(version):
        raise Http404
    return version


def get_comment(reader: ReportReader, pk: int) -> ReportComment:
    comment = (
        ReportComment.objects.filter(pk=pk, version__report=get_report(reader))
        .select_related("version")
        .first()
    )
    if comment is None or not reader.reads(comment.version):
        raise Http404
    return comment


def published_report(slug: str) -> tuple[Report, ReportVersion]:
    """The published final report of review ``slug``, for anyone; 404 before."""
    report = (
        Report.objects.select_related("review")
        .filter(review__slug=slug, published_at__isnull=False)
        .first()
    )
    if report is None:
        raise Http404
    version = report.versions.filter(stage=Stage.FINAL).first()
    if version is None:
        raise Http404
    return report, version
