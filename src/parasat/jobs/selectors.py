"""Reads of jobs, with the abandoned ones found on the way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from parasat.accounts.models import User
from parasat.jobs.models import Job
from parasat.jobs.runner import jobs_fail_abandoned

PER_PAGE = 25


def jobs_of(user: User, *, page: int | str = 1) -> Page:
    """The person's own jobs, newest first, one page at a time (two queries)."""
    jobs_fail_abandoned()
    qs: QuerySet[Job] = (
        Job.objects.filter(requested_by=user)
        .select_related("review")
        .defer("outcome_html", "params", "summary")
        .order_by("-created_at")
    )
    return Paginator(qs, PER_PAGE).get_page(page)


def job_current(job: Job) -> Job:
    """The job as it stands now; a running one whose worker has gone silent is
    marked failed first (a dead worker does not leave it running for ever)."""
    if job.state == Job.State.RUNNING and jobs_fail_abandoned():
        job.refresh_from_db()
    return job
