import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from parasat.assessment import exports, selectors
from parasat.assessment.access import get_reader
from parasat.assessment.tests.data_setup import (
    DRAFT_TEXT,
    FORMULA_TEXT,
    SECRET_TEXT,
    SEES,
    more_assignments,
)
from parasat.jobs.tests.helpers import download, run_posted
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db

CODES = {
    "policy": "S-01",
    "share": "S-02",
    "bodies": "S-03",
    "describe": "S-04",
    "since": "S-05",
    "act": "S-06",
}
QUESTION_CODE = 4
EVIDENCE = 12


def url(review, fmt):
    return reverse("assessment:export", args=[review.slug, fmt])


def export(client, review, fmt, **extra):
    """Start the export as a job and download what it made."""
    return download(client, run_posted(client, url(review, fmt), **extra))


def csv_rows(response):
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    book = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def user_for(mix, persona, role):
    return {
        Role.COORDINATOR: mix.work.coordinator,
        Role.CONTACT_PERSON: mix.work.contact,
    }.get(role) or persona(role)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("role", list(SEES))
def test_each_role_exports_exactly_what_it_may_read(client_for, persona, mix, role, fmt):
    response = export(client_for(user_for(mix, persona, role)), mix.work.review, fmt)
    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    body = response.content.decode("utf-8", errors="replace") if fmt == "csv" else str(rows)
    sample = {r[QUESTION_CODE] for r in rows[1:] if r[2] == "SAMPLE"}
    assert sample == {CODES[name] for name in SEES[role]}
    if role != Role.COORDINATOR:
        assert SECRET_TEXT not in body
        assert DRAFT_TEXT not in body
        assert not [r for r in rows[1:] if r[2] == "OTHER"]
    else:
        assert len([r for r in rows[1:] if r[2] == "OTHER"]) == 6


@pytest.mark.parametrize("role", [r for r in SEES if r != Role.COORDINATOR])
def test_evidence_counts_leave_out_files_the_reader_may_not_see(client_for, persona, mix, role):
    rows = csv_rows(export(client_for(user_for(mix, persona, role)), mix.work.review, "csv"))
    counts = {r[QUESTION_CODE]: r[EVIDENCE] for r in rows[1:]}
    # policy: a government-only file and a team link; describe: a public act, a
    # government-only act and a withdrawn public link.
    if "S-01" in counts:
        assert counts["S-01"] == "1"
    assert counts["S-04"] == "1"


def test_the_government_side_counts_every_current_file(client_for, mix):
    for user in (mix.work.coordinator, mix.work.contact):
        rows = csv_rows(export(client_for(user), mix.work.review, "csv"))
        counts = {r[QUESTION_CODE]: r[EVIDENCE] for r in rows[1:] if r[2] == "SAMPLE"}
        assert counts["S-01"] == "2"
        assert counts["S-04"] == "2"  # the withdrawn link is not counted


def test_a_contact_person_exports_only_their_ministry(client_for, mix):
    rows = csv_rows(export(client_for(mix.work.contact), mix.work.review, "csv"))
    assert {r[2] for r in rows[1:]} == {"SAMPLE"}
    assert SECRET_TEXT in {r[10] for r in rows[1:]}


def test_a_row_holds_what_a_person_reads_and_the_stored_value(client_for, mix):
    response = export(client_for(mix.work.coordinator), mix.work.review, "csv")
    header, *rows = csv_rows(response)
    assert header[:6] == [
        "Area code",
        "Area",
        "Questionnaire",
        "Version",
        "Question code",
        "Question",
    ]
    by_code = {
        r[QUESTION_CODE]: dict(zip(header, r, strict=True)) for r in rows if r[2] == "SAMPLE"
    }
    bodies = by_code["S-03"]
    assert bodies["Area code"] == "REG"
    assert bodies["Area"] == "Regulatory policy"
    assert bodies["Version"] == "1"
    assert bodies["Question"] == "Question bodies"
    assert bodies["Ministry"] == str(mix.work.ministry)
    assert bodies["Status"] == "Forwarded to the analytical team"
    assert bodies["Answer"] == "Anti-corruption agency; Courts"
    assert bodies["Stored value"] == "agency court"
    assert bodies["Confidentiality"] == "Peer reviewers"
    assert bodies["Changed by"] == mix.work.contact.display_name
    changed = dt.datetime.fromisoformat(bodies["Last change"])
    assert changed.tzinfo is not None
    assert by_code["S-01"]["Answer"] == "Partly"
    assert by_code["S-02"]["Stored value"] == "40"


def test_question_labels_and_choices_follow_the_language(client_for, mix):
    response = export(
        client_for(mix.work.coordinator), mix.work.review, "csv", HTTP_ACCEPT_LANGUAGE="ru"
    )
    rows = csv_rows(response)
    policy = next(r for r in rows if r[QUESTION_CODE] == "S-01" and r[2] == "SAMPLE")
    assert policy[5] == "Вопрос policy"
    assert policy[8] == "Частично"
    assert policy[1] == "Регуляторная политика"


def test_csv_cells_that_look_like_formulas_are_quoted(client_for, mix):
    rows = csv_rows(export(client_for(mix.work.coordinator), mix.work.review, "csv"))
    describe = next(r for r in rows if r[QUESTION_CODE] == "S-04" and r[2] == "SAMPLE")
    assert describe[8] == "'" + FORMULA_TEXT
    assert describe[9] == "'" + FORMULA_TEXT


def test_xlsx_cells_that_look_like_formulas_are_text(client_for, mix):
    response = export(client_for(mix.work.coordinator), mix.work.review, "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    rows = [row for row in sheet.iter_rows() if row[2].value == "SAMPLE"]
    describe = next(row for row in rows if row[QUESTION_CODE].value == "S-04")
    assert describe[8].value == "'" + FORMULA_TEXT
    share = next(row for row in rows if row[QUESTION_CODE].value == "S-02")
    assert share[9].value == 40  # a number question's value is a number


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_file_name_and_type(client_for, mix, fmt):
    response = export(client_for(mix.work.coordinator), mix.work.review, fmt)
    today = dt.date.today().isoformat()
    assert f'filename="kz-test-answers-{today}.{fmt}"' in response["Content-Disposition"]
    assert response["Content-Type"].startswith(exports.FORMATS[fmt].split(";")[0])
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV", "xlsx.csv"])
def test_other_formats_are_not_found(client_for, mix, fmt):
    client = client_for(mix.work.coordinator)
    assert client.get(url(mix.work.review, fmt)).status_code == 404
    assert client.post(url(mix.work.review, fmt)).status_code == 404


def test_strangers_get_404_and_anonymous_readers_are_sent_to_sign_in(client_for, stranger, mix):
    assert client_for(stranger).get(url(mix.work.review, "csv")).status_code == 404
    assert client_for(stranger).post(url(mix.work.review, "csv")).status_code == 404
    response = client_for(None).post(url(mix.work.review, "csv"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_peers_and_stakeholders_export_nothing_before_the_stages_open(client_for, persona, mix):
    mix.work.review.assessment_stage.delete()
    for role in (Role.PEER_REVIEWER, Role.CIVIL_SOCIETY, Role.BUSINESS):
        rows = csv_rows(export(client_for(persona(role)), mix.work.review, "csv"))
        assert rows[1:] == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_query_count_does_not_grow_with_rows(
    client_for, mix, fmt, django_assert_max_num_queries
):
    client = client_for(mix.work.coordinator)
    export(client, mix.work.review, fmt)  # warm the session and access caches
    with CaptureQueriesContext(connection) as few:
        assert export(client, mix.work.review, fmt).status_code == 200
    more_assignments(mix.work, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = export(client, mix.work.review, fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert len(rows) == 1 + 12 + 4 * 6


def test_the_export_selector_counts_only_visible_evidence(persona, mix):
    analyst = get_reader(persona(Role.ANALYST), mix.work.review.slug)
    counts = {a.question.name: a.evidence_count for a in selectors.answers_for_export(analyst)}
    assert counts == {"policy": 1, "bodies": 0, "describe": 1, "since": 0, "act": 0}


# Asks for no rows: last, so the tests above share the rows made once for them.
@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701 000", "'+7 701 000"),
        ("-a list", "'-a list"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_safe_text(text, safe):
    assert exports.safe_text(text) == safe
