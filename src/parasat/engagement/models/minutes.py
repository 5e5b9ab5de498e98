"""Minutes of an event and its decisions register.

Minutes are drafted by the organiser, circulated to those who attended, who
may propose amendments until a deadline, then approved and published, and
frozen from approval on. Every version of the text is kept: a
:class:`MinutesVersion` is written once and never changed or deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.analysis.models import Finding, Recommendation
from parasat.core.fields import TranslatedTextField
from parasat.core.models import AppendOnlyModel, RowIsAppendOnly
from parasat.engagement.models.events import Event
from parasat.reviews.disclosure import Confidentiality

_USER = settings.AUTH_USER_MODEL


class Minutes(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for amendments")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    FROZEN = frozenset({State.APPROVED, State.PUBLISHED})

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    confidentiality = models.CharField(
        _("who may read them once published"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    # The number of the latest MinutesVersion.
    version = models.PositiveIntegerField(_("version"), default=0)
    amendments_until = models.DateTimeField(_("amendments until"), null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def frozen(self) -> bool:
        return self.state in self.FROZEN


class MinutesIsFrozen(RowIsAppendOnly):
    pass


class MinutesVersion(AppendOnlyModel):
    """The minutes' text as it stood after one change, kept for ever."""

    translation_scope = ("minutes__event__review", "engagement.manage")
    append_only_error = MinutesIsFrozen

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = TranslatedTextField(_("text"), multiline=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    saved_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        ordering = ["minutes_id", "number"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_version"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} v{self.number}"


class MinutesAmendment(models.Model):
    """An attendee's proposed change to circulated minutes, and what the
    organiser made of it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    proposed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    on_version = models.PositiveIntegerField(_("on version"))
    text = models.TextField(_("proposed amendment"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    decided_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["minutes", "proposed_at", "pk"]
        verbose_name = _("proposed amendment")
        verbose_name_plural = _("proposed amendments")

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.Model):
    """A decision or follow-up of an event, numbered per event: what was
    decided, who owns it, by when, how far it has come; linked where it
    concerns them to a finding or a recommendation of the analysis."""

    translation_scope = ("event__review", "engagement.view")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = TranslatedTextField(_("decision"), multiline=True)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"))
    updated_at = models.DateTimeField(_("last change"))

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_decision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.number}"
