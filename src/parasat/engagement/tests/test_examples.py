"""The Kazakhstan 2014 example holds the five events with illustrative dates
inside their phases; loading again keeps what a person scheduled since."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from parasat.engagement.models import Event
from parasat.engagement.selectors import review_calendar
from parasat.engagement.tests.factories import moment
from parasat.reviews.loader import load_example

pytestmark = pytest.mark.django_db


def test_the_example_has_the_five_events_with_illustrative_dates_in_their_phases(client_for):
    review = load_example("kazakhstan-2014")
    events = list(Event.objects.filter(review=review).order_by("order"))
    assert [e.key for e in events] == [
        "kickoff",
        "policy-dialogue",
        "consultations",
        "peer-workshop",
        "final-meeting",
    ]
    calendar = review_calendar(review)
    for event in events:
        assert event.illustrative and event.starts_at is not None
        first, after = calendar.phase_span(event.phase_id)
        assert first <= timezone.localtime(event.starts_at).date() < after, event.key
    assert events[0].agenda.count() == 3
    page = client_for(None).get(
        reverse("engagement:public_event", args=[review.slug, events[0].pk])
    )
    assert page.status_code == 200 and "illustrative example" in page.content.decode()


def test_loading_again_keeps_a_date_a_person_entered():
    review = load_example("kazakhstan-2014")
    Event.objects.filter(review=review, key="kickoff").update(
        starts_at=moment(2015, 3, 3), illustrative=False
    )
    load_example("kazakhstan-2014")
    kickoff = Event.objects.get(review=review, key="kickoff")
    assert kickoff.starts_at == moment(2015, 3, 3) and not kickoff.illustrative
    assert Event.objects.filter(review=review).count() == 5
