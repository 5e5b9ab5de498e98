"""A survey's results: counts and shares per question, a breakdown by a
chosen question, bins of numbers, charts with their tables, the export, a
constant number of queries whatever the number of responses, and a finding
citing a result."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from parasat.accounts.models import User
from parasat.analysis.mentions import collect
from parasat.analysis.models import AreaAssessment, Finding
from parasat.conftest import Personas, made_review
from parasat.core.testing import shared
from parasat.core.testing.texts import tt
from parasat.engagement.models import Survey, SurveyCitation
from parasat.engagement.selectors_surveys import survey_results
from parasat.engagement.services import survey_imports
from parasat.engagement.services import surveys as services
from parasat.engagement.tests.survey_factories import GOOD, kobo_csv, kobo_row, make_survey
from parasat.reviews.models import Review, Role
from parasat.toolkit.tests.factories import PolicyAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(review, persona):
    survey = make_survey(review, persona(Role.ANALYST))
    for values in (
        GOOD,
        {**GOOD, "size": "large", "bodies": ["court"], "employees": "900"},
        {**GOOD, "size": "large", "asked": "no", "employees": "40"},
        {**GOOD, "sector": "services", "employees": "7"},
    ):
        services.response_submit(survey=survey, raw=values)
    return survey


def by_name(results, name):
    return next(r for r in results.questions if r.question.name == name)


def test_counts_and_shares_per_question(survey):
    results = survey_results(survey)
    assert results.respondents == 4
    size = by_name(results, "size")
    assert [(r.key, r.count, r.percent) for r in size.rows] == [
        ("small", 2, 50.0),
        ("medium", 0, 0.0),
        ("large", 2, 50.0),
    ]
    bodies = by_name(results, "bodies")
    assert bodies.answered == 3 and bodies.multiple
    assert [(r.key, r.count, r.percent) for r in bodies.rows] == [
        ("court", 3, 100.0),
        ("police", 0, 0.0),
        ("tax", 2, 66.7),
    ]
    employees = by_name(results, "employees")
    # Few distinct numbers: each its own bin.
    assert [(r.label, r.count) for r in employees.rows] == [
        ("7", 1),
        ("12", 1),
        ("40", 1),
        ("900", 1),
    ]
    comment = by_name(results, "comment")
    assert not comment.counted and comment.answered == 4


def test_numbers_fall_in_at_most_six_bins(review, persona):
    survey = make_survey(review, persona(Role.ANALYST))
    rows = [kobo_row(n, employees=str(1 + n * 7)) for n in range(40)]
    assert survey_imports.import_responses(survey=survey, upload=kobo_csv(rows)).ok
    employees = by_name(survey_results(survey), "employees")
    assert 2 <= len(employees.rows) <= 6
    assert sum(r.count for r in employees.rows) == 40
    assert employees.rows[0].label.startswith("1–")


def test_a_breakdown_by_company_size(survey):
    results = survey_results(survey, by=by_name(survey_results(survey), "size").question.pk)
    assert [(g.key, g.respondents) for g in results.groups] == [
        ("small", 2),
        ("medium", 0),
        ("large", 2),
    ]
    asked = by_name(results, "asked")
    yes = next(r for r in asked.rows if r.key == "yes")
    assert [(c.count, c.percent) for c in yes.cells] == [(2, 100.0), (0, None), (1, 50.0)]
    sector = by_name(results, "sector")
    services_row = next(r for r in sector.rows if r.key == "services")
    assert [c.count for c in services_row.cells] == [1, 0, 0]


BODIES = ["court", "police", "tax"]


def hand_survey_answers() -> list[dict]:
    """Thirty respondents: sizes in turn, a sector left out by every fifth, the
    bodies (several, or none) of those asked, and 30 numbers from 1 to 60."""
    raws = []
    for n in range(30):
        raw = {
            "size": ["small", "medium", "large"][n % 3],
            "asked": "yes" if n % 4 else "no",
            "employees": str(1 + (n * 7) % 60),
        }
        if n % 5:
            raw["sector"] = ["trade", "industry", "services"][(n // 2) % 3]
        if raw["asked"] == "yes":
            raw["bodies"] = [b for i, b in enumerate(BODIES) if (n + 1) >> i & 1]
        raws.append(raw)
    return raws


def chosen(raw: dict, name: str) -> list[str]:
    value = raw.get(name)
    return value if isinstance(value, list) else [value] if value else []


def hand_count(raws: list[dict], by: str) -> dict:
    """The breakdown counted by hand: for each group, question and answer (or
    bin of ten), the respondents and their share of the group's respondents
    who answered the question."""

    def key(name: str, value: str) -> str:
        if name != "employees":
            return value
        start = 1 + (int(value) - 1) // 10 * 10
        return f"{start}–{start + 9}"

    out = {}
    for raw in raws:
        for group in chosen(raw, by):
            for name in ("size", "sector", "asked", "bodies", "employees"):
                values = chosen(raw, name)
                if values:
                    out.setdefault((name, "answered", group), set()).add(id(raw))
                for value in values:
                    out.setdefault((name, key(name, value), group), set()).add(id(raw))
    return {k: len(v) for k, v in out.items()}


def hand_survey_of(review: Review, analyst: User) -> Survey:
    survey = make_survey(review, analyst)
    for raw in hand_survey_answers():
        services.response_submit(survey=survey, raw=raw)
    return survey


def made_hand_survey() -> dict[str, Any]:
    """The rows of the ``hand_survey`` fixture: the three breakdowns below
    read the same thirty responses, made once for them (see
    parasat.core.testing.shared)."""
    made = made_review()
    analyst = Personas(made["review"], made["personas"])(Role.ANALYST)
    made["hand_survey"] = hand_survey_of(made["review"], analyst)
    return made


shared.share_rows("hand_survey", made_hand_survey)


@pytest.fixture
def hand_survey(review, persona, _shared_rows) -> Survey:
    """A survey answered by the thirty respondents of hand_survey_answers()."""
    if _shared_rows is not None and "hand_survey" in _shared_rows:
        return _shared_rows["hand_survey"]
    return hand_survey_of(review, persona(Role.ANALYST))


@pytest.mark.parametrize("by", ["size", "bodies", "sector"])
def test_a_breakdown_agrees_with_a_hand_count(hand_survey, by):
    survey = hand_survey
    raws = hand_survey_answers()
    question = by_name(survey_results(survey), by).question
    results = survey_results(survey, by=question.pk)
    expected = hand_count(raws, by)
    groups = [g.key for g in results.groups]
    assert [g.respondents for g in results.groups] == [
        sum(1 for raw in raws if g in chosen(raw, by)) for g in groups
    ]
    employees = by_name(results, "employees")
    assert [r.label for r in employees.rows] == [
        "1–10",
        "11–20",
        "21–30",
        "31–40",
        "41–50",
        "51–60",
    ]
    checked = 0
    for name in ("size", "sector", "asked", "bodies", "employees"):
        result = by_name(results, name)
        bases = [expected.get((name, "answered", g), 0) for g in groups]
        assert result.group_answered == bases
        for row in result.rows:
            counts = [expected.get((name, row.key, g), 0) for g in groups]
            assert [c.count for c in row.cells] == counts, (name, row.key)
            assert [c.percent for c in row.cells] == [
                round(100 * n / base, 1) if base else None
                for n, base in zip(counts, bases, strict=True)
            ]
            checked += sum(counts)
    assert checked > 100


def test_the_page_shows_charts_and_tables_and_the_export(client_for, persona, review, survey):
    client = client_for(persona(Role.ANALYST))
    size = by_name(survey_results(survey), "size").question
    url = reverse("engagement:survey", args=[review.slug, survey.pk])
    page = client.get(url, {"by": size.pk}).content.decode()
    assert "Large (n=2)" in page
    # The charts not drawn before are drawn each by its own request, which
    # the page makes once shown; then the page has them all at once.
    charts = re.findall(r'hx-get="([^"]+/chart/[0-9a-f]{64}/)"', page)
    assert len(charts) >= 4 and "<svg" not in page
    for chart in charts:
        drawn = client.get(chart).content.decode()
        assert drawn.startswith('<figure class="chart"><svg'), drawn[:200]
    again = client.get(url, {"by": size.pk}).content.decode()
    assert again.count("<svg") == len(charts) and "hx-get" not in again.split("<main")[-1]
    csv_file = client.get(
        reverse("engagement:survey_export", args=[review.slug, survey.pk, "csv"]),
        {"by": size.pk},
    )
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Code", "Question", "Answer", "Respondents", "Share (per cent)"]
    assert [
        "B-01",
        "Question size",
        "Small",
        "2",
        "50.0",
        "2",
        "100.0",
        "0",
        "",
        "0",
        "0.0",
    ] in rows
    xlsx = client.get(reverse("engagement:survey_export", args=[review.slug, survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert ["B-01", "Question size", "Large", 2, 50] in [
        list(r)[:5] for r in sheet.iter_rows(values_only=True)
    ]


def test_the_results_page_runs_the_same_queries_for_more_responses(
    client_for, persona, review, survey, django_assert_max_num_queries
):
    client = client_for(persona(Role.ANALYST))
    size = by_name(survey_results(survey), "size").question
    page = reverse("engagement:survey", args=[review.slug, survey.pk])
    client.get(page, {"by": size.pk})  # the process's first view of the page

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page, {"by": size.pk}).status_code == 200
        return len(captured)

    few = count()
    rows = [kobo_row(n) for n in range(20)]  # 4 responses, then 24
    assert survey_imports.import_responses(survey=survey, upload=kobo_csv(rows)).ok
    with django_assert_max_num_queries(few):
        assert client.get(page, {"by": size.pk}).status_code == 200
    # While no response is added, the counts are read from the cache.
    with django_assert_max_num_queries(few - 5):
        assert client.get(page, {"by": size.pk}).status_code == 200


def test_a_chart_is_drawn_only_for_a_page_that_asked_for_it(
    client_for, persona, review, survey, stranger
):
    url = reverse("engagement:survey", args=[review.slug, survey.pk])
    analyst = client_for(persona(Role.ANALYST))
    chart = re.findall(r'hx-get="([^"]+/chart/[0-9a-f]{64}/)"', analyst.get(url).content.decode())[
        0
    ]
    assert "<svg" in analyst.get(chart).content.decode()
    # A key no page left (or one that has expired) draws nothing and asks for a reload.
    for key in ("0" * 64, "not-a-key"):
        unknown = analyst.get(
            reverse("engagement:survey_chart", args=[review.slug, survey.pk, key])
        ).content.decode()
        assert "<svg" not in unknown and "reload the page" in unknown
    # Someone outside the review sees no chart of it.
    assert client_for(stranger).get(chart).status_code in (403, 404)


def test_a_new_response_shows_at_once(survey):
    assert survey_results(survey).respondents == 4
    services.response_submit(survey=survey, raw=GOOD)
    assert survey_results(survey).respondents == 5


def test_a_finding_cites_a_survey_result(client_for, persona, review, survey):
    area = PolicyAreaFactory()
    assessment = AreaAssessment.objects.create(review=review, area=area)
    finding = Finding.objects.create(
        assessment=assessment, number=1, code=f"{area.code}-F1", kind="gap", text=tt("A gap.")
    )
    question = by_name(survey_results(survey), "asked").question
    client = client_for(persona(Role.ANALYST))
    response = client.post(
        reverse("engagement:survey_cite", args=[review.slug, survey.pk]),
        {"finding": finding.pk, "question": question.pk, "note": "Half were asked."},
    )
    assert response.status_code == 302
    assert SurveyCitation.objects.get().note == "Half were asked."
    mentions = collect(review.pk, [finding.pk], [])[("finding", finding.pk)]
    assert mentions[0].label == "survey “Business survey”, question B-03"
    assert mentions[0].url.endswith(f"/surveys/{survey.pk}/#q-asked")
    # Only those who draft the analysis cite.
    expert = client_for(persona(Role.EXPERT)).post(
        reverse("engagement:survey_cite", args=[review.slug, survey.pk]),
        {"finding": finding.pk, "question": question.pk},
    )
    assert expert.status_code == 403
