"""Helpers for tests that start a job through a page and read what it made.

With the immediate task backend of the tests, a job queued when the request's
transaction commits runs as soon as the capture of on-commit callbacks ends."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.test.testcases import TestCase
from django.urls import reverse

from parasat.jobs.models import Job


def run_posted(client: Client, url: str, data: dict | None = None, **extra: str) -> Job:
    """POST ``url`` (which starts a job and redirects to its page) and run the
    job; the job as it ended."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {}, **extra)
    assert response.status_code == 302, response.status_code
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def download(client: Client, job: Job) -> HttpResponse:
    """The file a finished job made, as its download link serves it."""
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, (response.status_code, job.state, job.error)
    return HttpResponse(b"".join(response.streaming_content), headers=dict(response.headers))
