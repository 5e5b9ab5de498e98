import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from parasat.assessment import imports, services
from parasat.assessment.models import Answer, AnswerVersion
from parasat.jobs.models import Job
from parasat.jobs.tests.helpers import run_posted
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory, signed_review

pytestmark = pytest.mark.django_db
S = Answer.Status

KOBO_META = ["start", "end", "_id", "_uuid", "_submission_time", "_index", "_validation_status"]
KOBO_META_VALUES = [
    "2024-03-01T10:00:00.000+06:00",
    "2024-03-01T10:20:00.000+06:00",
    "101",
    "2f0c4f1e-1111-2222-3333-444455556666",
    "2024-03-01T04:21:00",
    "1",
    "",
]


def csv_upload(header, *rows, delimiter=",", name="submissions.csv", bom=False):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, data.encode("utf-8"), "text/csv")


def xlsx_upload(header, *rows, name="submissions.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        name,
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def kobo_csv(**values):
    """A KoboToolbox export of the sample questionnaire (semicolons, group paths
    with slashes, metadata around the answers)."""
    answers = {
        "policy": "partly",
        "share": "12.5",
        "bodies": "agency court",
        "describe": "Answered in the field; see the law.",
        "grp/since": "2016-02-29",
        "grp/act": "law.pdf",
    }
    answers.update(values)
    header = [*KOBO_META[:2], *answers, "meta/instanceID", *KOBO_META[2:]]
    row = [
        *KOBO_META_VALUES[:2],
        *answers.values(),
        "uuid:2f0c4f1e",
        *KOBO_META_VALUES[2:],
    ]
    return csv_upload(header, row, delimiter=";", bom=True)


def raws(work):
    return dict(work.assignment.answers.values_list("question__name", "value"))


def url(review):
    return reverse("assessment:import_answers", args=[review.slug])


def post(client, work, upload, **extra):
    data = {"assignment": work.assignment.pk, "file": upload, **extra}
    return client.post(url(work.review), data)


def run(client, work, upload, **extra):
    """Start the import through the page and run its job; the job as it ended."""
    data = {"assignment": work.assignment.pk, "file": upload, **extra}
    return run_posted(client, url(work.review), data)


def job_page(client, job) -> str:
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- reading, without HTTP ----------------------------------------------------------


def test_a_kobo_csv_is_read_and_its_metadata_ignored(work):
    result = imports.read_submissions(assignment=work.assignment, upload=kobo_csv())
    assert result.ok, result.problems
    assert result.submission.row == 2
    assert result.submission.values == {
        "policy": "partly",
        "share": "12.5",
        "bodies": ["agency", "court"],
        "describe": "Answered in the field; see the law.",
        "since": "2016-02-29",
    }
    assert set(result.ignored) == {"meta/instanceID", *KOBO_META}
    # The attachment column is explained, not silently dropped.
    assert len(result.warnings) == 1
    assert "grp/act" in result.warnings[0]
    assert result.matched["grp/since"] == "S-05"


def test_codes_dashed_group_paths_and_option_columns_are_matched(work):
    upload = xlsx_upload(
        [
            "S-01",
            "share",
            "bodies/agency",
            "bodies/court",
            "bodies/none",
            "grp-since",
            "SubmissionDate",
            "meta-instanceID",
            "KEY",
        ],
        [
            "yes",
            40.0,
            1,
            0,
            0,
            dt.datetime(2020, 3, 1),
            dt.datetime(2024, 1, 1, 9, 30),
            "uuid:x",
            "k",
        ],
    )
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert result.ok, result.problems
    assert result.submission.values == {
        "policy": "yes",
        "share": "40",
        "bodies": ["agency"],
        "since": "2020-03-01",
    }
    assert result.warnings == []


def test_unknown_columns_are_reported_as_a_warning(work):
    upload = csv_upload(["policy", "colour", "grp/unknown"], ["yes", "blue", "x"])
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert result.ok
    assert len(result.warnings) == 1
    assert "“colour”" in result.warnings[0]
    assert "“grp/unknown”" in result.warnings[0]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("share", "about half", "Enter a number."),
        ("policy", "maybe", "“maybe” is not one of the options."),
        ("bodies", "agency police", "“police” is not one of the options."),
        ("share", "150", "Enter a percentage between 0 and 100."),
        ("grp/since", "01.03.2020", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_bad_values_are_reported_with_row_and_column(work, column, value, message):
    result = imports.read_submissions(
        assignment=work.assignment, upload=kobo_csv(**{column: value})
    )
    assert not result.ok
    assert [(p.row, p.column, p.message, p.value) for p in result.problems] == [
        (2, column, message, value)
    ]


def test_option_columns_take_one_or_zero(work):
    upload = csv_upload(["bodies/agency", "bodies/court"], ["1", "perhaps"])
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert [(p.row, p.column) for p in result.problems] == [(2, "bodies/court")]


def test_two_columns_for_one_question_are_refused(work):
    upload = csv_upload(["policy", "S-01"], ["yes", "no"])
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert [p.column for p in result.file_problems] == ["S-01"]


def test_a_file_of_another_questionnaire_is_refused(work):
    upload = csv_upload(["_id", "q1", "q2"], ["1", "a", "b"])
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert not result.ok
    assert "No column matches" in result.file_problems[0].message


def test_a_header_alone_is_refused(work):
    result = imports.read_submissions(
        assignment=work.assignment, upload=csv_upload(["policy", "share"])
    )
    assert "no submission" in result.file_problems[0].message


def test_several_rows_are_refused_unless_the_last_is_asked_for(work):
    header = ["policy", "share"]
    rows = (["yes", "10"], ["no", "oops"], ["partly", "30"])
    refused = imports.read_submissions(assignment=work.assignment, upload=csv_upload(header, *rows))
    assert "3 submissions (rows 2 to 4)" in refused.file_problems[0].message
    # Every row is still checked, so the report shows what else is wrong.
    assert [(p.row, p.column) for p in refused.row_problems] == [(3, "share")]

    last = imports.read_submissions(
        assignment=work.assignment, upload=csv_upload(header, *rows), use_last_row=True
    )
    assert last.ok
    assert last.submission.row == 4
    assert last.submission.values == {"policy": "partly", "share": "30"}
    assert "rows 2, 3 were left out" in last.warnings[0]


def test_blank_rows_are_not_submissions(work):
    upload = xlsx_upload(["policy"], ["yes"], [None], [""])
    result = imports.read_submissions(assignment=work.assignment, upload=upload)
    assert result.ok
    assert len(result.submissions) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.csv", b"\x00\x01\x02PK\x03\x04 binary", "content is binary"),
        ("data.xlsx", b"policy,share\nyes,1\n", "does not match its name"),
        ("data.csv", "policy;share\nда;1\n".encode("cp1251"), "not UTF-8"),
        ("data.pdf", b"%PDF-1.4", ".csv or .xlsx"),
        ("data.txt", b"policy\nyes\n", ".csv or .xlsx"),
        ("data.csv", b"", "empty"),
    ],
)
def test_unreadable_files_are_refused(work, name, content, message):
    with pytest.raises(ValidationError) as exc:
        imports.read_submissions(
            assignment=work.assignment, upload=SimpleUploadedFile(name, content)
        )
    assert message in " ".join(exc.value.messages)


# --- saving ---------------------------------------------------------------------


def test_an_import_saves_new_versions_by_the_importer(work):
    result = imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(), by=work.coordinator
    )
    assert result.ok
    assert sorted(result.saved) == ["S-01", "S-02", "S-03", "S-04", "S-05"]
    values = raws(work)
    assert values["share"] == {"value": "12.5"}
    assert values["bodies"] == {"value": ["agency", "court"]}
    assert values["act"] == {}
    versions = AnswerVersion.objects.filter(answer__assignment=work.assignment)
    assert versions.count() == 5
    assert set(versions.values_list("saved_by", flat=True)) == {work.coordinator.pk}
    # Importing the same file again changes nothing.
    again = imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(), by=work.coordinator
    )
    assert again.saved == []
    assert len(again.unchanged) == 5
    assert versions.count() == 5


def test_empty_cells_leave_answers_as_they_are(work):
    services.answer_save(
        answer=work.answer("describe"),
        by=work.contact,
        value="Written by hand",
        explanation="Why",
        confidentiality="public",
        base_version=0,
    )
    imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(describe=""), by=work.coordinator
    )
    describe = work.answer("describe")
    assert describe.raw == "Written by hand"
    assert describe.explanation == "Why"
    # An imported answer keeps its explanation and confidentiality.
    policy = work.answer("policy")
    services.answer_save(
        answer=policy,
        by=work.contact,
        value="no",
        explanation="Kept",
        confidentiality="government",
        base_version=policy.version,
    )
    imports.import_answers(assignment=work.assignment, upload=kobo_csv(), by=work.coordinator)
    policy = work.answer("policy")
    assert (policy.raw, policy.explanation, policy.confidentiality) == (
        "partly",
        "Kept",
        "government",
    )


def test_answers_no_longer_editable_are_skipped_with_a_note(work):
    for name, value in {"policy": "yes", "share": "5", "describe": "Text"}.items():
        services.answer_save(
            answer=work.answer(name),
            by=work.contact,
            value=value,
            explanation="",
            confidentiality="team",
            base_version=0,
        )
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    services.answers_decide(
        answers=[work.answer("share")], by=work.coordinator, accept=False, reason="Check it"
    )
    result = imports.import_answers(
        assignment=work.assignment,
        upload=csv_upload(["policy", "share"], ["no", "7"]),
        by=work.coordinator,
    )
    assert result.ok
    assert result.saved == ["S-02"]
    assert result.skipped == ["S-01 is submitted, so it was left as it was."]
    assert work.answer("policy").raw == "yes"
    assert work.answer("share").raw == "7"


def test_nothing_is_written_when_any_value_is_wrong(work):
    before = raws(work)
    result = imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(share="150"), by=work.coordinator
    )
    assert not result.ok
    assert result.saved == []
    assert raws(work) == before
    assert not AnswerVersion.objects.filter(answer__assignment=work.assignment).exists()


def test_a_refusal_while_saving_undoes_the_saves_before_it(work, monkeypatch):
    real = services.answer_save

    def failing(**kwargs):
        if kwargs["answer"].question.name == "describe":
            raise ValidationError("Refused by the service.")
        return real(**kwargs)

    monkeypatch.setattr(services, "answer_save", failing)
    result = imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(), by=work.coordinator
    )
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (2, "describe", "Refused by the service.")
    ]
    assert result.saved == []
    assert not AnswerVersion.objects.filter(answer__assignment=work.assignment).exists()


# --- the page ------------------------------------------------------------------


def test_the_coordinator_sees_the_form_with_the_review_assignments(client_for, work):
    response = client_for(work.coordinator).get(
        url(work.review), {"assignment": work.assignment.pk}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "SAMPLE v1" in page
    assert 'type="file"' in page
    assert "Use the last row" in page


def test_a_valid_csv_import_runs_as_a_job_that_leads_to_the_assignment(client_for, work):
    client = client_for(work.coordinator)
    job = run(client, work, kobo_csv())
    assert job.state == Job.State.SUCCEEDED
    assert work.answer("policy").raw == "partly"
    assignment_url = reverse("assessment:assignment", args=[work.review.slug, work.assignment.pk])
    assert job.params["next_url"] == assignment_url
    assert f'href="{assignment_url}"' in job_page(client, job)
    assert client.get(assignment_url).status_code == 200


def test_a_valid_xlsx_import_through_the_page(client_for, work):
    upload = xlsx_upload(["policy", "share", "describe"], ["no", None, "Nothing yet"])
    client = client_for(work.coordinator)
    job = run(client, work, upload)
    assert job.state == Job.State.SUCCEEDED
    assert work.answer("policy").raw == "no"
    assert work.answer("describe").raw == "Nothing yet"
    assert "2 answers were saved" in job.summary
    assert "2 answers were saved" in job_page(client, job)


def test_the_page_lists_bad_values_by_row_and_column_and_writes_nothing(client_for, work):
    client = client_for(work.coordinator)
    job = run(client, work, kobo_csv(share="about half", policy="maybe"))
    assert job.state == Job.State.FAILED
    page = job_page(client, job)
    assert "nothing was saved" in page
    assert "about half" in page
    assert "Enter a number." in page
    assert "“maybe” is not one of the options." in page
    assert not AnswerVersion.objects.filter(answer__assignment=work.assignment).exists()


def test_the_page_shows_unknown_columns_after_a_successful_import(client_for, work):
    client = client_for(work.coordinator)
    job = run(client, work, csv_upload(["policy", "colour"], ["yes", "blue"]))
    assert job.state == Job.State.SUCCEEDED
    assert "“colour”" in job_page(client, job)


def test_a_binary_file_renamed_csv_is_refused_on_the_page(client_for, work):
    upload = SimpleUploadedFile("answers.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "text/csv")
    response = post(client_for(work.coordinator), work, upload)
    assert response.status_code == 400
    assert "binary" in response.content.decode()
    assert not AnswerVersion.objects.exists()


def test_several_rows_need_the_box_ticked(client_for, work):
    client = client_for(work.coordinator)
    job = run(client, work, csv_upload(["policy"], ["yes"], ["no"]))
    assert job.state == Job.State.FAILED
    assert "Use the last row" in job_page(client, job)
    assert work.answer("policy").raw is None
    job = run(client, work, csv_upload(["policy"], ["yes"], ["no"]), use_last_row="on")
    assert job.state == Job.State.SUCCEEDED
    assert work.answer("policy").raw == "no"


def test_an_assignment_of_another_review_cannot_be_chosen(client_for, work):
    other_review = signed_review(slug="other")
    ParticipantFactory(review=other_review, user=work.coordinator, role=Role.COORDINATOR)
    response = client_for(work.coordinator).post(
        reverse("assessment:import_answers", args=[other_review.slug]),
        {"assignment": work.assignment.pk, "file": kobo_csv()},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not AnswerVersion.objects.exists()


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.COORDINATOR])
def test_only_the_coordinator_imports(client_for, persona, work, role):
    client = client_for(persona(role))
    assert client.get(url(work.review)).status_code == 403
    assert post(client, work, kobo_csv()).status_code == 403
    assert not AnswerVersion.objects.exists()


def test_the_contact_person_of_the_assignment_cannot_import_either(client_for, work):
    assert post(client_for(work.contact), work, kobo_csv()).status_code == 403


def test_strangers_get_404_and_anonymous_readers_are_sent_to_sign_in(client_for, stranger, work):
    assert client_for(stranger).get(url(work.review)).status_code == 404
    assert post(client_for(stranger), work, kobo_csv()).status_code == 404
    response = client_for(None).get(url(work.review))
    assert response.status_code == 302
    assert not AnswerVersion.objects.exists()


@pytest.mark.parametrize("chosen", ["²", "9" * 30, "x"])
def test_the_import_page_ignores_an_assignment_that_is_no_number(work, client_for, chosen):
    response = client_for(work.coordinator).get(url(work.review), {"assignment": chosen})
    assert response.status_code == 200


def test_a_constraint_naming_a_later_answer_is_judged_with_the_file(work):
    """share may be above 0 only when bodies names the agency; the file sets both,
    bodies after share."""
    from parasat.toolkit.models import Question

    Question.objects.filter(questionnaire=work.assignment.questionnaire, name="share").update(
        constraint="selected(${bodies}, 'agency') or . = 0"
    )
    share = work.answer("share")
    services.answer_save(
        answer=share,
        by=work.contact,
        value="0",
        explanation="",
        confidentiality="team",
        base_version=share.version,
    )
    result = imports.import_answers(
        assignment=work.assignment, upload=kobo_csv(), by=work.coordinator
    )
    assert result.ok, result.problems
    values = raws(work)
    assert values["share"] == {"value": "12.5"}
    assert values["bodies"] == {"value": ["agency", "court"]}
