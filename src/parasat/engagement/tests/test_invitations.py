"""Invitations by email in the recipient's language with an .ics file, replies,
attendance and its export, the calendar feeds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from parasat.engagement import calendars, services
from parasat.engagement.models import Invitation
from parasat.engagement.services import Guest
from parasat.engagement.tests.factories import moment
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


@pytest.fixture
def dialogue(events):
    event = events["policy-dialogue"]
    event.starts_at = moment(2030, 7, 7, 9, 30)
    event.ends_at = moment(2030, 7, 7, 17, 30)
    event.save()
    return event


def _invite(event, by, **kwargs):
    return services.invitations_send(event=event, by=by, **kwargs)


def test_invitations_go_by_email_in_each_recipients_language_with_an_ics(
    dialogue, persona, mailoutbox, django_capture_on_commit_callbacks
):
    analyst, coordinator = persona(Role.ANALYST), persona(Role.COORDINATOR)
    coordinator.language = "kk"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = _invite(
            dialogue,
            analyst,
            people=[coordinator],
            guests=[Guest(name="Aliya Guest", email="aliya@example.org", language="ru")],
        )
    assert len(made) == 2 and len(mailoutbox) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    kazakh = by_address[coordinator.email]
    russian = by_address["aliya@example.org"]
    assert "Шақыру" in kazakh.subject
    assert "Приглашение" in russian.subject
    name, content, mimetype = russian.attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    text = text.replace("\r\n ", "")  # unfolded
    start = dialogue.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert "METHOD:REQUEST" in text and f"DTSTART:{start}" in text
    assert "mailto:aliya@example.org" in text
    token = Invitation.objects.get(email="aliya@example.org").token
    assert token in russian.body
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2


def test_a_malformed_address_refuses_the_whole_batch(dialogue, persona, mailoutbox):
    with pytest.raises(ValidationError, match="not a valid email address"):
        _invite(
            dialogue,
            persona(Role.ANALYST),
            people=[persona(Role.EXPERT)],
            guests=[Guest(name="Broken", email="broken@@example")],
        )
    assert not Invitation.objects.exists() and not mailoutbox


def test_nobody_is_invited_twice_nor_to_an_unscheduled_event(dialogue, events, persona):
    analyst = persona(Role.ANALYST)
    guest = Guest(name="Guest", email="g@example.org")
    assert len(_invite(dialogue, analyst, guests=[guest])) == 1
    assert _invite(dialogue, analyst, guests=[Guest(name="Guest", email="G@example.org")]) == []
    with pytest.raises(ValidationError, match="Schedule the event"):
        _invite(events["peer-workshop"], analyst, guests=[guest])


def test_a_guest_replies_through_the_link_and_attendance_is_taken_and_exported(
    dialogue, persona, client_for, review
):
    analyst = persona(Role.ANALYST)
    (invitation,) = _invite(dialogue, analyst, guests=[Guest(name="=Guest", email="g@ex.org")])
    visitor = client_for(None)
    assert visitor.get(url("reply", review, invitation.token)).status_code == 200
    visitor.post(url("reply", review, invitation.token), {"reply": "attending"})
    invitation.refresh_from_db()
    assert invitation.reply == "attending"
    assert visitor.get(url("reply", review, "forged")).status_code == 404
    client = client_for(analyst)
    client.post(url("attendance", review, dialogue.pk), {"present": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.attended is True
    response = client.get(url("attendance_export", review, dialogue.pk))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "'=Guest"  # never a formula
    assert rows[1][4] == "yes"


def test_a_person_of_the_review_replies_from_the_event_page(dialogue, persona, client_for, review):
    expert = persona(Role.EXPERT)
    _invite(dialogue, persona(Role.ANALYST), people=[expert])
    client = client_for(expert)
    page = client.get(url("event", review, dialogue.pk)).content.decode()
    assert "Your invitation" in page
    client.post(url("my_reply", review, dialogue.pk), {"reply": "declined"})
    assert Invitation.objects.get(user=expert).reply == "declined"


def test_replies_close_when_the_event_starts(events, persona):
    event = events["kickoff"]
    event.starts_at = moment(2015, 3, 10)
    event.save()
    (invitation,) = _invite(event, persona(Role.ANALYST), guests=[Guest(name="G", email="g@x.org")])
    with pytest.raises(ValidationError, match="replies are closed"):
        services.invitation_reply(invitation=invitation, attending=True)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_the_organisers_invite_and_take_attendance(
    dialogue, persona, client_for, review, role
):
    client = client_for(persona(role))
    expected_refusal = role not in {"coordinator", "analyst"}
    response = client.post(
        url("invite", review, dialogue.pk), {"guest_name": "G", "guest_email": "x@y.org"}
    )
    assert (response.status_code == 403) is expected_refusal
    response = client.get(url("attendance_export", review, dialogue.pk))
    assert (response.status_code == 403) is expected_refusal


def test_the_invite_page_names_a_malformed_address(dialogue, persona, client_for, review):
    response = client_for(persona(Role.ANALYST)).post(
        url("invite", review, dialogue.pk), {"guest_name": "G", "guest_email": "not-an-address"}
    )
    assert response.status_code == 400
    assert "is not a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_personal_feed_follows_the_persons_roles(dialogue, persona, client_for, review):
    expert = persona(Role.EXPERT)
    key = calendars.feed_key(user_id=expert.pk, review_id=review.pk)
    response = client_for(None).get(url("feed", review, key))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "Policy-dialogue" in body
    assert client_for(None).get(url("feed", review, key + "x")).status_code == 404
    expert.participations.update(active=False)
    assert client_for(None).get(url("feed", review, key)).status_code == 404


def test_the_public_feed_holds_the_public_events_of_a_public_review(events, client_for, review):
    kickoff = events["kickoff"]
    kickoff.starts_at = moment(2015, 3, 10)
    kickoff.save()
    assert client_for(None).get(url("public_feed", review)).status_code == 404
    review.is_public = True
    review.save()
    body = client_for(None).get(url("public_feed", review)).content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "Kick-off" in body
