"""Background jobs: started by a request, run by the worker with progress,
failed clearly (never left running when the worker dies), and read only by
those who may read their source."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from parasat.jobs import registry, runner
from parasat.jobs.models import Job
from parasat.jobs.registry import JobError, JobKind, Outcome
from parasat.jobs.services import job_start
from parasat.jobs.tests.helpers import download
from parasat.reviews.models import Role
from parasat.reviews.permissions import Perm

pytestmark = pytest.mark.django_db

seen: dict[str, object] = {}


def echo(job, progress):
    """Reports progress, then returns the input file (or the params) as its result."""
    progress(30, "Thinking…")
    seen["progress"] = Job.objects.get(pk=job.pk).progress
    if job.params.get("fail") == "expected":
        raise JobError("The file holds no answers.", html="<p>details</p>")
    if job.params.get("fail") == "bug":
        raise ZeroDivisionError
    content = job.input.read() if job.input else repr(job.params).encode()
    return Outcome(
        summary="Echoed.", content=content, filename="echo.txt", content_type="text/plain"
    )


@pytest.fixture
def kind(monkeypatch):
    kind = JobKind(name="test.echo", label="Echo", run=echo, perm=Perm.VIEW_FINANCE)
    monkeypatch.setitem(registry._KINDS, kind.name, kind)
    return kind


def start(user, review=None, **params):
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_start(kind="test.echo", by=user, review=review, params=params)
    job.refresh_from_db()
    return job


def test_a_job_waits_for_the_commit_then_runs_with_progress(kind, persona, review):
    analyst = persona(Role.ANALYST)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        job = job_start(kind="test.echo", by=analyst, review=review, params={"n": 1})
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert seen["progress"] == 30
    assert job.progress == 100
    assert job.summary == "Echoed."
    assert job.started_at <= job.finished_at
    assert job.result_name == "echo.txt"


def test_the_input_file_is_kept_with_the_job(kind, persona, review):
    analyst = persona(Role.ANALYST)
    upload = SimpleUploadedFile("../../etc/passwd.csv", b"a,b\n1,2\n", "text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_start(kind="test.echo", by=analyst, review=review, upload=upload)
    job.refresh_from_db()
    assert job.input_name == "passwd.csv"  # no directories, as Django's uploads keep it
    assert job.input.name.startswith("jobs/in/") and ".." not in job.input.name
    assert job.result.read() == b"a,b\n1,2\n"


def test_an_unknown_kind_is_refused(persona):
    with pytest.raises(ValueError, match="No kind"):
        job_start(kind="nothing.such", by=persona(Role.ANALYST))
    assert not Job.objects.exists()


def test_a_job_that_cannot_be_done_fails_with_its_reason(kind, persona, review):
    job = start(persona(Role.ANALYST), review, fail="expected")
    assert job.state == Job.State.FAILED
    assert job.error == "The file holds no answers."
    assert job.outcome_html == "<p>details</p>"
    assert not job.result


def test_a_bug_fails_the_job_with_a_translated_message_and_is_logged(kind, persona, review, caplog):
    user = persona(Role.ANALYST)
    user.language = "ru"
    with (
        caplog.at_level(logging.ERROR, logger="parasat.jobs.runner"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        job = job_start(kind="test.echo", by=user, review=review, params={"fail": "bug"})
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "error in Parasat" in job.error
    assert "ZeroDivisionError" in caplog.text


def test_the_message_is_in_the_language_of_the_request(kind, persona, review):
    english = "The job failed because of an error in Parasat. It has been logged."
    with translation.override("ru"):
        job = start(persona(Role.ANALYST), review, fail="bug")
        russian = gettext(english)
    assert job.language == "ru"
    assert job.error == russian != english


def test_a_job_is_run_once_only(kind, persona, review):
    job = start(persona(Role.ANALYST), review)
    finished = job.finished_at
    assert runner.job_run(job_id=job.pk) == Job.State.SUCCEEDED
    job.refresh_from_db()
    assert job.finished_at == finished


def test_a_job_whose_worker_died_is_marked_failed_when_looked_at(kind, persona, review, client_for):
    analyst = persona(Role.ANALYST)
    long_ago = timezone.now() - runner.ABANDONED_AFTER - dt.timedelta(seconds=1)
    job = Job.objects.create(
        kind="test.echo",
        review=review,
        requested_by=analyst,
        language="en",
        state=Job.State.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        progress=40,
    )
    alive = Job.objects.create(
        kind="test.echo",
        review=review,
        requested_by=analyst,
        language="en",
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now(),
    )
    page = client_for(analyst).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    alive.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "stopped before it finished" in job.error
    assert "stopped before it finished" in page
    assert alive.state == Job.State.RUNNING


def test_progress_is_not_written_from_inside_the_jobs_own_transaction(kind, persona, review):
    job = Job.objects.create(
        kind="test.echo",
        requested_by=persona(Role.ANALYST),
        language="en",
        state=Job.State.RUNNING,
    )
    report = runner._reporter(job, depth=len(connection.atomic_blocks))
    with transaction.atomic():
        report(50, "inside")
    job.refresh_from_db()
    assert job.progress == 0
    report(60, "outside")
    job.refresh_from_db()
    assert (job.progress, job.message) == (60, "outside")
    report(61, "too soon")  # throttled
    job.refresh_from_db()
    assert job.progress == 60
    report(100, "done")  # the end is always written
    job.refresh_from_db()
    assert job.progress == 100


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_shows_life_while_the_work_runs(monkeypatch, kind):
    """Beats go on after one fails (a busy database must not silence the job)."""
    from parasat.accounts.tests.factories import UserFactory

    monkeypatch.setattr(runner, "HEARTBEAT_SECONDS", 0.05)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = Job.objects.create(
        kind="test.echo",
        requested_by=UserFactory(),
        language="en",
        state=Job.State.RUNNING,
        heartbeat_at=long_ago,
    )
    calls = {"n": 0}
    real_update = QuerySet.update

    def first_fails(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1 and "heartbeat_at" in kwargs:
            raise OperationalError("database is locked")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", first_fails)
    beat = runner._Heartbeat(job.pk)
    beat.start()
    deadline = timezone.now() + dt.timedelta(seconds=5)
    while timezone.now() < deadline:
        job.refresh_from_db()
        if job.heartbeat_at > long_ago:
            break
        time.sleep(0.05)
    beat.stop()
    assert calls["n"] >= 2
    assert job.heartbeat_at > long_ago


# --- pages and permissions -----------------------------------------------------------


def test_the_job_page_updates_itself_until_the_job_ends(kind, persona, review, client_for):
    analyst = persona(Role.ANALYST)
    job = Job.objects.create(
        kind="test.echo", review=review, requested_by=analyst, language="en", progress=25,
        state=Job.State.RUNNING, heartbeat_at=timezone.now(), message="Reading the answers…",
    )  # fmt: skip
    client = client_for(analyst)
    url = reverse("jobs:detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="job-progress-' in page and 'value="25"' in page
    assert "Reading the answers…" in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript, too
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section class="panel job-status"')
    assert "<html" not in fragment
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, summary="All done.")
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "All done." in fragment


def test_the_requester_downloads_the_result(kind, persona, review, client_for):
    analyst = persona(Role.ANALYST)
    job = start(analyst, review, n=7)
    response = download(client_for(analyst), job)
    assert response.content == b"{'n': 7}"
    assert 'filename="echo.txt"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    page = client_for(analyst).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page


def test_others_cannot_see_or_download_a_job(kind, persona, review, client_for, stranger):
    job = start(persona(Role.ANALYST), review)
    for user in (stranger, persona(Role.COORDINATOR), persona(Role.CIVIL_SOCIETY)):
        client = client_for(user)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    anonymous = client_for(None).get(reverse("jobs:download", args=[job.pk]))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_a_requester_who_lost_the_sources_permission_loses_the_job(
    kind, persona, review, client_for
):
    analyst = persona(Role.ANALYST)
    job = start(analyst, review)
    analyst.participations.update(role=Role.PEER_REVIEWER)
    client = client_for(analyst)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_failed_or_unfinished_job_has_nothing_to_download(kind, persona, review, client_for):
    analyst = persona(Role.ANALYST)
    job = start(analyst, review, fail="expected")
    assert client_for(analyst).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_job_id_that_is_not_one_is_not_found(persona, client_for):
    client = client_for(persona(Role.ANALYST))
    assert client.get("/jobs/not-a-uuid/").status_code == 404
    assert client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_my_jobs_lists_the_persons_own_jobs_in_constant_queries(
    kind, persona, review, client_for, django_assert_max_num_queries
):
    analyst, other = persona(Role.ANALYST), persona(Role.COORDINATOR)
    start(analyst, review)
    start(other, review)
    client = client_for(analyst)
    client.get(reverse("jobs:list"))  # warm the session
    with django_assert_max_num_queries(8) as few:
        page = client.get(reverse("jobs:list"))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 1
    for _ in range(5):
        start(analyst, review)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("jobs:list"))
    assert len(page.context["page"].object_list) == 6


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_make_run_starts_runs_a_queued_job(kind, persona, review, settings):
    """The path of production: the job is queued in the database task backend
    when the request commits, and the worker that ``parasat serve`` starts
    (``db_worker``) takes it from there and runs it to its end. (Committed for
    real: the worker closes its database connection when it is done.)"""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_start(kind="test.echo", by=persona(Role.ANALYST), review=review, params={"n": 2})
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, (job.state, job.error)
    assert job.result_name == "echo.txt" and job.progress == 100
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
