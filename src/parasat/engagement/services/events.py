"""Writes to events, their agendas and their documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.core.lib.translated import TranslatedText, content_languages
from parasat.core.lib.uploads import check_upload
from parasat.engagement.models import AgendaItem, Event, EventDocument
from parasat.engagement.plan import planned_events
from parasat.engagement.selectors import Calendar, review_calendar
from parasat.reviews.models import Phase, Review


@transaction.atomic
def events_plan(*, review: Review) -> list[Event]:
    """Give ``review`` the five events of the agreement that it lacks, each in
    its phase with its planned month (Annex I §V, §VII). Idempotent: an event
    of the plan that exists, whatever was done to it, is left alone."""
    have = set(Event.objects.filter(review=review).exclude(key="").values_list("key", flat=True))
    missing = [p for p in planned_events() if p.key not in have]
    if not missing:
        return []
    phases = {p.kind: p for p in Phase.objects.filter(review=review)}
    made = []
    for order, planned in enumerate(planned_events(), start=1):
        if planned.key in have:
            continue
        made.append(
            Event.objects.create(
                review=review,
                key=planned.key,
                kind=planned.kind,
                title=planned.title,
                purpose=planned.purpose,
                phase=phases.get(planned.phase),
                planned_month=planned.month,
                is_public=planned.public,
                languages=list(review.languages or content_languages()),
                order=order,
            )
        )
    return made


@dataclass(frozen=True)
class Saved:
    """An event as saved, and the warnings its dates deserve (never a refusal)."""

    event: Event
    warnings: list[str]


def timing_warnings(event: Event, calendar: Calendar | None = None) -> list[str]:
    """An event outside the review's timeline, or outside its planned phase, is
    worth a warning: the timeline may itself rest on placeholder dates.
    ``calendar``: the review's, where the caller has read it already."""
    if event.starts_at is None:
        return []
    if calendar is None:
        calendar = review_calendar(event.review)
    day = timezone.localtime(event.starts_at).date()
    if calendar.start is None:
        return []
    warnings = []
    if day < calendar.start or day >= calendar.end:
        warnings.append(
            _(
                "The event falls outside the review's timeline (%(start)s – %(end)s). "
                "It is saved; check the date."
            )
            % {
                "start": date_format(calendar.start, "j E Y"),
                "end": date_format(calendar.end, "j E Y"),
            }
        )
    elif event.phase_id is not None:
        span = calendar.phase_span(event.phase_id)
        if span is not None and not span[0] <= day < span[1]:
            warnings.append(
                _("The event falls outside its phase (%(start)s – %(end)s). It is saved.")
                % {
                    "start": date_format(span[0], "j E Y"),
                    "end": date_format(span[1] - dt.timedelta(days=1), "j E Y"),
                }
            )
    return warnings


def _check_languages(languages: list[str]) -> list[str]:
    known = set(content_languages())
    wrong = [code for code in languages if code not in known]
    if wrong:
        raise ValidationError(
            {"languages": _("Unknown language: %(codes)s.") % {"codes": ", ".join(wrong)}}
        )
    return [code for code in content_languages() if code in languages]


@transaction.atomic
def event_save(
    *,
    review: Review,
    by: User | None,
    event: Event | None = None,
    kind: str,
    title: TranslatedText,
    purpose: TranslatedText,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: TranslatedText,
    online_url: str = "",
    languages: list[str],
    interpretation: str = Event.Interpretation.NONE,
    is_public: bool = False,
    press_release: TranslatedText | None = None,
    phase: Phase | None = None,
) -> Saved:
    """Add a meeting to ``review`` (``event`` None) or change one. An event of
    the plan keeps its kind. Dates outside the timeline are saved with a warning."""
    if event is None:
        last = Event.objects.filter(review=review).aggregate(m=Max("order"))["m"] or 0
        event = Event(review=review, order=last + 1, organiser=by)
    elif event.review_id != review.pk:
        raise ValidationError(_("The event is not one of this review's."))
    if event.from_plan and kind != event.kind:
        raise ValidationError({"kind": _("An event of the agreement keeps its kind.")})
    if phase is not None and phase.review_id != review.pk:
        raise ValidationError({"phase": _("The phase is not one of this review's.")})
    if starts_at and ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
    event.kind = kind
    event.title = title
    event.purpose = purpose
    event.starts_at = starts_at
    event.ends_at = ends_at
    event.place = place
    event.online_url = online_url.strip()
    event.languages = _check_languages(languages)
    event.interpretation = interpretation
    event.is_public = is_public
    event.press_release = press_release or TranslatedText()
    if phase is not None or not event.from_plan:
        event.phase = phase
    # A date a person enters is no longer the example's.
    event.illustrative = False
    event.full_clean(exclude=["review", "phase", "organiser"])
    event.save()
    return Saved(event, timing_warnings(event))


@transaction.atomic
def agenda_item_add(
    *, event: Event, title: TranslatedText, presenter: str, duration_minutes: int
) -> AgendaItem:
    """Add an item at the end of the event's agenda."""
    last = AgendaItem.objects.filter(event=event).aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem(
        event=event,
        order=last + 1,
        title=title,
        presenter=presenter.strip(),
        duration_minutes=duration_minutes,
    )
    item.full_clean(exclude=["event"])
    item.save()
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Swap ``item`` with its neighbour above (or below); at the end, nothing moves."""
    items = list(AgendaItem.objects.select_for_update().filter(event_id=item.event_id))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return
    a, b = items[index], items[other_index]
    # The unique order is swapped through a free number.
    free = max(row.order for row in items) + 1
    a_order, b_order = a.order, b.order
    AgendaItem.objects.filter(pk=a.pk).update(order=free)
    AgendaItem.objects.filter(pk=b.pk).update(order=a_order)
    AgendaItem.objects.filter(pk=a.pk).update(order=b_order)


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> None:
    item.delete()


@transaction.atomic
def document_add(
    *,
    event: Event,
    by: User,
    upload: UploadedFile,
    title: str,
    kind: str,
    confidentiality: str,
) -> EventDocument:
    """Attach a file to an event, under the same rules as evidence: size,
    an accepted type, content that matches its name, a random storage name."""
    content_type = check_upload(upload)
    document = EventDocument(
        event=event,
        kind=kind,
        title=title.strip() or (upload.name or "")[:300],
        file_name=(upload.name or "file")[:200],
        content_type=content_type,
        size=upload.size or 0,
        confidentiality=confidentiality,
        added_by=by,
        added_at=timezone.now(),
    )
    document.full_clean(exclude=["file", "event", "added_by"])
    document.file.save(upload.name or "file", upload, save=False)
    document.save()
    return document
