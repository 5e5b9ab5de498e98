"""In Chromium: the answers export runs as a background job whose page shows
its progress as it goes; the person leaves, comes back through "My jobs" and
downloads the file."""

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from parasat.assessment import jobs as assessment_jobs
from parasat.conftest import sign_in
from parasat.core.testing.serial import _lock as live_server_lock
from parasat.jobs import runner
from parasat.jobs.models import Job
from parasat.jobs.registry import Progress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_export_job_shows_progress_and_is_there_to_come_back_to(page, work, settings):
    # The worker is a step of the test here: the job waits in the queue until
    # the test plays the worker's part (the same updates the runner makes).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    sign_in(page, work.coordinator.username)
    page.goto(f"/reviews/{work.review.slug}/assessment/")
    page.get_by_role("button", name="XLSX").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export of the answers")
    status = page.locator("#job-status")
    expect(status).to_contain_text("Waiting to start")

    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    with live_server_lock:  # the worker reports progress
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.RUNNING,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
            progress=40,
            message="Writing the rows…",
        )
    expect(page.locator("progress")).to_have_attribute("value", "40")  # no reload: htmx
    expect(status).to_contain_text("Writing the rows…")

    page.get_by_role("link", name="My reviews").click()  # the person leaves
    with live_server_lock:  # the worker finishes meanwhile
        job.refresh_from_db()
        runner._finish(job, assessment_jobs.run_export(job, Progress(lambda p, m: None)))

    page.get_by_role("link", name="My jobs").first.click()
    row = page.get_by_role("row").filter(has_text="Export of the answers")
    expect(row).to_contain_text("Done")
    row.get_by_role("link", name="Export of the answers").click()
    expect(status).to_contain_text("ready to download")
    today = dt.date.today().isoformat()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Download kz-test-answers-{today}.xlsx").click()
    assert info.value.suggested_filename == f"kz-test-answers-{today}.xlsx"
    with open(info.value.path(), "rb") as downloaded:
        book = load_workbook(downloaded)
    header = [c.value for c in next(book.active.iter_rows())]
    assert header[:2] == ["Area code", "Area"]
    assert book.active.max_row == 1 + work.assignment.answers.count()
