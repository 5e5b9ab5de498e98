"""axe-core on the self-assessment's pages: no serious or critical violations."""

import pytest

from parasat.assessment import services
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


def test_assessment_pages_have_no_serious_accessibility_violations(
    chromium_browser, live_server, work
):
    from axe_playwright_python.sync_playwright import Axe

    describe = work.answer("describe")
    for text in ("First draft", "Second draft"):
        describe.refresh_from_db()
        services.answer_save(
            answer=describe,
            by=work.contact,
            value=text,
            explanation="Because.",
            confidentiality="team",
            base_version=describe.version,
        )
    services.comment_post(answer=describe, by=work.coordinator, body="Which law?")
    policy = work.answer("policy")
    services.answer_save(
        answer=policy,
        by=work.contact,
        value="yes",
        explanation="",
        confidentiality="team",
        base_version=0,
    )
    services.assignment_submit(assignment=work.assignment, by=work.contact, only=[policy.pk])
    base = f"/reviews/{work.review.slug}/assessment"
    axe = Axe()
    failures = []
    for user, paths in [
        (
            work.coordinator,
            [
                "/",
                "/assign/",
                "/queue/",
                f"/assignments/{work.assignment.pk}/",
                f"/answers/{describe.pk}/",
                f"/answers/{describe.pk}/history/",
                "/import/",
                f"/assignments/{work.assignment.pk}/edit/",
            ],
        ),
        (work.contact, ["/mine/", f"/assignments/{work.assignment.pk}/"]),
    ]:
        context = chromium_browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in(page, user.username)
        for path in paths:
            failures += violations(page, axe, base + path)
        page.goto("about:blank")
        context.close()
    assert not failures, failures
