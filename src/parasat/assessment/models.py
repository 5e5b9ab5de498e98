"""The self-assessment (Annex I §IV steps 2–4): the co-ordinator assigns the
toolkit's questionnaires to ministries, their contact persons answer with
evidence, the co-ordinator returns or accepts each answer and forwards an
area's accepted answers to the analytical team as the preliminary findings.

Nothing here is ever lost: every saved version of an answer is an
:class:`AnswerVersion`, every change of state a :class:`Transition`, a comment
is never edited (corrections are new comments) and withdrawn evidence stays
on record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation
from parasat.assessment.caching import ChangesAssessment
from parasat.assessment.evidence import EvidenceBase
from parasat.core.lib.uploads import safe_storage_name
from parasat.core.models import TimeStampedModel
from parasat.reviews.caching import ChangesReviews
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import Question, Questionnaire


class AssessmentStage(ChangesReviews):  # readers carry the stage from the shared cache
    """Where a review's self-assessment stands beyond the answers themselves:
    whether the analytical team has opened peer review, and whether the review
    has published the answers marked public."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="assessment_stage")
    peer_review_opened_at = models.DateTimeField(_("peer review opened"), null=True, blank=True)
    peer_review_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer review opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("public answers published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("public answers published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assessment stage")
        verbose_name_plural = _("assessment stages")

    def __str__(self) -> str:
        return str(self.review)


class AssignmentQuerySet(models.QuerySet):
    def for_pages(self) -> AssignmentQuerySet:
        """With what a page about assignments shows (the questionnaire and its
        area, the ministry, the contact person), leaving in the database what
        none shows: the XLSForm layout, the descriptions, the password hash."""
        return self.select_related("questionnaire__area", "ministry", "assignee").defer(
            "questionnaire__description",
            "questionnaire__settings",
            "questionnaire__columns",
            "questionnaire__extra",
            "questionnaire__area__description",
            "assignee__password",
        )


class Assignment(ChangesAssessment, TimeStampedModel):  # the dashboard is kept per version
    """One questionnaire (a frozen version) of a review given to a ministry and,
    within it, to a contact person, with a due date."""

    objects = AssignmentQuerySet.as_manager()

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assignments")
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    ministry = models.ForeignKey(
        Organisation,
        verbose_name=_("ministry"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    due_on = models.DateField(_("due on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        ordering = ["review", "questionnaire__area__order", "questionnaire__identifier"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "questionnaire"], name="one_assignment_per_questionnaire"
            ),
        ]
        indexes = [models.Index(fields=["review", "due_on"], name="assignment_due_idx")]

    def __str__(self) -> str:
        return f"{self.questionnaire} → {self.ministry}"


class Answer(models.Model):
    """The current state of one question's answer in an assignment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        FORWARDED = "forwarded", _("Forwarded to the analytical team")

    # Who may still change an answer: its contact persons, while it is in these states.
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # {"value": ...}: a choice name, a list of names, text, a number as a string, an ISO date.
    value = models.JSONField(_("answer"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.TEAM,
    )
    # The number of the latest AnswerVersion: a save names the version it edited,
    # and is refused when someone saved another one meanwhile.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        ordering = ["assignment_id", "pk"]  # answers are made in question order
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "question"], name="one_answer_per_question"
            ),
        ]
        indexes = [models.Index(fields=["assignment", "status"], name="answer_status_idx")]

    def __str__(self) -> str:
        return f"{self.question} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def raw(self) -> object:
        return (self.value or {}).get("value")


class AnswerVersion(models.Model):
    """A saved version of an answer, kept for ever."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    value = models.JSONField(_("answer"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=Answer.Status.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"))
    automatic = models.BooleanField(_("saved automatically"), default=False)

    class Meta:
        ordering = ["answer_id", "number"]
        verbose_name = _("answer version")
        verbose_name_plural = _("answer versions")
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="unique_answer_version"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} v{self.number}"

    @property
    def raw(self) -> object:
        return (self.value or {}).get("value")


class Transition(models.Model):
    """A change of an answer's state: who, when, why."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Answer.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Answer.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["answer_id", "at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return safe_storage_name(f"assessment/{instance.answer.assignment.review_id}", filename)


class Evidence(EvidenceBase):
    """A file, a link or a reference to a legal act supporting an answer (the
    fields and rules every evidence item shares are in :mod:`.evidence`)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)

    class Meta:
        ordering = ["answer_id", "added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Comment(models.Model):
    """A message in an answer's thread. Never edited: a correction is a new
    comment that points at the one it corrects."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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
        ordering = ["answer_id", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class Reminder(models.Model):
    """A reminder or escalation sent for an assignment; each kind at most once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue: escalated to the co-ordinator")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("for the due date"))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # A new due date (reassignment) earns a new reminder.
            models.UniqueConstraint(
                fields=["assignment", "kind", "due_on"], name="one_reminder_per_kind_and_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} {self.kind}"


OPEN_STATUSES = Q(status__in=Answer.EDITABLE)
