"""In Chromium: the progress dashboard's filters, applied by htmx."""

import pytest

from parasat.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_back_after_filtering_shows_the_filters_that_made_the_table(page, work):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(r.url) if r.status == 404 else None)
    sign_in(page, work.coordinator.username)
    home = f"/reviews/{work.review.slug}/assessment/"
    page.goto(home)
    page.get_by_label("With answers that are").select_option("submitted")
    page.wait_for_url("**?*status=submitted*")
    page.get_by_text("No assignment matches these filters.").wait_for()
    page.get_by_label("Overdue only").check()
    page.wait_for_url("**overdue=on*")
    page.go_back()
    page.wait_for_url(lambda u: "status=submitted" in u and "overdue" not in u)
    page.get_by_text("No assignment matches these filters.").wait_for()
    assert page.get_by_label("With answers that are").input_value() == "submitted"
    assert not page.get_by_label("Overdue only").is_checked()
    page.go_back()
    page.wait_for_url(lambda u: u.endswith(home))
    assert page.get_by_label("With answers that are").input_value() == ""
    assert page.get_by_role("link", name="Clear the filters").count() == 0
    assert not problems, problems
