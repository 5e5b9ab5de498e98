"""In Chromium: an analyst opens a survey and reads its public link; a member
of the public answers through it (a broken constraint refused first, then
corrected); the analyst sees the response in the results, broken down by
company size, as a chart and a table."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from parasat.engagement.models import Survey, SurveyResponse
from parasat.engagement.services import surveys as services
from parasat.engagement.tests.survey_factories import GOOD, make_survey
from parasat.reviews.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_respondent_answers_and_the_team_sees_the_results(open_as, review, persona):
    analyst = persona(Role.ANALYST)
    survey = make_survey(review, analyst, state=Survey.State.DRAFT)
    team = open_as(analyst)
    team.goto(f"/reviews/{review.slug}/surveys/")
    team.get_by_role("link", name="Business survey").click()
    team.get_by_role("button", name="Open the survey").click()
    assert team.locator("#survey-state").inner_text() == "Open"
    link = team.locator("#public-link").get_attribute("href")
    assert link and survey.link in link
    path = re.sub(r"^https?://[^/]+", "", link)

    public = open_as(None)
    public.goto(path)
    public.get_by_label("Medium").check()
    public.get_by_label("Services").check()
    public.locator("#q-asked").get_by_label("Yes").check()
    public.get_by_label("Courts").check()
    public.get_by_label("Tax office").check()
    public.get_by_label(re.compile("Question employees")).fill("0")
    public.get_by_role("button", name="Send my answers").click()
    assert public.get_by_text("Between 1 and 100,000.").is_visible()
    assert not SurveyResponse.objects.exists()
    # What was chosen is kept; only the number is corrected.
    assert public.get_by_label("Courts").is_checked()
    public.get_by_label(re.compile("Question employees")).fill("45")
    public.get_by_role("button", name="Send my answers").click()
    assert public.get_by_text("Thank you: your answers are received.").is_visible()
    public.goto(path)
    assert public.get_by_text("You have already answered this survey.").is_visible()

    team.reload()
    assert team.locator("#survey-responses").inner_text() == "1"
    size = team.locator("#q-size")
    assert "100.0" in size.get_by_role("row", name=re.compile("^Medium")).inner_text()
    team.get_by_label("Break down by").select_option(label="B-01 — Question size")
    team.get_by_role("button", name="Show").click()
    asked = team.locator("#q-asked")
    # The chart is drawn by its own request once the page is shown.
    asked.locator("figure.chart svg").wait_for()
    assert asked.locator("svg").count() == 1
    assert "Medium (n=1)" in asked.inner_text()
    # size, sector, asked, two bodies and the number.
    assert SurveyResponse.objects.get().answers.count() == 6


def test_survey_pages_have_no_serious_accessibility_violations(open_as, review, persona):
    analyst = persona(Role.ANALYST)
    survey = make_survey(review, analyst)
    services.response_submit(survey=survey, raw=GOOD)
    axe = Axe()
    found = []
    for page, path in (
        (open_as(None), f"/reviews/{review.slug}/surveys/take/{survey.link}/"),
        (open_as(analyst), f"/reviews/{review.slug}/surveys/"),
        (open_as(analyst), f"/reviews/{review.slug}/surveys/{survey.pk}/"),
        (open_as(analyst), f"/reviews/{review.slug}/surveys/new/"),
        (open_as(analyst), f"/reviews/{review.slug}/surveys/{survey.pk}/import/"),
    ):
        page.goto(path)
        results = axe.run(page)
        assert results.response["passes"], path
        found += [
            f"{path}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    assert not found, "\n".join(found)
