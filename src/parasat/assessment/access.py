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
from parasat.assessment.models import Answer, AssessmentStage, Assignment, Evidence
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.caching import reviews_version
from parasat.reviews.disclosure import Audience, Confidentiality, audience_for, levels_from
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm


def team_reads(answer: Answer) -> bool:
    """The analytical team reads ``answer`` (and its comments): forwarded to it
    and not marked government only. What it is told by email follows this."""
    return answer.status == Answer.Status.FORWARDED and answer.confidentiality in levels_from(
        Confidentiality.TEAM
    )


def admission(stage: AssessmentStage | None) -> dict[str, bool]:
    """What the self-assessment's stage admits beyond the team: peer reviewers
    once peer review is open, civil society and business once published."""
    return {
        "peers": bool(stage and stage.peer_review_opened_at),
        "public": bool(stage and stage.published_at),
    }


def audience_of(access: ReviewAccess, stage: AssessmentStage | None) -> Audience:
    """The audience a person's roles make, as the self-assessment's stage admits it."""
    return audience_for(access).admitting(**admission(stage))


# --- The gate: every read of answers and files goes through these -----------


def answer_filter(audience: Audience, prefix: str = "") -> Q:
    """A filter on answers (``prefix`` leads to Answer from another model): the
    audience's own ministries' work whatever its state and level, and beyond it
    the answers forwarded to the analytical team at a level it reads."""
    in_review = Q(**{f"{prefix}assignment__review": audience.review_id})
    if audience.whole_government:
        return in_review
    parts = own_work(audience, f"{prefix}assignment__")
    if audience.clearance is not None:
        parts |= Q(**{f"{prefix}status": Answer.Status.FORWARDED}) & audience.level_filter(
            f"{prefix}confidentiality"
        )
    return in_review & parts


def own_work(audience: Audience, prefix: str = "") -> Q:
    """A filter on assignments (``prefix`` leads to Assignment from another
    model) keeping those of the audience's ministries. Being named the
    assignee adds nothing: an assignee is always a contact person of the
    ministry, and one who has left it has left its work too."""
    return Q(**{f"{prefix}ministry__in": audience.ministries})


def readable_answers(audience: Audience) -> QuerySet[Answer]:
    """Every answer of the review the audience may read."""
    return Answer.objects.filter(answer_filter(audience))


def assignment_answers(audience: Audience, assignment: Assignment) -> QuerySet[Answer]:
    """The answers of ``assignment`` (one of the audience's review) the
    audience may read: :func:`answer_filter` for one assignment, whose
    ministry's work is the audience's own or not for all of its answers. The
    same rows as ``readable_answers(audience).filter(assignment=assignment)``,
    with no join (the answer form runs it on every request)."""
    answers = Answer.objects.filter(assignment=assignment)
    if assignment.review_id != audience.review_id:
        return answers.none()
    if audience.owns(assignment.ministry_id):
        return answers
    if audience.clearance is None:
        return answers.none()
    return answers.filter(audience.level_filter(), status=Answer.Status.FORWARDED)


def is_own(audience: Audience, answer: Answer, assignment: Assignment | None = None) -> bool:
    """The answer is the audience's government side's own work."""
    assignment = assignment or answer.assignment
    return audience.owns(assignment.ministry_id)


def evidence_filter(audience: Audience, answer: Answer) -> Q:
    """A filter on one answer's evidence keeping the files the audience may see."""
    if is_own(audience, answer):
        return Q()
    return audience.level_filter()


def may_see_comments(audience: Audience, answer: Answer) -> bool:
    return is_own(audience, answer) or (audience.in_team and team_reads(answer))


@dataclass(frozen=True, kw_only=True)
class Reader(Audience):
    """One signed-in person reading one review's self-assessment: the audience
    their roles make as the stage admits it, with what they may do."""

    access: ReviewAccess
    user: User
    stage: AssessmentStage | None = None

    @classmethod
    def of(cls, access: ReviewAccess, user: User, stage: AssessmentStage | None) -> Reader:
        audience = audience_of(access, stage)
        return cls(
            review_id=audience.review_id,
            clearance=audience.clearance,
            ministries=audience.ministries,
            whole_government=audience.whole_government,
            access=access,
            user=user,
            stage=stage,
        )

    @property
    def review(self) -> Review:
        return self.access.review

    @property
    def peer_review_open(self) -> bool:
        return admission(self.stage)["peers"]

    @property
    def published(self) -> bool:
        return admission(self.stage)["public"]

    @property
    def is_coordinator(self) -> bool:
        return self.whole_government

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    def own_work(self, prefix: str = "") -> Q:
        return own_work(self, prefix)

    def answer_filter(self, prefix: str = "") -> Q:
        return answer_filter(self, prefix)

    def answers(self) -> QuerySet[Answer]:
        return readable_answers(self)

    def is_own(self, answer: Answer, assignment: Assignment | None = None) -> bool:
        return is_own(self, answer, assignment)

    def may_edit(self, answer: Answer) -> bool:
        return self.can(Perm.ANSWER) and answer.is_editable and self.is_own(answer)

    def may_edit_assignment(self, assignment: Assignment) -> bool:
        return self.can(Perm.ANSWER) and self.owns(assignment.ministry_id)

    def may_see_evidence(self, answer: Answer, evidence: Evidence) -> bool:
        return self.is_own(answer) or self.reads(evidence.confidentiality)

    def evidence_filter(self, answer: Answer) -> Q:
        return evidence_filter(self, answer)

    def may_comment(self, answer: Answer) -> bool:
        if not self.can(Perm.COMMENT):
            return False
        if self.is_own(answer):
            return True
        return self.in_team and team_reads(answer)

    def may_see_comments(self, answer: Answer) -> bool:
        return may_see_comments(self, answer)


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
    return Reader.of(access, user, stage or None)  # type: ignore[arg-type]


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


def get_assignment(
    reader: Reader, pk: int, queryset: QuerySet[Assignment] | None = None
) -> Assignment:
    """An assignment whose answers the reader may read at least in part, with
    what its pages show (or what ``queryset`` reads of it)."""
    if queryset is None:
        queryset = Assignment.objects.for_pages()
    # A list, not .first(): the pk finds one row at most, and first() would
    # order it, which costs more to build than the query takes to run.
    found = list(queryset.filter(review=reader.review, pk=pk).order_by())
    if not found:
        raise Http404
    assignment = found[0]
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
