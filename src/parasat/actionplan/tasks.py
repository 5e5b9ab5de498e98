"""Background work of the action plan, run by the task worker: reminders
before a progress report falls due and an escalation after, each sent once
per indicator and period. Queued with the self-assessment's reminders (see
:func:`parasat.assessment.tasks.schedule_with_reminders`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from parasat.accounts.models import User
from parasat.actionplan.models import Indicator, ProgressReport, Reminder
from parasat.actionplan.periods import due_date, period_ends
from parasat.assessment.selectors import people_in_roles
from parasat.assessment.tasks import mail_person, site_url
from parasat.reviews.models import Role

REMINDER_DAYS_BEFORE = 7
# An escalation goes out for reports that fell due in these last days: a plan
# adopted long after its first periods does not flood the co-ordinator.
ESCALATE_WITHIN_DAYS = 30
DONE = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)


def due_now(today: dt.date) -> list[tuple[Indicator, dt.date, str]]:
    """(indicator, period end, kind) of every report due within the reminder
    window or overdue within the escalation window and not yet submitted."""
    soon = today + dt.timedelta(days=REMINDER_DAYS_BEFORE)
    since = today - dt.timedelta(days=ESCALATE_WITHIN_DAYS)
    indicators = list(
        Indicator.objects.filter(
            withdrawn_at__isnull=True,
            measure__withdrawn_at__isnull=True,
            measure__frozen_at__isnull=True,
            measure__plan__version__gt=0,
        ).select_related("measure__plan__review", "measure__responsible")
    )
    done = set(
        ProgressReport.objects.filter(indicator__in=indicators, status__in=DONE).values_list(
            "indicator_id", "period_end"
        )
    )
    found = []
    for i in indicators:
        for end in period_ends(i.frequency, i.measure.start_on, i.measure.due_on):
            due = due_date(end)
            if due > soon:
                break
            if due < since or (i.pk, end) in done:
                continue
            kind = Reminder.Kind.OVERDUE if due < today else Reminder.Kind.DUE_SOON
            found.append((i, end, kind))
    return found


@task
def send_progress_reminders() -> int:
    """Remind the responsible ministry's contact persons a week before a
    progress report falls due, and escalate to the co-ordinator once it is
    overdue, each at most once. Safe to run as often as one likes."""
    today = timezone.localdate()
    sent = 0
    recipients_of: dict[tuple[int, int], set[int]] = defaultdict(set)
    for indicator, end, kind in due_now(today):
        measure = indicator.measure
        review = measure.plan.review
        key = (review.pk, measure.responsible_id)
        if key not in recipients_of:
            recipients_of[key] = people_in_roles(
                review, [Role.CONTACT_PERSON], ministry_id=measure.responsible_id
            )
        recipients = set(recipients_of[key])
        if kind == Reminder.Kind.OVERDUE:
            recipients |= people_in_roles(review, [Role.COORDINATOR])
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    indicator=indicator,
                    period_end=end,
                    kind=kind,
                    sent_at=timezone.now(),
                    recipients=sorted(recipients),
                )
        except IntegrityError:
            continue  # already sent for this period
        path = reverse(
            "actionplan:report_form",
            args=[review.slug, measure.code, indicator.number, end.isoformat()],
        )
        context = {
            "measure": measure,
            "indicator": indicator,
            "period_end": end,
            "due_on": due_date(end),
            "url": site_url(path),
        }
        for user in User.objects.filter(pk__in=recipients, is_active=True):
            mail_person(user, f"actionplan/email/{kind}.txt", context)
            sent += 1
    return sent
