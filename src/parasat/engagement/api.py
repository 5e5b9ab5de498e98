"""JSON API of the engagement: events with their agendas and decisions, the
published minutes, consultations with their summary, and the contributions
with their responses: all of them for those who read the matrix (the
analytical team and the co-ordinator), for the others those published with
the summary at a level they read, as the pages show them. Read through
:mod:`parasat.engagement.access` as the pages are: minutes only once
published and at a level the caller's audience reads; a contributor's name
is withheld when they asked for it, except from the team. Texts come in
every content language."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from parasat.core.lib.schemas import PageOut, PageQuery, Texts, page_of
from parasat.engagement import access, selectors
from parasat.engagement import selectors_consultations as consulting
from parasat.engagement.models import Consultation, Decision, Event, Minutes, Response
from parasat.reviews.permissions import Perm

router = Router(tags=["engagement"])


class AgendaItemOut(Schema):
    order: int
    title: Texts
    presenter: str
    duration_minutes: int


class DecisionOut(Schema):
    number: int
    text: Texts
    owner: str
    due_on: dt.date | None
    state: Decision.State
    finding: str | None = Field(description="The finding's code, e.g. COI-F2.")
    recommendation: str | None = Field(description="The recommendation's code, e.g. COI-1.")


class EventOut(Schema):
    id: int
    key: str = Field(
        description="The plan's key for the five events of the agreement; empty for others."
    )
    kind: Event.Kind
    title: Texts
    purpose: Texts
    phase: str | None
    planned_from: dt.date | None = Field(description="First day of the planned month.")
    planned_to: dt.date | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    place: Texts
    online_url: str
    languages: list[str]
    interpretation: Event.Interpretation
    public: bool
    illustrative: bool = Field(description="The dates are an example's, not the review's.")


class EventDetailOut(EventOut):
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]


class MinutesOut(Schema):
    event: int
    version: int
    text: Texts
    published_at: dt.datetime


class ChannelSummaryOut(Schema):
    channel: str
    contributions: int
    by_response: dict[str, int]
    unanswered: int


class ConsultationOut(Schema):
    id: int
    title: Texts
    description: Texts
    subject_kind: Consultation.Subject
    subject_ref: str
    channels: list[str]
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    summary: list[ChannelSummaryOut] | None = Field(
        description="Per channel, once the summary is published (always for the team)."
    )


class ResponseOut(Schema):
    kind: Response.Kind
    reason: Texts = Field(
        description="Why, in each content language; English is authoritative and always "
        "given, an empty version is a translation still missing."
    )
    finding: str | None
    recommendation: str | None
    change: str | None = Field(description="The assessment version it produced, e.g. COI v4.")
    responded_at: dt.datetime


class ContributionOut(Schema):
    number: int
    channel: str
    name: str
    name_withheld: bool
    organisation: str
    text: str
    submitted_at: dt.datetime
    hidden: bool
    hidden_reason: str
    response: ResponseOut | None


class ContributionPage(PageOut):
    items: list[ContributionOut]


def _event(row: selectors.EventRow) -> dict:
    e = row.event
    return {
        "id": e.pk,
        "key": e.key,
        "kind": Event.Kind(e.kind),
        "title": Texts.of(e.title),
        "purpose": Texts.of(e.purpose),
        "phase": e.phase.kind if e.phase else None,
        "planned_from": row.window[0] if row.window else None,
        "planned_to": row.window[1] if row.window else None,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "place": Texts.of(e.place),
        "online_url": e.online_url,
        "languages": list(e.languages),
        "interpretation": Event.Interpretation(e.interpretation),
        "public": e.is_public,
        "illustrative": e.illustrative,
    }


def _decision(d: Decision) -> DecisionOut:
    return DecisionOut(
        number=d.number,
        text=Texts.of(d.text),
        owner=d.owner,
        due_on=d.due_on,
        state=Decision.State(d.state),
        finding=d.finding.code if d.finding else None,
        recommendation=d.recommendation.code if d.recommendation else None,
    )


@router.get(
    "/reviews/{slug}/events",
    response=list[EventOut],
    summary="The review's events: the five of the agreement and the meetings added",
)
def list_events(request: HttpRequest, slug: str) -> list[EventOut]:
    reader = access.get_reader(request.user, slug)
    rows = selectors.event_rows(reader.review, Event.objects.filter(review=reader.review))
    return [EventOut(**_event(row)) for row in rows]


@router.get(
    "/reviews/{slug}/events/{event_id}",
    response=EventDetailOut,
    summary="One event with its agenda (in order) and its decisions register",
)
def get_event(request: HttpRequest, slug: str, event_id: int) -> EventDetailOut:
    reader = access.get_reader(request.user, slug)
    event = selectors.event_detail(access.get_event(reader, event_id).pk)
    calendar = selectors.review_calendar(reader.review)
    row = selectors.EventRow(event, calendar.planned_window(event), False)
    return EventDetailOut(
        **_event(row),
        agenda=[
            AgendaItemOut(
                order=i.order,
                title=Texts.of(i.title),
                presenter=i.presenter,
                duration_minutes=i.duration_minutes,
            )
            for i in event.agenda.all()
        ],
        decisions=[_decision(d) for d in selectors.decisions_of(event)],
    )


@router.get(
    "/reviews/{slug}/events/{event_id}/minutes",
    response=MinutesOut,
    summary="The event's published minutes, if the caller may read them",
)
def get_minutes(request: HttpRequest, slug: str, event_id: int) -> MinutesOut:
    reader = access.get_reader(request.user, slug)
    event = access.get_event(reader, event_id)
    minutes = Minutes.objects.filter(event=event, state=Minutes.State.PUBLISHED).first()
    if minutes is None or not (reader.manages or reader.audience.reads(minutes.confidentiality)):
        raise Http404
    current = selectors.minutes_versions(minutes)[-1]
    return MinutesOut(
        event=event.pk,
        version=current.number,
        text=Texts.of(current.text),
        published_at=minutes.published_at,
    )


def _consultation(reader: access.EngagementReader, c: Consultation) -> ConsultationOut:
    shows_summary = access.reads_contributions(reader) or c.summary_published_at is not None
    return ConsultationOut(
        id=c.pk,
        title=Texts.of(c.title),
        description=Texts.of(c.description),
        subject_kind=Consultation.Subject(c.subject_kind),
        subject_ref=c.subject_ref,
        channels=list(c.channels),
        opens_at=c.opens_at,
        closes_at=c.closes_at,
        closed_at=c.closed_at,
        summary=[
            ChannelSummaryOut(
                channel=s.channel,
                contributions=s.total,
                by_response=s.by_kind,
                unanswered=s.unanswered,
            )
            for s in consulting.summary(c)
        ]
        if shows_summary
        else None,
    )


@router.get(
    "/reviews/{slug}/consultations",
    response=list[ConsultationOut],
    summary="The review's consultations",
)
def list_consultations(request: HttpRequest, slug: str) -> list[ConsultationOut]:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    return [_consultation(reader, c) for c in Consultation.objects.filter(review=reader.review)]


@router.get(
    "/reviews/{slug}/consultations/{consultation_id}",
    response=ConsultationOut,
    summary="One consultation, with its summary per channel when the caller may read it",
)
def get_consultation(request: HttpRequest, slug: str, consultation_id: int) -> ConsultationOut:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    return _consultation(reader, access.get_consultation(reader, consultation_id))


@router.get(
    "/reviews/{slug}/consultations/{consultation_id}/contributions",
    response=ContributionPage,
    summary="The contributions with their responses: the comment → response → change matrix "
    "(the team and the co-ordinator); for the others, once the summary is published, those "
    "at a level they read",
)
def list_contributions(
    request: HttpRequest, slug: str, consultation_id: int, paging: Query[PageQuery]
) -> ContributionPage:
    reader = access.get_reader(request.user, slug, perm=Perm.VIEW_CONSULTATIONS)
    consultation = access.get_consultation(reader, consultation_id)
    team = access.reads_contributions(reader)
    if not team and consultation.summary_published_at is None:
        # Before the summary is published, only the team and the co-ordinator read them.
        raise PermissionDenied
    rows = (
        consulting.matrix_rows(consultation)
        if team
        else consulting.published_rows(consultation, reader.audience)
    )
    page = page_of(rows, paging)
    items = []
    for c in page.items:
        if team:
            response = getattr(c, "response", None) if _answered(c) else None
        else:
            response = consulting.published_response(c, reader.audience)
        items.append(
            ContributionOut(
                number=c.number,
                channel=c.channel,
                name=access.shown_name(reader, c),
                name_withheld=c.anonymous,
                organisation=c.organisation,
                text=c.text,
                submitted_at=c.submitted_at,
                hidden=c.hidden_at is not None,
                hidden_reason=c.hidden_reason,
                response=ResponseOut(
                    kind=Response.Kind(response.kind),
                    reason=Texts.of(response.reason),
                    finding=response.finding.code if response.finding else None,
                    recommendation=response.recommendation.code
                    if response.recommendation
                    else None,
                    change=f"{response.change.assessment.area.code} v{response.change.number}"
                    if response.change
                    else None,
                    responded_at=response.responded_at,
                )
                if response
                else None,
            )
        )
    return ContributionPage(**page.meta(), items=items)


def _answered(contribution) -> bool:
    try:
        contribution.response  # noqa: B018 (selected with the row: no query)
    except Response.DoesNotExist:
        return False
    return True
