"""Who reads and edits which answers. Views, exports, downloads and the API
reach answers only through these functions.

- The co-ordinator reads every answer of the review and decides on them.
- A contact person reads and edits the answers of their ministry's assignments.
- The analytical team (analysts, experts, the local consultant) reads answers
  forwarded to it, unless they are marked government only.
- Peer reviewers read forwarded answers marked for peers or the public, once
  the analytical team has opened peer review.
- Civil-society and business representatives read forwarded answers marked
  public, once the review has published them.
The same levels apply to each evidence file, on top of its answer's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from parasat.accounts.models import User
from parasat.assessment.models import (
    Answer,
    AssessmentStage,
    Assignment,
    Confidentiality,
    Evidence,
    levels_from,
)
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.caching import reviews_version
from parasat.reviews.models import Review, Role
from parasat.reviews.permissions import ANALYTICAL_TEAM, Perm

_STAKEHOLDERS = {Role.CIVIL_SOCIETY, Role.BUSINESS}


def team_reads(answer: Answer) -> bool:
    """The analytical team reads ``answer`` (and its comments): forwarded to it
    and not marked government only. What it is told by email follows this."""
    return answer.status == Answer.Status.FORWARDED and answer.confidentiality in levels_from(
        Confidentiality.TEAM
    )


@dataclass(frozen=True)
class Reader:
    """What one user may read and change in one review's self-assessment."""

    access: ReviewAccess
    user: User
    stage: AssessmentStage | None = None

    @property
    def ministries(self) -> frozenset[int]:
        """The ministries whose work is the reader's (as their contact person)."""
        return self.access.ministries

    @property
    def review(self) -> Review:
        return self.access.review

    @property
    def peer_review_open(self) -> bool:
        return bool(self.stage and self.stage.peer_review_opened_at)

    @property
    def published(self) -> bool:
        return bool(self.stage and self.stage.published_at)

    @property
    def is_coordinator(self) -> bool:
        return self.access.is_admin or Role.COORDINATOR in self.access.roles

    @property
    def in_team(self) -> bool:
        """The reader belongs to the analytical team (analyst, expert, local consultant)."""
        return bool(self.access.roles & ANALYTICAL_TEAM)

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    def clearance(self) -> str | None:
        """The narrowest level this reader may read outside their own ministry's
        work, or None when they read nothing forwarded."""
        roles = self.access.roles
        if self.is_coordinator:
            return Confidentiality.GOVERNMENT
        if self.in_team:
            return Confidentiality.TEAM
        if Role.PEER_REVIEWER in roles and self.peer_review_open:
            return Confidentiality.PEERS
        if roles & _STAKEHOLDERS and self.published:
            return Confidentiality.PUBLIC
        return None

    def own_work(self, prefix: str = "") -> Q:
        """A filter on assignments (``prefix`` leads to Assignment from another
        model) keeping those of the reader's ministries. Being named the
        assignee adds nothing: an assignee is always a contact person of the
        ministry, and one who has left it has left its work too."""
        return Q(**{f"{prefix}ministry__in": self.ministries})

    def answer_filter(self, prefix: str = "") -> Q:
        """A filter on answers (``prefix`` leads to Answer from another model)."""
        if self.is_coordinator:
            return Q(**{f"{prefix}assignment__review": self.review})
        parts = self.own_work(f"{prefix}assignment__")
        level = self.clearance()
        if level is not None:
            parts |= Q(
                **{
                    f"{prefix}status": Answer.Status.FORWARDED,
                    f"{prefix}confidentiality__in": levels_from(level),
                }
            )
        return Q(**{f"{prefix}assignment__review": self.review}) & parts

    def answers(self) -> QuerySet[Answer]:
        return Answer.objects.filter(self.answer_filter())

    def is_own(self, answer: Answer, assignment: Assignment | None = None) -> bool:
        """The answer is the reader's government side's own work."""
        assignment = assignment or answer.assignment
        return self.is_coordinator or assignment.ministry_id in self.ministries

    def may_edit(self, answer: Answer) -> bool:
        return self.can(Perm.ANSWER) and answer.is_editable and self.is_own(answer)

    def may_edit_assignment(self, assignment: Assignment) -> bool:
        return self.can(Perm.ANSWER) and (
            self.is_coordinator or assignment.ministry_id in self.ministries
        )

    def may_see_evidence(self, answer: Answer, evidence: Evidence) -> bool:
        if self.is_own(answer):
            return True
        level = self.clearance()
        return level is not None and evidence.confidentiality in levels_from(level)

    def evidence_filter(self, answer: Answer) -> Q:
        if self.is_own(answer):
            return Q()
        level = self.clearance()
        if level is None:
            return Q(pk__in=[])
        return Q(confidentiality__in=levels_from(level))

    def may_comment(self, answer: Answer) -> bool:
        if not self.can(Perm.COMMENT):
            return False
        if self.is_own(answer):
            return True
        return self.in_team and team_reads(answer)

    def may_see_comments(self, answer: Answer) -> bool:
        return self.is_own(answer) or (self.in_team and team_reads(answer))


# Who moved the stage, as the dashboard names them: what is cached carries no more.
_STAGE_FIELDS = (
    "review",
    "peer_review_opened_at",
    "peer_review_opened_by",
    "published_at",
    "published_by",
    *(
        f"{who}__{name}"
        for who in ("peer_review_opened_by", "published_by")
        for name in ("username", "full_name", "first_name", "last_name")
    ),
)


def _stage_of(review: Review) -> AssessmentStage | None:
    return (
        AssessmentStage.objects.filter(review=review)
        .select_related("peer_review_opened_by", "published_by")
        .only(*_STAGE_FIELDS)
        .first()
    )


def get_reader(
    user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW_ASSESSMENT
) -> Reader:
    """The self-assessment of review ``slug`` as ``user`` may see it.
    Anonymous readers never reach it; 404/403 as for the review itself.

    The stage comes from the shared cache, keyed by the reviews' version token,
    which changes whenever the stage does (every request of the
    self-assessment starts here); the ministries come with the review access."""
    if not user.is_authenticated:
        raise Http404
    access = get_review_for_user(user, slug, perm=perm)
    stage = cache.get_or_set(
        f"assessment:stage:{reviews_version()}:{access.review.pk}",
        lambda: _stage_of(access.review) or False,
        300,
    )
    return Reader(access=access, user=user, stage=stage or None)  # type: ignore[arg-type]


def get_answer(reader: Reader, pk: int) -> Answer:
    """An answer the reader may read, with its assignment, question and questionnaire."""
    answer = (
        reader.answers()
        .select_related(
            "assignment__questionnaire__area",
            "assignment__ministry",
            "assignment__assignee",
            "question__choice_list",
            "updated_by",
        )
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def get_answer_for_edit(reader: Reader, pk: int) -> Answer:
    answer = get_answer(reader, pk)
    if not reader.is_own(answer) or not reader.can(Perm.ANSWER):
        raise PermissionDenied
    return answer


def get_assignment(reader: Reader, pk: int) -> Assignment:
    """An assignment whose answers the reader may read at least in part."""
    assignment = (
        Assignment.objects.for_pages().filter(review=reader.review, pk=pk).order_by().first()
    )
    if assignment is None:
        raise Http404
    if not (
        reader.may_edit_assignment(assignment)
        or reader.can(Perm.VIEW_PROGRESS)
        or reader.answers().filter(assignment=assignment).exists()
    ):
        raise Http404
    return assignment


def get_evidence(reader: Reader, pk: int) -> Evidence:
    """An evidence item whose answer and own level the reader may read."""
    evidence = (
        Evidence.objects.select_related("answer__assignment")
        .filter(pk=pk, answer__in=reader.answers())
        .first()
    )
    if evidence is None or not reader.may_see_evidence(evidence.answer, evidence):
        raise Http404
    return evidence
