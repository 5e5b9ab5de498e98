"""iCalendar files: what goes in comes back out of a standard reader (text
escaped, lines folded without cutting a character, times in UTC)."""

import datetime as dt

from icalendar import Calendar

from parasat.core.lib.ical import CalendarEvent, calendar

START = dt.datetime(2015, 7, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=6)))


def invitation(**kwargs) -> bytes:
    fields = {
        "uid": "e1@parasat",
        "start": START,
        "end": START + dt.timedelta(hours=8),
        "summary": "Workshop; policy, dialogue",
        "attendees": [('Aigerim, "Nur" Bek', "a@example.org")],
        "organizer": ("OECD team", "team@example.org"),
        **kwargs,
    }
    return calendar([CalendarEvent(**fields)], method="REQUEST", name="Review")


def test_a_calendar_holds_its_events_in_utc_and_reads_back():
    body = invitation().decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "METHOD:REQUEST" in body
    assert "DTSTART:20150707T033000Z" in body and "DTEND:20150707T113000Z" in body
    assert "SUMMARY:Workshop\\; policy\\, dialogue" in body
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["summary"]) == "Workshop; policy, dialogue"
    assert event.decoded("dtstart") == START
    attendee = event["attendee"]
    assert str(attendee) == "mailto:a@example.org"
    assert attendee.params["cn"] == 'Aigerim, "Nur" Bek'  # quotes as RFC 6868 has them
    assert str(event["organizer"]) == "mailto:team@example.org"
    assert str(event["status"]) == "CONFIRMED"


def test_long_kazakh_text_is_folded_without_cutting_a_character():
    text = "Қазақстан; " * 40 + "\nекінші жол"
    body = invitation(summary=text, description=text, cancelled=True)
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # every folded piece is whole UTF-8
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["summary"]) == text and str(event["description"]) == text
    assert str(event["status"]) == "CANCELLED"
