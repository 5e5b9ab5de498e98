"""Background work of the self-assessment, run by the task worker that
``parasat serve`` (and so ``make run``) starts beside the web server."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from parasat.accounts.models import User
from parasat.assessment.models import OPEN_STATUSES, Answer, Assignment, Reminder
from parasat.assessment.selectors import people_in_roles, working_group
from parasat.reviews.models import Role

REMINDER_DAYS_BEFORE = 3

# Tasks of higher apps queued on the same schedule as the due-date reminders
# (``parasat assessment reminders``, which ``parasat serve`` runs): an app adds
# its own in its AppConfig.ready, so this app never imports it.
SCHEDULED: list[Any] = []


def schedule_with_reminders(scheduled_task: Any) -> None:
    """Queue ``scheduled_task`` (a task taking no argument) whenever the
    due-date reminders are queued. Each must be safe to run as often as one likes."""
    if scheduled_task not in SCHEDULED:
        SCHEDULED.append(scheduled_task)


def site_url(path: str) -> str:
    """The address of ``path`` for an email (PARASAT_SITE_URL)."""
    return settings.PARASAT_SITE_URL.rstrip("/") + path


def mail_person(user: User, template: str, context: dict) -> None:
    """Email ``user`` in their language: the template's first line is the subject."""
    if not user.email:
        return
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        text = render_to_string(template, {**context, "person": user})
    subject, _sep, body = text.strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [user.email])


@task
def send_notice(
    *,
    kind: str,
    user_ids: list[int],
    assignment_id: int,
    count: int = 0,
    answer_id: int | None = None,
) -> int:
    """Email each recipient about an assignment: given, submitted, returned,
    forwarded, or commented on. Returns how many messages were sent."""
    assignment = (
        Assignment.objects.select_related("review", "questionnaire", "ministry")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return 0
    path = reverse("assessment:assignment", args=[assignment.review.slug, assignment.pk])
    if answer_id is not None:
        path = reverse("assessment:answer", args=[assignment.review.slug, answer_id])
    context = {"assignment": assignment, "count": count, "kind": kind, "url": site_url(path)}
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        mail_person(user, f"assessment/email/{kind}.txt", context)
        sent += 1
    return sent


@task
def send_due_reminders() -> int:
    """Remind the working group a few days before a due date and escalate to
    the co-ordinator once it has passed, each at most once per due date.
    Safe to run as often as one likes."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=REMINDER_DAYS_BEFORE)
    open_assignments = (
        Assignment.objects.filter(due_on__lte=soon)
        .filter(pk__in=Answer.objects.filter(OPEN_STATUSES).values("assignment_id"))
        .select_related("review", "questionnaire", "ministry")
    )
    sent = 0
    for assignment in open_assignments:
        kind = Reminder.Kind.OVERDUE if assignment.due_on < today else Reminder.Kind.DUE_SOON
        recipients = working_group(assignment)
        if kind == Reminder.Kind.OVERDUE:
            recipients |= people_in_roles(assignment.review, [Role.COORDINATOR])
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    assignment=assignment,
                    kind=kind,
                    due_on=assignment.due_on,
                    sent_at=timezone.now(),
                    recipients=sorted(recipients),
                )
        except IntegrityError:
            continue  # already sent for this due date
        path = reverse("assessment:assignment", args=[assignment.review.slug, assignment.pk])
        context = {"assignment": assignment, "url": site_url(path), "today": today}
        for user in User.objects.filter(pk__in=recipients, is_active=True):
            mail_person(user, f"assessment/email/{kind}.txt", context)
            sent += 1
    return sent
