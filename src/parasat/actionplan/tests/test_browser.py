"""In Chromium, the issue's "done when": the co-ordinator turns two
recommendations into measures with indicators and adopts the plan; the
contact person reports progress with a file; the co-ordinator accepts it; the
analyst records an independent assessment; a signed-out reader on a
phone-sized window finds the measure on the tracker in Kazakh and downloads
the open data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from parasat.actionplan.models import MeasureAssessment, Plan, ProgressReport
from parasat.reviews.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_from_recommendations_to_the_public_tracker(setup, persona, open_as, tmp_path):
    setup.review.is_public = True
    setup.review.save()
    slug = setup.review.slug
    coordinator = open_as(setup.coordinator)
    coordinator.goto(f"/reviews/{slug}/plan/")
    coordinator.locator("#id_title_0").fill("Anti-corruption action plan 2016–2017")
    coordinator.get_by_role("button", name="Start the plan").click()
    assert "is started" in coordinator.locator(".messages").inner_text()

    for code, title in [("COI-1", "Verify declarations"), ("COI-2", "Publish declarations")]:
        coordinator.goto(f"/reviews/{slug}/plan/coverage/")
        coordinator.locator(f"#rec-{code}").get_by_role("link", name="Add a measure").click()
        coordinator.locator("#id_title_0").fill(title)
        coordinator.get_by_label("Responsible agency").select_option(str(setup.ministry.pk))
        coordinator.locator("#id_start_on").fill("2016-01-01")
        coordinator.locator("#id_due_on").fill("2017-12-31")
        coordinator.get_by_role("button", name="Save the measure").click()
        assert "is saved" in coordinator.locator(".messages").inner_text()
        coordinator.get_by_role("link", name="Add an indicator").click()
        coordinator.locator("#id_name_0").fill("Share of declarations checked")
        coordinator.get_by_label("Unit").select_option("percent")
        coordinator.get_by_label("Baseline").fill("0")
        coordinator.get_by_label("Target").fill("80")
        coordinator.get_by_label("Reporting frequency").select_option("quarterly")
        coordinator.get_by_role("button", name="Save the indicator").click()
        assert "indicator is saved" in coordinator.locator(".messages").inner_text()

    coordinator.goto(f"/reviews/{slug}/plan/")
    coordinator.get_by_label("Act number").fill("124-p")
    coordinator.get_by_label("Act date").fill("2016-01-15")
    coordinator.get_by_role("button", name="Adopt and freeze this version").click()
    assert "is adopted" in coordinator.locator(".messages").inner_text()
    assert Plan.objects.get().version == 1

    # The contact person reports on the first quarter, with a file.
    contact = open_as(setup.contact)
    contact.goto(f"/reviews/{slug}/plan/measures/1/indicators/1/periods/2016-03-31/")
    contact.get_by_label("Value").fill("40")
    contact.get_by_label("What was done in the period").fill("Half the declarations checked.")
    contact.get_by_role("button", name="Save as a draft").click()
    evidence = tmp_path / "audit.pdf"
    evidence.write_bytes(b"%PDF-1.4 the audit")
    contact.get_by_label("File").set_input_files(str(evidence))
    contact.get_by_role("button", name="Add the evidence").click()
    assert "evidence is added" in contact.locator(".messages").inner_text()
    contact.get_by_role("button", name="Submit to the co-ordinator").click()
    expect(contact.locator(".messages")).to_contain_text("is submitted to the co-ordinator")
    assert ProgressReport.objects.get().status == "submitted"

    # The co-ordinator accepts it from the dashboard.
    coordinator.goto(f"/reviews/{slug}/plan/monitoring/")
    coordinator.get_by_role("link", name="Measure 1, indicator 1", exact=False).click()
    coordinator.wait_for_url("**/plan/reports/*/")
    expect(coordinator.get_by_role("link", name="audit.pdf")).to_have_count(1)
    coordinator.get_by_role("button", name="Accept the report").click()
    assert "is accepted" in coordinator.locator(".messages").inner_text()

    # The analyst records an independent assessment.
    analyst = open_as(persona(Role.ANALYST))
    analyst.goto(f"/reviews/{slug}/plan/measures/1/")
    analyst.get_by_role("link", name="Assess this measure").click()
    analyst.get_by_label("Limited").check()
    analyst.locator("#id_text").fill("Checks began late.")
    analyst.get_by_role("button", name="Record the assessment").click()
    expect(analyst.locator(".messages")).to_contain_text("The assessment is recorded.")
    assert MeasureAssessment.objects.get().source == "team"

    # A signed-out reader on a phone, in Kazakh.
    reader = open_as(None, viewport=PHONE)
    reader.goto(f"/tracker/{slug}/")
    reader.get_by_label("Language").select_option("kk")
    reader.get_by_role("button", name="Change").click()
    reader.wait_for_load_state()
    expect(reader.locator("html")).to_have_attribute("lang", "kk")
    reader.get_by_role("link", name="1 іс-шарасы").click()
    reader.wait_for_url(f"**/tracker/{slug}/measures/**")
    assert "Verify declarations" in reader.locator("main").inner_text()
    assert "Checks began late." in reader.locator("main").inner_text()
    expect(reader.locator("figure.chart svg")).to_have_count(1)
    width = reader.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the tracker scrolls sideways on a phone"
    reader.get_by_role("link", name="Ашық деректер", exact=True).click()
    with reader.expect_download() as download:
        reader.get_by_role("link", name="CSV жүктеп алу").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "plan_version"
    assert any(r[rows[0].index("value")] == "40" for r in rows[1:])
