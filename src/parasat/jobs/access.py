"""Who may read a job: the person who asked for it, while they still hold the
permission of its source (a job's file holds what its source held for them);
a kind may set its own rule (a public report is anyone's)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parasat.accounts.models import User
from parasat.jobs.models import Job
from parasat.jobs.registry import get_kind
from parasat.reviews.access import check_review_access


def may_read(user: User | AnonymousUser, job: Job) -> bool:
    kind = get_kind(job.kind)
    if kind is not None and kind.may_read is not None:
        return kind.may_read(user, job)
    if not user.is_authenticated or job.requested_by_id != user.pk:
        return False
    if job.review is not None and kind is not None and kind.perm is not None:
        try:
            check_review_access(user, job.review, perm=kind.perm)
        except (Http404, PermissionDenied):
            return False
    return True


def get_job_for_user(user: User | AnonymousUser, pk: uuid.UUID) -> Job:
    """The job ``pk`` if ``user`` may read it; 404 otherwise (a job's existence
    is nobody else's business)."""
    job = Job.objects.select_related("review").filter(pk=pk).first()
    if job is None or not may_read(user, job):
        raise Http404
    return job
