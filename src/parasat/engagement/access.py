"""Who reads and writes which events. Views, exports and the API reach events,
their documents and (later) minutes and contributions only through here.

Everyone taking part in a review reads its calendar: the events, their
agendas. What they read of an event's papers follows the confidentiality each
carries, for the audience their roles make (:mod:`parasat.reviews.disclosure`):
a contact person, who reads no one's work but their ministry's in the
self-assessment, reads the events' papers as the public does. A public event
of a public review has a page anyone may read, with its public documents."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from parasat.accounts.models import User
from parasat.core.lib.forms import parse_pk
from parasat.engagement.models import (
    AgendaItem,
    Channel,
    Consultation,
    Contribution,
    Decision,
    Event,
    EventDocument,
    Minutes,
    MinutesAmendment,
)
from parasat.engagement.services.consultations import ROLE_CHANNELS
from parasat.engagement.services.minutes import attendee_ids
from parasat.reviews.access import ReviewAccess, get_review_for_user
from parasat.reviews.disclosure import Audience, Confidentiality, audience_for
from parasat.reviews.models import Review
from parasat.reviews.permissions import Perm


def engagement_audience(access: ReviewAccess) -> Audience:
    audience = audience_for(access)
    if audience.clearance is None and not audience.whole_government:
        audience = replace(audience, clearance=Confidentiality.PUBLIC)
    return audience


@dataclass(frozen=True)
class EngagementReader:
    """One person reading one review's engagement."""

    access: ReviewAccess
    audience: Audience
    user: User | AnonymousUser

    @property
    def review(self) -> Review:
        return self.access.review

    def can(self, perm: Perm) -> bool:
        return self.access.can(perm)

    @property
    def manages(self) -> bool:
        return self.can(Perm.MANAGE_EVENTS)


def get_reader(
    user: User | AnonymousUser, slug: str, *, perm: Perm = Perm.VIEW_EVENTS
) -> EngagementReader:
    """The reader of review ``slug`` holding ``perm`` (404 for a stranger, 403
    for a participant whose role does not allow it)."""
    access = get_review_for_user(user, slug, perm=perm)
    return EngagementReader(access, engagement_audience(access), user)


def get_event(reader: EngagementReader, pk: object) -> Event:
    number = parse_pk(pk)
    event = Event.objects.filter(pk=number, review=reader.review).first() if number else None
    if event is None:
        raise Http404
    event.review = reader.review
    return event


def get_agenda_item(event: Event, pk: object) -> AgendaItem:
    number = parse_pk(pk)
    item = AgendaItem.objects.filter(pk=number, event=event).first() if number else None
    if item is None:
        raise Http404
    item.event = event
    return item


def get_document(reader: EngagementReader, event: Event, pk: object) -> EventDocument:
    """A document of ``event`` the reader may read; 404 for any other."""
    number = parse_pk(pk)
    found = (
        EventDocument.objects.filter(pk=number, event=event)
        .filter(reader.audience.level_filter())
        .first()
        if number
        else None
    )
    if found is None:
        raise Http404
    return found


def get_public_event(slug: str, pk: object) -> Event:
    """A public event of a public review, for anyone; 404 for any other."""
    number = parse_pk(pk)
    event = (
        Event.objects.select_related("review", "phase")
        .filter(pk=number, review__slug=slug, review__is_public=True, is_public=True)
        .first()
        if number
        else None
    )
    if event is None:
        raise Http404
    return event


def get_public_document(event: Event, pk: object) -> EventDocument:
    number = parse_pk(pk)
    found = (
        EventDocument.objects.filter(
            pk=number, event=event, confidentiality=Confidentiality.PUBLIC
        ).first()
        if number
        else None
    )
    if found is None:
        raise Http404
    return found


def get_review_by_slug(slug: str) -> Review:
    review = Review.objects.filter(slug=slug).first()
    if review is None:
        raise Http404
    return review


def may_amend(reader: EngagementReader, minutes: Minutes | None) -> bool:
    return _may_amend(reader, minutes, _attends(reader, minutes))


def minutes_rights(reader: EngagementReader, minutes: Minutes | None) -> tuple[bool, bool]:
    """Whether ``reader`` may read the minutes, and may propose amendments to
    them: the attendees read once, and only if a rule asks."""
    attends = functools.cache(_attends(reader, minutes))
    return (
        _may_read_minutes(reader, minutes, attends),
        _may_amend(reader, minutes, attends),
    )


def _attends(reader: EngagementReader, minutes: Minutes | None) -> Callable[[], bool]:
    return lambda: minutes is not None and reader.user.pk in attendee_ids(minutes.event)


def _may_read_minutes(
    reader: EngagementReader, minutes: Minutes | None, attends: Callable[[], bool]
) -> bool:
    """The organisers read the minutes in every state; those who attended read
    them once circulated (to propose amendments); the others read published
    minutes at a level their audience reads."""
    if minutes is None or minutes.version == 0:
        return False
    if reader.manages:
        return True
    if minutes.state == Minutes.State.DRAFT:
        return False
    if reader.user.is_authenticated and attends():
        return True
    return minutes.state == Minutes.State.PUBLISHED and reader.audience.reads(
        minutes.confidentiality
    )


def _may_amend(
    reader: EngagementReader, minutes: Minutes | None, attends: Callable[[], bool]
) -> bool:
    return (
        minutes is not None
        and minutes.state == Minutes.State.CIRCULATED
        and reader.user.is_authenticated
        and attends()
    )


def get_amendment(minutes: Minutes, pk: object) -> MinutesAmendment:
    number = parse_pk(pk)
    found = MinutesAmendment.objects.filter(pk=number, minutes=minutes).first() if number else None
    if found is None:
        raise Http404
    found.minutes = minutes
    return found


def get_decision(event: Event, number: object) -> Decision:
    value = parse_pk(number)
    found = Decision.objects.filter(event=event, number=value).first() if value else None
    if found is None:
        raise Http404
    found.event = event
    return found


# --- Consultations ----------------------------------------------------------


def get_consultation(reader: EngagementReader, pk: object) -> Consultation:
    number = parse_pk(pk)
    found = Consultation.objects.filter(pk=number, review=reader.review).first() if number else None
    if found is None:
        raise Http404
    found.review = reader.review
    return found


def get_contribution(consultation: Consultation, number: object) -> Contribution:
    value = parse_pk(number)
    found = (
        Contribution.objects.filter(consultation=consultation, number=value).first()
        if value
        else None
    )
    if found is None:
        raise Http404
    found.consultation = consultation
    return found


def reads_contributions(reader: EngagementReader) -> bool:
    return reader.can(Perm.VIEW_CONTRIBUTIONS)


def reads_withheld_names(reader: EngagementReader) -> bool:
    """Those who run the consultation (the analytical team) read the name of
    a contributor who asked that it not be published; the co-ordinator, who
    reads the contributions for the government, does not, nor does anyone
    reading what is published."""
    return reader.can(Perm.RUN_CONSULTATIONS)


def shown_name(reader: EngagementReader, contribution: Contribution) -> str:
    """The contributor's name as ``reader`` may read it ("" when withheld)."""
    if contribution.anonymous and not reads_withheld_names(reader):
        return ""
    return contribution.name


def contributor_channel(reader: EngagementReader) -> str | None:
    """The channel a signed-in representative speaks in (None: not one)."""
    if not reader.can(Perm.CONTRIBUTE):
        return None
    for role, channel in ROLE_CHANNELS.items():
        if role in reader.access.roles:
            return channel
    return None


def get_public_consultation(slug: str, pk: object) -> Consultation:
    """A consultation of a public review open to the public channel; 404 otherwise."""
    number = parse_pk(pk)
    found = (
        Consultation.objects.select_related("review")
        .filter(pk=number, review__slug=slug, review__is_public=True)
        .first()
        if number
        else None
    )
    if found is None or Channel.PUBLIC not in found.channels:
        raise Http404
    return found
