"""A job's page (which updates itself while the job runs), its file, and the
person's list of jobs to come back to."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parasat.jobs import selectors
from parasat.jobs.access import get_job_for_user
from parasat.jobs.registry import kinds


@login_required
@require_GET
@never_cache
def job_list(request: HttpRequest) -> HttpResponse:
    page = selectors.jobs_of(request.user, page=request.GET.get("page", 1))
    labels = _labels()
    for job in page.object_list:
        job.label = labels.get(job.kind, job.kind)
    return render(request, "jobs/list.html", {"page": page})


@login_required
@require_GET
@never_cache
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = selectors.job_current(get_job_for_user(request.user, pk))
    context = {"job": job, "label": _labels().get(job.kind, job.kind)}
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/job.html", context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if not job.has_result:
        raise Http404
    response = FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _labels() -> dict[str, str]:
    return {name: kind.label for name, kind in kinds().items()}
