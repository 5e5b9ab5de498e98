"""The events of a review (Annex I §V): the five of the agreement, each from
the plan (:mod:`parasat.engagement.plan`) with its purpose and a planned month
inside its phase, and the meetings added beside them (country visits,
training). An event has its agenda and its documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextField
from parasat.core.lib.uploads import safe_storage_name
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Phase, Review

_USER = settings.AUTH_USER_MODEL


class Event(models.Model):
    """A meeting of the review. Its times are in the review's time zone (the
    site's, ``TIME_ZONE``: the country's)."""

    translation_scope = ("review", "engagement.manage")

    class Kind(models.TextChoices):
        KICKOFF = "kickoff", _("Kick-off workshop")
        POLICY_DIALOGUE = "policy_dialogue", _("Policy-dialogue workshop")
        CONSULTATIONS = "consultations", _("Consultations with civil society and business")
        PEER_WORKSHOP = "peer_workshop", _("Peer review workshop")
        FINAL_MEETING = "final_meeting", _("Final meeting")
        PRESS_CONFERENCE = "press_conference", _("Press conference")
        COUNTRY_VISIT = "country_visit", _("Country visit")
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Other meeting")

    class Interpretation(models.TextChoices):
        NONE = "none", _("No interpretation")
        SIMULTANEOUS = "simultaneous", _("Simultaneous interpretation")
        CONSECUTIVE = "consecutive", _("Consecutive interpretation")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    # The plan's key for the five events of the agreement; empty for added meetings.
    key = models.SlugField(_("key in the plan"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = TranslatedTextField(_("title"))
    purpose = TranslatedTextField(_("purpose"), blank=True, multiline=True)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Counted from the phase's first month (1 = the phase's first month).
    planned_month = models.PositiveSmallIntegerField(
        _("planned month of the phase"), null=True, blank=True
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = TranslatedTextField(_("place"), blank=True)
    online_url = models.URLField(_("online address"), blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    interpretation = models.CharField(
        _("interpretation"),
        max_length=20,
        choices=Interpretation.choices,
        default=Interpretation.NONE,
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Anyone may read its page (with its press release and public documents)."),
    )
    press_release = TranslatedTextField(_("press release"), blank=True, multiline=True)
    # Dates written for the example review, not by the review's team: pages say so.
    illustrative = models.BooleanField(_("illustrative dates"), default=False)
    organiser = models.ForeignKey(
        _USER,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["review", "order", "starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "key"], condition=~Q(key=""), name="one_planned_event_per_key"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_month__isnull=True) | Q(planned_month__gte=1),
                name="event_planned_month_from_one",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def from_plan(self) -> bool:
        return bool(self.key)


class AgendaItem(models.Model):
    translation_scope = ("event__review", "engagement.manage")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = TranslatedTextField(_("title"))
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="unique_agenda_order"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                name="agenda_duration_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)


def document_upload_to(instance: EventDocument, filename: str) -> str:
    return safe_storage_name(f"engagement/{instance.event_id}/documents", filename)


class EventDocument(models.Model):
    """Slides, a background paper, a press release: a file of an event, read
    by those its confidentiality admits (public ones on the public page)."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        BACKGROUND = "background", _("Background paper")
        PRESS = "press", _("Press material")
        OTHER = "other", _("Other document")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    confidentiality = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    added_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added"))

    class Meta:
        ordering = ["event", "added_at", "pk"]
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")

    def __str__(self) -> str:
        return self.title
