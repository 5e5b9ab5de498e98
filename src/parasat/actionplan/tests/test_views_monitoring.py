"""Monitoring through the pages, role by role: the contact person reports
with a file, the co-ordinator accepts or returns, the team assesses; who must
be refused is refused; the dashboard's query count stays constant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.actionplan import services
from parasat.actionplan.models import MeasureAssessment, ProgressEvidence, ProgressReport
from parasat.actionplan.services import monitoring
from parasat.conftest import ALL_ROLES
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
PERIOD = "2016-03-31"


def url(name, setup, *args):
    return reverse(f"actionplan:{name}", args=[setup.review.slug, *args])


def who(role, setup, persona):
    return {Role.COORDINATOR: setup.coordinator, Role.CONTACT_PERSON: setup.contact}.get(
        role
    ) or persona(role)


def test_report_with_a_file_accept_and_assess(setup, persona, client_for, adopted):
    contact = client_for(setup.contact)
    assert contact.get(url("mine", setup)).status_code == 200
    form = url("report_form", setup, "1", 1, PERIOD)
    response = contact.post(
        form, {"value": "101", "unit": "percent", "narrative": "x", "confidentiality": "public"}
    )
    assert response.status_code == 400 and "outside the indicator" in response.content.decode()
    response = contact.post(
        form, {"value": "40", "unit": "count", "narrative": "x", "confidentiality": "public"}
    )
    assert response.status_code == 400 and "counts in per cent" in response.content.decode()
    assert not ProgressReport.objects.exists()
    response = contact.post(
        form,
        {"value": "40", "unit": "percent", "narrative": "Checked 40%", "confidentiality": "public"},
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    contact.post(
        url("report_evidence", setup, report.pk),
        {"file": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit"), "confidentiality": "public"},
    )
    assert ProgressEvidence.objects.count() == 1
    contact.post(url("report_submit", setup, report.pk))
    coordinator = client_for(setup.coordinator)
    page = coordinator.get(url("monitoring", setup)).content.decode()
    assert "1 report awaits your decision" in page
    coordinator.post(url("report_decide", setup, report.pk), {"action": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted"
    analyst = client_for(persona(Role.ANALYST))
    response = analyst.post(
        url("assess", setup, "1"), {"level": "limited", "text": "Slow", "confidentiality": "public"}
    )
    assert response.status_code == 302
    assert MeasureAssessment.objects.get().source == "team"
    page = client_for(persona(Role.CIVIL_SOCIETY)).get(url("measure", setup, "1")).content.decode()
    assert "Slow" in page and "audit.pdf" not in page or "Indicator 1" in page
    evidence = ProgressEvidence.objects.get()
    assert (
        client_for(persona(Role.PEER_REVIEWER)).get(url("evidence", setup, evidence.pk)).status_code
        == 200
    )


def test_who_may_report_decide_and_assess(setup, persona, client_for, stranger, adopted):
    for role in ALL_ROLES:
        client = client_for(who(role, setup, persona))
        form = url("report_form", setup, "1", 1, PERIOD)
        response = client.post(
            form, {"value": "40", "unit": "percent", "narrative": "x", "confidentiality": "public"}
        )
        assert response.status_code == (302 if role == Role.CONTACT_PERSON else 403), role
        expected = 200 if role == Role.COORDINATOR else 403
        assert client.get(url("monitoring", setup)).status_code == expected, role
        assessors = {
            Role.COORDINATOR,
            Role.ANALYST,
            Role.EXPERT,
            Role.LOCAL_CONSULTANT,
            Role.CIVIL_SOCIETY,
        }
        assert client.get(url("assess", setup, "1")).status_code == (
            200 if role in assessors else 403
        ), role
    report = ProgressReport.objects.get()
    monitoring.report_submit(report=report, by=setup.contact)
    for role in ALL_ROLES:
        if role == Role.COORDINATOR:
            continue
        client_for(who(role, setup, persona)).post(
            url("report_decide", setup, report.pk), {"action": "accept"}
        )
    report.refresh_from_db()
    assert report.status == "submitted"
    assert client_for(stranger).get(url("report", setup, report.pk)).status_code == 404


def test_a_government_only_report_stays_with_the_government(setup, persona, client_for, adopted):
    indicator = setup.plan().measures.get(code="1").indicators.get()
    report = monitoring.report_save(
        indicator=indicator,
        period_end=dt.date(2016, 3, 31),
        by=setup.contact,
        value="10",
        unit="percent",
        narrative="Internal",
        confidentiality="government",
    )
    monitoring.report_submit(report=report, by=setup.contact)
    monitoring.report_accept(report=report, by=setup.coordinator)
    for role in ALL_ROLES:
        status = (
            client_for(who(role, setup, persona)).get(url("report", setup, report.pk)).status_code
        )
        assert status == (200 if role in {Role.COORDINATOR, Role.CONTACT_PERSON} else 404), role


def test_the_dashboard_has_a_constant_query_count(
    setup, client_for, django_assert_max_num_queries, adopted
):
    plan, _measures = adopted
    client = client_for(setup.coordinator)
    client.get(url("monitoring", setup))
    with django_assert_max_num_queries(20) as small:
        client.get(url("monitoring", setup))
    services.plan_amend(plan=plan, by=setup.coordinator, reason="More")
    # More of every kind of row: measures (2, then 4), indicators of each frequency.
    for n in range(2):
        m = setup.measure(setup.recommendations[n % 2])
        setup.indicator(m)
        setup.indicator(m, frequency="monthly")
    services.plan_adopt(
        plan=plan, by=setup.coordinator, act_number="3", act_date=dt.date(2016, 2, 1)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("monitoring", setup))


def test_an_assessment_with_a_refused_file_is_not_written(setup, persona, client_for, adopted):
    response = client_for(persona(Role.ANALYST)).post(
        url("assess", setup, "1"),
        {
            "level": "limited",
            "text": "Slow",
            "confidentiality": "public",
            "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 400
    assert "are not accepted" in response.content.decode()
    assert not MeasureAssessment.objects.exists() and not ProgressEvidence.objects.exists()
