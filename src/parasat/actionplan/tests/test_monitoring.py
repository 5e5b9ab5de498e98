"""Monitoring: reports fall due on each indicator's periods; the contact
person of the responsible agency reports a value in the indicator's unit and
range, a narrative and evidence; the co-ordinator accepts or returns; a frozen
or withdrawn measure takes no report; progress rolls up by weight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.actionplan import services
from parasat.actionplan.models import MeasureAssessment, ProgressEvidence, ProgressReport
from parasat.actionplan.periods import period_ends
from parasat.actionplan.services import monitoring
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
Q1 = dt.date(2016, 3, 31)


def test_periods_follow_the_calendar():
    assert period_ends("quarterly", dt.date(2016, 2, 10), dt.date(2016, 12, 1)) == [
        dt.date(2016, 3, 31),
        dt.date(2016, 6, 30),
        dt.date(2016, 9, 30),
        dt.date(2016, 12, 31),
    ]
    assert period_ends("yearly", dt.date(2016, 2, 10), dt.date(2017, 1, 1)) == [
        dt.date(2016, 12, 31),
        dt.date(2017, 12, 31),
    ]
    assert len(period_ends("monthly", dt.date(2016, 1, 1), dt.date(2016, 12, 31))) == 12


def report(setup, indicator, value="40", unit="percent", period=Q1, **kw):
    return monitoring.report_save(
        indicator=indicator,
        period_end=period,
        by=kw.pop("by", setup.contact),
        value=value,
        unit=unit,
        narrative=kw.pop("narrative", "Checked 40% of declarations."),
        **kw,
    )


def test_a_report_is_accepted_and_the_measure_follows(setup, adopted):
    _plan, (m1, _m2) = adopted
    indicator = m1.indicators.get()
    r = report(setup, indicator)
    monitoring.evidence_add_file(
        report=r,
        by=setup.contact,
        upload=SimpleUploadedFile("check.pdf", b"%PDF-1.4 report"),
        confidentiality="public",
    )
    monitoring.report_submit(report=r, by=setup.contact)
    with pytest.raises(ValidationError, match="already submitted"):
        monitoring.report_submit(report=r, by=setup.contact)
    monitoring.report_accept(report=r, by=setup.coordinator)
    m1.refresh_from_db()
    indicator.refresh_from_db()
    assert indicator.latest_value == Decimal("40.00")
    assert m1.progress == 50 and m1.completion == "substantial"  # 40 of 0 → 80
    assert ProgressEvidence.objects.get().file.name.startswith(f"actionplan/{setup.review.pk}/")


def test_values_of_the_wrong_unit_or_outside_the_range_are_refused(setup, adopted):
    _plan, (m1, _m2) = adopted
    indicator = m1.indicators.get()
    with pytest.raises(ValidationError) as caught:
        report(setup, indicator, unit="count")
    assert "counts in per cent; the value was given in number" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError, match=r"outside the indicator's range \(0–100\)"):
        report(setup, indicator, value="140")
    with pytest.raises(ValidationError, match="as a number"):
        report(setup, indicator, value="forty")
    with pytest.raises(ValidationError, match="reporting periods"):
        report(setup, indicator, period=dt.date(2016, 3, 30))
    assert not ProgressReport.objects.exists()


def test_only_the_responsible_agencys_contact_person_reports(setup, persona, adopted):
    _plan, (m1, _m2) = adopted
    with pytest.raises(ValidationError, match="Only a contact person of"):
        report(setup, m1.indicators.get(), by=persona(Role.ANALYST))
    assert not ProgressReport.objects.exists()


def test_a_frozen_or_withdrawn_measure_takes_no_report(setup, adopted):
    plan, (m1, m2) = adopted
    services.measure_freeze(measure=m1, by=setup.coordinator, reason="Budget cut")
    m1.refresh_from_db()
    with pytest.raises(ValidationError, match="frozen"):
        report(setup, m1.indicators.get())
    services.plan_amend(plan=plan, by=setup.coordinator, reason="Drop 2")
    services.measure_withdraw(measure=m2, by=setup.coordinator, reason="Merged into 1")
    m2.refresh_from_db()
    with pytest.raises(ValidationError, match="withdrawn"):
        report(setup, m2.indicators.get())
    assert not ProgressReport.objects.exists()


def test_a_returned_report_says_why_and_can_be_corrected(setup, adopted):
    _plan, (m1, _m2) = adopted
    r = report(setup, m1.indicators.get())
    monitoring.report_submit(report=r, by=setup.contact)
    with pytest.raises(ValidationError, match="Say what should change"):
        monitoring.report_return(report=r, by=setup.coordinator, reason="")
    monitoring.report_return(report=r, by=setup.coordinator, reason="Attach the audit")
    r = report(setup, m1.indicators.get(), value="45")
    assert r.status == "returned" and r.value == Decimal("45.00")


def test_parts_roll_up_by_weight(setup, adopted):
    plan, (m1, _m2) = adopted
    services.plan_amend(plan=plan, by=setup.coordinator, reason="Split 1")
    a = setup.measure(parent=m1, recommendation_ids=[], weight=3)
    b = setup.measure(parent=m1, recommendation_ids=[], weight=1)
    ia = setup.indicator(a)
    setup.indicator(b)
    services.plan_adopt(
        plan=plan, by=setup.coordinator, act_number="2", act_date=dt.date(2016, 2, 1)
    )
    r = report(setup, ia, value="80")
    monitoring.report_submit(report=r, by=setup.contact)
    monitoring.report_accept(report=r, by=setup.coordinator)
    m1.refresh_from_db()
    assert m1.progress == 75  # (100 × 3 + 0 × 1) / 4


def test_the_governments_assessment_sets_completion_beside_an_independent_one(
    setup, persona, adopted
):
    _plan, (m1, _m2) = adopted
    with pytest.raises(ValidationError, match="Explain"):
        monitoring.assessment_give(
            measure=m1, by=setup.coordinator, source="government", level="complete", text=""
        )
    monitoring.assessment_give(
        measure=m1, by=setup.coordinator, source="government", level="complete", text="Done"
    )
    monitoring.assessment_give(
        measure=m1, by=persona(Role.ANALYST), source="team", level="limited", text="Barely begun"
    )
    m1.refresh_from_db()
    assert m1.completion == "complete"
    current = MeasureAssessment.objects.filter(superseded_at__isnull=True)
    assert {a.source: a.level for a in current} == {"government": "complete", "team": "limited"}


def test_a_legal_act_given_as_evidence_is_cited_not_linked_to_nowhere(setup, client_for, adopted):
    from django.urls import reverse

    _plan, (m1, _m2) = adopted
    r = report(setup, m1.indicators.get())
    monitoring.evidence_add_reference(
        report=r,
        by=setup.contact,
        kind="legal_act",
        title="",
        citation="Law No. 410-V of 18 November 2015, art. 12",
        confidentiality="public",
    )
    page = client_for(setup.contact).get(
        reverse("actionplan:report", args=[setup.review.slug, r.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Law No. 410-V of 18 November 2015, art. 12" in html
    assert 'href=""' not in html
