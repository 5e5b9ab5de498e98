"""The comment → response → change matrix keeps a constant number of queries
however many contributions a consultation holds: its page (paginated) and its
export (a background job reporting its progress)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parasat.engagement import benchdata
from parasat.engagement import jobs as engagement_jobs
from parasat.engagement.tests.test_changes import changes
from parasat.jobs.models import Job
from parasat.jobs.registry import Progress
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


def _export(consultation, analyst, fmt):
    job = Job.objects.create(
        kind=engagement_jobs.MATRIX_EXPORT,
        review=consultation.review,
        requested_by=analyst,
        language="en",
        params={"consultation": consultation.pk, "format": fmt},
    )
    reported = []
    outcome = engagement_jobs.run_matrix_export(
        job, Progress(lambda percent, message: reported.append(percent))
    )
    return outcome, reported


def test_the_matrix_page_and_export_keep_their_query_count_as_rows_grow(
    review, persona, client_for, django_assert_max_num_queries
):
    analyst = persona(Role.ANALYST)
    client = client_for(analyst)
    changes(review)  # responses link a finding, a recommendation, a version
    consultation = benchdata.generate(review, by=analyst, contributions=6)
    page = reverse("engagement:matrix", args=[review.slug, consultation.pk])
    client.get(page)  # warm the caches
    with django_assert_max_num_queries(14) as small_page:
        client.get(page)
    _export(consultation, analyst, "xlsx")
    with django_assert_max_num_queries(8) as small_export:
        _export(consultation, analyst, "xlsx")

    benchdata.generate(review, by=analyst, contributions=120, consultation=consultation)
    with django_assert_max_num_queries(len(small_page.captured_queries)):
        response = client.get(page + "?page=3")
    assert "Point 120:" in response.content.decode()
    assert response.content.decode().count("#finding-2") == 6  # one in four of rows 101–126
    with django_assert_max_num_queries(len(small_export.captured_queries)):
        outcome, reported = _export(consultation, analyst, "xlsx")
    sheet = load_workbook(io.BytesIO(outcome.content)).active
    assert sheet.max_row == 1 + 126
    assert reported[0] == 2 and reported[-1] == 95 and reported == sorted(reported)
    assert len(set(reported)) > 10  # the progress moves row by row, not in one jump
    with django_assert_max_num_queries(len(small_export.captured_queries)):
        outcome, _reported = _export(consultation, analyst, "csv")
    assert outcome.content.decode("utf-8-sig").count("\n") == 1 + 126
