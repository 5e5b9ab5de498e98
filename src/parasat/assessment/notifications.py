"""Who must act next, told by email. Services call these functions inside
their transaction; the messages are queued as a background task when the
transaction commits, so a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from parasat.accounts.models import User
from parasat.assessment.models import Answer, Assignment, Comment
from parasat.assessment.tasks import send_notice
from parasat.reviews.models import Participant, Review, Role


def _people(review: Review, roles: Iterable[str], *, ministry_id: int | None = None) -> list[int]:
    qs = Participant.objects.filter(review=review, role__in=list(roles), active=True)
    if ministry_id is not None:
        qs = qs.filter(organisation_id=ministry_id)
    return sorted(set(qs.values_list("user_id", flat=True)))


def _working_group(assignment: Assignment) -> list[int]:
    if assignment.assignee_id:
        return [assignment.assignee_id]
    return _people(assignment.review, [Role.CONTACT_PERSON], ministry_id=assignment.ministry_id)


def _send(kind: str, user_ids: Iterable[int], *, exclude: User | None = None, **ids: int) -> None:
    recipients = sorted({pk for pk in user_ids if exclude is None or pk != exclude.pk})
    if not recipients:
        return
    transaction.on_commit(lambda: send_notice.enqueue(kind=kind, user_ids=recipients, **ids))


def assignment_given(assignment: Assignment) -> None:
    _send(
        "assigned",
        _working_group(assignment),
        exclude=assignment.assigned_by,
        assignment_id=assignment.pk,
    )


def answers_submitted(assignment: Assignment, answers: list[Answer], *, by: User) -> None:
    _send(
        "submitted",
        _people(assignment.review, [Role.COORDINATOR]),
        exclude=by,
        assignment_id=assignment.pk,
        count=len(answers),
    )


def answers_returned(answers: list[Answer], *, by: User, reason: str) -> None:
    by_assignment: dict[int, Assignment] = {a.assignment_id: a.assignment for a in answers}
    for assignment in by_assignment.values():
        count = sum(1 for a in answers if a.assignment_id == assignment.pk)
        _send(
            "returned",
            _working_group(assignment),
            exclude=by,
            assignment_id=assignment.pk,
            count=count,
        )


def answers_forwarded(review: Review, answers: list[Answer], *, by: User) -> None:
    assignment_ids = sorted({a.assignment_id for a in answers})
    for assignment_id in assignment_ids:
        count = sum(1 for a in answers if a.assignment_id == assignment_id)
        _send(
            "forwarded",
            _people(review, [Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT]),
            exclude=by,
            assignment_id=assignment_id,
            count=count,
        )


def comment_posted(comment: Comment) -> None:
    answer = comment.answer
    assignment = answer.assignment
    people = set(_working_group(assignment)) | set(_people(assignment.review, [Role.COORDINATOR]))
    if answer.status == Answer.Status.FORWARDED:
        people |= set(_people(assignment.review, [Role.ANALYST]))
    _send(
        "comment", people, exclude=comment.author, assignment_id=assignment.pk, answer_id=answer.pk
    )
