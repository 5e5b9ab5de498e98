"""The analysis API follows the pages' audience rules, role by role."""

from __future__ import annotations

import pytest

from parasat.analysis import services
from parasat.analysis.tests.factories import agreed, full_draft
from parasat.conftest import ALL_ROLES
from parasat.core.testing.texts import tt
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
TEAM = {Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT, Role.COORDINATOR}


def api(team, path=""):
    return f"/api/reviews/{team.review.slug}/analysis{path}"


def user_of(role, team, persona):
    return {
        Role.ANALYST: team.analyst,
        Role.EXPERT: team.expert,
        Role.COORDINATOR: team.coordinator,
    }.get(role) or persona(role)


def test_scales_list_their_levels_lowest_first(team, client_for):
    body = client_for(team.analyst).get(api(team, "/scales")).json()
    assert [s["code"] for s in body] == ["oecd-maturity"]
    assert [lv["code"] for lv in body[0]["levels"]][0] == "nascent"
    assert body[0]["name"]["kk"]


def test_each_role_reads_the_assessments_its_audience_allows(team, persona, client_for):
    agreed(team)  # marked for peers, not yet opened to them
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    for role in ALL_ROLES:
        client = client_for(user_of(role, team, persona))
        areas = [a["area"]["code"] for a in client.get(api(team, "/areas")).json()["items"]]
        readable = role in TEAM | {Role.PEER_REVIEWER}
        assert areas == (["REG"] if readable else []), role
        one = client.get(api(team, "/areas/REG"))
        assert one.status_code == (200 if readable else 404), role
        codes = [r["code"] for r in client.get(api(team, "/recommendations")).json()["items"]]
        assert codes == (["REG-1"] if readable else []), role


def test_a_peer_gets_the_sources_it_may_see_and_a_count_of_the_others(team, persona, client_for):
    agreed(team)
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    finding = (
        client_for(persona(Role.PEER_REVIEWER)).get(api(team, "/areas/REG")).json()["findings"][0]
    )
    assert finding["sources"]["answers"] == [] and finding["sources"]["evidence"] == []
    assert finding["sources"]["hidden_sources"] == 2
    assert finding["sources"]["provisions"] == [team.provision.key]
    analyst = client_for(team.analyst).get(api(team, "/areas/REG")).json()["findings"][0]
    assert analyst["sources"]["answers"] == [team.answer("policy").pk]
    assert analyst["sources"]["evidence"] == [team.team_file.pk]


def test_drafts_stay_with_the_team_and_the_coordinator(team, persona, client_for):
    full_draft(team)
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    peer = client_for(persona(Role.PEER_REVIEWER))
    assert peer.get(api(team, "/areas/REG")).status_code == 404
    assert peer.get(api(team, "/recommendations/REG-1")).status_code == 404
    body = client_for(team.coordinator).get(api(team, "/recommendations/REG-1")).json()
    assert body["priority"] == "urgent" and body["assessment_state"] == "draft"


def test_the_ratings_pair_says_when_they_differ_by_more_than_one_level(team, client_for):
    assessment = full_draft(team)
    services.government_rating_give(
        assessment=assessment,
        by=team.coordinator,
        scale=team.scale,
        level=team.level("leading"),
        justification=services.content.TranslatedText.fresh({"en": "Ours."}),
    )
    pair = client_for(team.coordinator).get(api(team, "/areas/REG")).json()["ratings"][0]
    assert pair["team"]["level"] == "emerging" and pair["government"]["level"] == "leading"
    assert pair["differs_by_more_than_one_level"] is True


def test_bad_filters_are_refused_and_strangers_get_404(team, stranger, client_for):
    client = client_for(team.analyst)
    assert client.get(api(team, "/recommendations?priority=someday")).status_code == 422
    assert client.get(api(team, "/recommendations?area=TOOLONG")).status_code == 422
    assert client.get(api(team, "/areas/ZZZ")).status_code == 404
    assert client_for(stranger).get(api(team, "/areas")).status_code == 404
    # Signed out, the analysis asks for credentials (the API contract: 401, not "not found").
    assert client_for(None).get(api(team, "/areas")).status_code == 401


def test_the_lists_come_a_bounded_page_at_a_time(team, client_for):
    assessment = full_draft(team)
    services.recommendation_save(
        assessment=assessment, by=team.analyst, text=tt("Publish them."), priority="medium"
    )
    client = client_for(team.analyst)
    first = client.get(api(team, "/recommendations"), {"page_size": 1}).json()
    assert (first["count"], first["pages"], first["page"], first["page_size"]) == (2, 2, 1, 1)
    assert [r["code"] for r in first["items"]] == ["REG-1"]
    second = client.get(api(team, "/recommendations"), {"page_size": 1, "page": 2}).json()
    assert [r["code"] for r in second["items"]] == ["REG-2"]
    assert (
        client.get(api(team, "/recommendations"), {"page": 3, "page_size": 1}).json()["items"] == []
    )
    # Filters and paging together: the count is of what the filter keeps.
    urgent = client.get(api(team, "/recommendations"), {"priority": "urgent"}).json()
    assert (urgent["count"], urgent["page_size"]) == (1, 100)
    areas = client.get(api(team, "/areas"), {"page_size": 1}).json()
    assert (areas["count"], areas["pages"]) == (1, 1)
    assert [a["area"]["code"] for a in areas["items"]] == ["REG"]
    assert client.get(api(team, "/areas"), {"page": 2}).json()["items"] == []
    for path in ("/areas", "/recommendations"):
        for bad in ({"page": 0}, {"page": 10_001}, {"page_size": 0}, {"page_size": 501}):
            assert client.get(api(team, path), bad).status_code == 422, (path, bad)
