"""Stakeholder surveys: beside the self-assessment (one set of answers per
ministry), a review surveys many respondents — businesses, civil-society
organisations, citizens, public officials — with a questionnaire of the
toolkit, through a public link or in the field with KoboToolbox or ODK.

A response is stored as one row per answer (one per chosen option of a
multiple choice), so the results are counted by the database, a query per
table whatever the number of responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.analysis.models import Finding
from parasat.core.fields import TranslatedTextField
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import Question, Questionnaire

_USER = settings.AUTH_USER_MODEL


class RespondentGroup(models.TextChoices):
    BUSINESSES = "businesses", _("Businesses")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisations")
    CITIZENS = "citizens", _("Citizens")
    OFFICIALS = "officials", _("Public officials")


class Survey(models.Model):
    """One questionnaire version asked of one group of respondents."""

    translation_scope = ("review", "engagement.view_surveys")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous public link (one response per browser)")
        TOKEN = "token", _("Emailed link per respondent (one response each)")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="surveys")
    title = TranslatedTextField(_("title"))
    description = TranslatedTextField(_("introduction"), blank=True, multiline=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    respondents = models.CharField(_("respondents"), max_length=20, choices=RespondentGroup.choices)
    mode = models.CharField(_("how respondents answer"), max_length=20, choices=Mode.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The secret part of the public link (anonymous mode); tokens otherwise.
    link = models.CharField(max_length=64, unique=True)
    results_confidentiality = models.CharField(
        _("who may read the published results"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["review", "-created_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class SurveyToken(models.Model):
    """One respondent's emailed link: one response, spent on submitting it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=5, default="en")
    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("respondent link")
        verbose_name_plural = _("respondent links")
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="unique_survey_token_email"),
        ]

    def __str__(self) -> str:
        return self.email


class SurveyResponse(models.Model):
    """One respondent's whole set of answers, answered on the platform or
    imported from a field tool's export (named by its submission id)."""

    class Source(models.TextChoices):
        WEB = "web", _("Answered on the platform")
        IMPORT = "import", _("Imported from KoboToolbox or ODK")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # KoboToolbox's _uuid, ODK's meta/instanceID, or one made on the platform.
    submission_id = models.CharField(_("submission id"), max_length=100)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    submitted_at = models.DateTimeField(_("submitted"))
    # A keyed hash of the sender's network address, for the rate limit.
    sender = models.CharField(max_length=64, blank=True, db_index=True)
    token = models.OneToOneField(
        SurveyToken, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_id"], name="unique_survey_submission"
            ),
        ]

    def __str__(self) -> str:
        return self.submission_id


class SurveyAnswer(models.Model):
    """One answer of a response: a choice's name (one row per chosen option of
    a multiple choice), a number as its normalised text (with its value in
    ``number`` for the bins), a date, or text."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(_("value"))
    number = models.DecimalField(max_digits=26, decimal_places=10, null=True, blank=True)

    class Meta:
        ordering = ["response", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        # The results read a survey's answers by question and then by
        # respondent (the breakdown's counting), in this index's order. (The
        # value is left out: free texts can be longer than a PostgreSQL index
        # entry may be.)
        indexes = [
            models.Index(
                fields=["survey", "question", "response"], name="survey_answer_results_idx"
            )
        ]

    def __str__(self) -> str:
        return self.value[:50]


class SurveyCitation(models.Model):
    """A finding of the analysis resting on a survey's result for one question."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="+"
    )
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="citations")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("what the result shows"), max_length=500, blank=True)
    cited_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(_("cited"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("survey citation")
        verbose_name_plural = _("survey citations")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "survey", "question"], name="unique_survey_citation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.question_id}"
