"""Reminders before a progress report falls due and an escalation after,
sent once by the task worker, queued with the self-assessment's reminders."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from parasat.actionplan import services
from parasat.actionplan.models import Reminder
from parasat.actionplan.services import monitoring
from parasat.actionplan.tasks import send_progress_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    def set_today(day: dt.date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today


def test_a_reminder_before_and_an_escalation_after_each_once(setup, today):
    setup.contact.email = "contact@example.org"
    setup.contact.save()
    setup.coordinator.email = "coordinator@example.org"
    setup.coordinator.save()
    setup.adopted()
    today(dt.date(2016, 4, 10))  # Q1's reports fall due on 15 April
    assert send_progress_reminders.call() == 2  # one per measure, to the contact person
    assert {m.to[0] for m in mail.outbox} == {"contact@example.org"}
    assert "is due soon" in mail.outbox[0].subject
    assert send_progress_reminders.call() == 0
    today(dt.date(2016, 4, 20))
    mail.outbox.clear()
    assert send_progress_reminders.call() == 4  # escalated: the contact person and the co-ordinator
    assert {m.to[0] for m in mail.outbox} == {"contact@example.org", "coordinator@example.org"}
    assert send_progress_reminders.call() == 0
    assert Reminder.objects.count() == 4


def test_a_submitted_report_or_a_frozen_measure_earns_no_reminder(setup, today):
    _plan, (m1, m2) = setup.adopted()
    report = monitoring.report_save(
        indicator=m1.indicators.get(),
        period_end=dt.date(2016, 3, 31),
        by=setup.contact,
        value="10",
        unit="percent",
        narrative="Begun",
    )
    monitoring.report_submit(report=report, by=setup.contact)
    services.measure_freeze(measure=m2, by=setup.coordinator, reason="Paused")
    today(dt.date(2016, 4, 10))
    send_progress_reminders.call()
    assert not Reminder.objects.exists()


def test_the_reminders_command_queues_them_too(setup, today):
    setup.contact.email = "contact@example.org"
    setup.contact.save()
    setup.adopted()
    today(dt.date(2016, 4, 10))
    out = StringIO()
    call_command("assessment", "reminders", stdout=out)
    assert "sent: 2" in out.getvalue()
