"""The area page, the overview and the recommendations run a number of
queries that does not grow with the analysis: measured on a small generated
review (5 assessments of 3 findings, 20 recommendations, on 40 answers in one
round and 10 evidence items), then again once a larger one is added: larger in
every kind of row the pages show (6 assessments of 4 findings, 24
recommendations, on 54 answers in two rounds, 20 evidence items, one of them
withdrawn, and more comments, people and ministries), which is all a page
that had started querying per row needs to show it.
The benchmark (`bench/analysis.py`) runs the full scale; the bounds here do not
depend on it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from parasat.analysis import benchdata
from parasat.assessment import benchdata as assessment_benchdata
from parasat.reviews.models import Participant, Role

# Fixed bounds: a page that needs more has started querying per row.
# The area pages: one more since the survey results a finding cites are shown beside it
# (one query for all of them, engagement.mentions).
# Who agreed the assessment comes with it (the measured area is agreed): one fewer.
MAX_QUERIES = {"area": 27, "overview": 14, "recommendations": 11, "peer_area": 22}
# Larger than the small review in every kind of row the pages show.
LARGER = assessment_benchdata.Scale(
    areas=6, questions_per_area=9, contacts=6, ministries=6, rounds=2, evidence=20, comments=6
)
FINDINGS = 4  # the small one's assessments have 3
# Served again: the caches of the reader and, for the two pages, the page are warm.
MAX_CACHED = 8


def measure(client, assert_max, page: str, url: str) -> int:
    """The queries of the page drawn anew (not from the page cache: a change
    of the analysis sends every reader there) with every cache empty (the
    session and the reader's access read again), then served again."""
    cache.clear()
    with assert_max(MAX_QUERIES[page]) as captured:
        response = client.get(url)
    assert response.status_code == 200, (page, response.status_code)
    with assert_max(MAX_CACHED) as cached:
        client.get(url)
    assert len(cached.captured_queries) < len(captured.captured_queries)
    return len(captured.captured_queries)


def counts(gen, analysis, client_for, assert_max, peer) -> dict[str, int]:
    slug = gen.review.slug
    # The area whose answers were forwarded: its findings link answers and files.
    area = next(a for a in gen.assignments if a.answers.filter(status="forwarded").exists())
    code = area.questionnaire.area.code
    analyst = client_for(gen.analyst)
    return {
        "area": measure(analyst, assert_max, "area", reverse("analysis:area", args=[slug, code])),
        "overview": measure(
            client_for(gen.coordinator),
            assert_max,
            "overview",
            reverse("analysis:overview", args=[slug]),
        ),
        "recommendations": measure(
            analyst, assert_max, "recommendations", reverse("analysis:recommendations", args=[slug])
        ),
        "peer_area": measure(
            client_for(peer), assert_max, "peer_area", reverse("analysis:area", args=[slug, code])
        ),
    }


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_analysis(
    review, persona, client_for, django_assert_max_num_queries
):
    peer = persona(Role.PEER_REVIEWER)
    small = assessment_benchdata.generate(review, scale=assessment_benchdata.SMALL, prefix="small")
    small_analysis = benchdata.generate(small, findings=3, prefix="small")
    before = counts(small, small_analysis, client_for, django_assert_max_num_queries, peer)
    larger = assessment_benchdata.generate(
        review, scale=LARGER, prefix="large", coordinator=small.coordinator
    )
    Participant.objects.filter(user=larger.analyst).update(active=True)
    larger_analysis = benchdata.generate(larger, findings=FINDINGS, prefix="large")
    assert larger_analysis.counts == {"assessments": 6, "findings": 24, "recommendations": 24}
    after = counts(larger, larger_analysis, client_for, django_assert_max_num_queries, peer)
    assert after == before
