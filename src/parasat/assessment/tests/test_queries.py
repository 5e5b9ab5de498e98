"""The dashboard, the answer form and saving an answer run a number of
queries that does not grow with the review: measured on a small generated
self-assessment, then again once a larger one is added, with more of every
kind of row the pages show (assignments, questions, versions, evidence,
comments, people). Two sizes prove it; the full scale (15 areas, 150
questions, 500 evidence items) is the benchmark's, in bench/assessment.py."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.urls import reverse

from parasat.assessment import benchdata
from parasat.assessment.caching import assessment_changed
from parasat.assessment.models import Answer
from parasat.toolkit.models import Question

# Fixed bounds: a page that needs more has started querying per row.
MAX_QUERIES = {"dashboard": 8, "form": 10, "save": 14}
# Twice the small one or more where a page lists rows, at a fraction of the
# full scale's time.
LARGER = benchdata.Scale(
    areas=7, questions_per_area=10, contacts=8, ministries=6, rounds=2, evidence=35, comments=14
)


def measure(client, assert_max, page: str, method: str, url: str, changed=None, **kw) -> int:
    cache.clear()  # nothing served from a cache warmed by the other size
    getattr(client, method)(url, **kw)  # sessions and caches as in steady use
    if changed is not None:
        changed()  # what a page keeps is drawn again: measure that, not the kept copy
    with assert_max(MAX_QUERIES[page]) as captured:
        response = getattr(client, method)(url, **kw)
    assert response.status_code == 200, (page, response.status_code)
    return len(captured.captured_queries)


def save_data(answer: Answer, value: object) -> dict[str, object]:
    return {
        "value": value,
        "explanation": "Benchmark.",
        "confidentiality": "team",
        "base_version": answer.version,
    }


def counts(gen: benchdata.Generated, client_for, assert_max) -> dict[str, int]:
    slug = gen.review.slug
    coordinator, contact = client_for(gen.coordinator), client_for(gen.draft_contact)
    answer = gen.draft.answers.select_related("question").get(question__name="share")
    a, b = benchdata.alternate_values(answer.question)
    save_url = reverse("assessment:answer_save", args=[slug, answer.pk])
    result = {
        "dashboard": measure(
            coordinator,
            assert_max,
            "dashboard",
            "get",
            reverse("assessment:home", args=[slug]),
            changed=lambda: assessment_changed(gen.review.pk, assignments=True),
        ),
        "form": measure(
            contact,
            assert_max,
            "form",
            "get",
            reverse("assessment:assignment", args=[slug, gen.draft.pk]),
        ),
    }
    # Two valid saves in turn (the warm-up, then the measured one), each a new version.
    contact.post(save_url, save_data(answer, a), headers={"X-Requested-With": "fetch"})
    answer.refresh_from_db()
    with assert_max(MAX_QUERIES["save"]) as captured:
        response = contact.post(
            save_url, save_data(answer, b), headers={"X-Requested-With": "fetch"}
        )
    assert response.status_code == 200 and response.json()["changed"], response.content
    result["save"] = len(captured.captured_queries)
    return result


def shown_on_the_form(gen: benchdata.Generated) -> dict[str, int]:
    answers = gen.draft.answers.all()
    return {
        "questions": answers.count(),
        "versions": sum(a.version for a in answers),
        "evidence": sum(a.evidence.count() for a in answers),
        "comments": sum(a.comments.count() for a in answers),
    }


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_review(
    review, client_for, django_assert_max_num_queries
):
    small = benchdata.generate(review, scale=benchdata.SMALL, prefix="small")
    before = counts(small, client_for, django_assert_max_num_queries)
    larger = benchdata.generate(review, scale=LARGER, prefix="large", coordinator=small.coordinator)
    assert larger.counts["answers"] == 70 and larger.counts["versions"] == 140
    assert review.assignments.count() == benchdata.SMALL.areas + LARGER.areas
    # The second form shows more of each kind of row than the first.
    first, second = shown_on_the_form(small), shown_on_the_form(larger)
    assert all(second[kind] > first[kind] for kind in first), (first, second)
    after = counts(larger, client_for, django_assert_max_num_queries)
    assert after == before


def test_generated_review_has_every_state_and_its_history(review):
    gen = benchdata.generate(review, scale=benchdata.SMALL)
    statuses = set(Answer.objects.values_list("status", flat=True))
    assert statuses == set(Answer.Status.values)
    answer = gen.draft.answers.first()
    assert answer.versions.count() == benchdata.SMALL.rounds
    assert answer.is_editable and gen.draft.assignee == gen.draft_contact


def test_the_generator_takes_any_number_of_rounds_and_areas():
    question = Question(kind=Question.Kind.TEXT)
    # Every round has a value, the last one the final value, and no two
    # successive rounds save the same value.
    for rounds in (1, 3, 4, 7):
        values = [benchdata.round_value(question, n, rounds) for n in range(rounds)]
        assert values[-1] == benchdata.round_value(question, 2, 3)
        assert all(a != b for a, b in itertools.pairwise(values)), values
    codes = {benchdata.area_code("many", n) for n in range(1, 1296)}
    assert len(codes) == 1295 and {len(c) for c in codes} == {3}  # PolicyArea.code holds 3
    ten = benchdata.FULL.times(assignments=10)
    assert (ten.areas, ten.questions_per_area, ten.evidence) == (150, 10, 5000)
    assert benchdata.FULL.times(evidence=10).comments == 10 * benchdata.FULL.comments
