"""The one task that runs every kind of job (see :mod:`parasat.jobs.registry`)."""

from __future__ import annotations

from django.tasks import task

from parasat.jobs.runner import job_run


@task
def run_job(*, job_id: str) -> str:
    return job_run(job_id=job_id)
