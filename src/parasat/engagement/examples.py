"""The ``[engagement]`` table of an example review file: illustrative dates,
places and agendas for the five events of the agreement, marked illustrative
(the pages say the dates are the example's, not the review's).

Loading again fills in only the events nobody has scheduled since."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parasat.core.lib.translated import TranslatedText
from parasat.engagement.models import AgendaItem, Event
from parasat.engagement.services import events_plan
from parasat.reviews.models import Review


def _tt(value: Any) -> TranslatedText:
    return TranslatedText.fresh({"en": value} if isinstance(value, str) else value or {})


def _moment(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@transaction.atomic
def example_load(*, data: dict[str, Any], review: Review) -> None:
    events_plan(review=review)
    events = {e.key: e for e in Event.objects.filter(review=review).exclude(key="")}
    for row in data.get("event", []):
        event = events.get(row["key"])
        if event is None:
            raise ValidationError(f"The example names an event not in the plan: {row['key']}")
        if event.starts_at is not None and not event.illustrative:
            continue  # scheduled by a person since: theirs
        event.starts_at = _moment(row["starts_at"])
        event.ends_at = _moment(row["ends_at"]) if row.get("ends_at") else None
        event.place = _tt(row.get("place"))
        event.languages = row.get("languages", event.languages)
        event.interpretation = row.get("interpretation", event.interpretation)
        event.press_release = _tt(row.get("press_release"))
        event.illustrative = True
        event.full_clean(exclude=["review", "phase", "organiser"])
        event.save()
        if not event.agenda.exists():
            for order, item in enumerate(row.get("agenda", []), start=1):
                AgendaItem.objects.create(
                    event=event,
                    order=order,
                    title=_tt(item["title"]),
                    presenter=item.get("presenter", ""),
                    duration_minutes=item["minutes"],
                )
