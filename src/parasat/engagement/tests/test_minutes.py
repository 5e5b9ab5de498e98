"""Minutes: drafted, circulated to those who attended, amended within the
deadline, approved (then frozen), published; every version kept. Decisions
linked to the analysis and shown from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parasat.analysis import mentions
from parasat.analysis.models import AreaAssessment, Finding
from parasat.core.models import RowIsAppendOnly
from parasat.core.testing.texts import tt
from parasat.engagement.models import Decision, MinutesVersion
from parasat.engagement.services import Guest, attendance_take, invitations_send
from parasat.engagement.services import minutes as services
from parasat.engagement.tests.factories import moment
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import signed_review
from parasat.toolkit.tests.factories import PolicyAreaFactory

pytestmark = pytest.mark.django_db


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


@pytest.fixture
def held(events, persona):
    """The policy dialogue, held: the expert attended, the peer reviewer did not."""
    event = events["policy-dialogue"]
    event.starts_at = moment(2030, 7, 7, 9, 30)
    event.save()
    analyst = persona(Role.ANALYST)
    made = invitations_send(
        event=event,
        by=analyst,
        people=[persona(Role.EXPERT), persona(Role.PEER_REVIEWER)],
        guests=[Guest(name="Guest", email="guest@example.org")],
    )
    attendance_take(event=event, by=analyst, present=[made[0].pk, made[2].pk])
    return event


def _later(days: int = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_the_whole_path_keeps_every_version_and_freezes_on_approval(held, persona):
    analyst, expert = persona(Role.ANALYST), persona(Role.EXPERT)
    minutes = services.minutes_save(event=held, by=analyst, text=tt("Draft one."))
    services.minutes_save(event=held, by=analyst, text=tt("Draft two."))
    services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    amendment = services.amendment_propose(minutes=minutes, by=expert, text="Add the date.")
    assert amendment.on_version == 2
    with pytest.raises(ValidationError, match="Decide every proposed amendment"):
        services.minutes_approve(minutes=minutes, by=analyst)
    services.amendment_decide(
        amendment=amendment, by=analyst, accept=True, text=tt("Draft two, dated.")
    )
    services.minutes_approve(minutes=minutes, by=analyst)
    with pytest.raises(ValidationError, match="can no longer be amended"):
        services.minutes_save(event=held, by=analyst, text=tt("Sneaky change."))
    with pytest.raises(ValidationError, match="can no longer be amended"):
        services.amendment_propose(minutes=minutes, by=expert, text="Late.")
    services.minutes_publish(minutes=minutes, by=analyst)
    texts = [str(v.text) for v in MinutesVersion.objects.filter(minutes=minutes)]
    assert texts == ["Draft one.", "Draft two.", "Draft two, dated."]
    with pytest.raises(RowIsAppendOnly):
        MinutesVersion.objects.filter(minutes=minutes).update(note="x")
    version = MinutesVersion.objects.first()
    with pytest.raises(RowIsAppendOnly):
        version.delete()


def test_only_attendees_propose_amendments_and_only_before_the_deadline(held, persona):
    analyst = persona(Role.ANALYST)
    minutes = services.minutes_save(event=held, by=analyst, text=tt("Text."))
    with pytest.raises(ValidationError, match="not open for amendments"):
        services.amendment_propose(minutes=minutes, by=persona(Role.EXPERT), text="x")
    minutes = services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    with pytest.raises(ValidationError, match="Only those who attended"):
        services.amendment_propose(minutes=minutes, by=persona(Role.PEER_REVIEWER), text="x")
    minutes.amendments_until = timezone.now() - dt.timedelta(minutes=1)
    minutes.save()
    with pytest.raises(ValidationError, match="deadline for amendments has passed"):
        services.amendment_propose(minutes=minutes, by=persona(Role.EXPERT), text="x")


def test_declining_an_amendment_needs_a_reason(held, persona):
    analyst = persona(Role.ANALYST)
    minutes = services.minutes_save(event=held, by=analyst, text=tt("Text."))
    services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    amendment = services.amendment_propose(minutes=minutes, by=persona(Role.EXPERT), text="x")
    with pytest.raises(ValidationError, match="reason"):
        services.amendment_decide(amendment=amendment, by=analyst, accept=False, reason=" ")
    amendment.refresh_from_db()
    assert amendment.state == "proposed"


def test_minutes_are_read_by_attendees_once_circulated_and_by_the_audience_once_published(
    held, persona, client_for, review
):
    analyst = persona(Role.ANALYST)
    minutes = services.minutes_save(
        event=held, by=analyst, text=tt("Secret words."), confidentiality="public"
    )
    page = url("minutes", review, held.pk)
    assert "Secret words." not in client_for(persona(Role.EXPERT)).get(page).content.decode()
    assert "Secret words." in client_for(persona(Role.COORDINATOR)).get(page).content.decode()
    services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    assert "Secret words." in client_for(persona(Role.EXPERT)).get(page).content.decode()
    assert "Secret words." not in client_for(persona(Role.BUSINESS)).get(page).content.decode()
    services.minutes_approve(minutes=minutes, by=analyst)
    services.minutes_publish(minutes=minutes, by=analyst)
    assert "Secret words." in client_for(persona(Role.BUSINESS)).get(page).content.decode()


def test_the_pages_take_the_minutes_through_their_path(held, persona, client_for, review):
    analyst, expert = client_for(persona(Role.ANALYST)), client_for(persona(Role.EXPERT))
    response = analyst.post(
        url("minutes_save", review, held.pk), {"text_en": "", "confidentiality": "team"}
    )
    assert response.status_code == 400 and "English text is required" in response.content.decode()
    analyst.post(
        url("minutes_save", review, held.pk), {"text_en": "We met.", "confidentiality": "team"}
    )
    until = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    analyst.post(url("minutes_circulate", review, held.pk), {"until": until})
    assert expert.post(url("minutes_save", review, held.pk), {"text_en": "x"}).status_code == 403
    expert.post(url("amendment_propose", review, held.pk), {"text": "We met at nine."})
    amendment = held.minutes.amendments.get()
    analyst.post(url("amendment_decide", review, held.pk, amendment.pk), {"decision": "accept"})
    analyst.post(url("minutes_approve", review, held.pk))
    response = analyst.post(
        url("minutes_save", review, held.pk), {"text_en": "Changed.", "confidentiality": "team"}
    )
    assert "can no longer be amended" in response.content.decode()
    analyst.post(url("minutes_publish", review, held.pk))
    held.minutes.refresh_from_db()
    assert held.minutes.state == "published" and held.minutes.version == 1


def test_an_attendee_s_page_of_circulated_minutes_reads_the_attendance_once(
    held, persona, client_for, review, django_assert_max_num_queries
):
    analyst = persona(Role.ANALYST)
    minutes = services.minutes_save(event=held, by=analyst, text=tt("We met at ten."))
    services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    expert = client_for(persona(Role.EXPERT))
    with django_assert_max_num_queries(9) as captured:
        page = expert.get(url("minutes", review, held.pk))
    assert page.status_code == 200 and "We met at ten." in page.content.decode()
    assert url("amendment_propose", review, held.pk) in page.content.decode()
    # Whether the reader attended (two queries) is read once for both reading and amending.
    reads = [q for q in captured if 'FROM "engagement_invitation"' in q["sql"]]
    assert len(reads) <= 2


def test_a_peer_reviewer_cannot_propose_without_attending(held, persona, client_for, review):
    analyst = persona(Role.ANALYST)
    minutes = services.minutes_save(event=held, by=analyst, text=tt("Text."))
    services.minutes_circulate(minutes=minutes, by=analyst, until=_later())
    response = client_for(persona(Role.PEER_REVIEWER)).post(
        url("amendment_propose", review, held.pk), {"text": "x"}
    )
    assert response.status_code == 403


def test_a_decision_links_a_finding_of_the_review_and_the_finding_shows_it(held, persona, review):
    finding = _finding(review, persona)
    analyst = persona(Role.ANALYST)
    decision = services.decision_save(
        event=held,
        by=analyst,
        text=tt("Publish the declarations."),
        owner="Ministry of Justice",
        due_on=dt.date(2030, 12, 1),
        finding_id=finding.pk,
    )
    assert decision.number == 1
    found = mentions.collect(review.pk, [finding.pk], [])
    (mention,) = found[("finding", finding.pk)]
    assert "Policy-dialogue workshop" in mention.label and "decision 1" in mention.label
    assert mention.url.endswith(f"/events/{held.pk}/#decision-1")
    services.decision_set_state(decision=decision, state="done")
    assert Decision.objects.get().state == "done"


def test_a_decision_cannot_link_a_finding_of_another_review(held, persona):
    other = signed_review(slug="other-review")
    finding = _finding(other, persona)
    with pytest.raises(ValidationError) as caught:
        services.decision_save(
            event=held,
            by=persona(Role.ANALYST),
            text=tt("x"),
            owner="x",
            due_on=None,
            finding_id=finding.pk,
        )
    assert "finding" in caught.value.message_dict
    assert not Decision.objects.exists()


def _finding(review, persona):
    area = PolicyAreaFactory()
    assessment = AreaAssessment.objects.create(review=review, area=area)
    return Finding.objects.create(
        assessment=assessment, number=1, code=f"{area.code}-F1", kind="gap", text=tt("A gap.")
    )
