"""Minutes and decisions: drafted by the organiser, circulated to those who
attended, amended, approved, published; decisions recorded and followed up."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.analysis.caching import analysis_changed
from parasat.analysis.models import Finding, Recommendation
from parasat.core.lib.translated import TranslatedText
from parasat.engagement.models import (
    Decision,
    Event,
    Invitation,
    Minutes,
    MinutesAmendment,
    MinutesVersion,
)

S = Minutes.State


def _frozen_error() -> ValidationError:
    return ValidationError(_("The minutes are approved: they can no longer be amended."))


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def _new_version(minutes: Minutes, *, text: TranslatedText, by: User, note: str) -> MinutesVersion:
    if not text.source:
        raise ValidationError({"text": _("The English text is required.")})
    minutes.version += 1
    minutes.save(update_fields=["version", "state"])
    return MinutesVersion.objects.create(
        minutes=minutes,
        number=minutes.version,
        text=text,
        note=note[:300],
        saved_by=by,
        saved_at=timezone.now(),
    )


def attendee_ids(event: Event) -> set[int]:
    """Those who may propose amendments: the people of the review marked
    present, or, before attendance is taken, those who said they would come."""
    rows = Invitation.objects.filter(event=event, user__isnull=False)
    taken = rows.filter(attended__isnull=False).exists()
    rows = rows.filter(attended=True) if taken else rows.filter(reply=Invitation.Reply.ATTENDING)
    return set(rows.values_list("user_id", flat=True))


@transaction.atomic
def minutes_save(
    *, event: Event, by: User, text: TranslatedText, confidentiality: str | None = None
) -> Minutes:
    """Draft the minutes, or save a new version of them while they are drafted
    or circulated. Approved minutes are frozen: refused."""
    minutes = Minutes.objects.select_for_update().filter(event=event).first()
    if minutes is None:
        minutes = Minutes.objects.create(event=event, confidentiality=confidentiality or "team")
    elif minutes.frozen:
        raise _frozen_error()
    if confidentiality and confidentiality != minutes.confidentiality:
        minutes.confidentiality = confidentiality
        minutes.full_clean(exclude=["event"])
        minutes.save(update_fields=["confidentiality"])
    _new_version(minutes, text=text, by=by, note="saved")
    return minutes


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, by: User, until: dt.datetime) -> Minutes:
    """Send the draft to those who attended for amendments until ``until``."""
    minutes = _lock(minutes)
    if minutes.frozen:
        raise _frozen_error()
    if until <= timezone.now():
        raise ValidationError({"until": _("The deadline for amendments must be in the future.")})
    minutes.state = S.CIRCULATED
    minutes.amendments_until = until
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["state", "amendments_until", "circulated_at"])
    return minutes


@transaction.atomic
def amendment_propose(*, minutes: Minutes, by: User, text: str) -> MinutesAmendment:
    """An attendee proposes a change to circulated minutes, before the deadline."""
    minutes = _lock(minutes)
    if minutes.frozen:
        raise _frozen_error()
    if minutes.state != S.CIRCULATED:
        raise ValidationError(_("The minutes are not open for amendments."))
    if minutes.amendments_until and timezone.now() > minutes.amendments_until:
        raise ValidationError(_("The deadline for amendments has passed."))
    if by.pk not in attendee_ids(minutes.event):
        raise ValidationError(_("Only those who attended may propose amendments."))
    if not text.strip():
        raise ValidationError({"text": _("Write the amendment you propose.")})
    return MinutesAmendment.objects.create(
        minutes=minutes,
        proposed_by=by,
        proposed_at=timezone.now(),
        on_version=minutes.version,
        text=text.strip(),
    )


@transaction.atomic
def amendment_decide(
    *,
    amendment: MinutesAmendment,
    by: User,
    accept: bool,
    reason: str = "",
    text: TranslatedText | None = None,
) -> MinutesAmendment:
    """The organiser accepts a proposed amendment (with the minutes' new text,
    saved as a new version) or declines it, giving the reason."""
    minutes = _lock(amendment.minutes)
    if minutes.frozen:
        raise _frozen_error()
    if amendment.state != MinutesAmendment.State.PROPOSED:
        raise ValidationError(_("This amendment has already been decided."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining the amendment.")})
    if accept and text is not None:
        _new_version(minutes, text=text, by=by, note=f"amendment {amendment.pk}")
    amendment.state = MinutesAmendment.State.ACCEPTED if accept else MinutesAmendment.State.DECLINED
    amendment.decided_by = by
    amendment.decided_at = timezone.now()
    amendment.reason = reason.strip()
    amendment.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return amendment


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by: User) -> Minutes:
    """Approve the minutes: from now on their text is frozen."""
    minutes = _lock(minutes)
    if minutes.frozen:
        raise _frozen_error()
    if minutes.version == 0:
        raise ValidationError(_("There is no text to approve."))
    if minutes.amendments.filter(state=MinutesAmendment.State.PROPOSED).exists():
        raise ValidationError(_("Decide every proposed amendment before approving the minutes."))
    minutes.state = S.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = by
    minutes.save(update_fields=["state", "approved_at", "approved_by"])
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by: User) -> Minutes:
    """Publish approved minutes to those their confidentiality admits."""
    minutes = _lock(minutes)
    if minutes.state != S.APPROVED:
        raise ValidationError(_("Only approved minutes can be published."))
    minutes.state = S.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.published_by = by
    minutes.save(update_fields=["state", "published_at", "published_by"])
    return minutes


# --- Decisions --------------------------------------------------------------


def _analysis_links(
    event: Event, finding_id: int | None, recommendation_id: int | None
) -> tuple[Finding | None, Recommendation | None]:
    finding = recommendation = None
    if finding_id is not None:
        finding = Finding.objects.filter(pk=finding_id, assessment__review=event.review_id).first()
        if finding is None:
            raise ValidationError({"finding": _("No such finding in this review.")})
    if recommendation_id is not None:
        recommendation = Recommendation.objects.filter(
            pk=recommendation_id, review=event.review_id
        ).first()
        if recommendation is None:
            raise ValidationError({"recommendation": _("No such recommendation in this review.")})
    return finding, recommendation


@transaction.atomic
def decision_save(
    *,
    event: Event,
    by: User,
    decision: Decision | None = None,
    text: TranslatedText,
    owner: str,
    due_on: dt.date | None,
    state: str = Decision.State.OPEN,
    finding_id: int | None = None,
    recommendation_id: int | None = None,
) -> Decision:
    """Record a decision of ``event`` (numbered in the event, never reused) or
    change one: its text, owner, due date, state and link to the analysis."""
    finding, recommendation = _analysis_links(event, finding_id, recommendation_id)
    now = timezone.now()
    if decision is None:
        last = Decision.objects.filter(event=event).aggregate(m=Max("number"))["m"] or 0
        decision = Decision(event=event, number=last + 1, created_by=by, created_at=now)
    elif decision.event_id != event.pk:
        raise ValidationError(_("The decision is not one of this event's."))
    decision.text = text
    decision.owner = owner.strip()
    decision.due_on = due_on
    decision.state = state
    decision.finding = finding
    decision.recommendation = recommendation
    decision.updated_at = now
    decision.full_clean(exclude=["event", "created_by", "finding", "recommendation"])
    decision.save()
    # The analysis's pages show which events discussed a finding.
    analysis_changed(event.review_id)
    return decision


@transaction.atomic
def decision_set_state(*, decision: Decision, state: str) -> Decision:
    """Follow a decision up: open, in progress, done or dropped."""
    if state not in Decision.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    decision.state = state
    decision.updated_at = timezone.now()
    decision.save(update_fields=["state", "updated_at"])
    analysis_changed(decision.event.review_id)
    return decision
