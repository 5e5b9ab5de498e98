"""Invitations, replies, attendance and the calendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parasat.accounts.models import User
from parasat.core.lib.forms import add_errors, parse_pk
from parasat.engagement import access, calendars, exports, selectors
from parasat.engagement.forms import InviteForm
from parasat.engagement.models import Event, Invitation
from parasat.engagement.services import invitations as services
from parasat.engagement.views.events import render_event
from parasat.reviews.models import Participant
from parasat.reviews.permissions import Perm


@login_required
@require_POST
def invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    form = InviteForm(request.POST, review=reader.review)
    if form.is_valid():
        try:
            made = services.invitations_send(
                event=event,
                by=request.user,
                people=form.cleaned_data["people"],
                guests=form.guests(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", len(made))
                % {"count": len(made)},
            )
            return redirect("engagement:event", slug, event.pk)
    return render_event(request, reader, event, invite_form=form, status=400)


@login_required
@require_POST
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    present = [parse_pk(v) for v in request.POST.getlist("present")]
    if None in present:
        raise Http404
    try:
        count = services.attendance_take(event=event, by=request.user, present=present)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance recorded: %(count)s present.") % {"count": count})
    return redirect("engagement:event", slug, event.pk)


@login_required
@require_GET
def attendance_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug, perm=Perm.MANAGE_EVENTS)
    event = access.get_event(reader, pk)
    content = exports.attendance_xlsx(event, selectors.invitations_of(event))
    response = HttpResponse(content, content_type=exports.FORMATS["xlsx"])
    name = f"{reader.review.slug}-event-{event.pk}-attendance-{timezone.localdate().isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_POST
def my_reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A signed-in invitee answers from the event's page."""
    reader = access.get_reader(request.user, slug)
    event = access.get_event(reader, pk)
    invitation = Invitation.objects.filter(event=event, user=request.user).first()
    if invitation is None:
        raise Http404
    return _reply(request, invitation, redirect("engagement:event", slug, event.pk))


def _reply(request: HttpRequest, invitation: Invitation, done: HttpResponse) -> HttpResponse:
    answer = request.POST.get("reply")
    if answer not in {"attending", "declined"}:
        messages.error(request, _("Choose whether you will attend."))
        return done
    try:
        services.invitation_reply(invitation=invitation, attending=answer == "attending")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you: your reply is recorded."))
    return done


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The link in an invitation email: anyone holding it answers, signed in or not."""
    invitation = (
        Invitation.objects.select_related("event__review")
        .filter(token=token, event__review__slug=slug)
        .first()
    )
    if invitation is None:
        raise Http404
    if request.method == "POST":
        return _reply(request, invitation, redirect("engagement:reply", slug, token))
    return render(
        request,
        "engagement/reply.html",
        {"invitation": invitation, "event": invitation.event, "review": invitation.event.review},
    )


@login_required
@require_GET
def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reader = access.get_reader(request.user, slug)
    event = access.get_event(reader, pk)
    if event.starts_at is None:
        raise Http404
    response = HttpResponse(
        calendars.feed_ics(reader.review, [event]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@require_GET
def feed(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A person's calendar of the review's events, for a calendar application
    to subscribe to. The key names the person; their roles are checked on
    every request, so a feed stops when they leave the review."""
    review = access.get_review_by_slug(slug)
    owner = calendars.feed_owner(key, review)
    user = User.objects.filter(pk=owner, is_active=True).first() if owner else None
    if user is None:
        raise Http404
    in_review = (
        user.is_superuser
        or Participant.objects.filter(review=review, user=user, active=True).exists()
    )
    if not in_review:
        raise Http404
    events = Event.objects.filter(review=review, starts_at__isnull=False).select_related("review")
    return HttpResponse(
        calendars.feed_ics(review, events), content_type="text/calendar; charset=utf-8"
    )


@require_GET
def public_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public events of a public review, for anyone's calendar."""
    review = access.get_review_by_slug(slug)
    if not review.is_public:
        raise Http404
    events = Event.objects.filter(
        review=review, is_public=True, starts_at__isnull=False
    ).select_related("review")
    return HttpResponse(
        calendars.feed_ics(review, events), content_type="text/calendar; charset=utf-8"
    )


urlpatterns = [
    path("calendar/public.ics", public_feed, name="public_feed"),
    path("calendar/<str:key>.ics", feed, name="feed"),
    path("reply/<str:token>/", reply, name="reply"),
    path("<int:pk>/invitations/", invite, name="invite"),
    path("<int:pk>/attendance/", attendance, name="attendance"),
    path("<int:pk>/attendance.xlsx", attendance_export, name="attendance_export"),
    path("<int:pk>/my-reply/", my_reply, name="my_reply"),
    path("<int:pk>/event.ics", event_ics, name="event_ics"),
]
