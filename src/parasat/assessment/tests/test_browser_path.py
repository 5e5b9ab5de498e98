"""In Chromium, the whole path of an answer: the co-ordinator assigns an area;
the contact person answers with a file and submits; the co-ordinator returns an
answer with a reason; the contact person fixes it and resubmits; the
co-ordinator accepts and forwards; the analyst reads it; the history shows
every version."""

import pytest

from parasat.assessment.models import Answer, Evidence
from parasat.assessment.tests.conftest import leave_quietly
from parasat.assessment.tests.factories import sample_questionnaire, working_group
from parasat.conftest import sign_in
from parasat.reviews.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(review, persona):
    sample_questionnaire()
    ministry, contact = working_group(review)
    return {
        "coordinator": persona(Role.COORDINATOR),
        "contact": contact,
        "analyst": persona(Role.ANALYST),
        "ministry": ministry,
    }


@pytest.fixture
def as_user(chromium_browser, live_server):
    contexts = []

    def open_as(user):
        context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, user.username)
        return page

    yield open_as
    # Let the live server answer whatever the pages would still send before
    # the test database is flushed under it.
    leave_quietly([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def settle(page):
    """Wait until every automatic save of the form has been answered."""
    for _ in range(100):
        busy = page.evaluate(
            "() => [...document.querySelectorAll('form[data-autosave]')]"
            ".some(f => f.dataset.saving || f.dataset.dirty)"
        )
        if not busy:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the form kept unsaved edits")


def test_the_whole_path_of_an_answer(as_user, review, people, tmp_path):
    base = f"/reviews/{review.slug}/assessment"

    # 1. The co-ordinator assigns the area to the ministry's contact person.
    coordinator = as_user(people["coordinator"])
    coordinator.goto(f"{base}/assign/")
    coordinator.locator("#id_area").select_option("REG")
    coordinator.locator("#id_ministry").select_option(index=1)
    coordinator.locator("#id_assignee").select_option(index=1)
    coordinator.get_by_role("button", name="Assign", exact=True).click()
    coordinator.wait_for_load_state()
    assignment = people["contact"].assignments.get()
    assert assignment.questionnaire.identifier == "SAMPLE"

    # 2. The contact person finds it in "My work", answers with a file and submits.
    contact = as_user(people["contact"])
    contact.goto(f"{base}/mine/")
    contact.get_by_role("link", name="SAMPLE").first.click()
    contact.wait_for_load_state()
    contact.locator("#q-policy").get_by_label("Yes", exact=True).check()
    contact.locator("#q-share").get_by_role("textbox", name="Answer (a number)").fill("40")
    contact.locator("#q-describe").get_by_label("Answer", exact=True).fill(
        "The Law on Combating Corruption."
    )
    settle(contact)
    law = tmp_path / "law.pdf"
    law.write_bytes(b"%PDF-1.4 the law")
    act = contact.locator("#q-act")
    act.get_by_text("Add evidence: a file, a link or a legal act").click()
    act.get_by_label("File to upload").set_input_files(str(law))
    act.get_by_role("button", name="Add evidence").click()
    contact.wait_for_load_state()
    assert "law.pdf" in contact.locator("#q-act").inner_text()
    contact.get_by_role("button", name="Submit the answers to the co-ordinator").first.click()
    contact.wait_for_load_state()
    assert "answers were submitted" in contact.locator(".messages").inner_text()

    # 3. The co-ordinator returns the figure with a reason.
    coordinator.goto(f"{base}/queue/")
    coordinator.get_by_label("Select S-02").check()
    coordinator.get_by_label("Reason").fill("Give the source of the figure.")
    coordinator.get_by_role("button", name="Return the selected answers with the reason").click()
    coordinator.wait_for_load_state()
    share = Answer.objects.get(assignment=assignment, question__name="share")
    assert share.status == Answer.Status.RETURNED

    # 4. The contact person sees why, fixes it and resubmits.
    contact.goto(f"{base}/mine/")
    assert "Give the source of the figure." in contact.content()
    contact.goto(f"{base}/assignments/{assignment.pk}/")
    item = contact.locator("#q-share")
    assert "Give the source of the figure." in item.inner_text()
    item.get_by_role("textbox", name="Answer (a number)").fill("41")
    item.get_by_label("Explanation and sources").fill("Register of legal acts, 2014.")
    item.get_by_role("button", name="Save", exact=True).click()
    item.locator(".save-state").filter(has_text="Saved at").wait_for()
    settle(contact)
    contact.get_by_role("button", name="Submit the answers to the co-ordinator").first.click()
    contact.wait_for_load_state()

    # 5. The co-ordinator accepts everything and forwards the area.
    coordinator.goto(f"{base}/queue/")
    for box in coordinator.locator("input[type=checkbox][name=answers]").all():
        box.check()
    coordinator.get_by_role("button", name="Accept the selected answers").click()
    coordinator.wait_for_load_state()
    coordinator.get_by_role(
        "button", name="Forward accepted answers to the analytical team"
    ).first.click()
    coordinator.wait_for_load_state()
    assert "cannot be undone" in coordinator.content()  # asked first
    coordinator.get_by_role("button", name="Forward 6 answers").click()
    coordinator.wait_for_load_state()
    statuses = set(Answer.objects.filter(assignment=assignment).values_list("status", flat=True))
    assert statuses == {Answer.Status.FORWARDED}

    # 6. The analyst reads the forwarded answers, file included.
    analyst = as_user(people["analyst"])
    analyst.goto(f"{base}/")
    analyst.get_by_role("link", name="SAMPLE").first.click()
    analyst.wait_for_load_state()
    assert "41" in analyst.locator("#q-share").inner_text()
    assert "law.pdf" in analyst.locator("#q-act").inner_text()
    evidence = Evidence.objects.get()
    with analyst.expect_download() as download:
        analyst.locator("#q-act").get_by_role("link", name="law.pdf").click()
    assert download.value.suggested_filename == "law.pdf"
    assert evidence.answer.question.name == "act"

    # 7. The history shows every version and every decision.
    analyst.goto(f"{base}/answers/{share.pk}/history/")
    versions = analyst.locator("#h-versions + table").inner_text()
    assert "40" in versions and "41" in versions
    decisions = analyst.locator("#h-transitions + ol").inner_text()
    for state in ("Submitted", "Returned", "Accepted", "Forwarded"):
        assert state in decisions
    assert "Give the source of the figure." in decisions
