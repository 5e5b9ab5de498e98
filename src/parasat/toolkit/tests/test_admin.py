"""The admin keeps the structure of a questionnaire in use and lets its texts
be completed."""

import pytest
from django.urls import reverse

from parasat.accounts.tests.factories import UserFactory
from parasat.toolkit.models import Choice, ChoiceList, Question, Questionnaire
from parasat.toolkit.tests.factories import QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def in_use() -> Question:
    questionnaire = QuestionnaireFactory(frozen=True)
    choices = ChoiceList.objects.create(questionnaire=questionnaire, name="yn")
    Choice.objects.create(choice_list=choices, order=1, name="yes")
    return QuestionFactory(
        questionnaire=questionnaire, name="policy", kind="select_one", choice_list=choices
    )


def question_data(question: Question, **changes: str) -> dict[str, str]:
    data = {
        "questionnaire": str(question.questionnaire_id),
        "order": str(question.order),
        "type": question.type,
        "kind": question.kind,
        "choice_list": str(question.choice_list_id or ""),
        "name": question.name,
        "code": question.code,
        "path": question.path,
        "required": question.required,
        "relevant": question.relevant,
        "constraint": question.constraint,
        "calculation": question.calculation,
        "choice_filter": question.choice_filter,
        "media": "{}",
        "extra": "{}",
    }
    for field in ("label", "hint", "guidance", "evidence", "constraint_message"):
        for lang in ("en", "ru", "kk"):
            data[f"{field}_{lang}"] = getattr(question, field).get(lang) or ""
    data.update(changes)
    return data


def test_a_question_in_use_keeps_its_structure_and_its_texts_can_be_completed(admin, in_use):
    url = reverse("admin:toolkit_question_change", args=[in_use.pk])
    page = admin.get(url).text
    assert 'name="name"' not in page and 'name="relevant"' not in page  # shown, not editable
    assert 'name="label_kk"' in page
    response = admin.post(
        url, question_data(in_use, name="renamed", relevant="false()", label_kk="Саясат")
    )
    assert response.status_code == 302, response.text[:3000]
    in_use.refresh_from_db()
    assert (in_use.name, in_use.relevant) == ("policy", "")
    assert in_use.label.get("kk") == "Саясат"


def test_nothing_of_a_questionnaire_in_use_is_deleted_in_the_admin(admin, in_use):
    for name, pk in [
        ("question", in_use.pk),
        ("questionnaire", in_use.questionnaire_id),
        ("choicelist", in_use.choice_list_id),
    ]:
        assert admin.post(reverse(f"admin:toolkit_{name}_delete", args=[pk])).status_code == 403
    assert Question.objects.filter(pk=in_use.pk).exists()


def test_no_question_is_added_to_a_questionnaire_in_use(admin, in_use):
    new = Question(questionnaire=in_use.questionnaire, order=9, type="text", kind="text")
    for field in ("label", "hint", "guidance", "evidence", "constraint_message"):
        setattr(new, field, {})
    response = admin.post(
        reverse("admin:toolkit_question_add"), question_data(new, name="extra_q", choice_list="")
    )
    assert response.status_code == 200
    assert "make a new version" in response.text
    assert not Question.objects.filter(name="extra_q").exists()


def test_the_choices_of_a_list_in_use_are_read_only_and_none_is_added(admin, in_use):
    page = admin.get(reverse("admin:toolkit_choicelist_change", args=[in_use.choice_list_id]))
    assert page.status_code == 200
    assert 'name="choices-0-name"' not in page.text
    assert 'name="choices-0-label_en"' in page.text
    assert 'name="choices-MAX_NUM_FORMS" value="0"' in page.text  # none can be added


def test_a_questionnaire_not_in_use_is_edited_freely(admin):
    question = QuestionFactory(questionnaire=QuestionnaireFactory(frozen=False))
    url = reverse("admin:toolkit_question_change", args=[question.pk])
    assert 'name="name"' in admin.get(url).text
    response = admin.post(url, question_data(question, name="renamed"))
    assert response.status_code == 302, response.text[:3000]
    question.refresh_from_db()
    assert question.name == "renamed"
    assert not Questionnaire.objects.get(pk=question.questionnaire_id).frozen


def test_no_choice_list_is_added_to_a_questionnaire_in_use(admin, in_use):
    response = admin.post(
        reverse("admin:toolkit_choicelist_add"),
        {
            "questionnaire": str(in_use.questionnaire_id),
            "name": "extra_list",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
            "choices-MIN_NUM_FORMS": "0",
            "choices-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "make a new version" in response.text
    assert not ChoiceList.objects.filter(name="extra_list").exists()


def test_the_area_of_a_questionnaire_in_use_is_read_only_in_the_admin(admin, in_use):
    questionnaire = in_use.questionnaire
    page = admin.get(reverse("admin:toolkit_questionnaire_change", args=[questionnaire.pk]))
    assert page.status_code == 200
    assert 'name="area"' not in page.text
