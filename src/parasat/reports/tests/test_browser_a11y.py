"""axe-core on the report's pages (the team's and the read edition): no
serious or critical violations, on a desktop window and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from parasat.conftest import sign_in
from parasat.reports.tests.conftest import publish

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


def test_report_pages_have_no_serious_accessibility_violations(
    chromium_browser, live_server, people
):
    publish(people)
    base = f"/reviews/{people.review.slug}/report"
    team_paths = ["/", "/v/2/area-coi/", "/v/3/changes/", "/v/2/matrix/"]
    public_paths = ["/read/kk/", "/read/kk/area-coi/", "/read/ru/summary/", "/read/en/front/"]
    axe = Axe()
    failures = []
    for width in (1280, 390):
        context = chromium_browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        for path in public_paths:
            failures += violations(page, axe, base + path)
        sign_in(page, people.coordinator.username)
        for path in team_paths:
            failures += violations(page, axe, base + path)
        page.goto("about:blank")
        context.close()
    assert failures == []
