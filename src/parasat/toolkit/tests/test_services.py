import pytest
from django.core.exceptions import ValidationError

from parasat.toolkit.models import Question, Questionnaire
from parasat.toolkit.services import (
    questionnaire_file_under,
    questionnaire_freeze,
    questionnaire_new_version,
)

pytestmark = pytest.mark.django_db


def test_a_new_version_copies_questions_choices_and_provisions_and_leaves_the_old_one(
    fixture_bank,
):
    v1 = Questionnaire.objects.get(identifier="REG")
    questionnaire_freeze(questionnaire=v1)
    old_ids = set(v1.questions.values_list("pk", flat=True))
    v2 = questionnaire_new_version(questionnaire=v1)
    assert (v2.version, v2.parent, v2.frozen, v2.area) == (2, v1, False, v1.area)
    assert set(v1.questions.values_list("pk", flat=True)) == old_ids
    copied = v2.questions.get(name="reg_ria_required")
    assert copied.pk not in old_ids
    assert sorted(p.key for p in copied.provisions.all()) == ["OECD-RPG:rec.4", "UNCAC:art.5(1)"]
    assert copied.choice_list.questionnaire == v2
    assert [c.name for c in copied.choice_list.choices.all()] == ["yes", "partly", "no"]
    assert Question.objects.get(pk=copied.pk).search_text == copied.search_text
    # Versions made from an older one still come after the newest.
    assert questionnaire_new_version(questionnaire=v1).version == 3


def test_filing_under_an_area_and_taking_it_out(fixture_bank):
    reg = Questionnaire.objects.get(identifier="REG")
    prc_area = Questionnaire.objects.get(identifier="PRC").area
    questionnaire_file_under(questionnaire=reg, area=prc_area)
    assert Questionnaire.objects.get(pk=reg.pk).area == prc_area
    questionnaire_file_under(questionnaire=reg, area=None)
    assert Questionnaire.objects.get(pk=reg.pk).area is None


def test_a_questionnaire_in_use_is_not_filed_elsewhere(fixture_bank):
    reg = Questionnaire.objects.get(identifier="REG")
    questionnaire_freeze(questionnaire=reg)
    prc_area = Questionnaire.objects.get(identifier="PRC").area
    with pytest.raises(ValidationError, match="in use by a review"):
        questionnaire_file_under(questionnaire=reg, area=prc_area)
    with pytest.raises(ValidationError):
        questionnaire_file_under(questionnaire=reg, area=None)
    assert Questionnaire.objects.get(pk=reg.pk).area.code == "REG"
