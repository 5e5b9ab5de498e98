"""The events' pages: who reads and who writes them, bad input, the public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parasat.accounts.tests.factories import UserFactory
from parasat.engagement import services
from parasat.engagement.models import AgendaItem, Event, EventDocument
from parasat.engagement.tests.factories import pdf
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]
MANAGERS = {"coordinator", "analyst"}


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


def event_data(**changes):
    data = {
        "kind": "policy_dialogue",
        "title_en": "Policy-dialogue workshop",
        "title_ru": "Семинар",
        "title_kk": "Семинар",
        "starts_at": "2015-07-07T09:30",
        "ends_at": "2015-07-07T17:30",
        "place_en": "Astana",
        "languages": ["ru", "en"],
        "interpretation": "simultaneous",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_of_the_review_reads_the_events(client_for, persona, review, role):
    response = client_for(persona(role)).get(url("events", review))
    assert response.status_code == 200
    assert response.content.decode().count('href="/reviews/kz-test/events/') >= 5
    event = Event.objects.get(review=review, key="kickoff")
    assert client_for(persona(role)).get(url("event", review, event.pk)).status_code == 200


def test_the_events_pages_read_the_review_s_calendar_once(
    client_for, persona, review, events, django_assert_max_num_queries
):
    """The list (its rows and the timeline) and an event's page (its planned
    month and its warnings) read the parties, signatures and phases once."""
    client = client_for(persona(Role.COORDINATOR))
    event = events["policy-dialogue"]
    for page, most in ((url("events", review), 7), (url("event", review, event.pk), 13)):
        with django_assert_max_num_queries(most) as captured:
            assert client.get(page).status_code == 200
        for table in ("reviews_party", "reviews_signature", "reviews_phase"):
            reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
            assert len(reads) == 1, (page, table)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_coordinator_and_the_analysts_change_events(
    client_for, persona, review, events, role
):
    event = events["policy-dialogue"]
    client = client_for(persona(role))
    expected = 200 if role in MANAGERS else 403
    assert client.get(url("event_new", review)).status_code == expected
    assert client.get(url("event_edit", review, event.pk)).status_code == expected
    response = client.post(url("agenda_add", review, event.pk), {"title_en": "x"})
    assert response.status_code == (400 if role in MANAGERS else 403)


def test_strangers_do_not_learn_the_review_exists_and_visitors_sign_in(
    client_for, stranger, review, events
):
    event = events["kickoff"]
    for page in (url("events", review), url("event", review, event.pk)):
        assert client_for(stranger).get(page).status_code == 404
        response = client_for(None).get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_analyst_schedules_an_event_and_sees_a_warning_outside_the_timeline(
    client_for, persona, review, events
):
    event = events["policy-dialogue"]
    client = client_for(persona(Role.ANALYST))
    response = client.post(url("event_edit", review, event.pk), event_data(), follow=True)
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.starts_at is not None and event.languages == ["en", "ru"]
    assert event.kind == "policy_dialogue"
    response = client.post(
        url("event_edit", review, event.pk),
        event_data(starts_at="2030-01-01T10:00", ends_at="2030-01-01T12:00"),
        follow=True,
    )
    assert "outside the review" in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at.year == 2030


def test_bad_event_input_gets_a_clear_message_and_nothing_is_written(
    client_for, persona, review, events
):
    event = events["policy-dialogue"]
    client = client_for(persona(Role.ANALYST))
    response = client.post(
        url("event_edit", review, event.pk),
        event_data(starts_at="2015-07-07T17:00", ends_at="2015-07-07T09:00"),
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    response = client.post(url("event_new", review), event_data(title_en=""))
    assert "English text is required" in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at is None
    assert Event.objects.filter(review=review).count() == 5


def test_a_meeting_is_added_and_its_agenda_written_through_the_pages(
    client_for, persona, review, events
):
    client = client_for(persona(Role.COORDINATOR))
    response = client.post(
        url("event_new", review), event_data(kind="training", title_en="Training")
    )
    meeting = Event.objects.get(review=review, kind="training")
    assert response.status_code == 302
    for title in ("Opening", "Discussion"):
        client.post(
            url("agenda_add", review, meeting.pk),
            {"title_en": title, "presenter": "OECD", "duration_minutes": "30"},
            headers={"HX-Request": "true"},
        )
    items = list(AgendaItem.objects.filter(event=meeting))
    assert [str(i.title) for i in items] == ["Opening", "Discussion"]
    client.post(url("agenda_move", review, meeting.pk, items[1].pk), {"direction": "up"})
    page = client.get(url("event", review, meeting.pk)).content.decode()
    assert page.index("Discussion") < page.index("Opening")
    response = client.post(
        url("agenda_add", review, meeting.pk),
        {"title_en": "Long", "duration_minutes": "0"},
    )
    assert response.status_code == 400 and AgendaItem.objects.filter(event=meeting).count() == 2


def test_a_disguised_file_is_refused_with_its_reason(client_for, persona, review, events):
    event = events["kickoff"]
    client = client_for(persona(Role.ANALYST))
    response = client.post(
        url("document_add", review, event.pk),
        {
            "file": pdf("x.pdf", b"not a pdf"),
            "kind": "slides",
            "confidentiality": "team",
        },
    )
    assert response.status_code == 400
    assert "does not match its name" in response.content.decode()
    assert not EventDocument.objects.exists()


def test_documents_are_read_by_those_their_level_admits(client_for, persona, review, events):
    event, analyst = events["kickoff"], persona(Role.ANALYST)
    team_doc = services.document_add(
        event=event,
        by=analyst,
        upload=pdf(),
        title="Team notes",
        kind="other",
        confidentiality="team",
    )
    public_doc = services.document_add(
        event=event,
        by=analyst,
        upload=pdf(),
        title="Slides",
        kind="slides",
        confidentiality="public",
    )
    business = client_for(persona(Role.BUSINESS))
    page = business.get(url("event", review, event.pk)).content.decode()
    assert "Slides" in page and "Team notes" not in page
    assert business.get(url("document", review, event.pk, team_doc.pk)).status_code == 404
    assert business.get(url("document", review, event.pk, public_doc.pk)).status_code == 200
    expert = client_for(persona(Role.EXPERT))
    assert expert.get(url("document", review, event.pk, team_doc.pk)).status_code == 200


def test_the_public_page_of_a_public_event_of_a_public_review(client_for, persona, review, events):
    kickoff, dialogue = events["kickoff"], events["policy-dialogue"]
    public_doc = services.document_add(
        event=kickoff,
        by=persona(Role.ANALYST),
        upload=pdf(),
        title="Slides",
        kind="slides",
        confidentiality="public",
    )
    team_doc = services.document_add(
        event=kickoff,
        by=persona(Role.ANALYST),
        upload=pdf(),
        title="Team",
        kind="slides",
        confidentiality="team",
    )
    visitor = client_for(None)
    assert visitor.get(url("public_event", review, kickoff.pk)).status_code == 404
    review.is_public = True
    review.save()
    page = visitor.get(url("public_event", review, kickoff.pk))
    assert page.status_code == 200 and "Slides" in page.content.decode()
    assert "Team" not in page.content.decode()
    assert visitor.get(url("public_document", review, kickoff.pk, public_doc.pk)).status_code == 200
    assert visitor.get(url("public_document", review, kickoff.pk, team_doc.pk)).status_code == 404
    assert visitor.get(url("public_event", review, dialogue.pk)).status_code == 404


def test_an_event_of_another_review_is_not_found(client_for, persona, review, events):
    from parasat.reviews.tests.factories import signed_review

    other = signed_review(slug="other")
    services.events_plan(review=other)
    foreign = Event.objects.filter(review=other).first()
    client = client_for(persona(Role.ANALYST))
    assert client.get(url("event", review, foreign.pk)).status_code == 404
    assert client.get(url("event_edit", review, foreign.pk)).status_code == 404


def test_a_superuser_manages_events(client_for, review, events):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client_for(admin).get(url("event_new", review)).status_code == 200


def test_a_consultation_refused_at_opening_says_why_and_writes_nothing(client_for, persona, review):
    from parasat.engagement.models import Consultation

    client = client_for(persona("analyst"))
    data = {
        "title_en": "Views on the draft findings",
        "subject_kind": "other",
        "channels": ["civil_society"],
        "opens_at": "2015-07-10T09:00",
        "closes_at": "2015-07-01T09:00",
    }
    response = client.post(url("consultation_new", review), data)
    assert response.status_code == 400
    assert "The consultation must close after it opens." in response.content.decode()
    assert not Consultation.objects.filter(review=review).exists()
    response = client.post(url("consultation_new", review), {**data, "channels": []})
    assert response.status_code == 400
    assert not Consultation.objects.filter(review=review).exists()
    response = client.post(
        url("consultation_new", review), {**data, "closes_at": "2015-07-20T09:00"}
    )
    assert response.status_code == 302
    assert Consultation.objects.filter(review=review).count() == 1
