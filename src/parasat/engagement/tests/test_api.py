"""The engagement API follows the pages' rules, role by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from parasat.conftest import ALL_ROLES
from parasat.core.testing.texts import tt
from parasat.engagement import services
from parasat.engagement.services import consultations, minutes
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
READ_CONTRIBUTIONS = {Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT, Role.COORDINATOR}


def api(review, path=""):
    return f"/api/reviews/{review.slug}{path}"


def test_events_come_with_their_plan_agenda_and_decisions(review, events, persona, client_for):
    kickoff = events["kickoff"]
    services.agenda_item_add(event=kickoff, title=tt("Opening"), presenter="", duration_minutes=15)
    client = client_for(persona(Role.BUSINESS))
    listed = client.get(api(review, "/events")).json()
    assert [e["key"] for e in listed][:5] == [
        "kickoff",
        "policy-dialogue",
        "consultations",
        "peer-workshop",
        "final-meeting",
    ]
    assert listed[0]["phase"] == "preparatory" and listed[0]["planned_from"] == "2015-02-20"
    assert listed[0]["purpose"]["kk"]
    one = client.get(api(review, f"/events/{kickoff.pk}")).json()
    assert one["agenda"][0]["title"]["en"] == "Opening" and one["decisions"] == []


def test_minutes_are_served_once_published_to_the_audience_their_level_admits(
    review, events, persona, client_for
):
    event, analyst = events["kickoff"], persona(Role.ANALYST)
    record = minutes.minutes_save(
        event=event, by=analyst, text=tt("We met."), confidentiality="peers"
    )
    path = api(review, f"/events/{event.pk}/minutes")
    assert client_for(persona(Role.PEER_REVIEWER)).get(path).status_code == 404
    minutes.minutes_approve(minutes=record, by=analyst)
    minutes.minutes_publish(minutes=record, by=analyst)
    body = client_for(persona(Role.PEER_REVIEWER)).get(path).json()
    assert body["text"]["en"] == "We met." and body["version"] == 1
    assert client_for(persona(Role.BUSINESS)).get(path).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_contributions_are_read_by_the_team_and_the_coordinator(review, persona, client_for, role):
    now = timezone.now()
    consultation = consultations.consultation_open(
        review=review,
        by=persona(Role.ANALYST),
        title=tt("Findings"),
        description=tt(""),
        subject_kind="area_findings",
        channels=["public"],
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    c = consultations.contribution_submit(
        consultation=consultation,
        contributor=consultations.Contributor(channel="public", name="Aigerim", email="a@x.org"),
        text="A view.",
        anonymous=True,
    )
    consultations.response_save(
        contribution=c, by=persona(Role.ANALYST), kind="noted", reason="Thanks."
    )
    client = client_for(persona(role))
    listed = client.get(api(review, "/consultations")).json()
    assert listed[0]["channels"] == ["public"]
    assert (listed[0]["summary"] is not None) is (role in READ_CONTRIBUTIONS)
    response = client.get(api(review, f"/consultations/{consultation.pk}/contributions"))
    if role in READ_CONTRIBUTIONS:
        item = response.json()["items"][0]
        assert item["name_withheld"] and item["response"]["kind"] == "noted"
    else:
        assert response.status_code == 403


def test_a_stranger_and_a_signed_out_caller_are_refused(review, events, stranger, client_for):
    assert client_for(stranger).get(api(review, "/events")).status_code == 404
    assert client_for(None).get(api(review, "/events")).status_code == 401
