"""In Chromium: a contact person signs in and lands on their work; a returned
answer's link opens the form at that question, and "Add evidence" opens the
upload form."""

from urllib.parse import urlsplit

import pytest

from parasat.assessment import services
from parasat.assessment.tests.test_views_work import fill_and_submit
from parasat.conftest import sign_in_with_the_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_contact_person_lands_on_their_work_and_goes_straight_to_the_question(quiet_page, work):
    page = quiet_page
    fill_and_submit(work.assignment, work.contact)
    services.answers_decide(
        answers=[work.answer("share")],
        by=work.coordinator,
        accept=False,
        reason="Give the source of the figure.",
    )
    sign_in_with_the_form(page, work.contact.username)
    assert urlsplit(page.url).path == "/"  # the landing page
    work_panel = page.locator("section", has=page.get_by_role("heading", name="Your work"))
    assert "Give the source of the figure." in work_panel.inner_text()
    assert "SAMPLE" in work_panel.get_by_role("list").last.inner_text()  # due from the ministry
    work_panel.get_by_role("link", name="S-02 Question share").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/assignments/{work.assignment.pk}/#q-share")
    question = page.locator("#q-share")
    number = question.get_by_role("textbox", name="Answer (a number)")
    assert number.is_editable() and number.is_visible()
    assert "Give the source of the figure." in question.inner_text()
    # "Add evidence" opens the upload form itself, not a page one click away from it.
    question.get_by_role("link", name="Add evidence: a file, a link or a legal act").click()
    page.wait_for_load_state()
    upload = page.get_by_label("File to upload")
    assert upload.is_visible()
    assert page.evaluate("document.getElementById('add-evidence').open")
