"""In Chromium: the co-ordinator's queue of submitted answers."""

import pytest

from parasat.assessment.models import Answer
from parasat.assessment.tests.test_views_work import fill_and_submit
from parasat.conftest import sign_in

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
