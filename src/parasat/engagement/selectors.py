"""Reads of the engagement, each with the queries it needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parasat.core.lib.dates import add_months
from parasat.engagement.models import (
    AgendaItem,
    Decision,
    Event,
    EventDocument,
    Invitation,
    Minutes,
    MinutesAmendment,
    MinutesVersion,
)
from parasat.reviews.disclosure import Audience
from parasat.reviews.models import Phase, Review
from parasat.reviews.selectors import parties_with_signatures, review_start


@dataclass(frozen=True)
class Calendar:
    """The review's dates as the events need them: its start and end (Art. 2:
    from the last signature) and each phase's first and after-last day."""

    start: dt.date | None
    end: dt.date | None
    placeholder: bool
    phases: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)

    def phase_span(self, phase_id: int) -> tuple[dt.date, dt.date] | None:
        return self.phases.get(phase_id)

    def planned_window(self, event: Event) -> tuple[dt.date, dt.date] | None:
        """The month of the review an event of the plan is planned in."""
        span = self.phases.get(event.phase_id) if event.phase_id else None
        if span is None or not event.planned_month:
            return None
        first = add_months(span[0], event.planned_month - 1)
        return first, add_months(first, 1) - dt.timedelta(days=1)


def review_calendar(review: Review) -> Calendar:
    start, placeholder = review_start(parties_with_signatures(review))
    if start is None:
        return Calendar(None, None, False)
    phases: dict[int, tuple[dt.date, dt.date]] = {}
    cursor = start
    for phase in Phase.objects.filter(review=review).order_by("order"):
        end = add_months(cursor, phase.months)
        phases[phase.pk] = (cursor, end)
        cursor = end
    return Calendar(start, add_months(start, review.duration_months), placeholder, phases)


@dataclass
class EventRow:
    event: Event
    window: tuple[dt.date, dt.date] | None
    outside: bool


def _outside(event: Event, calendar: Calendar) -> bool:
    if event.starts_at is None or calendar.start is None or calendar.end is None:
        return False
    day = timezone.localtime(event.starts_at).date()
    return not calendar.start <= day < calendar.end


def event_rows(
    review: Review, events: QuerySet[Event], calendar: Calendar | None = None
) -> list[EventRow]:
    """The events with their planned month and whether their date is outside
    the review's timeline: three queries for the calendar (none when the
    caller has read it), one for the events."""
    if calendar is None:
        calendar = review_calendar(review)
    return [
        EventRow(e, calendar.planned_window(e), _outside(e, calendar))
        for e in events.select_related("phase")
    ]


def documents_for(audience: Audience, event: Event) -> QuerySet[EventDocument]:
    """The event's documents the audience reads (the gate for documents)."""
    return EventDocument.objects.filter(event=event).filter(audience.level_filter())


def event_detail(event_id: int) -> Event:
    return (
        Event.objects.select_related("phase", "organiser", "review")
        .prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.order_by("order")))
        .get(pk=event_id)
    )


def invitations_of(event: Event) -> QuerySet[Invitation]:
    return Invitation.objects.filter(event=event).order_by("name", "pk")


def minutes_versions(minutes: Minutes | None) -> list[MinutesVersion]:
    if minutes is None:
        return []
    return list(minutes.versions.select_related("saved_by").order_by("number"))


def amendments_of(minutes: Minutes) -> list[MinutesAmendment]:
    return list(minutes.amendments.select_related("proposed_by").order_by("proposed_at", "pk"))


def decisions_of(event: Event) -> list[Decision]:
    return list(
        Decision.objects.filter(event=event)
        .select_related("finding__assessment__area", "recommendation__assessment__area")
        .order_by("number")
    )
