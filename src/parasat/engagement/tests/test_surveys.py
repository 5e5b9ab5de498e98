"""Stakeholder surveys: who makes, opens and closes them, the respondents'
pages (public link and emailed link), bad answers refused whole, and who reads
the results before and after they are published."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from parasat.engagement.models import Survey, SurveyAnswer, SurveyResponse, SurveyToken
from parasat.engagement.services import surveys as services
from parasat.engagement.services.consultations import sender_key
from parasat.engagement.tests.survey_factories import GOOD, make_survey, survey_questionnaire
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]
RUNNERS = {"coordinator", "analyst", "expert", "local_consultant"}


def url(name, review, *args):
    return reverse(f"engagement:{name}", args=[review.slug, *args])


def new_data(questionnaire, **changes):
    data = {
        "title_en": "Business integrity survey",
        "title_ru": "Опрос бизнеса",
        "title_kk": "Бизнес сауалнамасы",
        "questionnaire": questionnaire.pk,
        "respondents": "businesses",
        "mode": "anonymous",
        "results_confidentiality": "public",
    }
    data.update(changes)
    return data


@pytest.fixture
def survey(review, persona):
    return make_survey(review, persona(Role.ANALYST))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_team_and_the_coordinator_make_open_and_close_surveys(
    client_for, persona, review, role
):
    questionnaire = survey_questionnaire()
    client = client_for(persona(role))
    expected = 200 if role in RUNNERS else 403
    assert client.get(url("survey_new", review)).status_code == expected
    response = client.post(url("survey_new", review), new_data(questionnaire))
    if role not in RUNNERS:
        assert response.status_code == 403
        assert not Survey.objects.exists()
        draft = make_survey(
            review, persona(Role.ANALYST), state=Survey.State.DRAFT, questionnaire=questionnaire
        )
        assert client.post(url("survey_open", review, draft.pk)).status_code == 403
        draft.refresh_from_db()
        assert draft.state == Survey.State.DRAFT
        return
    made = Survey.objects.get()
    assert response.status_code == 302 and made.state == Survey.State.DRAFT
    assert str(made.title) == "Business integrity survey"
    client.post(url("survey_open", review, made.pk))
    made.refresh_from_db()
    questionnaire.refresh_from_db()
    assert made.state == Survey.State.OPEN and questionnaire.frozen
    client.post(url("survey_close", review, made.pk))
    made.refresh_from_db()
    assert made.state == Survey.State.CLOSED


def test_strangers_and_visitors_do_not_reach_the_surveys(client_for, stranger, review, survey):
    for page in (url("surveys", review), url("survey", review, survey.pk)):
        assert client_for(stranger).get(page).status_code == 404
        response = client_for(None).get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_survey_without_an_answerable_question_is_refused(client_for, persona, review):
    from parasat.toolkit.tests.factories import QuestionnaireFactory

    empty = QuestionnaireFactory(area=None)
    response = client_for(persona(Role.ANALYST)).post(url("survey_new", review), new_data(empty))
    assert response.status_code == 400
    assert "no question a survey can ask" in response.content.decode()
    assert not Survey.objects.exists()


def test_states_move_one_way_only(review, persona, survey):
    with pytest.raises(Exception, match="Only a draft survey can be opened"):
        services.survey_open(survey=survey)
    with pytest.raises(Exception, match="Close the survey before"):
        services.results_publish(survey=survey)
    services.survey_close(survey=survey)
    with pytest.raises(Exception, match="Only an open survey can be closed"):
        services.survey_close(survey=survey)


# --- The public link --------------------------------------------------------------


def post_answers(client, review, survey, values, **extra):
    return client.post(url("survey_take", review, survey.link), values, **extra)


def test_an_anonymous_respondent_answers_once_per_browser(client_for, review, survey):
    client = client_for(None)
    page = client.get(url("survey_take", review, survey.link))
    assert page.status_code == 200 and 'name="bodies"' in page.content.decode()
    response = post_answers(client, review, survey, GOOD)
    assert response.status_code == 200
    assert "your answers are received" in response.content.decode()
    saved = SurveyResponse.objects.get()
    answers = {(a.question.name, a.value) for a in SurveyAnswer.objects.select_related("question")}
    assert ("bodies", "court") in answers and ("bodies", "tax") in answers
    assert ("employees", "12") in answers and saved.source == "web"
    again = post_answers(client, review, survey, GOOD)
    assert "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    # Another browser answers too.
    post_answers(client_for(None), review, survey, GOOD)
    assert SurveyResponse.objects.count() == 2


def test_bad_answers_are_refused_whole_with_each_named(client_for, review, survey):
    bad = {**GOOD, "size": "huge", "employees": "0", "asked": "", "founded": "2010-13-01"}
    response = post_answers(client_for(None), review, survey, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "“huge” is not one of the options." in text
    assert "Between 1 and 100,000." in text
    assert "This question needs an answer." in text
    assert "Enter a date as YYYY-MM-DD." in text
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()
    # What the respondent typed is kept on the page.
    assert 'value="2010-13-01"' in text


def test_answers_the_skip_logic_does_not_ask_are_dropped(review, survey):
    services.response_submit(survey=survey, raw={**GOOD, "asked": "no"})
    names = set(SurveyAnswer.objects.values_list("question__name", flat=True))
    assert "bodies" not in names and "asked" in names


def test_a_draft_or_closed_survey_takes_no_answer(client_for, review, persona, survey):
    draft = make_survey(review, persona(Role.ANALYST), state=Survey.State.DRAFT)
    assert client_for(None).get(url("survey_take", review, draft.link)).status_code == 404
    services.survey_close(survey=survey)
    response = post_answers(client_for(None), review, survey, GOOD)
    assert "not open for answers" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert client_for(None).get(url("survey_take", review, "wrong-link")).status_code == 404


def test_anonymous_answers_are_rate_limited_per_address(client_for, review, survey, settings):
    # All but the last of the day's answers from the test client's address
    # written straight to the table; the last through the page, which must
    # count it against the same address for the next to be refused.
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            submission_id=f"earlier-{n}",
            source=SurveyResponse.Source.WEB,
            submitted_at=timezone.now(),
            sender=sender_key("127.0.0.1"),
        )
        for n in range(services.ANONYMOUS_PER_SENDER_PER_DAY - 1)
    )
    assert post_answers(client_for(None), review, survey, GOOD).status_code == 200
    assert SurveyResponse.objects.count() == services.ANONYMOUS_PER_SENDER_PER_DAY
    response = post_answers(client_for(None), review, survey, GOOD)
    assert response.status_code == 400 and "Too many responses" in response.content.decode()
    assert SurveyResponse.objects.count() == services.ANONYMOUS_PER_SENDER_PER_DAY
    # Another address still answers.
    post_answers(client_for(None), review, survey, GOOD, REMOTE_ADDR="10.0.0.9")
    assert SurveyResponse.objects.count() == services.ANONYMOUS_PER_SENDER_PER_DAY + 1


def test_respondent_pages_in_kazakh_and_russian(client_for, review, survey):
    client = client_for(None)
    kk = client.get(url("survey_take", review, survey.link), HTTP_ACCEPT_LANGUAGE="kk")
    assert "Сұрақ size" in kk.content.decode() and "Small (kk)" in kk.content.decode()
    ru = post_answers(client, review, survey, {**GOOD, "size": ""}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Вопрос size" in ru.content.decode()
    assert "This question needs an answer." not in ru.content.decode()


# --- Emailed links ------------------------------------------------------------------------


def test_emailed_links_one_response_each_spent_on_submit(client_for, persona, review):
    survey = make_survey(review, persona(Role.ANALYST), mode=Survey.Mode.TOKEN)
    client = client_for(persona(Role.ANALYST))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("survey_tokens", review, survey.pk),
            {"emails": "a@example.org\nb@example.org, a@example.org", "language": "ru"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and SurveyToken.objects.count() == 2
    message = mail.outbox[0]
    assert "Опрос" in message.subject or "Опрос бизнеса" in message.body
    token = SurveyToken.objects.get(email="a@example.org")
    assert token.token in message.body and token.sent_at
    # The public link does not open a survey of emailed links.
    assert client_for(None).get(url("survey_take", review, survey.link)).status_code == 404
    respondent = client_for(None)
    answer_url = url("survey_answer", review, token.token)
    assert respondent.post(answer_url, GOOD).status_code == 200
    token.refresh_from_db()
    assert token.used_at is not None and SurveyResponse.objects.get().token == token
    again = client_for(None).post(answer_url, GOOD)
    assert "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(Exception, match="already been used"):
        services.response_submit(survey=survey, raw=GOOD, token=token)
    assert client_for(None).get(url("survey_answer", review, "nope")).status_code == 404


def test_a_malformed_address_refuses_every_link(client_for, persona, review):
    survey = make_survey(review, persona(Role.ANALYST), mode=Survey.Mode.TOKEN)
    response = client_for(persona(Role.ANALYST)).post(
        url("survey_tokens", review, survey.pk),
        {"emails": "a@example.org\nnot-an-address", "language": "en"},
    )
    assert response.status_code == 400
    assert "These are not email addresses: not-an-address." in response.content.decode()
    assert not SurveyToken.objects.exists() and not mail.outbox


@pytest.mark.parametrize("role", ALL_ROLES)
def test_links_are_sent_by_those_who_run_surveys(client_for, persona, review, role):
    survey = make_survey(review, persona(Role.ANALYST), mode=Survey.Mode.TOKEN)
    response = client_for(persona(role)).post(
        url("survey_tokens", review, survey.pk), {"emails": "a@example.org", "language": "en"}
    )
    assert response.status_code == (302 if role in RUNNERS else 403)
    assert SurveyToken.objects.exists() == (role in RUNNERS)


# --- Who reads the results ------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_results_are_the_teams_until_published(client_for, persona, review, survey, role):
    services.response_submit(survey=survey, raw=GOOD)
    client = client_for(persona(role))
    before = client.get(url("survey", review, survey.pk))
    listing = client.get(url("surveys", review)).content.decode()
    if role in RUNNERS:
        assert before.status_code == 200 and "Business survey" in listing
    else:
        assert before.status_code == 404 and "Business survey" not in listing
        assert client.get(url("survey_export", review, survey.pk, "csv")).status_code == 404
    services.survey_close(survey=survey)
    services.results_publish(survey=survey)
    after = client.get(url("survey", review, survey.pk))
    assert after.status_code == 200
    assert ("Open the survey" in after.content.decode()) is False
    assert ('id="h-run"' in after.content.decode()) == (role in RUNNERS)


def test_results_published_for_the_team_stay_closed_to_stakeholders(
    client_for, persona, review, survey
):
    survey.results_confidentiality = "team"
    survey.save()
    services.survey_close(survey=survey)
    services.results_publish(survey=survey)
    for role, expected in (
        (Role.CIVIL_SOCIETY, 404),
        (Role.PEER_REVIEWER, 404),
        (Role.EXPERT, 200),
        (Role.COORDINATOR, 200),
    ):
        assert client_for(persona(role)).get(url("survey", review, survey.pk)).status_code == (
            expected
        ), role


def test_a_link_answers_only_its_own_survey(review, persona):
    first = make_survey(review, persona(Role.ANALYST), mode=Survey.Mode.TOKEN)
    second = make_survey(review, persona(Role.ANALYST), mode=Survey.Mode.TOKEN)
    (token,) = services.tokens_add(survey=first, emails=["a@example.org"], language="en")
    with pytest.raises(Exception, match="not for this survey"):
        services.response_submit(survey=second, raw=GOOD, token=token)
    assert not SurveyResponse.objects.exists()
