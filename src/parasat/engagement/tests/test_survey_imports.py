"""Survey responses collected in the field: a KoboToolbox or ODK export read
whole or not at all, every bad row and column named, the same file twice
adding nothing; run as a job from the survey's page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from parasat.engagement.models import Survey, SurveyAnswer, SurveyResponse
from parasat.engagement.services import survey_imports
from parasat.engagement.tests.survey_factories import KOBO_HEADER, kobo_csv, kobo_row, make_survey
from parasat.jobs.models import Job
from parasat.jobs.tests.helpers import run_posted
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]
RUNNERS = {"coordinator", "analyst", "expert", "local_consultant"}


@pytest.fixture
def survey(review, persona):
    return make_survey(review, persona(Role.ANALYST))


def test_a_clean_file_imports_every_row_and_again_adds_nothing(survey):
    rows = [kobo_row(n) for n in range(30)]
    result = survey_imports.import_responses(survey=survey, upload=kobo_csv(rows))
    assert result.ok, result.problems
    assert result.added == 30 and SurveyResponse.objects.filter(survey=survey).count() == 30
    first = SurveyResponse.objects.get(submission_id="0000-000001")
    values = {(a.question.name, a.value) for a in first.answers.select_related("question")}
    assert ("bodies", "court") in values and ("bodies", "police") in values
    assert ("founded", "2001-01-02") in values and first.source == "import"
    assert first.submitted_at.isoformat().startswith("2024-03-01T04:21")
    answers = SurveyAnswer.objects.count()
    again = survey_imports.import_responses(survey=survey, upload=kobo_csv(rows))
    assert again.ok and again.added == 0 and again.already == 30
    assert SurveyResponse.objects.count() == 30 and SurveyAnswer.objects.count() == answers
    # A file with the old rows and new ones adds only the new.
    more = survey_imports.import_responses(
        survey=survey, upload=kobo_csv(rows + [kobo_row(n) for n in range(30, 35)])
    )
    assert more.added == 5 and more.already == 30


def test_every_bad_row_and_column_is_named_and_nothing_written(survey):
    rows = [kobo_row(n) for n in range(6)]
    rows[1] = kobo_row(1, size="huge")
    rows[2] = kobo_row(2, employees="0")
    rows[3] = kobo_row(3, asked="")
    rows[4] = kobo_row(4, **{"_submission_time": "yesterday", "grp/founded": "2001-02-30"})
    rows[5] = kobo_row(0)  # the first submission again
    result = survey_imports.import_responses(survey=survey, upload=kobo_csv(rows))
    assert not result.ok
    found = {(p.row, p.column, p.message) for p in result.problems}
    assert (3, "size", "“huge” is not one of the options.") in found
    assert (4, "employees", "Between 1 and 100,000.") in found
    assert (5, "asked", "This question needs an answer.") in found
    assert (6, "grp/founded", "Enter a date as YYYY-MM-DD.") in found
    assert any(p.row == 6 and p.column == "_submission_time" for p in result.problems)
    assert (7, "_uuid", "The same submission is also in row 2.") in found
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_a_file_without_a_submission_id_is_refused(survey):
    header = [h for h in KOBO_HEADER if h not in {"_uuid", "meta/instanceID"}]
    rows = [[v for h, v in zip(KOBO_HEADER, kobo_row(0), strict=True) if h in header]]
    result = survey_imports.import_responses(survey=survey, upload=kobo_csv(rows, header=header))
    assert not result.ok and "no submission id column" in result.problems[0].message
    assert not SurveyResponse.objects.exists()


def test_an_xlsx_export_with_odk_ids_imports(survey):
    book = Workbook()
    sheet = book.active
    header = [h for h in KOBO_HEADER if h != "_uuid"]
    sheet.append(header)
    for n in range(3):
        sheet.append([v for h, v in zip(KOBO_HEADER, kobo_row(n), strict=True) if h != "_uuid"])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("export.xlsx", out.getvalue())
    result = survey_imports.import_responses(survey=survey, upload=upload)
    assert result.ok, result.problems
    assert set(SurveyResponse.objects.values_list("submission_id", flat=True)) == {
        "0000-000000",
        "0000-000001",
        "0000-000002",
    }


def test_a_closed_survey_takes_no_import(review, persona):
    survey = make_survey(review, persona(Role.ANALYST), state=Survey.State.CLOSED)
    result = survey_imports.import_responses(survey=survey, upload=kobo_csv([kobo_row(0)]))
    assert not result.ok and not SurveyResponse.objects.exists()


def import_url(review, survey):
    return reverse("engagement:survey_import", args=[review.slug, survey.pk])


def test_the_import_runs_as_a_job_and_reports_its_problems(client_for, persona, review, survey):
    client = client_for(persona(Role.ANALYST))
    job = run_posted(
        client, import_url(review, survey), {"file": kobo_csv([kobo_row(n) for n in range(4)])}
    )
    assert job.state == Job.State.SUCCEEDED, job.error
    assert "4 responses were added." in job.summary
    assert SurveyResponse.objects.count() == 4
    # The job counted the results: the page reads them from the cache.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("engagement:survey", args=[review.slug, survey.pk]))
    assert page.status_code == 200
    assert not [q for q in captured if "engagement_surveyanswer" in q["sql"]]
    bad = run_posted(
        client, import_url(review, survey), {"file": kobo_csv([kobo_row(9, size="huge")])}
    )
    assert bad.state == Job.State.FAILED and "Nothing was imported" in bad.error
    page = client.get(reverse("jobs:detail", args=[bad.pk])).content.decode()
    assert "“huge” is not one of the options." in page and "size" in page
    assert SurveyResponse.objects.count() == 4


def test_the_import_refuses_what_is_not_a_spreadsheet(client_for, persona, review, survey):
    upload = SimpleUploadedFile("export.pdf", b"%PDF-1.4", "application/pdf")
    response = client_for(persona(Role.ANALYST)).post(import_url(review, survey), {"file": upload})
    assert response.status_code == 400 and not Job.objects.exists()


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - RUNNERS))
def test_only_those_who_run_surveys_import(client_for, persona, review, survey, role):
    response = client_for(persona(role)).post(
        import_url(review, survey), {"file": kobo_csv([kobo_row(0)])}
    )
    assert response.status_code == 403 and not Job.objects.exists()


def test_a_required_question_without_a_column_is_named_in_each_row(survey):
    header = [h for h in KOBO_HEADER if h != "size"]
    rows = [
        [v for h, v in zip(KOBO_HEADER, kobo_row(n), strict=True) if h != "size"] for n in range(2)
    ]
    result = survey_imports.import_responses(survey=survey, upload=kobo_csv(rows, header=header))
    assert {(p.row, p.column) for p in result.problems} == {(2, "size"), (3, "size")}
    assert "B-01" in result.problems[0].message
    assert not SurveyResponse.objects.exists()
