"""In Chromium: the answer form's live skip logic and constraints, automatic
saving, and the browser copy that survives a closed tab."""

import pytest
from playwright.sync_api import expect

from parasat.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_form(page, work):
    sign_in(page, work.contact.username)
    page.goto(f"/reviews/{work.review.slug}/assessment/assignments/{work.assignment.pk}/")
    page.wait_for_load_state()


def test_skip_logic_and_constraints_apply_live(quiet_page, work):
    page = quiet_page
    open_form(quiet_page, work)
    share = page.locator("#q-share")
    assert "not-relevant" not in (share.get_attribute("class") or "")
    page.locator("#q-policy").get_by_label("No", exact=True).check()
    page.wait_for_function("document.querySelector('#q-share').classList.contains('not-relevant')")
    assert not share.locator("form[data-autosave]").is_visible()
    page.locator("#q-policy").get_by_label("Partly").check()
    page.wait_for_function("!document.querySelector('#q-share').classList.contains('not-relevant')")
    share.get_by_role("textbox", name="Answer (a number)").fill("150")
    error = share.locator(".check-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "Enter a percentage between 0 and 100."
    number = share.get_by_role("textbox", name="Answer (a number)")
    # Under the number itself, which is marked invalid and described by it.
    assert number.get_attribute("aria-invalid") == "true"
    field_before = (
        "e => e.previousElementSibling.contains(document.getElementById('v-' + e.id.slice(4)))"
    )
    assert error.evaluate(field_before)
    described = "i => i.getAttribute('aria-describedby').split(' ')"
    described += ".map(id => document.getElementById(id).textContent).join(' ')"
    assert "Enter a percentage" in number.evaluate(described)
    number.fill("15")
    error.wait_for(state="hidden")
    assert number.get_attribute("aria-invalid") is None
    # A group hidden by the answer to "bodies" hides the questions inside it.
    page.locator("#q-bodies").get_by_label("None").check()
    page.wait_for_function("document.querySelector('#q-since').closest('.not-relevant') !== null")


def test_typing_saves_automatically_and_survives_a_reload(quiet_page, work):
    page = quiet_page
    open_form(quiet_page, work)
    describe = page.locator("#q-describe")
    describe.get_by_label("Answer", exact=True).fill("The Law on Combating Corruption of 2015.")
    describe.locator(".save-state").filter(has_text="Saved at").wait_for()
    answer = work.answer("describe")
    assert answer.raw == "The Law on Combating Corruption of 2015."
    assert answer.versions.get().automatic
    describe.get_by_role("button", name="Save").click()  # nothing new: says so
    describe.locator(".save-state").filter(has_text="No change to save since").wait_for()
    assert answer.versions.count() == 1
    page.reload()
    assert page.locator("#q-describe").get_by_label("Answer", exact=True).input_value() == (
        "The Law on Combating Corruption of 2015."
    )


def test_an_edit_made_offline_is_kept_in_the_browser_and_saved_later(quiet_page, work):
    page = quiet_page
    open_form(quiet_page, work)
    page.context.set_offline(True)
    describe = page.locator("#q-describe")
    describe.get_by_label("Explanation and sources").fill("Written on a train.")
    describe.locator(".save-state").filter(has_text="kept in this browser").wait_for()
    assert work.answer("describe").explanation == ""
    page.context.set_offline(False)
    page.reload()  # as if the tab had been closed and opened again
    field = page.locator("#q-describe").get_by_label("Explanation and sources")
    assert field.input_value() == "Written on a train."
    # Saved either by the beacon sent as the page unloaded or by the restore.
    for _ in range(50):
        if work.answer("describe").explanation == "Written on a train.":
            break
        page.wait_for_timeout(100)
    assert work.answer("describe").explanation == "Written on a train."


def test_a_conflicting_save_shows_both_versions(quiet_page, work):
    page = quiet_page
    from parasat.assessment import services

    open_form(quiet_page, work)
    answer = work.answer("describe")
    services.answer_save(
        answer=answer,
        by=work.coordinator,
        value="Co-ordinator's text",
        explanation="",
        confidentiality="team",
        base_version=0,
    )
    describe = page.locator("#q-describe")
    describe.get_by_label("Answer", exact=True).fill("Contact's text")
    describe.get_by_role("button", name="Save", exact=True).click()
    conflict = describe.locator(".conflict")
    conflict.wait_for()
    assert "Co-ordinator's text" in conflict.inner_text()
    assert "Contact's text" in conflict.inner_text()
    conflict.get_by_role("button", name="Save my version over it").click()
    page.wait_for_load_state()
    assert work.answer("describe").raw == "Contact's text"


def test_in_kazakh_the_form_checks_comments_and_compares_versions(quiet_page, work):
    """The contact person works in Kazakh: labels, the constraint message and the
    buttons are Kazakh; a comment is posted on the answer page and two versions
    are compared in the history."""
    page = quiet_page
    open_form(page, work)
    page.locator("#language-select").select_option("kk")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("button", name="Жауаптарды үйлестірушіге ұсыну")).to_have_count(2)
    share = page.locator("#q-share")
    share.locator("input[name=value]").fill("150")
    error = share.locator(".check-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "0-ден 100-ге дейінгі пайызды енгізіңіз."
    describe = page.locator("#q-describe")
    for text in ("Бірінші нұсқа", "Екінші нұсқа"):
        describe.locator("textarea[name=value]").fill(text)
        describe.locator("button[type=submit]").click()
        describe.locator(".save-state").filter(has_text=":").wait_for()
        page.wait_for_timeout(200)
    answer = work.answer("describe")
    assert answer.version == 2
    page.goto(f"/reviews/{work.review.slug}/assessment/answers/{answer.pk}/")
    page.locator("#comment-body").fill("Заңның нөмірін көрсетіңіз.")
    page.get_by_role("button", name="Пікір жіберу").click()
    page.wait_for_load_state()
    assert "Заңның нөмірін көрсетіңіз." in page.locator("#comments").inner_text()
    page.goto(f"/reviews/{work.review.slug}/assessment/answers/{answer.pk}/history/?a=1&b=2")
    compare = page.locator("table.compare").inner_text()
    assert "Бірінші нұсқа" in compare and "Екінші нұсқа" in compare


def test_keeping_the_saved_version_drops_the_browser_copy(quiet_page, work):
    page = quiet_page
    from parasat.assessment import services

    open_form(quiet_page, work)
    services.answer_save(
        answer=work.answer("describe"),
        by=work.coordinator,
        value="Co-ordinator's text",
        explanation="",
        confidentiality="team",
        base_version=0,
    )
    describe = page.locator("#q-describe")
    describe.get_by_label("Answer", exact=True).fill("Contact's text")
    describe.get_by_role("button", name="Save", exact=True).click()
    conflict = describe.locator(".conflict")
    conflict.wait_for()
    conflict.get_by_role("link", name="Keep the saved version (reload)").click()
    page.wait_for_load_state()
    field = page.locator("#q-describe").get_by_label("Answer", exact=True)
    assert field.input_value() == "Co-ordinator's text"
    page.wait_for_timeout(1000)  # a restored copy would be saved 500 ms after loading
    assert page.locator("#q-describe .conflict").count() == 0
    assert work.answer("describe").raw == "Co-ordinator's text"


def test_a_save_after_signing_out_says_so_and_keeps_the_text(quiet_page, work):
    page = quiet_page
    open_form(quiet_page, work)
    page.context.clear_cookies()  # the session is gone
    describe = page.locator("#q-describe")
    describe.get_by_label("Answer", exact=True).fill("Typed after the session ended.")
    describe.locator(".save-state").filter(has_text="signed out").wait_for()
    assert work.answer("describe").raw != "Typed after the session ended."
    kept = page.evaluate("Object.values(localStorage).join(' ')")
    assert "Typed after the session ended." in kept


def test_adding_evidence_shows_the_fields_of_its_kind_and_keeps_them_when_refused(quiet_page, work):
    page = quiet_page
    open_form(page, work)
    act = page.locator("#q-act")
    act.get_by_text("Add evidence: a file, a link or a legal act").click()
    assert act.get_by_label("File to upload").is_visible()
    assert not act.get_by_label("Web address (for a link)").is_visible()
    act.get_by_label("Link", exact=True).check()
    assert not act.get_by_label("File to upload").is_visible()
    address = act.get_by_label("Web address (for a link)")
    assert address.is_visible()
    assert not act.get_by_label("Legal act: title, number, date and article").is_visible()
    # The browser would refuse a malformed URL itself; one it accepts but the server does not:
    address.fill("ftp://example.kz/act")
    act.get_by_role("button", name="Add evidence").click()
    page.wait_for_load_state()
    act = page.locator("#q-act")
    assert act.get_by_label("Web address (for a link)").input_value() == "ftp://example.kz/act"
    assert act.get_by_label("Link", exact=True).is_checked()
    assert act.locator(".evidence-add-form .errorlist-box").is_visible()
