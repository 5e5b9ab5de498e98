"""Monitoring (Sections VI–VII: the working group keeps monitoring progress
after the project ends): progress reports per indicator and period, with
evidence, accepted or returned by the co-ordinator; the government's own
assessment of a measure beside an independent one; reminders sent once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.actionplan.models.plan import Completion, Indicator, Measure
from parasat.assessment.evidence import EvidenceBase
from parasat.core.lib.uploads import safe_storage_name
from parasat.reviews.disclosure import Confidentiality

_USER = settings.AUTH_USER_MODEL


class ProgressReport(models.Model):
    """The value of one indicator at the end of one reporting period, with a
    narrative and evidence, from the responsible agency's contact person."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    # The last day of the period reported on; the report falls due some days after.
    period_end = models.DateField(_("period ending"))
    due_on = models.DateField(_("due"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("what was done"), blank=True)
    confidentiality = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["indicator_id", "period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"], name="one_report_per_period"
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_at"], name="report_status_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_end}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def period_key(self) -> str:
        """The period as addresses name it (ISO 8601)."""
        return self.period_end.isoformat()


class ReportTransition(models.Model):
    """A change of a report's status: who, when, why (a return's reason)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=10, choices=ProgressReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ProgressReport.Status.choices)
    by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["report_id", "at", "pk"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class MeasureAssessment(models.Model):
    """An assessment of how far a measure has come: the government's own (the
    co-ordinator's) or an independent one (the analytical team's or civil
    society's), each with its evidence. Each new one of a source supersedes
    the last; all are kept."""

    class Source(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        TEAM = "team", _("Analytical team")
        CIVIL_SOCIETY = "civil_society", _("Civil society")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assessments")
    source = models.CharField(_("assessed by"), max_length=15, choices=Source.choices)
    level = models.CharField(
        _("completion"),
        max_length=20,
        choices=[c for c in Completion.choices if c[0] != Completion.WITHDRAWN],
    )
    text = models.TextField(_("assessment"))
    confidentiality = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    given_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given at"))
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["measure_id", "given_at", "pk"]
        verbose_name = _("assessment of a measure")
        verbose_name_plural = _("assessments of measures")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.source}: {self.level}"


def progress_evidence_upload_to(instance: ProgressEvidence, filename: str) -> str:
    return safe_storage_name(f"actionplan/{instance.review_id}", filename)


class ProgressEvidence(EvidenceBase):
    """Evidence of a progress report or of an assessment of a measure, held to
    the self-assessment's rules (:mod:`parasat.assessment.evidence`)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    assessment = models.ForeignKey(
        MeasureAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    review_id = models.PositiveBigIntegerField()  # the storage folder, without a join
    file = models.FileField(
        _("file"), upload_to=progress_evidence_upload_to, blank=True, max_length=200
    )

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence of progress")
        verbose_name_plural = _("evidence of progress")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, assessment__isnull=True)
                | models.Q(report__isnull=True, assessment__isnull=False),
                name="evidence_of_one_thing",
            ),
        ]


class Reminder(models.Model):
    """A reminder before a report falls due or an escalation after; each kind
    at most once per indicator and period."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue: escalated to the co-ordinator")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reminders")
    period_end = models.DateField(_("period ending"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end", "kind"], name="one_progress_reminder_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_end} {self.kind}"
