"""iCalendar (RFC 5545) files for invitations and calendar feeds, written with
the ``icalendar`` library (escaping, line folding, CRLF and UTC times are its
business, not ours)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Parasat//Integrity systems reviews//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    stamp: dt.datetime | None = None
    organizer: tuple[str, str] | None = None  # (name, email)
    attendees: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


def _address(name: str, email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _vevent(event: CalendarEvent, now: dt.datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", (event.stamp or now).astimezone(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(dt.UTC))
    vevent.add("dtend", event.end.astimezone(dt.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.organizer:
        vevent.add("organizer", _address(*event.organizer))
    for name, email in event.attendees:
        vevent.add(
            "attendee", _address(name, email, role="REQ-PARTICIPANT", rsvp="TRUE"), encode=False
        )
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return vevent


def calendar(
    events: Iterable[CalendarEvent], *, name: str = "", method: str | None = None
) -> bytes:
    """A VCALENDAR holding ``events``: ``method`` REQUEST for an invitation,
    none for a feed to subscribe to."""
    now = dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, now))
    return cal.to_ical()
