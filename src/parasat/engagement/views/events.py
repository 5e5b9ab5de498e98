"""The review's events: the list, one event, the forms, the public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.core.lib.forms import add_errors
from parasat.engagement import access, calendars, selectors, services
from parasat.engagement.forms import (
    AgendaItemForm,
    DecisionForm,
    DocumentForm,
    EventForm,
    InviteForm,
)
from parasat.engagement.models import Decision, Event, EventDocument, Invitation, Minutes
from parasat.engagement.views import page_context
from parasat.reviews.permissions import Perm


@login_required
@require_GET
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The review's events in order: the five of the agreement and the others."""
    reader = access.get_reader(request.user, slug)
    # Every review has the five events of the agreement (Annex I §V): a
    # review made before the plan existed gets them when its list is first read.
    if not Event.objects.filter(review=reader.review).exclude(key="").exists():
        services.events_plan(review=reader.review)
    calendar = selectors.review_calendar(reader.review)
    rows = selectors.event_rows(reader.review, Event.objects.filter(review=reader.review), calendar)
    feed = calendars.site_url(
        reverse(
            "engagement:feed",
            args=[slug, calendars.feed_key(user_id=request.user.pk, review_id=reader.review.pk)],
        )
    )
    return render(
        request,
        "engagement/events.html",
        page_context(reader, rows=rows, calendar=calendar, feed_url=feed),
    )


@login_required
@require_GET
def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    return render_event(request, reader, access.get_event(reader, pk), status=200)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a meeting (``pk`` None) or change an event: dates, place, languages…"""
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk) if pk is not None else None
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        texts = form.texts()
        try:
            saved = services.event_save(
                review=reader.review,
                by=request.user,
                event=event,
                kind=event.kind if event and event.from_plan else data["kind"],
                title=texts["title"],
                purpose=texts["purpose"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=texts["place"],
                online_url=data["online_url"],
                languages=data["languages"],
                interpretation=data["interpretation"],
                is_public=data["is_public"],
                press_release=texts["press_release"],
                phase=event.phase if event else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, _("The event is saved."))
            return redirect("engagement:event", slug, saved.event.pk)
    title = _("Change the event") if event else _("Add a meeting")
    return render(
        request,
        "engagement/event_form.html",
        page_context(reader, form=form, event=event, title=title),
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(
                event=event,
                title=form.text(),
                presenter=form.cleaned_data["presenter"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("engagement:event", slug, event.pk)
    return render_event(request, reader, event, agenda_form=form, status=400)


@login_required
@require_POST
def agenda_move(request: HttpRequest, slug: str, pk: int, item: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    found = access.get_agenda_item(event, item)
    direction = request.POST.get("direction")
    if direction == "remove":
        services.agenda_item_remove(item=found)
    elif direction in {"up", "down"}:
        services.agenda_item_move(item=found, up=direction == "up")
    else:
        raise Http404
    return redirect("engagement:event", slug, event.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                event=event,
                by=request.user,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"],
                confidentiality=data["confidentiality"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            if "file" not in form.errors and form.non_field_errors():
                form.add_error("file", form.non_field_errors())
        else:
            messages.success(request, _("The document is added."))
            return redirect("engagement:event", slug, event.pk)
    return render_event(request, reader, event, document_form=form, status=400)


def render_event(
    request: HttpRequest,
    reader: access.EngagementReader,
    event: Event,
    *,
    status: int,
    agenda_form: AgendaItemForm | None = None,
    document_form: DocumentForm | None = None,
    invite_form: InviteForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    """The event's page, with the forms its reader may use (one of them
    holding what was sent and its errors)."""
    event = selectors.event_detail(event.pk)
    calendar = selectors.review_calendar(reader.review)
    return render(
        request,
        "engagement/event.html",
        page_context(
            reader,
            event=event,
            window=calendar.planned_window(event),
            warnings=services.timing_warnings(event, calendar),
            documents=list(selectors.documents_for(reader.audience, event)),
            agenda_form=agenda_form or AgendaItemForm(),
            document_form=document_form or DocumentForm(),
            invite_form=invite_form
            or (InviteForm(review=reader.review) if reader.manages else None),
            invitations=list(selectors.invitations_of(event)) if reader.manages else [],
            decisions=selectors.decisions_of(event),
            decision_form=decision_form
            or (DecisionForm(review=reader.review) if reader.manages else None),
            states=Decision.State.choices,
            minutes=Minutes.objects.filter(event=event).first(),
            mine=Invitation.objects.filter(event=event, user_id=reader.user.pk).first()
            if reader.user.is_authenticated
            else None,
        ),
        status=status,
    )


def _file(document: EventDocument) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=document.content_type,
    )


@login_required
@require_GET
def document_download(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    reader = access.get_reader(request.user, slug)
    event = access.get_event(reader, pk)
    return _file(access.get_document(reader, event, doc))


@require_GET
def public_event(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The public page of a public event of a public review: for anyone."""
    event = access.get_public_event(slug, pk)
    event = selectors.event_detail(event.pk)
    documents = event.documents.filter(confidentiality="public")
    return render(
        request,
        "engagement/public_event.html",
        {"event": event, "review": event.review, "documents": list(documents)},
    )


@require_GET
def public_document(request: HttpRequest, slug: str, pk: int, doc: int) -> FileResponse:
    event = access.get_public_event(slug, pk)
    return _file(access.get_public_document(event, doc))


urlpatterns = [
    path("", event_list, name="events"),
    path("new/", event_edit, name="event_new"),
    path("<int:pk>/", event_detail, name="event"),
    path("<int:pk>/edit/", event_edit, name="event_edit"),
    path("<int:pk>/agenda/", agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/", agenda_move, name="agenda_move"),
    path("<int:pk>/documents/", document_add, name="document_add"),
    path("<int:pk>/documents/<int:doc>/", document_download, name="document"),
    path("<int:pk>/public/", public_event, name="public_event"),
    path("<int:pk>/public/documents/<int:doc>/", public_document, name="public_document"),
]
