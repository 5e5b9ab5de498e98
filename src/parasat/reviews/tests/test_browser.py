"""In Chromium: the co-ordinator signs in, switches to Kazakh, opens the
Kazakhstan review and sees the timeline; another role is refused a page."""

import pytest
from playwright.sync_api import expect

from parasat.accounts.tests.factories import UserFactory
from parasat.conftest import sign_in, sign_in_with_the_form
from parasat.reviews.loader import load_example
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kazakhstan(db):
    review = load_example("kazakhstan-2014")
    coordinator = UserFactory(username="aigerim", full_name="Aigerim Test")
    ParticipantFactory(review=review, user=coordinator, role=Role.COORDINATOR)
    business = UserFactory(username="timur", full_name="Timur Test")
    ParticipantFactory(review=review, user=business, role=Role.BUSINESS)
    return review


def test_coordinator_switches_to_kazakh_and_sees_the_timeline(page, kazakhstan):
    sign_in_with_the_form(page, "aigerim")
    page.get_by_label("Language").select_option("kk")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.get_by_role(
        "link", name="Қазақстанда парасаттылық жүйелеріне зерттеу жүргізу"
    ).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Қазақстанда парасаттылық жүйелеріне зерттеу жүргізу"
    )
    expect(page.locator("svg.timeline rect.timeline-phase")).to_have_count(3)
    assert "Дайындық кезеңі" in page.locator("ol.phases").inner_text()
    # The choice is remembered on the next page.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def test_business_representative_is_refused_the_correspondence(page, kazakhstan):
    sign_in(page, "timur")
    page.goto(f"/reviews/{kazakhstan.slug}/")
    assert page.get_by_role("link", name="Correspondence").count() == 0
    response = page.goto(f"/reviews/{kazakhstan.slug}/correspondence/")
    assert response.status == 403
    assert "Not allowed" in page.get_by_role("heading", level=1).inner_text()


def test_main_pages_have_no_serious_accessibility_violations(
    chromium_browser, live_server, kazakhstan
):
    from axe_playwright_python.sync_playwright import Axe

    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    axe = Axe()
    pages = ["/", f"/reviews/{kazakhstan.slug}/"]
    failures = []
    for path in pages:
        page.goto(path)
        results = axe.run(page)
        assert results.response["passes"], f"axe did not run on {path}"
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                failures.append(f"{path}: {violation['id']} ({violation['impact']})")
    sign_in(page, "aigerim")
    for path in [
        "/",
        f"/reviews/{kazakhstan.slug}/",
        f"/reviews/{kazakhstan.slug}/people/",
        f"/reviews/{kazakhstan.slug}/correspondence/",
        f"/reviews/{kazakhstan.slug}/amendments/",
    ]:
        page.goto(path)
        results = axe.run(page)
        assert results.response["passes"], f"axe did not run on {path}"
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                failures.append(f"{path}: {violation['id']} ({violation['impact']})")
    context.close()
    assert not failures, failures


def test_on_a_phone_wide_tables_scroll_within_reach_of_the_keyboard(
    chromium_browser, live_server, kazakhstan
):
    """At 390 px the budget and people tables scroll within themselves, the
    page does not, and each such table can be reached with Tab (axe:
    scrollable-region-focusable, serious)."""
    from axe_playwright_python.sync_playwright import Axe

    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 800}
    )
    page = context.new_page()
    sign_in(page, "aigerim")
    failures = []
    for path in [f"/reviews/{kazakhstan.slug}/people/", f"/reviews/{kazakhstan.slug}/finance/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.locator("table.table[tabindex='0']").count() > 0, path
        results = Axe().run(page)
        failures += [
            f"{path}: {v['id']}"
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    context.close()
    assert not failures, failures
