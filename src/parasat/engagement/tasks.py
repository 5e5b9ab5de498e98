"""Background work of the engagement: the invitation emails, each in its
recipient's language with the event attached as an .ics file."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from parasat.engagement import calendars
from parasat.engagement.models import Invitation


def _language(invitation: Invitation) -> str:
    if invitation.user is not None and invitation.user.language:
        return invitation.user.language
    return invitation.language


@task
def send_invitations(*, invitation_ids: list[int]) -> int:
    """Email each invitation not sent yet. Returns how many were sent."""
    sent = 0
    rows = Invitation.objects.filter(pk__in=invitation_ids, sent_at__isnull=True).select_related(
        "event__review", "user"
    )
    for invitation in rows:
        event = invitation.event
        with translation.override(_language(invitation)):
            reply_url = calendars.site_url(
                reverse("engagement:reply", args=[event.review.slug, invitation.token])
            )
            text = render_to_string(
                "engagement/email/invitation.txt",
                {"invitation": invitation, "event": event, "reply_url": reply_url},
            )
            ics = calendars.invitation_ics(invitation)
        subject, _sep, body = text.strip().partition("\n")
        message = EmailMessage(subject.strip(), body.strip() + "\n", None, [invitation.email])
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        message.send()
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
