"""Consultations of civil society, business and the public (Annex I §IV.5,
§V.3): their view of the government's self-assessment, of the draft
findings and of the draft report must be taken into account. Every
contribution gets the team's response, and the response names what changed:
the comment → response → change matrix."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.analysis.models import AssessmentVersion, Finding, Recommendation
from parasat.core.fields import TranslatedTextField
from parasat.core.lib.uploads import safe_storage_name
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review

_USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUSINESS = "business", _("Business")
    PUBLIC = "public", _("The public")


class Consultation(models.Model):
    """A consultation on one subject, for some channels, during a period.
    The subject is named by a kind and a reference the owning app
    understands (an area's code; later the report's draft), so the apps
    above this one consult on their own subjects."""

    translation_scope = ("review", "engagement.view_consultations")

    class Subject(models.TextChoices):
        AREA_ANSWERS = "area_answers", _("Published self-assessment answers of an area")
        AREA_FINDINGS = "area_findings", _("Draft findings of an area")
        DRAFT_REPORT = "draft_report", _("Draft report")
        OTHER = "other", _("Other subject")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="consultations")
    title = TranslatedTextField(_("title"))
    description = TranslatedTextField(_("what is asked"), blank=True, multiline=True)
    subject_kind = models.CharField(_("subject"), max_length=30, choices=Subject.choices)
    subject_ref = models.CharField(_("subject reference"), max_length=100, blank=True)
    channels = models.JSONField(_("channels"), default=list)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary_published_at = models.DateTimeField(_("summary published"), null=True, blank=True)
    opened_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["review", "-opens_at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)


class Contribution(models.Model):
    """What one contributor said, in one channel. Hidden by a moderator with a
    reason, never deleted."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="contributions"
    )
    number = models.PositiveIntegerField(_("number"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # A representative signed in, or a member of the public by a confirmed address.
    author = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("confirmed email address"), blank=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    anonymous = models.BooleanField(
        _("do not publish my name"),
        default=False,
        help_text=_("The team sees your name; what is published does not show it."),
    )
    text = models.TextField(_("contribution"))
    confidentiality = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # A keyed hash of the sender's network address, for the rate limit.
    sender = models.CharField(max_length=64, blank=True, db_index=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="unique_contribution_number"
            ),
        ]
        indexes = [models.Index(fields=["email", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.number}"

    @property
    def shown_name(self) -> str:
        return "" if self.anonymous else self.name


def attachment_upload_to(instance: ContributionAttachment, filename: str) -> str:
    return safe_storage_name(f"engagement/contributions/{instance.contribution_id}", filename)


class ContributionAttachment(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        ordering = ["contribution", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file_name


class Response(models.Model):
    """The analytical team's answer to one contribution, with its reason and,
    where something changed, a link to what it produced. The reason is read
    by the contributor, in their language: English is authoritative, the
    Kazakh and Russian versions are marked when missing or out of date."""

    # The reason may be at the team's level only: those who read the matrix.
    translation_scope = ("contribution__consultation__review", "engagement.view_contributions")

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        NOTED = "noted", _("Noted")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="response"
    )
    kind = models.CharField(_("response"), max_length=20, choices=Kind.choices)
    reason = TranslatedTextField(_("reason"), multiline=True)
    confidentiality = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
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
    # The assessment version the change produced (the finding, rating or
    # recommendation as it then stood).
    change = models.ForeignKey(
        AssessmentVersion,
        verbose_name=_("change"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(_("responded"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return self.get_kind_display()
