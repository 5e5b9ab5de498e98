"""The plan's pages, role by role: they work, they refuse bad input beside
the field (nothing written), and every role that must be refused is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from parasat.actionplan import services
from parasat.actionplan.models import Indicator, Measure, Plan
from parasat.conftest import ALL_ROLES
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
TEAM = {Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT}


def url(name, setup, *args):
    return reverse(f"actionplan:{name}", args=[setup.review.slug, *args])


def who(role, setup, persona):
    if role == Role.COORDINATOR:
        return setup.coordinator
    if role == Role.CONTACT_PERSON:
        return setup.contact
    return persona(role)


def test_the_coordinator_starts_the_plan_others_cannot(setup, persona, client_for):
    for role in ALL_ROLES:
        if role == Role.COORDINATOR:
            continue
        response = client_for(who(role, setup, persona)).post(
            url("plan", setup), {"title_en": "Plan"}
        )
        assert response.status_code in {200, 403}, role
        assert not Plan.objects.exists(), role
    client = client_for(setup.coordinator)
    response = client.post(url("plan", setup), {"title_en": ""})
    assert response.status_code == 400
    response = client.post(url("plan", setup), {"title_en": "Anti-corruption plan"})
    assert response.status_code == 302
    assert str(Plan.objects.get().title) == "Anti-corruption plan"


def test_a_draft_plan_is_read_by_the_government_and_the_team_only(
    setup, persona, client_for, stranger
):
    setup.measure()
    for role in ALL_ROLES:
        response = client_for(who(role, setup, persona)).get(url("plan", setup))
        readers = TEAM | {Role.COORDINATOR}
        if role in readers:
            assert response.status_code == 200, role
            assert "Verify declarations" in response.content.decode(), role
        else:
            assert "Verify declarations" not in response.content.decode(), role
            assert (
                client_for(who(role, setup, persona)).get(url("measure", setup, "1")).status_code
                == 404
            )
    assert client_for(stranger).get(url("plan", setup)).status_code == 404
    assert client_for(None).get(url("plan", setup)).status_code == 302


def test_an_adopted_plan_is_read_by_every_role(setup, persona, client_for):
    setup.adopted()
    for role in ALL_ROLES:
        client = client_for(who(role, setup, persona))
        for page in (
            url("plan", setup),
            url("measure", setup, "1"),
            url("coverage", setup),
            url("versions", setup),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200, (role, page)
            # Whether there is a final report is read once at most (the coverage
            # page read it twice).
            finals = [q for q in captured if 'FROM "reports_reportversion"' in q["sql"]]
            assert len(finals) <= 1, (role, page)


def test_the_measure_form_refuses_a_missing_agency_beside_the_field(setup, client_for):
    setup.plan()
    client = client_for(setup.coordinator)
    assert (
        client.get(
            url("measure_new", setup) + f"?recommendation={setup.recommendations[0].pk}"
        ).status_code
        == 200
    )
    data = {
        "title_en": "Publish declarations",
        "recommendations": [setup.recommendations[0].pk],
        "responsible": "",
        "start_on": "2016-01-01",
        "due_on": "2016-12-31",
        "budget_currency": "KZT",
    }
    response = client.post(url("measure_new", setup), data)
    assert response.status_code == 400
    assert "Name the agency responsible for the measure." in response.content.decode()
    assert not Measure.objects.exists()
    data["responsible"] = setup.ministry.pk
    response = client.post(url("measure_new", setup), data)
    assert response.status_code == 302
    assert Measure.objects.get().code == "1"


def test_only_the_coordinator_writes_measures_and_indicators(setup, persona, client_for):
    m = setup.measure()
    for role in ALL_ROLES:
        if role == Role.COORDINATOR:
            continue
        client = client_for(who(role, setup, persona))
        expected = {403} if role in TEAM | {Role.CONTACT_PERSON} else {403, 404}
        assert client.get(url("measure_new", setup)).status_code in expected | {403}, role
        response = client.post(
            url("indicator_new", setup, m.code),
            {
                "name_en": "X",
                "unit": "count",
                "baseline": "0",
                "target": "5",
                "frequency": "yearly",
            },
        )
        assert response.status_code == 403, role
    assert not Indicator.objects.exists()


def test_the_indicator_form_refuses_a_target_outside_the_range(setup, client_for):
    m = setup.measure()
    client = client_for(setup.coordinator)
    data = {
        "name_en": "Share",
        "unit": "percent",
        "baseline": "0",
        "target": "150",
        "frequency": "quarterly",
    }
    response = client.post(url("indicator_new", setup, m.code), data)
    assert response.status_code == 400
    assert "outside the indicator" in response.content.decode()
    data["target"] = "90"
    assert client.post(url("indicator_new", setup, m.code), data).status_code == 302
    assert Indicator.objects.get().target == 90


def test_adopt_position_and_amend_through_the_pages(setup, client_for):
    m = setup.measure()
    setup.indicator(m)
    client = client_for(setup.coordinator)
    response = client.post(
        url("adopt", setup), {"act_number": "5", "act_date": "2016-01-20"}, follow=True
    )
    assert "COI-2 are not covered" in response.content.decode()
    response = client.post(url("position", setup, "COI-2"), {"kind": "noted", "reason_en": ""})
    assert response.status_code == 400
    response = client.post(
        url("position", setup, "COI-2"), {"kind": "noted", "reason_en": "Done already"}
    )
    assert response.status_code == 302
    client.post(url("adopt", setup), {"act_number": "5", "act_date": "2016-01-20"})
    plan = Plan.objects.get()
    assert plan.version == 1 and plan.act_number == "5"
    response = client.get(url("measure_edit", setup, "1"), follow=True)
    assert "start an amendment" in response.content.decode()
    client.post(url("amend", setup), {"reason": "New law"})
    plan.refresh_from_db()
    assert plan.state == Plan.State.AMENDING
    page = client.get(url("versions", setup)).content.decode()
    assert "No. 5" in page


def test_the_plan_page_has_a_constant_query_count(setup, client_for, django_assert_max_num_queries):
    client = client_for(setup.coordinator)
    setup.adopted()
    services.plan_amend(plan=setup.plan(), by=setup.coordinator, reason="More")
    client.get(url("plan", setup))
    # 10: what keeps the plan from adoption is worked out from the measures and
    # the coverage the page has read, not from reading them again (was 17).
    with django_assert_max_num_queries(10) as small:
        client.get(url("plan", setup))
    # More of every kind of row: measures (2, then 4), indicators, and parts (0, then 2).
    for n in range(2):
        m = setup.measure(setup.recommendations[n % 2])
        setup.indicator(m)
        setup.measure(parent=m, recommendation_ids=[])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url("plan", setup)).content.decode()
    # The same problems as the service reading them itself (the parts have no indicator).
    problems = services.adoption_problems(setup.plan())
    assert any("has no indicator" in p for p in problems)
    assert all(escape(p) in page for p in problems)
