"""iCalendar (RFC 5545) files for invitations and calendar feeds, written
here rather than with a library: a VCALENDAR of VEVENTs is a few lines, and
what matters is done right: text escaped, long lines folded at 75 octets,
CRLF line ends, times in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

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


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (§3.1), never
    cutting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    """A parameter value (a person's name), quoted; quotes are not allowed in it."""
    return '"' + value.replace('"', "'") + '"'


def _vevent(event: CalendarEvent, now: dt.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp or now)}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.organizer:
        name, email = event.organizer
        lines.append(f"ORGANIZER;CN={_param(name)}:mailto:{email}")
    for name, email in event.attendees:
        lines.append(f"ATTENDEE;CN={_param(name)};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{email}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[CalendarEvent], *, name: str = "", method: str | None = None
) -> bytes:
    """A VCALENDAR holding ``events``: ``method`` REQUEST for an invitation,
    none for a feed to subscribe to."""
    now = dt.datetime.now(dt.UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines.extend(_vevent(event, now))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
