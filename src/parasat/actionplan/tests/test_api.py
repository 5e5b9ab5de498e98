"""The action plan's API follows the pages' rules, role by role."""

from __future__ import annotations

import datetime as dt

import pytest

from parasat.actionplan.services import monitoring
from parasat.conftest import ALL_ROLES
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
READS_DRAFTS = {Role.COORDINATOR, Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT}


def api(setup, path=""):
    return f"/api/reviews/{setup.review.slug}/plan{path}"


def who(role, setup, persona):
    return {Role.COORDINATOR: setup.coordinator, Role.CONTACT_PERSON: setup.contact}.get(
        role
    ) or persona(role)


def test_a_draft_plan_is_read_by_the_government_and_the_team_only(setup, persona, client_for):
    setup.measure()
    for role in ALL_ROLES:
        response = client_for(who(role, setup, persona)).get(api(setup))
        assert response.status_code == (200 if role in READS_DRAFTS else 404), role
    body = client_for(setup.coordinator).get(api(setup)).json()
    assert body["state"] == "draft" and body["uncovered"] == ["COI-2"]
    assert client_for(None).get(api(setup)).status_code == 401


def test_measures_with_indicators_and_reports_by_audience(setup, persona, client_for):
    setup.adopted()
    indicator = setup.plan().measures.get(code="1").indicators.get()
    for level, narrative in (("government", "Internal"), ("public", "Public")):
        period = dt.date(2016, 3, 31) if level == "government" else dt.date(2016, 6, 30)
        report = monitoring.report_save(
            indicator=indicator,
            period_end=period,
            by=setup.contact,
            value="10",
            unit="percent",
            narrative=narrative,
            confidentiality=level,
        )
        monitoring.report_submit(report=report, by=setup.contact)
        monitoring.report_accept(report=report, by=setup.coordinator)
    monitoring.assessment_give(
        measure=indicator.measure,
        by=persona(Role.ANALYST),
        source="team",
        level="limited",
        text="Slow",
    )
    page = client_for(persona(Role.PEER_REVIEWER)).get(api(setup, "/measures")).json()
    assert page["count"] == 2
    first = page["items"][0]
    assert first["code"] == "1" and first["indicators"][0]["unit"] == "percent"
    assert first["title"]["kk"] == "Декларацияларды тексеру"
    one = client_for(persona(Role.PEER_REVIEWER)).get(api(setup, "/measures/1")).json()
    assert one["responsible"] == "min-justice"
    for role in ALL_ROLES:
        reports = client_for(who(role, setup, persona)).get(api(setup, "/reports")).json()
        narratives = {r["narrative"] for r in reports["items"]}
        if role in {Role.COORDINATOR, Role.CONTACT_PERSON}:
            assert narratives == {"Internal", "Public"}, role
        else:
            assert narratives == {"Public"}, role
    body = client_for(persona(Role.CIVIL_SOCIETY)).get(api(setup, "/assessments")).json()
    assert [(a["measure"], a["source"]) for a in body] == [("1", "team")]
    assert client_for(setup.coordinator).get(api(setup, "/measures/99")).status_code == 404


def test_every_endpoint_keeps_a_draft_plan_from_those_who_may_not_read_it(
    setup, persona, client_for
):
    setup.indicator(setup.measure())
    for role in ALL_ROLES:
        client = client_for(who(role, setup, persona))
        for path in ("/measures", "/measures/1", "/reports", "/assessments"):
            expected = 200 if role in READS_DRAFTS else 404
            assert client.get(api(setup, path)).status_code == expected, (role, path)
    for path in ("/measures", "/measures/1", "/reports", "/assessments"):
        assert client_for(None).get(api(setup, path)).status_code == 401, path


def test_an_assessment_for_the_government_only_stays_with_it(setup, persona, client_for):
    _plan, (m1, _m2) = setup.adopted()
    monitoring.assessment_give(
        measure=m1,
        by=setup.coordinator,
        source="government",
        level="substantial",
        text="Internal view",
        confidentiality="government",
    )
    monitoring.assessment_give(
        measure=m1,
        by=persona(Role.CIVIL_SOCIETY),
        source="civil_society",
        level="limited",
        text="Watchdog",
    )
    for role in ALL_ROLES:
        body = client_for(who(role, setup, persona)).get(api(setup, "/assessments")).json()
        texts = {a["text"] for a in body}
        if role == Role.COORDINATOR:
            assert texts == {"Internal view", "Watchdog"}, role
        else:
            assert texts == {"Watchdog"}, role


def test_reports_and_assessments_come_with_the_evidence_the_reader_may_read(
    setup, persona, client_for
):
    _plan, (m1, _m2) = setup.adopted()
    report = monitoring.report_save(
        indicator=m1.indicators.get(),
        period_end=dt.date(2016, 3, 31),
        by=setup.contact,
        value="10",
        unit="percent",
        narrative="Done",
    )
    for title, level in (("Open audit", "public"), ("Team memo", "team")):
        monitoring.evidence_add_reference(
            report=report,
            by=setup.contact,
            kind="link",
            title=title,
            url="https://example.org/" + level,
            confidentiality=level,
        )
    monitoring.report_submit(report=report, by=setup.contact)
    monitoring.report_accept(report=report, by=setup.coordinator)
    theirs = monitoring.assessment_give(
        measure=m1,
        by=persona(Role.CIVIL_SOCIETY),
        source="civil_society",
        level="limited",
        text="Watchdog",
    )
    monitoring.evidence_add_reference(
        assessment=theirs,
        by=persona(Role.CIVIL_SOCIETY),
        kind="legal_act",
        title="",
        citation="Law No. 410-V, art. 12",
        confidentiality="public",
    )
    civil = client_for(persona(Role.CIVIL_SOCIETY))
    reports = civil.get(api(setup, "/reports")).json()["items"]
    assert [e["title"] for e in reports[0]["evidence"]] == ["Open audit"]
    analyst = client_for(persona(Role.ANALYST)).get(api(setup, "/reports")).json()["items"]
    assert {e["title"] for e in analyst[0]["evidence"]} == {"Open audit", "Team memo"}
    body = civil.get(api(setup, "/assessments")).json()
    assert body[0]["evidence"][0]["citation"] == "Law No. 410-V, art. 12"
