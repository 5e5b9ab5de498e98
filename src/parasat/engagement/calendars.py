"""Events as iCalendar: the file attached to an invitation and the feeds a
calendar application subscribes to (it cannot sign in, so a person's feed is
addressed by a signed key naming them and the review)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from parasat.core.lib.ical import CalendarEvent, calendar
from parasat.engagement.models import Event, Invitation
from parasat.reviews.models import Review

FEED_SALT = "parasat.engagement.feed"
# An event without an end shows as two hours long.
DEFAULT_LENGTH = dt.timedelta(hours=2)


def site_url(path: str) -> str:
    return settings.PARASAT_SITE_URL.rstrip("/") + path


def _host() -> str:
    return settings.PARASAT_SITE_URL.split("//")[-1].split("/")[0] or "parasat"


def calendar_event(event: Event, *, attendee: Invitation | None = None) -> CalendarEvent:
    assert event.starts_at is not None
    location = str(event.place) if event.place else event.online_url
    path = reverse("engagement:event", args=[event.review.slug, event.pk])
    description = str(event.purpose)
    if event.online_url:
        description = f"{description}\n\n{_('Online address')}: {event.online_url}".strip()
    return CalendarEvent(
        uid=f"event-{event.pk}@{_host()}",
        start=event.starts_at,
        end=event.ends_at or event.starts_at + DEFAULT_LENGTH,
        summary=str(event.title),
        description=description,
        location=location,
        url=site_url(path),
        # Each change of the event is a new sequence number, so calendars update it.
        sequence=int(event.updated_at.timestamp()) if event.updated_at else 0,
        attendees=[(attendee.name, attendee.email)] if attendee else [],
    )


def invitation_ics(invitation: Invitation) -> bytes:
    return calendar([calendar_event(invitation.event, attendee=invitation)], method="REQUEST")


def feed_ics(review: Review, events: Iterable[Event]) -> bytes:
    return calendar(
        [calendar_event(e) for e in events if e.starts_at is not None], name=str(review.title)
    )


def feed_key(*, user_id: int, review_id: int) -> str:
    return signing.dumps({"u": user_id, "r": review_id}, salt=FEED_SALT, compress=True)


def feed_owner(key: str, review: Review) -> int | None:
    """The person a feed key was made for, if it was made for this review."""
    try:
        data = signing.loads(key, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("r") != review.pk:
        return None
    owner = data.get("u")
    return owner if isinstance(owner, int) else None
