"""Rating scales: ordered levels with a translated name, description and colour.

A scale is shipped with Parasat (``analysis/scales.toml``), added in the admin
or loaded from a file of the same format. Once a review uses a scale it is
frozen, as a questionnaire in use is: its levels no longer change, and a
changed scale is a new one with its own code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextField
from parasat.core.models import TimeStampedModel
from parasat.reviews.models import Review

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # and six hexadecimal digits, e.g. #2a6f97.")
)


class RatingScale(TimeStampedModel):
    class Source(models.TextChoices):
        SHIPPED = "shipped", _("Shipped with Parasat")
        ADMIN = "admin", _("Added in the administration")
        FILE = "file", _("Loaded from a file")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    name = TranslatedTextField(_("name"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    scored = models.BooleanField(
        _("scored"),
        default=False,
        help_text=_("A score from 0 to 100 is given; each level is a band of scores."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    frozen = models.BooleanField(
        _("in use"), default=False, help_text=_("Used by a review: its levels no longer change.")
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")

    def __str__(self) -> str:
        return str(self.name)


class RatingLevel(models.Model):
    """One level of a scale. ``rank`` 1 is the lowest (least mature, not
    compliant, not implemented); two ratings "differ by more than one level"
    when their ranks are more than one apart."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(_("rank"))
    code = models.SlugField(_("code"), max_length=40)
    name = TranslatedTextField(_("name"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    colour = models.CharField(_("colour"), max_length=7, validators=[colour_validator])
    min_score = models.PositiveSmallIntegerField(_("lowest score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True)

    class Meta:
        ordering = ["scale", "rank"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [
            models.UniqueConstraint(fields=["scale", "rank"], name="unique_level_rank"),
            models.UniqueConstraint(fields=["scale", "code"], name="unique_level_code"),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True)
                | Q(max_score__isnull=True)
                | Q(min_score__lte=models.F("max_score")),
                name="level_band_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def holds(self, score: int) -> bool:
        return (self.min_score or 0) <= score <= (100 if self.max_score is None else self.max_score)


class ReviewScale(models.Model):
    """A scale the analytical team chose for a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="rating_scales")
    scale = models.ForeignKey(
        RatingScale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="uses"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now_add=True)

    class Meta:
        ordering = ["review", "order", "pk"]
        verbose_name = _("scale of a review")
        verbose_name_plural = _("scales of a review")
        constraints = [
            models.UniqueConstraint(fields=["review", "scale"], name="one_use_of_a_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.review} — {self.scale}"
