"""Running jobs, in the task worker: the state, the progress, the heartbeat,
and the jobs whose worker died."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, Outcome, Progress, get_kind

log = logging.getLogger(__name__)

# A running job says it is alive this often (from a thread beside the work, so
# a long step without progress reports still shows life) ...
HEARTBEAT_SECONDS = 10.0
# ... and one silent for this long has lost its worker (stopped, restarted, killed).
ABANDONED_AFTER = dt.timedelta(seconds=90)
# Progress reports reach the database at most this often.
REPORT_EVERY_SECONDS = 0.5


def job_run(*, job_id: str | uuid.UUID) -> str:
    """Run a queued job to its end; returns its final state. A job already
    taken (by another worker, or run twice by the queue) is left alone."""
    jobs_fail_abandoned()
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, message=""
    )
    if not taken:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or ""
    job = Job.objects.select_related("review", "requested_by").get(pk=job_id)
    kind = get_kind(job.kind)
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        with translation.override(job.language):
            if kind is None:
                raise JobError(_("This kind of job is no longer known to Parasat."))
            outcome = kind.run(job, Progress(_reporter(job, depth=len(connection.atomic_blocks))))
            _finish(job, outcome)
    except JobError as exc:
        _fail(job, exc.message, html=exc.html)
    except Exception:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            _fail(job, _("The job failed because of an error in Parasat. It has been logged."))
    finally:
        beat.stop()
    return job.state


def _reporter(job: Job, *, depth: int = 0) -> Callable[[int, str], None]:
    """Writes progress reports, at most every REPORT_EVERY_SECONDS, and only
    when the work is not inside a transaction of its own (opened at a depth
    beyond ``depth``, the one the job started at): nobody else would see the
    report until the end, and on SQLite the write would wait for it."""
    last = [0.0]

    def report(percent: int, message: str) -> None:
        now = time.monotonic()
        if percent < 100 and now - last[0] < REPORT_EVERY_SECONDS:
            return
        if len(connection.atomic_blocks) > depth:
            return
        last[0] = now
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            progress=percent, message=message[:300], heartbeat_at=timezone.now()
        )

    return report


def _finish(job: Job, outcome: Outcome) -> None:
    job.state = Job.State.SUCCEEDED
    job.progress = 100
    job.message = ""
    job.summary = outcome.summary
    job.outcome_html = outcome.html
    job.params = {**job.params, "next_url": outcome.next_url} if outcome.next_url else job.params
    if outcome.content is not None:
        job.result_name = outcome.filename or "result"
        job.result_type = outcome.content_type
        job.result.save(job.result_name, ContentFile(outcome.content), save=False)
    job.finished_at = timezone.now()
    job.save()


def _fail(job: Job, message: str, *, html: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED,
        error=message,
        outcome_html=html,
        message="",
        finished_at=timezone.now(),
    )
    job.state = Job.State.FAILED
    job.error = message


def jobs_fail_abandoned() -> int:
    """Mark failed the running jobs whose worker has shown no life for a while
    (it stopped or was restarted mid-job); returns how many."""
    cutoff = timezone.now() - ABANDONED_AFTER
    stale = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
    failed = 0
    for job in stale.only("pk", "language"):
        with translation.override(job.language):
            message = _(
                "The worker running this job stopped before it finished, so nothing was "
                "kept. Start it again."
            )
        failed += Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, heartbeat_at__lt=cutoff
        ).update(state=Job.State.FAILED, error=message, finished_at=timezone.now())
    return failed


class _Heartbeat:
    """Writes the job's sign of life every few seconds from a thread of its own
    (its own database connection), while the work runs in the caller's."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_SECONDS)

    def _run(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a missed beat (a busy database) is not the job's failure
                    log.warning("Job %s: heartbeat failed", self.job_id, exc_info=True)
        finally:
            connection.close()
