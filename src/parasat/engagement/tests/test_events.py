"""The five events of the agreement, meetings, agendas and documents: the
services' rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parasat.core.lib.translated import TranslatedText
from parasat.core.testing.texts import tt
from parasat.engagement import services
from parasat.engagement.models import AgendaItem, Event, EventDocument
from parasat.engagement.selectors import review_calendar
from parasat.engagement.tests.factories import moment, pdf
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


def _save(event: Event, **changes):
    values = {
        "review": event.review,
        "by": None,
        "event": event,
        "kind": event.kind,
        "title": event.title,
        "purpose": event.purpose,
        "starts_at": None,
        "ends_at": None,
        "place": tt("Astana"),
        "languages": ["ru", "en"],
    }
    values.update(changes)
    return services.event_save(**values)


def test_every_review_gets_the_five_events_of_the_agreement_in_their_phases(review, events):
    assert list(events) == [
        "kickoff",
        "policy-dialogue",
        "consultations",
        "peer-workshop",
        "final-meeting",
    ]
    phases = {key: e.phase.kind for key, e in events.items()}
    assert phases == {
        "kickoff": "preparatory",
        "policy-dialogue": "review",
        "consultations": "review",
        "peer-workshop": "review",
        "final-meeting": "closing",
    }
    for event in events.values():
        text = TranslatedText.from_json(event.purpose)
        assert all(text.get(lang) for lang in ("en", "ru", "kk"))
    assert {k for k, e in events.items() if e.is_public} == {"kickoff", "final-meeting"}
    # The planned month falls inside the phase: the review starts 20 January 2015.
    calendar = review_calendar(review)
    window = calendar.planned_window(events["kickoff"])
    assert window == (dt.date(2015, 2, 20), dt.date(2015, 3, 19))
    start, end = calendar.phase_span(events["final-meeting"].phase_id)
    first, last = calendar.planned_window(events["final-meeting"])
    assert start <= first and last < end


def test_planning_again_adds_nothing_and_keeps_what_was_changed(review, events):
    _save(events["kickoff"], title=tt("Our kick-off"))
    assert services.events_plan(review=review) == []
    assert Event.objects.filter(review=review).count() == 5
    assert str(Event.objects.get(review=review, key="kickoff").title) == "Our kick-off"


def test_an_event_outside_the_timeline_is_saved_with_a_warning(events):
    saved = _save(events["policy-dialogue"], starts_at=moment(2019, 5, 1))
    assert saved.event.starts_at == moment(2019, 5, 1)
    assert len(saved.warnings) == 1 and "outside the review's timeline" in saved.warnings[0]


def test_an_event_outside_its_phase_is_saved_with_a_warning(events):
    saved = _save(events["final-meeting"], starts_at=moment(2015, 6, 1))
    assert "outside its phase" in saved.warnings[0]
    assert not _save(events["final-meeting"], starts_at=moment(2016, 4, 12)).warnings


def test_an_event_cannot_end_before_it_starts_and_nothing_is_written(events):
    event = events["kickoff"]
    with pytest.raises(ValidationError) as caught:
        _save(event, starts_at=moment(2015, 3, 10, 12), ends_at=moment(2015, 3, 10, 9))
    assert "ends_at" in caught.value.message_dict
    event.refresh_from_db()
    assert event.starts_at is None


def test_an_event_of_the_agreement_keeps_its_kind(events):
    with pytest.raises(ValidationError):
        _save(events["kickoff"], kind=Event.Kind.TRAINING)


def test_a_meeting_is_added_beside_the_five(review, events, persona):
    saved = services.event_save(
        review=review,
        by=persona(Role.ANALYST),
        kind=Event.Kind.COUNTRY_VISIT,
        title=tt("Country visit", "Визит в страну", "Елге сапар"),
        purpose=TranslatedText(),
        starts_at=moment(2015, 5, 12),
        ends_at=moment(2015, 5, 14, 18),
        place=tt("Almaty"),
        languages=["ru"],
    )
    assert saved.warnings == []
    assert saved.event.key == "" and saved.event.order == 6
    assert saved.event.organiser == persona(Role.ANALYST)


def test_unknown_languages_are_refused(events):
    with pytest.raises(ValidationError) as caught:
        _save(events["kickoff"], languages=["fr"])
    assert "languages" in caught.value.message_dict


def test_the_agenda_keeps_its_order_and_moves_items(events):
    event = events["kickoff"]
    first = services.agenda_item_add(
        event=event, title=tt("Opening"), presenter="Minister", duration_minutes=15
    )
    second = services.agenda_item_add(
        event=event, title=tt("The toolkit"), presenter="OECD", duration_minutes=90
    )
    services.agenda_item_move(item=second, up=True)
    order = list(AgendaItem.objects.filter(event=event).values_list("pk", flat=True))
    assert order == [second.pk, first.pk]
    services.agenda_item_move(item=second, up=True)  # already first: nothing moves
    services.agenda_item_remove(item=first)
    assert list(event.agenda.values_list("pk", flat=True)) == [second.pk]


def test_an_agenda_item_needs_a_sensible_duration(events):
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            event=events["kickoff"], title=tt("Forever"), presenter="", duration_minutes=0
        )
    assert not AgendaItem.objects.exists()


def test_documents_follow_the_safe_upload_rules(events, persona, settings):
    event, by = events["kickoff"], persona(Role.ANALYST)
    document = services.document_add(
        event=event, by=by, upload=pdf(), title="Slides", kind="slides", confidentiality="public"
    )
    assert document.content_type == "application/pdf"
    assert not document.file.name.endswith("slides.pdf")  # a random storage name
    with pytest.raises(ValidationError, match="does not match"):
        services.document_add(
            event=event,
            by=by,
            upload=pdf("disguised.pdf", b"MZ\x90\x00binary"),
            title="",
            kind="slides",
            confidentiality="team",
        )
    settings.PARASAT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        services.document_add(
            event=event, by=by, upload=pdf(), title="", kind="slides", confidentiality="team"
        )
    assert EventDocument.objects.count() == 1
