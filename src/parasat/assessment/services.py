"""Every write of the self-assessment. Each function is atomic, keyword-only,
checks the state it starts from, and records who did what and when; nothing
is deleted or overwritten without a trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation, User
from parasat.assessment import evidence, notifications
from parasat.assessment.caching import assessment_changed
from parasat.assessment.models import (
    Answer,
    AnswerVersion,
    AssessmentStage,
    Assignment,
    Comment,
    Confidentiality,
    Evidence,
    Transition,
)
from parasat.assessment.values import (
    MAX_TEXT,
    check_answers,
    is_answerable,
    is_empty,
    normalise,
)
from parasat.reviews.models import Participant, Review, Role
from parasat.toolkit.models import PolicyArea, Question, Questionnaire
from parasat.toolkit.selectors import latest_versions
from parasat.toolkit.services import questionnaire_freeze

S = Answer.Status
MAX_COMMENT = 10_000


class NotSubmittable(ValidationError):
    """Answers that cannot be submitted yet: ``problems`` holds each question
    with what it still needs; the messages read "CODE: what it needs"."""

    def __init__(self, problems: list[tuple[Question, str]]) -> None:
        self.problems = problems
        super().__init__(
            [
                _("%(code)s: %(message)s") % {"code": q.code or q.name, "message": message}
                for q, message in problems
            ]
        )


class EditConflict(Exception):
    """Someone saved the answer after the version this save started from."""

    def __init__(self, answer: Answer, mine: dict[str, Any]) -> None:
        super().__init__("edit conflict")
        self.answer = answer
        self.mine = mine


# --- assignments -------------------------------------------------------------


def _check_assignee(review: Review, ministry: Organisation, assignee: User | None) -> None:
    if assignee is None:
        return
    if not Participant.objects.filter(
        review=review, user=assignee, role=Role.CONTACT_PERSON, active=True, organisation=ministry
    ).exists():
        raise ValidationError(
            _("%(person)s is not a contact person of %(ministry)s in this review.")
            % {"person": assignee, "ministry": ministry}
        )


def _lock_assignments(review: Review) -> None:
    """Take the review's row lock, so that two co-ordinators assigning at once
    queue and the second sees the first's assignment ("one assignment per
    questionnaire" holds across versions, which no constraint can say). SQLite
    lets one writer in at a time anyway."""
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk").first()


def _check_due(due_on: dt.date) -> None:
    if due_on < timezone.localdate() - dt.timedelta(days=366) or due_on.year > 2100:
        raise ValidationError(_("The due date is not plausible."))


@transaction.atomic
def assignment_create(
    *,
    review: Review,
    questionnaire: Questionnaire,
    ministry: Organisation,
    assignee: User | None,
    due_on: dt.date,
    by: User,
) -> Assignment:
    """Give one questionnaire to a ministry; the version used is frozen and an
    empty draft answer is made for each of its questions."""
    _check_assignee(review, ministry, assignee)
    _check_due(due_on)
    _lock_assignments(review)
    if Assignment.objects.filter(
        review=review, questionnaire__identifier=questionnaire.identifier
    ).exists():
        raise ValidationError(
            _("The questionnaire %(questionnaire)s is already assigned in this review.")
            % {"questionnaire": questionnaire.identifier}
        )
    now = timezone.now()
    assignment = Assignment.objects.create(
        review=review,
        questionnaire=questionnaire,
        ministry=ministry,
        assignee=assignee,
        due_on=due_on,
        assigned_by=by,
        last_activity_at=now,
    )
    questionnaire_freeze(questionnaire=questionnaire)
    questions = [q for q in questionnaire.questions.all() if is_answerable(q)]
    Answer.objects.bulk_create(
        Answer(assignment=assignment, question=q, status=S.DRAFT) for q in questions
    )
    notifications.assignment_given(assignment)
    return assignment


@transaction.atomic
def area_assign(
    *,
    review: Review,
    area: PolicyArea,
    ministry: Organisation,
    assignee: User | None,
    due_on: dt.date,
    by: User,
) -> list[Assignment]:
    """Assign the newest version of each questionnaire of ``area`` not yet assigned."""
    _lock_assignments(review)
    taken = set(
        Assignment.objects.filter(review=review).values_list("questionnaire__identifier", flat=True)
    )
    questionnaires = [
        q
        for q in latest_versions().filter(area=area).order_by("identifier")
        if q.identifier not in taken
    ]
    if not questionnaires:
        raise ValidationError(
            _("Every questionnaire of this area is already assigned, or the area has none.")
        )
    return [
        assignment_create(
            review=review,
            questionnaire=q,
            ministry=ministry,
            assignee=assignee,
            due_on=due_on,
            by=by,
        )
        for q in questionnaires
    ]


def check_reassignable(assignment: Assignment) -> None:
    """Refuse once every answer was forwarded: nothing is left for a ministry to do."""
    if not assignment.answers.exclude(status=S.FORWARDED).exists():
        raise ValidationError(
            _(
                "Every answer of %(questionnaire)s was forwarded to the analytical team: "
                "there is nothing left to reassign."
            )
            % {"questionnaire": assignment.questionnaire.identifier}
        )


@transaction.atomic
def assignment_reassign(
    *,
    assignment: Assignment,
    ministry: Organisation,
    assignee: User | None,
    due_on: dt.date,
    by: User,
) -> Assignment:
    """Give an assignment to another ministry, contact person or due date, while
    some of its answers are still to be forwarded."""
    _check_assignee(assignment.review, ministry, assignee)
    _check_due(due_on)
    check_reassignable(assignment)
    changed = assignment.ministry_id != ministry.pk or assignment.assignee_id != (
        assignee.pk if assignee else None
    )
    assignment.ministry = ministry
    assignment.assignee = assignee
    assignment.due_on = due_on
    assignment.last_activity_at = timezone.now()
    assignment.save()
    if changed:
        notifications.assignment_given(assignment)
    return assignment


# --- answering ---------------------------------------------------------------


def _choice_names(question: Question) -> list[str]:
    if question.choice_list_id is None:
        return []
    return list(question.choice_list.choices.values_list("name", flat=True))


def questionnaire_values(assignment: Assignment) -> dict[str, Any]:
    return {
        name: (value or {}).get("value")
        for name, value in Answer.objects.filter(assignment=assignment).values_list(
            "question__name", "value"
        )
    }


def _touch(assignment_id: int, review_id: int, now: dt.datetime) -> None:
    """Record activity on an assignment: every change of an answer's value or
    state comes here, so the review's kept dashboard is dropped here too."""
    Assignment.objects.filter(pk=assignment_id).update(last_activity_at=now)
    assessment_changed(review_id)


def _record_version(answer: Answer, *, by: User, now: dt.datetime, automatic: bool) -> None:
    answer.version += 1
    AnswerVersion.objects.create(
        answer=answer,
        number=answer.version,
        value=answer.value,
        explanation=answer.explanation,
        confidentiality=answer.confidentiality,
        status=answer.status,
        saved_by=by,
        saved_at=now,
        automatic=automatic,
    )


@transaction.atomic
def answer_save(
    *,
    answer: Answer,
    by: User,
    value: Any,
    explanation: str,
    confidentiality: str,
    base_version: int,
    automatic: bool = False,
    others: dict[str, Any] | None = None,
) -> bool:
    """Save a draft of ``answer``. ``base_version`` is the version the editor
    started from: if someone saved another one since, :class:`EditConflict` is
    raised and nothing is written. Returns False when nothing changed (no new
    version is made for an autosave that repeats the last one).

    The question's constraint is judged with the questionnaire's other answers
    as stored, or as ``others`` gives them (question name -> value): an import
    saving many answers at once passes the values it will leave."""
    locked = (
        # of=self: PostgreSQL cannot lock the nullable side of the choice list's outer join.
        Answer.objects.select_for_update(of=("self",))
        .select_related("question__choice_list", "assignment")
        .get(pk=answer.pk)
    )
    if not locked.is_editable:
        raise ValidationError(
            _("This answer is %(status)s and can no longer be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    stored = normalise(locked.question, value, _choice_names(locked.question))
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_TEXT:
        raise ValidationError(
            _("The explanation is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT}
        )
    if confidentiality not in Confidentiality.values:
        raise ValidationError(_("Choose who may read the answer."))
    new_value = {} if stored is None else {"value": stored}
    if (
        new_value == (locked.value or {})
        and explanation == locked.explanation
        and confidentiality == locked.confidentiality
    ):
        _mirror(locked, answer)
        return False
    if locked.version != base_version:
        raise EditConflict(
            locked,
            {"value": new_value, "explanation": explanation, "confidentiality": confidentiality},
        )
    if not is_empty(stored) and locked.question.constraint:
        values = dict(others) if others is not None else questionnaire_values(locked.assignment)
        values[locked.question.name] = stored
        check = check_answers([locked.question], values).get(locked.question.name)
        if check and check.error:
            raise ValidationError(check.error)
    now = timezone.now()
    locked.value = new_value
    locked.explanation = explanation
    locked.confidentiality = confidentiality
    locked.updated_at = now
    locked.updated_by = by
    _record_version(locked, by=by, now=now, automatic=automatic)
    locked.save(update_fields=list(_SAVED_FIELDS))
    _touch(locked.assignment_id, locked.assignment.review_id, now)
    _mirror(locked, answer)
    return True


# What a save writes; the caller's copy of the answer is brought up to date with them.
_SAVED_FIELDS = ("value", "explanation", "confidentiality", "updated_at", "updated_by", "version")


def _mirror(source: Answer, target: Answer) -> None:
    for name in _SAVED_FIELDS:
        attname = Answer._meta.get_field(name).attname  # updated_by_id: no lookup
        setattr(target, attname, getattr(source, attname))


def _transition(
    answers: Sequence[Answer], to: str, *, by: User, now: dt.datetime, reason: str = ""
) -> None:
    """Move ``answers`` (locked by the caller) to ``to``, each change recorded:
    two queries however many answers (a whole questionnaire is submitted,
    accepted or forwarded at once), not two per answer."""
    Transition.objects.bulk_create(
        Transition(answer=a, from_status=a.status, to_status=to, by=by, at=now, reason=reason)
        for a in answers
    )
    changed: dict[str, str] = {"status": to}
    if to == S.RETURNED:
        changed["return_reason"] = reason
    Answer.objects.filter(pk__in=[a.pk for a in answers]).update(**changed)
    for answer in answers:
        for name, value in changed.items():
            setattr(answer, name, value)


@transaction.atomic
def assignment_submit(
    *, assignment: Assignment, by: User, only: Sequence[int] | None = None
) -> list[Answer]:
    """Submit the editable answers of an assignment (or only those whose pk is
    in ``only``) to the co-ordinator. Every relevant required question must be
    answered and every constraint met; otherwise ValidationError lists each
    problem and nothing is submitted."""
    answers = list(
        Answer.objects.select_for_update(of=("self",))
        .filter(assignment=assignment)
        .select_related("question")
        .order_by("question__order")
    )
    questions = list(assignment.questionnaire.questions.all())
    values = {a.question.name: a.raw for a in answers}
    with_files = set(
        Evidence.objects.filter(
            answer__assignment=assignment, withdrawn_at__isnull=True
        ).values_list("answer__question__name", flat=True)
    )
    checks = check_answers(questions, values, has_evidence=dict.fromkeys(with_files, True))
    targets = [a for a in answers if a.is_editable and (only is None or a.pk in only)]
    if not targets:
        raise ValidationError(_("There is nothing to submit: no answer is in draft or returned."))
    problems = []
    for answer in targets:
        check = checks.get(answer.question.name)
        if check and check.error:
            problems.append((answer.question, check.error))
    if problems:
        raise NotSubmittable(problems)
    now = timezone.now()
    _transition(targets, S.SUBMITTED, by=by, now=now)
    _touch(assignment.pk, assignment.review_id, now)
    notifications.answers_submitted(assignment, targets, by=by)
    return targets


@transaction.atomic
def answers_decide(
    *, answers: Iterable[Answer], by: User, accept: bool, reason: str = ""
) -> list[Answer]:
    """Accept, or return with a reason, submitted answers (one or many at once).
    Every answer must be submitted; otherwise nothing changes."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("Say why the answer is returned."))
    if len(reason) > MAX_COMMENT:
        raise ValidationError(_("The reason is too long."))
    pks = [a.pk for a in answers]
    locked = list(
        Answer.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("question", "assignment__review")
        .order_by("assignment_id", "question__order")
    )
    if not locked:
        raise ValidationError(_("Choose at least one answer."))
    wrong = [a for a in locked if a.status != S.SUBMITTED]
    if wrong:
        raise ValidationError(
            _("Only submitted answers can be accepted or returned: %(codes)s.")
            % {"codes": ", ".join(a.question.code or a.question.name for a in wrong)}
        )
    now = timezone.now()
    _transition(locked, S.ACCEPTED if accept else S.RETURNED, by=by, now=now, reason=reason)
    for assignment_id, review_id in {(a.assignment_id, a.assignment.review_id) for a in locked}:
        _touch(assignment_id, review_id, now)
    if not accept:
        notifications.answers_returned(locked, by=by, reason=reason)
    return locked


@transaction.atomic
def area_forward(
    *, review: Review, area: PolicyArea | None, assignments: Iterable[Assignment] = (), by: User
) -> list[Answer]:
    """Send the accepted answers of an area (or of the given assignments) to the
    analytical team as the preliminary findings."""
    qs = Answer.objects.select_for_update(of=("self",)).filter(
        assignment__review=review, status=S.ACCEPTED
    )
    if area is not None:
        qs = qs.filter(assignment__questionnaire__area=area)
    else:
        qs = qs.filter(assignment__in=list(assignments))
    locked = list(qs.select_related("question", "assignment"))
    if not locked:
        raise ValidationError(_("There are no accepted answers to forward."))
    now = timezone.now()
    _transition(locked, S.FORWARDED, by=by, now=now)
    for assignment_id in {a.assignment_id for a in locked}:
        _touch(assignment_id, review.pk, now)
    notifications.answers_forwarded(review, locked, by=by)
    return locked


# --- comments and evidence ------------------------------------------------------


@transaction.atomic
def comment_post(
    *, answer: Answer, by: User, body: str, corrects: Comment | None = None
) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    if len(body) > MAX_COMMENT:
        raise ValidationError(_("The comment is too long (at most 10000 characters)."))
    if corrects is not None and corrects.answer_id != answer.pk:
        raise ValidationError(_("A correction must belong to the same answer."))
    if corrects is not None and corrects.author_id != by.pk:
        raise ValidationError(_("Only the author of a comment can correct it."))
    comment = Comment.objects.create(
        answer=answer, author=by, body=body, created_at=timezone.now(), corrects=corrects
    )
    _touch(answer.assignment_id, answer.assignment.review_id, comment.created_at)
    notifications.comment_posted(comment)
    return comment


def _lock_editable(answer_pk: int, refusal: str) -> None:
    """Hold the answer until the transaction ends and refuse unless it is still
    editable: the copy a view loaded may have been submitted since."""
    status = Answer.objects.select_for_update().values_list("status", flat=True).get(pk=answer_pk)
    if status not in Answer.EDITABLE:
        raise ValidationError(refusal)


def _evidence_checks(answer: Answer, confidentiality: str, title: str) -> str:
    if not answer.is_editable:
        raise ValidationError(_add_refused())
    return evidence.checked_title(title, confidentiality)


def _add_refused() -> str:
    return _("Evidence can only be added while the answer is a draft or returned.")


def evidence_add_file(
    *, answer: Answer, by: User, upload: UploadedFile, title: str = "", confidentiality: str
) -> Evidence:
    """Attach a file. Its type is sniffed from its content; its storage name is
    random. The file is checked and stored before the transaction, so no
    writer waits while it is copied; it is removed again if the row is not
    written."""
    title = _evidence_checks(answer, confidentiality, title)
    item = Evidence(
        answer=answer,
        confidentiality=confidentiality,
        added_by=by,
        **evidence.file_fields(upload, title),
    )

    def write() -> None:
        _lock_editable(answer.pk, _add_refused())
        item.save()
        _touch(answer.assignment_id, answer.assignment.review_id, item.added_at)

    evidence.store_file(item, upload, write)
    return item


@transaction.atomic
def evidence_add_reference(
    *,
    answer: Answer,
    by: User,
    kind: str,
    title: str,
    url: str = "",
    citation: str = "",
    confidentiality: str,
) -> Evidence:
    """Attach a link or a reference to a legal act."""
    title = _evidence_checks(answer, confidentiality, title)
    item = Evidence(
        answer=answer,
        confidentiality=confidentiality,
        added_by=by,
        **evidence.reference_fields(kind=kind, title=title, url=url, citation=citation),
    )
    item.full_clean(exclude=["file", "answer", "added_by"])
    _lock_editable(answer.pk, _add_refused())
    item.save()
    _touch(answer.assignment_id, answer.assignment.review_id, item.added_at)
    return item


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, by: User) -> Evidence:
    """Withdraw evidence from an answer; it stays on record in the history."""
    _lock_editable(
        evidence.answer_id,
        _("Evidence can only be withdrawn while the answer is a draft or returned."),
    )
    if evidence.withdrawn_at is None:
        evidence.withdrawn_at = timezone.now()
        evidence.withdrawn_by = by
        evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
        assignment = evidence.answer.assignment
        _touch(assignment.pk, assignment.review_id, evidence.withdrawn_at)
    return evidence


# --- stages ----------------------------------------------------------------------


@transaction.atomic
def peer_review_open(*, review: Review, by: User) -> AssessmentStage:
    stage, _created = AssessmentStage.objects.select_for_update().get_or_create(review=review)
    if stage.peer_review_opened_at is None:
        stage.peer_review_opened_at = timezone.now()
        stage.peer_review_opened_by = by
        stage.save(update_fields=["peer_review_opened_at", "peer_review_opened_by"])
    return stage


@transaction.atomic
def answers_publish(*, review: Review, by: User) -> AssessmentStage:
    stage, _created = AssessmentStage.objects.select_for_update().get_or_create(review=review)
    if stage.published_at is None:
        stage.published_at = timezone.now()
        stage.published_by = by
        stage.save(update_fields=["published_at", "published_by"])
    return stage
