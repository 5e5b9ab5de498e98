"""axe-core on the analysis's pages: no serious or critical violations, on a
desktop window and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from parasat.analysis import services
from parasat.analysis.tests.factories import full_draft
from parasat.conftest import sign_in
from parasat.core.testing.texts import tt

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


def test_analysis_pages_have_no_serious_accessibility_violations(
    chromium_browser, live_server, team
):
    assessment = full_draft(team)
    services.government_rating_give(
        assessment=assessment,
        by=team.coordinator,
        scale=team.scale,
        level=team.level("leading"),
        justification=tt("Ours."),
    )
    base = f"/reviews/{team.review.slug}/analysis"
    paths = [
        "/",
        "/REG/",
        "/REG/history/?a=1&b=4",
        "/REG/coverage/",
        "/recommendations/",
        "/scales/",
        "/REG/findings/new/",
        "/REG/ratings/oecd-maturity/",
        "/REG/recommendations/1/",
    ]
    axe = Axe()
    failures = []
    for width in (1280, 390):
        context = chromium_browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        sign_in(page, team.analyst.username)
        for path in paths:
            failures += violations(page, axe, base + path)
        page.goto("about:blank")
        context.close()
    assert not failures, failures
