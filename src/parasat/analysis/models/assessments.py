"""An area's assessment and everything in it. Nothing is lost: every change
of the assessment's content makes an :class:`AssessmentVersion` holding the
whole of it as it then stood, every change of state a
:class:`AssessmentTransition`; findings and recommendations are withdrawn,
never deleted, and a recommendation's number is never given again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.analysis.models.scales import RatingLevel, RatingScale
from parasat.assessment.models import Answer, Evidence
from parasat.core.fields import TranslatedTextField
from parasat.reviews.caching import ChangesReviews
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea, Provision

_USER = settings.AUTH_USER_MODEL


class AnalysisStage(ChangesReviews):  # readers carry the stage from the shared cache
    """How far the agreed analysis of a review has gone beyond the team and the
    government: opened to the peer reviewers, published to civil society and
    business."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="analysis_stage")
    peers_opened_at = models.DateTimeField(_("opened to peer reviewers"), null=True, blank=True)
    peers_opened_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("analysis stage")
        verbose_name_plural = _("analysis stages")

    def __str__(self) -> str:
        return str(self.review)


class AreaAssessment(models.Model):
    """The analytical team's assessment of one policy area of a review."""

    # The translations page lists these texts to those who read every analysis text.
    translation_scope = ("review", "analysis.comment")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        TEAM_REVIEW = "team_review", _("Under team review")
        AGREED = "agreed", _("Agreed")
        REOPENED = "reopened", _("Reopened")

    EDITABLE = frozenset({State.DRAFT, State.REOPENED})

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="area_assessments")
    area = models.ForeignKey(
        PolicyArea, verbose_name=_("policy area"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    context = TranslatedTextField(_("context"), blank=True, multiline=True)
    confidentiality = models.CharField(
        _("who may read it once agreed"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    # Written for the example review, not by an analytical team: every page says so.
    illustrative = models.BooleanField(_("illustrative example"), default=False)
    # The number of the latest AssessmentVersion.
    version = models.PositiveIntegerField(_("version"), default=0)
    # Bumped by every change of the context, so two editors cannot overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)
    updated_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_for_review_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["review", "area__order"]
        verbose_name = _("area assessment")
        verbose_name_plural = _("area assessments")
        constraints = [
            models.UniqueConstraint(fields=["review", "area"], name="one_assessment_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}:{self.area_id}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE


class AssessmentVersion(models.Model):
    """The whole assessment as it stood after one change, kept for ever (see
    :func:`parasat.analysis.snapshots.snapshot` for what it holds)."""

    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=AreaAssessment.State.choices)
    content = models.JSONField(_("content"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # None: loaded from an example file.
    saved_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        ordering = ["assessment_id", "number"]
        verbose_name = _("assessment version")
        verbose_name_plural = _("assessment versions")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="unique_assessment_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} v{self.number}"


class AssessmentTransition(models.Model):
    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=AreaAssessment.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=AreaAssessment.State.choices)
    by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["assessment_id", "at", "pk"]
        verbose_name = _("assessment transition")
        verbose_name_plural = _("assessment transitions")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class AssessmentComment(models.Model):
    """A message in an assessment's thread. Never edited: a correction is a
    new comment that points at the one it corrects."""

    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    class Meta:
        ordering = ["assessment_id", "created_at", "pk"]
        verbose_name = _("assessment comment")
        verbose_name_plural = _("assessment comments")

    def __str__(self) -> str:
        return self.body[:60]


class Finding(models.Model):
    """A strength, weakness or gap, resting on answers, evidence and provisions.
    Numbered per area (``COI-F2``), the number never given again."""

    # The translations page lists these texts to those who read every analysis text.
    translation_scope = ("assessment__review", "analysis.comment")

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        WEAKNESS = "weakness", _("Weakness")
        GAP = "gap", _("Gap")

    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=12)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = TranslatedTextField(_("finding"), multiline=True)
    answers = models.ManyToManyField(
        Answer, verbose_name=_("answers"), related_name="+", blank=True
    )
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence"), related_name="+", blank=True
    )
    provisions = models.ManyToManyField(
        Provision, verbose_name=_("provisions"), related_name="+", blank=True
    )
    revision = models.PositiveIntegerField(default=1)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="unique_finding_number"),
        ]

    def __str__(self) -> str:
        return self.code


class Rating(models.Model):
    """The team's rating of an area on one of the review's scales. Never a bare
    level: a justification and at least one source go with it."""

    # The translations page lists these texts to those who read every analysis text.
    translation_scope = ("assessment__review", "analysis.comment")

    assessment = models.ForeignKey(AreaAssessment, on_delete=models.CASCADE, related_name="ratings")
    scale = models.ForeignKey(
        RatingScale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        RatingLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    justification = TranslatedTextField(_("justification"), multiline=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment_id", "scale__order", "scale_id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "scale"], name="one_rating_per_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.level_id}"


class RatingSource(models.Model):
    """What a rating rests on: an answer, an evidence item, a provision, or an
    external source with its title, address and the date it was consulted."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        EVIDENCE = "evidence", _("Evidence")
        PROVISION = "provision", _("Provision")
        EXTERNAL = "external", _("External source")

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    answer = models.ForeignKey(
        Answer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provision = models.ForeignKey(
        Provision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    consulted_on = models.DateField(_("consulted on"), null=True, blank=True)

    class Meta:
        ordering = ["rating_id", "pk"]
        verbose_name = _("source of a rating")
        verbose_name_plural = _("sources of ratings")

    def __str__(self) -> str:
        return self.title or self.kind


class GovernmentRating(models.Model):
    """The government's own rating of the area, given by the co-ordinator, shown
    beside the team's. Each new rating supersedes the last; all are kept."""

    # The translations page lists these texts to those who read every analysis text.
    translation_scope = ("assessment__review", "analysis.comment")

    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="government_ratings"
    )
    scale = models.ForeignKey(
        RatingScale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        RatingLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    justification = TranslatedTextField(_("justification"), multiline=True)
    given_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"))
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment_id", "scale_id", "given_at", "pk"]
        verbose_name = _("government rating")
        verbose_name_plural = _("government ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "scale"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_government_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.level_id}"


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")


class Recommendation(models.Model):
    """A priority reform, numbered per area and stable (``COI-3``): the report
    lists it and the action plan turns it into measures by that code, unique in
    the review. A number is never given again, a withdrawn one included."""

    # The translations page lists these texts to those who read every analysis text.
    translation_scope = ("review", "analysis.comment")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ADDRESSED = "addressed", _("Addressed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=12)
    text = TranslatedTextField(_("recommendation"), multiline=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    agencies = models.ManyToManyField(
        Organisation, verbose_name=_("addressed to"), related_name="+", blank=True
    )
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings answered"), related_name="recommendations", blank=True
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["review_id", "assessment__area__order", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="unique_recommendation_number"
            ),
            models.UniqueConstraint(fields=["review", "code"], name="unique_recommendation_code"),
        ]
        indexes = [models.Index(fields=["review", "priority"], name="recommendation_priority_idx")]

    def __str__(self) -> str:
        return self.code
