"""The minutes of an event (drafted, circulated, amended, approved,
published) and its decisions register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parasat.core.lib.forms import add_errors
from parasat.engagement import access, selectors
from parasat.engagement.forms import (
    AmendmentForm,
    CirculateForm,
    DecideAmendmentForm,
    DecisionForm,
    MinutesForm,
)
from parasat.engagement.models import Event, Minutes
from parasat.engagement.services import minutes as services
from parasat.engagement.views import page_context
from parasat.engagement.views.events import render_event
from parasat.reviews.permissions import Perm


def _minutes(event: Event) -> Minutes | None:
    minutes = Minutes.objects.filter(event=event).first()
    if minutes is not None:
        minutes.event = event  # the page's, not read again
    return minutes


def _page(
    request: HttpRequest,
    reader: access.EngagementReader,
    event: Event,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    minutes = _minutes(event)
    readable, may_amend = access.minutes_rights(reader, minutes)
    versions = selectors.minutes_versions(minutes) if minutes and readable else []
    return render(
        request,
        "engagement/minutes.html",
        page_context(
            reader,
            event=event,
            minutes=minutes,
            readable=readable,
            current=versions[-1] if versions else None,
            versions=versions if reader.manages else [],
            amendments=selectors.amendments_of(minutes) if minutes and readable else [],
            may_amend=may_amend,
            minutes_form=forms.get("minutes_form") or MinutesForm(minutes=minutes),
            circulate_form=forms.get("circulate_form") or CirculateForm(),
            amendment_form=forms.get("amendment_form") or AmendmentForm(),
            decide_form=DecideAmendmentForm(),
        ),
        status=status,
    )


@login_required
@require_GET
def minutes_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    return _page(request, reader, access.get_event(reader, pk))


def _managed(request: HttpRequest, slug: str, pk: int) -> tuple[access.EngagementReader, Event]:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    return reader, access.get_event(reader, pk)


@login_required
@require_POST
def minutes_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader, event = _managed(request, slug, pk)
    minutes = _minutes(event)
    form = MinutesForm(request.POST, minutes=minutes)
    if form.is_valid():
        current = (
            selectors.minutes_versions(minutes)[-1].text if minutes and minutes.version else None
        )
        try:
            services.minutes_save(
                event=event,
                by=request.user,
                text=form.new_text(current),
                confidentiality=form.cleaned_data["confidentiality"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_errors(form, exc)
            else:  # frozen minutes show no form to put the message on
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The minutes are saved as a new version."))
            return redirect("engagement:minutes", slug, event.pk)
    return _page(request, reader, event, minutes_form=form, status=400)


def _step(
    request: HttpRequest, slug: str, pk: int, action: Callable[[Minutes], object], done: str
) -> HttpResponse:
    reader, event = _managed(request, slug, pk)
    minutes = _minutes(event)
    if minutes is None:
        messages.error(request, _("Draft the minutes first."))
        return redirect("engagement:minutes", slug, event.pk)
    try:
        action(minutes)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("engagement:minutes", slug, event.pk)


@login_required
@require_POST
def minutes_circulate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    form = CirculateForm(request.POST)
    if not form.is_valid():
        reader, event = _managed(request, slug, pk)
        return _page(request, reader, event, circulate_form=form, status=400)
    return _step(
        request,
        slug,
        pk,
        lambda m: services.minutes_circulate(
            minutes=m, by=request.user, until=form.cleaned_data["until"]
        ),
        _("The minutes are circulated to those who attended."),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(
        request,
        slug,
        pk,
        lambda m: services.minutes_approve(minutes=m, by=request.user),
        _("The minutes are approved; their text is now frozen."),
    )


@login_required
@require_POST
def minutes_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(
        request,
        slug,
        pk,
        lambda m: services.minutes_publish(minutes=m, by=request.user),
        _("The minutes are published."),
    )


@login_required
@require_POST
def amendment_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    event = access.get_event(reader, pk)
    minutes = _minutes(event)
    if not access.may_amend(reader, minutes):
        raise PermissionDenied
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.amendment_propose(
                minutes=minutes, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your amendment is sent to the organisers."))
            return redirect("engagement:minutes", slug, event.pk)
    return _page(request, reader, event, amendment_form=form, status=400)


@login_required
@require_POST
def amendment_decide(request: HttpRequest, slug: str, pk: int, amendment: int) -> HttpResponse:
    reader, event = _managed(request, slug, pk)
    minutes = _minutes(event)
    if minutes is None:
        return redirect("engagement:minutes", slug, event.pk)
    found = access.get_amendment(minutes, amendment)
    form = DecideAmendmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline the amendment."))
        return redirect("engagement:minutes", slug, event.pk)
    try:
        services.amendment_decide(
            amendment=found,
            by=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The amendment is decided."))
    return redirect("engagement:minutes", slug, event.pk)


# --- Decisions --------------------------------------------------------------


@login_required
@require_POST
def decision_save(
    request: HttpRequest, slug: str, pk: int, number: int | None = None
) -> HttpResponse:
    reader, event = _managed(request, slug, pk)
    decision = access.get_decision(event, number) if number is not None else None
    form = DecisionForm(request.POST, review=reader.review)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_save(
                event=event,
                by=request.user,
                decision=decision,
                text=form.new_text(decision.text if decision else None),
                owner=data["owner"],
                due_on=data["due_on"],
                state=data["state"],
                finding_id=data["finding"],
                recommendation_id=data["recommendation"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("engagement:event", slug, event.pk)
    return render_event(request, reader, event, decision_form=form, status=400)


@login_required
@require_POST
def decision_state(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    _reader, event = _managed(request, slug, pk)
    decision = access.get_decision(event, number)
    try:
        services.decision_set_state(decision=decision, state=request.POST.get("state", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("engagement:event", slug, event.pk)


urlpatterns = [
    path("<int:pk>/minutes/", minutes_page, name="minutes"),
    path("<int:pk>/minutes/save/", minutes_save, name="minutes_save"),
    path("<int:pk>/minutes/circulate/", minutes_circulate, name="minutes_circulate"),
    path("<int:pk>/minutes/approve/", minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/publish/", minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes/amend/", amendment_propose, name="amendment_propose"),
    path(
        "<int:pk>/minutes/amendments/<int:amendment>/",
        amendment_decide,
        name="amendment_decide",
    ),
    path("<int:pk>/decisions/", decision_save, name="decision_add"),
    path("<int:pk>/decisions/<int:number>/", decision_save, name="decision_edit"),
    path("<int:pk>/decisions/<int:number>/state/", decision_state, name="decision_state"),
]
