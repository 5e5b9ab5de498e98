"""The API tokens page in Chromium: made and revoked in place (htmx), and
read by axe-core on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from parasat.accounts.models import ApiToken
from parasat.accounts.tests.factories import UserFactory
from parasat.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_a_token_see_it_once_and_revoke_it(page):
    UserFactory(username="aigerim")
    sign_in(page, "aigerim")
    page.goto("/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Reporting script")
    page.get_by_label("Works for").select_option(label="A month")
    page.get_by_role("button", name="Make the token").click()
    secret_box = page.get_by_label("Token", exact=True)
    secret_box.wait_for()
    secret = secret_box.input_value()
    assert secret.startswith("psat_")
    # In place, with the new token focused to be copied.
    assert page.evaluate("document.activeElement.id") == "issued-secret"
    assert page.url.endswith("/accounts/tokens/")
    token = ApiToken.objects.get()
    assert token.name == "Reporting script"
    assert page.get_by_role("cell", name=f"{token.hint}…").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke — Reporting script").click()
    page.get_by_text("The token “Reporting script” was revoked").wait_for()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert page.get_by_label("Token", exact=True).count() == 0


def test_the_tokens_page_has_no_serious_accessibility_violations_on_a_phone(page):
    UserFactory(username="aigerim")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "aigerim")
    page.goto("/accounts/tokens/")
    page.get_by_label("Name").fill("Phone script")
    page.get_by_role("button", name="Make the token").click()
    page.get_by_label("Token", exact=True).wait_for()
    results = Axe().run(page)
    assert results.response["passes"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    # Nothing wider than the phone but the table, which scrolls within itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
