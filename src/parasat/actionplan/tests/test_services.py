"""Drafting, adopting and amending the plan: what is written, and what is
refused with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parasat.actionplan import selectors, services
from parasat.actionplan.models import Measure, Plan, PlanVersion
from parasat.actionplan.tests.factories import DUE, START
from parasat.core.testing.texts import tt
from parasat.reports.models import Report, ReportVersion, Stage

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_a_measure_answers_recommendations_and_covers_them(setup):
    m = setup.measure()
    assert m.code == "1"
    assert m.area.code == "COI"
    assert list(m.partners.all()) == [setup.partner]
    rows = {r.recommendation.code: r for r in selectors.coverage(setup.plan())}
    assert rows["COI-1"].covered and rows["COI-1"].measures == [m]
    assert not rows["COI-2"].covered


def test_a_measure_without_a_responsible_agency_is_refused(setup):
    with pytest.raises(ValidationError) as caught:
        setup.measure(responsible_id=None)
    assert "responsible" in caught.value.message_dict
    assert "Name the agency responsible" in messages_of(caught.value)
    assert not Measure.objects.exists()


def test_a_measure_needs_a_known_recommendation_and_sound_dates(setup):
    with pytest.raises(ValidationError) as caught:
        setup.measure(recommendation_ids=[])
    assert "recommendations" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        setup.measure(recommendation_ids=[999_999])
    assert "agreed recommendations" in messages_of(caught.value)
    with pytest.raises(ValidationError) as caught:
        setup.measure(start_on=DUE, due_on=START)
    assert "due_on" in caught.value.message_dict
    assert not Measure.objects.exists()


def test_parts_nest_once_within_their_parents_dates(setup):
    parent = setup.measure()
    part = setup.measure(parent=parent, recommendation_ids=[], weight=3)
    assert part.code == "1.1" and part.area_id == parent.area_id
    with pytest.raises(ValidationError, match="cannot have parts"):
        setup.measure(parent=part, recommendation_ids=[])
    with pytest.raises(ValidationError, match="within its dates"):
        setup.measure(parent=parent, recommendation_ids=[], due_on=DUE + dt.timedelta(days=1))


def test_indicator_ranges_are_checked(setup):
    m = setup.measure()
    with pytest.raises(ValidationError) as caught:
        setup.indicator(m, target=Decimal(120))
    assert "outside the indicator's range (0–100)" in messages_of(caught.value)
    with pytest.raises(ValidationError, match="above the lowest"):
        setup.indicator(m, unit="count", minimum=Decimal(5), maximum=Decimal(5))
    with pytest.raises(ValidationError, match="differ from the baseline"):
        setup.indicator(m, target=Decimal(0))
    ok = setup.indicator(
        m, unit="count", baseline=Decimal(2), target=Decimal(10), maximum=Decimal(50)
    )
    assert ok.number == 1


def test_adoption_needs_coverage_indicators_and_an_act(setup):
    plan = setup.plan()
    m = setup.measure()
    with pytest.raises(ValidationError) as caught:
        services.plan_adopt(plan=plan, by=setup.coordinator, act_number="", act_date=None)
    assert set(caught.value.message_dict) == {"act_number", "act_date"}
    with pytest.raises(ValidationError) as caught:
        services.plan_adopt(plan=plan, by=setup.coordinator, act_number="1", act_date=START)
    text = messages_of(caught.value)
    assert "COI-2 are not covered" in text and "Measure 1 has no indicator" in text
    setup.indicator(m)
    services.position_save(
        plan=plan,
        by=setup.coordinator,
        recommendation=setup.recommendations[1],
        kind="noted",
        reason=tt("Already done by the 2015 law."),
    )
    adopted = services.plan_adopt(plan=plan, by=setup.coordinator, act_number="1", act_date=START)
    assert adopted.state == Plan.State.ADOPTED and adopted.version == 1
    version = PlanVersion.objects.get()
    assert version.content["measures"][0]["code"] == "1"


def test_an_adopted_plan_is_frozen_until_amended_and_versions_compare(setup):
    plan, (m1, _m2) = setup.adopted()
    with pytest.raises(ValidationError, match="start an amendment"):
        setup.measure()
    with pytest.raises(ValidationError, match="Say why"):
        services.plan_amend(plan=plan, by=setup.coordinator, reason=" ")
    services.plan_amend(plan=plan, by=setup.coordinator, reason="New law")
    m1.refresh_from_db()
    services.measure_save(
        plan=plan,
        by=setup.coordinator,
        measure=m1,
        title=tt("Verify every declaration"),
        responsible_id=setup.ministry.pk,
        start_on=START,
        due_on=DUE,
        recommendation_ids=[setup.recommendations[0].pk],
    )
    with pytest.raises(ValidationError, match="before the act it amends"):
        services.plan_adopt(
            plan=plan, by=setup.coordinator, act_number="2", act_date=dt.date(2015, 1, 1)
        )
    services.plan_adopt(
        plan=plan, by=setup.coordinator, act_number="2", act_date=dt.date(2016, 6, 1)
    )
    v1, v2 = PlanVersion.objects.order_by("number")
    assert v2.reason == "New law"
    changes = selectors.compare(v1.content, v2.content)
    assert [c.code for c in changes] == ["1"]
    name, diff = changes[0].fields[0]
    assert name == "title" and ("+", "every declaration") in diff


def test_withdrawing_a_measure_withdraws_its_parts(setup):
    parent = setup.measure()
    part = setup.measure(parent=parent, recommendation_ids=[])
    with pytest.raises(ValidationError, match="Say why"):
        services.measure_withdraw(measure=parent, by=setup.coordinator, reason="")
    services.measure_withdraw(measure=parent, by=setup.coordinator, reason="Merged")
    part.refresh_from_db()
    assert part.withdrawn_at is not None and part.completion == "withdrawn"
    assert not selectors.coverage(setup.plan())[0].covered


def test_schedule_against_the_due_date(setup):
    m = setup.measure()
    assert selectors.schedule(m, dt.date(2016, 2, 1)) == "on_track"
    assert (
        selectors.schedule(m, dt.date(2017, 6, 1)) == "at_risk"
    )  # nothing done, 3/4 of the time gone
    assert selectors.schedule(m, dt.date(2018, 1, 1)) == "overdue"
    m.progress = 100
    assert selectors.schedule(m, dt.date(2018, 1, 1)) == "on_track"


def _final_report(setup, codes, *, published=True):
    """A final report making the recommendations ``codes`` (anchored paragraphs)."""
    report = Report.objects.create(
        review=setup.review,
        title=tt("Report"),
        stage=Stage.FINAL,
        state=Report.State.PUBLISHED if published else Report.State.ISSUED,
        published_at=timezone.now() if published else None,
    )
    paragraphs = [{"id": f"p{n}", "anchor": f"rec-{c}", "text": {}} for n, c in enumerate(codes)]
    ReportVersion.objects.create(
        report=report,
        number=3,
        stage=Stage.FINAL,
        content={"sections": [{"key": "area-coi", "paragraphs": paragraphs}]},
        digest="x",
        issued_at=timezone.now(),
    )
    return report


def test_the_plan_answers_the_published_final_reports_recommendations(setup, client_for):
    plan = setup.plan()
    coi1, coi2 = setup.recommendations
    # An issued final report is not yet the final word: the agreed ones count.
    report = _final_report(setup, ["COI-1"], published=False)
    assert [r.recommendation.code for r in selectors.coverage(plan)] == ["COI-1", "COI-2"]
    page = client_for(setup.coordinator).get(
        reverse("actionplan:coverage", args=[setup.review.slug])
    )
    assert "The final report is not published yet" in page.content.decode()
    report.state = Report.State.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    assert [r.recommendation.code for r in selectors.coverage(plan)] == ["COI-1"]
    page = client_for(setup.coordinator).get(
        reverse("actionplan:coverage", args=[setup.review.slug])
    )
    assert "recommendations of the final report, published on" in page.content.decode()
    assert "COI-2" not in page.content.decode()
    with pytest.raises(ValidationError, match="agreed recommendations"):
        setup.measure(coi2)
    m = setup.measure(coi1)
    setup.indicator(m)
    services.plan_adopt(
        plan=plan, by=setup.coordinator, act_number="1", act_date=dt.date(2016, 1, 2)
    )
