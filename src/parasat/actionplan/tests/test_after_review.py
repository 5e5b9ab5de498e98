"""Monitoring goes on after the review's end (Sections VI–VII): the review is
completed through its own page, and the plan stays live — reports are made
and accepted, reminders go out, the tracker follows — and the pages say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from parasat.actionplan.models import ProgressReport
from parasat.actionplan.tasks import send_progress_reminders
from parasat.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_monitoring_goes_on_after_the_review_is_completed(setup, client_for, monkeypatch):
    setup.review.is_public = True
    setup.review.status = Review.Status.ACTIVE
    setup.review.save()
    setup.adopted()
    setup.contact.email = "contact@example.org"
    setup.contact.save()
    coordinator = client_for(setup.coordinator)
    response = coordinator.post(
        reverse("reviews:deliveries", args=[setup.review.slug]), {"completed_on": "2016-12-31"}
    )
    assert response.status_code == 302
    setup.review.refresh_from_db()
    assert setup.review.status == Review.Status.COMPLETED

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2017, 4, 10))
    assert send_progress_reminders.call() == 2  # Q1 2017, after the review's end
    assert mail.outbox[0].to == ["contact@example.org"]

    contact = client_for(setup.contact)
    form = reverse("actionplan:report_form", args=[setup.review.slug, "1", 1, "2017-03-31"])
    response = contact.post(
        form, {"value": "55", "unit": "percent", "narrative": "After", "confidentiality": "public"}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    contact.post(reverse("actionplan:report_submit", args=[setup.review.slug, report.pk]))
    coordinator.post(
        reverse("actionplan:report_decide", args=[setup.review.slug, report.pk]),
        {"action": "accept"},
    )
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED

    page = coordinator.get(reverse("actionplan:plan", args=[setup.review.slug])).content.decode()
    assert "The review ended on 31 December 2016" in page
    public = Client().get(reverse("tracker:measure", args=[setup.review.slug, "1"]))
    body = public.content.decode()
    assert "After" in body and "55" in body
    assert "The review ended on 31 December 2016" in body
