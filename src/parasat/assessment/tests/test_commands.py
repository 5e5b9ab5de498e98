import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from parasat import cli
from parasat.assessment.management.commands import assessment as command
from parasat.assessment.models import Reminder


def due_in(work, days: int) -> None:
    work.assignment.due_on = timezone.localdate() + dt.timedelta(days=days)
    work.assignment.save()


def reminders(*args: str) -> str:
    out = io.StringIO()
    call_command("assessment", "reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_command_sends_each_reminder_once(work, mailoutbox):
    due_in(work, 2)
    assert "sent: 1" in reminders()
    assert [m.to for m in mailoutbox] == [[work.contact.email]]
    assert "sent: 0" in reminders()
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().kind == Reminder.Kind.DUE_SOON


def test_reminders_command_queues_the_task_for_the_worker(work, mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    due_in(work, 2)
    assert "queued (task " in reminders()
    assert mailoutbox == []  # the worker sends them


def test_reminders_command_with_nothing_due_sends_nothing(work, mailoutbox):
    due_in(work, 30)
    assert "sent: 0" in reminders()
    assert mailoutbox == [] and not Reminder.objects.exists()


def test_reminders_loop_queues_at_once_and_stops_when_its_parent_is_gone(
    work, mailoutbox, monkeypatch
):
    due_in(work, -1)  # overdue: the contact person and the co-ordinator hear of it
    parents = iter([100, 100, 1])
    monkeypatch.setattr(command.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(command.time, "sleep", lambda seconds: None)
    out = reminders("--every", "5")
    assert "every 5 s" in out and "sent: 2" in out
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [work.contact.email, work.coordinator.email]
    )


def test_reminders_loop_survives_a_failed_round(db, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database is locked")

    parents = iter([100, 1])
    monkeypatch.setattr(command, "send_due_reminders", SimpleNamespace(enqueue=broken))
    monkeypatch.setattr(command.os, "getppid", lambda: next(parents))
    monkeypatch.setattr(command.time, "sleep", lambda seconds: None)
    reminders("--every", "60")  # logs and goes on, instead of stopping the server
    assert "Could not queue the due-date reminders" in caplog.text
    with pytest.raises(CommandError, match="database is locked"):
        reminders()  # run by hand, the failure is reported


def test_reminders_interval_must_be_positive(db):
    with pytest.raises(CommandError):
        reminders("--every", "0")


@pytest.mark.parametrize(
    ("raw", "expected"), [("", 3600), ("600", 600), ("0", 0), ("-5", None), ("hourly", None)]
)
def test_serve_reads_the_reminder_interval(monkeypatch, raw, expected):
    monkeypatch.setenv("PARASAT_REMINDER_INTERVAL", raw)
    if expected is None:
        with pytest.raises(SystemExit, match="PARASAT_REMINDER_INTERVAL"):
            cli.reminder_interval()
    else:
        assert cli.reminder_interval() == expected


def test_demo_gives_the_demo_contact_person_a_first_assignment_once(review):
    from parasat.accounts.tests.factories import OrganisationFactory
    from parasat.assessment.models import Assignment
    from parasat.assessment.tests.factories import sample_questionnaire
    from parasat.reviews.demo import demo_accounts_ensure

    OrganisationFactory(code="kz-mne")
    sample_questionnaire(area_code="REG")
    demo_accounts_ensure(review=review)
    out = io.StringIO()
    call_command("assessment", "demo", review.slug, stdout=out)
    assignment = Assignment.objects.get()
    assert assignment.assignee.username == "demo-contact"
    assert assignment.ministry.code == "kz-mne"
    assert "Demo assignment: SAMPLE" in out.getvalue()
    call_command("assessment", "demo", review.slug, stdout=io.StringIO())
    assert Assignment.objects.count() == 1


def test_demo_without_demo_people_does_nothing(review):
    from parasat.assessment.models import Assignment

    call_command("assessment", "demo", review.slug, stdout=io.StringIO())
    assert not Assignment.objects.exists()
