"""The report API follows the pages' rules, role by role."""

from __future__ import annotations

import json

import pytest

from parasat.reports import services
from parasat.reports.tests.conftest import drafted_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_people(request):
    """Every test here starts from the drafted report: drafted once for the module."""
    yield from drafted_once(request)


def api(people, path=""):
    return f"/api/reviews/{people.review.slug}/report{path}"


def test_versions_are_read_as_their_stage_admits(people, client_for, client):
    report = people.report()
    services.report_issue(report=report, by=people.analyst)
    body = client_for(people.coordinator).get(api(people)).json()
    assert [v["number"] for v in body["versions"]] == [1]
    version = client_for(people.contact).get(api(people, "/versions/1")).json()
    coi = next(s for s in version["sections"] if s["key"] == "area-coi")
    assert any(p["anchor"] == "rec-COI-1" and p["text"]["kk"] for p in coi["paragraphs"])
    assert client_for(people.peer).get(api(people, "/versions/1")).status_code == 404
    assert client_for(people.peer).get(api(people)).json()["versions"] == []
    assert client.get(api(people)).status_code == 401


def test_a_peer_comments_through_the_api_on_the_draft_only(people, client_for):
    report = people.report()
    services.report_issue(report=report, by=people.analyst)
    services.report_advance(report=report, by=people.analyst)
    version = services.report_issue(report=report, by=people.analyst)
    pid = version.content["sections"][1]["paragraphs"][0]["id"]
    peer = client_for(people.peer)
    url = api(people, "/versions/2/comments")
    made = peer.post(
        url, json.dumps({"section": "summary", "paragraph": pid, "body": "Why?"}),
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    bad = peer.post(
        url, json.dumps({"section": "summary", "paragraph": "p-nope", "body": "Why?"}),
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400 and "not in this version" in bad.json()["detail"]
    listed = client_for(people.analyst).get(url).json()
    assert [c["body"] for c in listed] == ["Why?"] and listed[0]["response"] is None
    civil = client_for(people.civil).post(
        url, json.dumps({"section": "summary", "paragraph": pid, "body": "Hi"}),
        content_type="application/json",
    )  # fmt: skip
    assert civil.status_code in (403, 404)


def test_a_nul_in_a_json_body_is_not_stored(people, client_for):
    # PostgreSQL refuses NUL in text; JSON spells it \u0000, past the middleware.
    report = people.report()
    services.report_issue(report=report, by=people.analyst)
    services.report_advance(report=report, by=people.analyst)
    version = services.report_issue(report=report, by=people.analyst)
    pid = version.content["sections"][1]["paragraphs"][0]["id"]
    made = client_for(people.peer).post(
        api(people, "/versions/2/comments"),
        json.dumps({"section": "summary", "paragraph": pid, "body": "Wh\u0000y?"}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["body"] == "Why?"
    assert version.comments.get().body == "Why?"
