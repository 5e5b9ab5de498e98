"""Invitations, replies and attendance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.engagement.models import Event, Invitation
from parasat.engagement.tasks import send_invitations


@dataclass(frozen=True)
class Guest:
    """Someone from outside the review, invited by name and address."""

    name: str
    email: str
    language: str = ""
    organisation: str = ""


def _language(code: str) -> str:
    codes = [c for c, _label in settings.LANGUAGES]
    return code if code in codes else settings.LANGUAGE_CODE


def _check_address(address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(address)s” is not a valid email address.") % {"address": address}}
        ) from None
    return address


@transaction.atomic
def invitations_send(
    *,
    event: Event,
    by: User | None,
    people: Iterable[User] = (),
    guests: Iterable[Guest] = (),
) -> list[Invitation]:
    """Invite ``people`` of the review and outside ``guests`` to ``event``; each
    gets an email in their language with the event as an .ics file. Every
    address is checked before anything is written: one malformed address
    refuses the whole batch. Those already invited are not invited twice."""
    if event.starts_at is None:
        raise ValidationError(_("Schedule the event before inviting anyone."))
    wanted: list[Invitation] = []
    now = timezone.now()
    for person in people:
        if not person.email:
            raise ValidationError(
                {"people": _("%(name)s has no email address.") % {"name": person.display_name}}
            )
        wanted.append(
            Invitation(
                event=event,
                user=person,
                name=person.display_name,
                email=_check_address(person.email),
                language=_language(person.language),
                invited_by=by,
                invited_at=now,
            )
        )
    for guest in guests:
        if not guest.name.strip():
            raise ValidationError({"name": _("Give the guest's name.")})
        wanted.append(
            Invitation(
                event=event,
                name=guest.name.strip()[:200],
                email=_check_address(guest.email),
                organisation=guest.organisation.strip()[:200],
                language=_language(guest.language),
                invited_by=by,
                invited_at=now,
            )
        )
    taken = {
        e.lower() for e in Invitation.objects.filter(event=event).values_list("email", flat=True)
    }
    made = []
    for invitation in wanted:
        key = invitation.email.lower()
        if key in taken:
            continue
        taken.add(key)
        invitation.save()
        made.append(invitation)
    ids = [i.pk for i in made]
    if ids:
        transaction.on_commit(lambda: send_invitations.enqueue(invitation_ids=ids))
    return made


@transaction.atomic
def invitation_reply(*, invitation: Invitation, attending: bool) -> Invitation:
    """The invitee's answer; they may change their mind until the event starts."""
    event = invitation.event
    if event.starts_at is not None and event.starts_at <= timezone.now():
        raise ValidationError(_("The event has started: replies are closed."))
    invitation.reply = Invitation.Reply.ATTENDING if attending else Invitation.Reply.DECLINED
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "replied_at"])
    return invitation


@transaction.atomic
def attendance_take(*, event: Event, by: User, present: Iterable[int]) -> int:
    """Record who came: every invitation of ``event`` is marked present or absent.
    Returns how many were present."""
    present = set(present)
    invitations = list(Invitation.objects.select_for_update().filter(event=event))
    unknown = present - {i.pk for i in invitations}
    if unknown:
        raise ValidationError(_("Some of the people marked present were not invited."))
    now = timezone.now()
    for invitation in invitations:
        invitation.attended = invitation.pk in present
        invitation.attendance_taken_at = now
        invitation.attendance_taken_by = by
    Invitation.objects.bulk_update(
        invitations, ["attended", "attendance_taken_at", "attendance_taken_by"]
    )
    return len(present)
