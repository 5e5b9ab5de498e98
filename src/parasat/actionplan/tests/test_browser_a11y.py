"""axe-core on the public tracker, on a phone and on a desktop window, and on
the co-ordinator's plan pages: no serious or critical violation."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from parasat.actionplan.services import monitoring
from parasat.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page, axe, path):
    page.goto(path)
    results = axe.run(page)
    assert results.response["passes"], f"axe did not run on {path}"
    return [
        f"{path}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_tracker_and_the_plan_pages_have_no_serious_violations(
    chromium_browser, live_server, setup
):
    setup.review.is_public = True
    setup.review.save()
    _plan, (m1, _m2) = setup.adopted()
    report = monitoring.report_save(
        indicator=m1.indicators.get(),
        period_end=dt.date(2016, 3, 31),
        by=setup.contact,
        value="40",
        unit="percent",
        narrative="Half checked.",
    )
    monitoring.report_submit(report=report, by=setup.contact)
    monitoring.report_accept(report=report, by=setup.coordinator)
    slug = setup.review.slug
    axe = Axe()
    found = []
    for viewport in ({"width": 390, "height": 844}, {"width": 1280, "height": 900}):
        context = chromium_browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        for path in ("", "?by=agency", "measures/1/", "overdue/", "data/"):
            found += violations(page, axe, f"/tracker/{slug}/{path}")
        context.close()
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, setup.coordinator.username)
    base = f"/reviews/{slug}/plan/"
    for path in (
        "",
        "coverage/",
        "measures/1/",
        "monitoring/",
        "versions/",
        f"reports/{report.pk}/",
    ):
        found += violations(page, axe, base + path)
    context.close()
    assert not found, "\n".join(found)
