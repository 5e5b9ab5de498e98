"""iCalendar files: escaped text, folded lines, UTC times."""

import datetime as dt

from parasat.core.lib.ical import CalendarEvent, calendar, escape, fold


def test_text_is_escaped_and_long_lines_folded_without_cutting_a_character():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "Қазақстан" * 20
    folded = fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_holds_its_events_in_utc():
    start = dt.datetime(2015, 7, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    body = calendar(
        [
            CalendarEvent(
                uid="e1@parasat",
                start=start,
                end=start + dt.timedelta(hours=8),
                summary="Workshop; policy, dialogue",
                attendees=[("Aigerim", "a@example.org")],
            )
        ],
        method="REQUEST",
    ).decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "METHOD:REQUEST" in body
    assert "DTSTART:20150707T033000Z" in body and "DTEND:20150707T113000Z" in body
    assert "SUMMARY:Workshop\\; policy\\, dialogue" in body
    assert 'ATTENDEE;CN="Aigerim"' in body
