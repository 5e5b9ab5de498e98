"""Starting jobs: the web request records one and queues it for the worker
(:mod:`parasat.jobs.runner` runs it)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation

from parasat.accounts.models import User
from parasat.jobs.models import Job
from parasat.jobs.registry import get_kind
from parasat.jobs.tasks import run_job
from parasat.reviews.models import Review


def job_start(
    *,
    kind: str,
    by: User,
    review: Review | None = None,
    params: dict[str, Any] | None = None,
    upload: UploadedFile | None = None,
) -> Job:
    """Record a job for ``by`` and queue it for the worker once the request's
    transaction commits. ``upload`` is kept with the job as its input."""
    if get_kind(kind) is None:
        raise ValueError(f"No kind of job is named {kind!r}.")
    job = Job(
        kind=kind,
        review=review,
        requested_by=by,
        language=translation.get_language() or "en",
        params=params or {},
    )
    if upload is not None:
        job.input_name = (upload.name or "")[:255]
        job.input.save(upload.name or "input", upload, save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(job_id=str(job.pk)))
    return job
