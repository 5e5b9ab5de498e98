"""Invitations to an event, the invitees' replies and attendance on the day."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import language_choices
from parasat.engagement.models.events import Event

_USER = settings.AUTH_USER_MODEL


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """One person invited to one event: a person of the review (``user``) or
    an outside guest (name and address only). The token in the email lets a
    guest reply without an account."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        ATTENDING = "attending", _("Attending")
        DECLINED = "declined", _("Not attending")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    reply = models.CharField(
        _("reply"), max_length=20, choices=Reply.choices, default=Reply.PENDING
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    # None: attendance not taken yet.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"))
    sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)

    class Meta:
        ordering = ["event", "name", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_invitation_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
