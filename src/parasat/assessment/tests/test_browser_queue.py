"""In Chromium: the co-ordinator's queue of submitted answers."""

import pytest

from parasat.assessment import services
from parasat.assessment.models import Answer, AssessmentStage
from parasat.assessment.tests.test_views_work import fill_and_submit
from parasat.conftest import sign_in
from parasat.reviews.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_box_selects_every_answer_of_a_questionnaire_and_accepts_them(page, work):
    submitted = fill_and_submit(work.assignment, work.contact)
    sign_in(page, work.coordinator.username)
    page.goto(f"/reviews/{work.review.slug}/assessment/queue/")
    everything = page.get_by_label("Select every answer of SAMPLE")
    answers = page.locator('tbody input[name="answers"]')
    assert answers.count() == len(submitted) == 3
    everything.check()
    assert all(answers.nth(i).is_checked() for i in range(3))
    answers.nth(0).uncheck()  # the head box follows: no longer all
    assert not everything.is_checked()
    assert page.evaluate("document.querySelector('[data-pick-all]').indeterminate")
    everything.check()
    page.get_by_role("button", name="Accept the selected answers").click()
    page.wait_for_load_state()
    statuses = set(Answer.objects.filter(pk__in=[a.pk for a in submitted]).values_list("status"))
    assert statuses == {("accepted",)}


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def any_page(request, chromium_browser, live_server):
    """A page with scripts on, then off: asking before an irreversible step
    must not depend on them."""
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=request.param
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_forwarding_asks_first_and_cancel_changes_nothing(any_page, work):
    page = any_page
    submitted = fill_and_submit(work.assignment, work.contact)
    services.answers_decide(answers=submitted, by=work.coordinator, accept=True)
    sign_in(page, work.coordinator.username)
    page.goto(f"/reviews/{work.review.slug}/assessment/queue/")
    forward = page.get_by_role("button", name="Forward accepted answers to the analytical team")
    forward.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Forward the accepted answers to the analytical team?"
    )
    assert "This cannot be undone" in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_load_state()
    assert "3 accepted answers await forwarding" in page.content()
    assert not Answer.objects.filter(status=Answer.Status.FORWARDED).exists()
    forward.click()
    page.get_by_role("button", name="Forward 3 answers").click()
    page.wait_for_load_state()
    assert "3 accepted answers were forwarded" in page.content()
    assert Answer.objects.filter(status=Answer.Status.FORWARDED).count() == 3


def test_opening_peer_review_asks_first(any_page, work, persona):
    page = any_page
    analyst = persona(Role.ANALYST)
    sign_in(page, analyst.username)
    page.goto(f"/reviews/{work.review.slug}/assessment/")
    page.get_by_role("button", name="Publish the answers marked public").click()
    page.wait_for_load_state()
    assert "published answers cannot be withdrawn" in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Open peer review").click()
    page.wait_for_load_state()
    assert "peer review cannot be closed again" in page.locator("main").inner_text()
    assert not AssessmentStage.objects.exists()
    page.get_by_role("button", name="Open peer review").click()
    page.wait_for_load_state()
    assert "Peer review is open" in page.content()
    stage = AssessmentStage.objects.get()
    assert stage.peer_review_opened_by == analyst and stage.published_at is None


def test_returning_without_a_reason_shows_the_error_at_the_field_and_keeps_the_choice(page, work):
    submitted = fill_and_submit(work.assignment, work.contact)
    sign_in(page, work.coordinator.username)
    queue = f"/reviews/{work.review.slug}/assessment/queue/"
    page.goto(queue)
    page.get_by_label("Select S-02").check()
    page.get_by_role("button", name="Return the selected answers with the reason").click()
    page.wait_for_load_state()
    assert page.url.endswith(queue)  # a GET: reloading posts nothing
    reason = page.get_by_role("textbox", name="Reason for returning")
    assert reason.get_attribute("aria-invalid") == "true"
    assert "Say why the answers are returned." in page.locator(".has-error").inner_text()
    assert page.get_by_label("Select S-02").is_checked()
    assert not page.get_by_label("Select S-01").is_checked()
    reason.fill("Give the source.")
    page.get_by_role("button", name="Return the selected answers with the reason").click()
    page.wait_for_load_state()
    assert "1 answer was returned to the ministry." in page.content()
    page.reload()
    returned = Answer.objects.filter(pk__in=[a.pk for a in submitted], status="returned")
    assert [a.question.code for a in returned] == ["S-02"]
