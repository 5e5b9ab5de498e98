"""In Chromium: the progress dashboard's filters, applied by htmx."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from parasat.assessment.models import Assignment
from parasat.assessment.tests.test_views_work import fill_and_submit
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


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_progress_tables_fit_their_container_at_1280_px(page, live_server, work, language):
    """Kazakh headers and dates are long: no column may be cut off on a laptop."""
    Assignment.objects.filter(pk=work.assignment.pk).update(due_on=dt.date(2026, 9, 30))
    fill_and_submit(work.assignment, work.contact)  # counts, and a last activity today
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, work.coordinator.username)
    cookie = {"name": "django_language", "value": language, "url": live_server.url}
    page.context.add_cookies([cookie])
    for address in ("", "assign/"):
        page.goto(f"/reviews/{work.review.slug}/assessment/{address}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(".work-progress td .badge-danger")).to_have_count(1)  # overdue shown
        table, box = page.evaluate(
            """() => {
                const table = document.querySelector('.work-progress');
                const box = table.closest('.table-scroll');
                return [table.getBoundingClientRect().width, box.clientWidth];
            }"""
        )
        assert table <= box, f"{address or 'dashboard'}: table {table} px in {box} px"
