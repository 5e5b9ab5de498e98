"""Long work done for a person in the background: an export, an import, a PDF.

A job is a row with a state and a progress that the task worker updates and
the person's page shows while they wait, leave, or come back. What it
produces is a file kept with the job (downloaded under the same permissions as
its source) or a summary of what it did."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.core.lib.uploads import safe_storage_name
from parasat.reviews.models import Review


def _input_name(job: Job, filename: str) -> str:
    return safe_storage_name("jobs/in", filename)


def _result_name(job: Job, filename: str) -> str:
    return safe_storage_name("jobs/out", filename)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = frozenset({State.SUCCEEDED, State.FAILED})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=80)
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="jobs",
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
        related_name="jobs",
    )  # fmt: skip
    # Messages, the summary and the result are written in the language of the request.
    language = models.CharField(_("language"), max_length=8)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input = models.FileField(_("input file"), upload_to=_input_name, blank=True)
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)

    state = models.CharField(_("state"), max_length=12, choices=State, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.FileField(_("result"), upload_to=_result_name, blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    result_type = models.CharField(_("result content type"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # A report the kind rendered from its own template (escaped as any page is).
    outcome_html = models.TextField(_("outcome"), blank=True)
    error = models.TextField(_("error"), blank=True)

    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_person_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="job_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def has_result(self) -> bool:
        return self.state == self.State.SUCCEEDED and bool(self.result)
