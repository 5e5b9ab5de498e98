"""Who must act next, told by email. Services call these functions inside
their transaction; the messages are queued as a background task when the
transaction commits, so a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from parasat.accounts.models import User
from parasat.assessment.access import team_reads
from parasat.assessment.models import Answer, Assignment, Comment
from parasat.assessment.selectors import people_in_roles, working_group
from parasat.assessment.tasks import send_notice
from parasat.reviews.models import Review, Role
from parasat.reviews.permissions import ANALYTICAL_TEAM


def _send(kind: str, user_ids: Iterable[int], *, exclude: User | None = None, **ids: int) -> None:
    recipients = sorted({pk for pk in user_ids if exclude is None or pk != exclude.pk})
    if not recipients:
        return
    transaction.on_commit(lambda: send_notice.enqueue(kind=kind, user_ids=recipients, **ids))


def assignment_given(assignment: Assignment) -> None:
    _send(
        "assigned",
        working_group(assignment),
        exclude=assignment.assigned_by,
        assignment_id=assignment.pk,
    )


def answers_submitted(assignment: Assignment, answers: list[Answer], *, by: User) -> None:
    _send(
        "submitted",
        people_in_roles(assignment.review, [Role.COORDINATOR]),
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
            working_group(assignment),
            exclude=by,
            assignment_id=assignment.pk,
            count=count,
        )


def answers_forwarded(review: Review, answers: list[Answer], *, by: User) -> None:
    """Tell the team of the forwarded answers it may read, per assignment: an
    answer marked government only is forwarded without reaching it."""
    team = people_in_roles(review, ANALYTICAL_TEAM)
    readable = [a for a in answers if team_reads(a)]
    for assignment_id in sorted({a.assignment_id for a in readable}):
        count = sum(1 for a in readable if a.assignment_id == assignment_id)
        _send(
            "forwarded",
            team,
            exclude=by,
            assignment_id=assignment_id,
            count=count,
        )


def comment_posted(comment: Comment) -> None:
    answer = comment.answer
    assignment = answer.assignment
    people = working_group(assignment) | people_in_roles(assignment.review, [Role.COORDINATOR])
    if team_reads(answer):
        people |= people_in_roles(assignment.review, ANALYTICAL_TEAM)
    _send(
        "comment", people, exclude=comment.author, assignment_id=assignment.pk, answer_id=answer.pk
    )
