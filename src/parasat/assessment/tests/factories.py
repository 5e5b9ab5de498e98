"""A small questionnaire that exercises every answer type and the skip logic,
and an assignment of it to a ministry with a contact person."""

from __future__ import annotations

import datetime as dt

from parasat.accounts.models import Organisation, User
from parasat.accounts.tests.factories import OrganisationFactory, UserFactory
from parasat.assessment import services
from parasat.assessment.models import Assignment
from parasat.core.testing.texts import tt
from parasat.reviews.models import Review, Role
from parasat.reviews.tests.factories import ParticipantFactory
from parasat.toolkit.models import Choice, ChoiceList, Question, Questionnaire
from parasat.toolkit.tests.factories import PolicyAreaFactory, QuestionnaireFactory

K = Question.Kind


def sample_questionnaire(identifier: str = "SAMPLE", area_code: str = "REG") -> Questionnaire:
    """Six questions: yes/partly/no, a number shown only unless the answer is
    "no" (0–100), a multiple choice, a required text, a date and an evidence
    question; one group around the last two."""
    area = PolicyAreaFactory(code=area_code)
    q = QuestionnaireFactory(identifier=identifier, area=area)
    ynp = ChoiceList.objects.create(questionnaire=q, name="yes_no_partly")
    bodies = ChoiceList.objects.create(questionnaire=q, name="bodies")
    # In bulk: hundreds of tests build this questionnaire.
    Choice.objects.bulk_create(
        [
            Choice(choice_list=ynp, order=order, name=name, label=tt(en, ru, kk))
            for order, (name, en, ru, kk) in enumerate(
                [
                    ("yes", "Yes", "Да", "Иә"),
                    ("partly", "Partly", "Частично", "Ішінара"),
                    ("no", "No", "Нет", "Жоқ"),
                ]
            )
        ]
        + [
            Choice(
                choice_list=bodies, order=order, name=name, label=tt(en, en + " (ru)", en + " (kk)")
            )
            for order, (name, en) in enumerate(
                [("agency", "Anti-corruption agency"), ("court", "Courts"), ("none", "None")]
            )
        ]
    )
    rows = [
        {
            "name": "policy",
            "code": "S-01",
            "type": "select_one yes_no_partly",
            "kind": K.YES_NO_PARTLY,
            "choice_list": ynp,
            "required": "yes",
        },
        {
            "name": "share",
            "code": "S-02",
            "type": "decimal",
            "kind": K.DECIMAL,
            "required": "yes",
            "relevant": "${policy} != 'no'",
            "constraint": ". >= 0 and . <= 100",
            "constraint_message": tt(
                "Enter a percentage between 0 and 100.",
                "Введите процент от 0 до 100.",
                "0-ден 100-ге дейінгі пайызды енгізіңіз.",
            ),
        },
        {
            "name": "bodies",
            "code": "S-03",
            "type": "select_multiple bodies",
            "kind": K.SELECT_MULTIPLE,
            "choice_list": bodies,
        },
        {"name": "describe", "code": "S-04", "type": "text", "kind": K.TEXT, "required": "yes"},
        {
            "name": "grp",
            "type": "begin_group",
            "kind": K.BEGIN_GROUP,
            "relevant": "not(selected(${bodies}, 'none'))",
        },
        {"name": "since", "code": "S-05", "type": "date", "kind": K.DATE},
        {"name": "act", "code": "S-06", "type": "file", "kind": K.EVIDENCE},
        {"name": "", "type": "end_group", "kind": K.END_GROUP},
    ]
    questions = [
        Question(
            questionnaire=q,
            order=order,
            label=(
                tt(f"Question {row['name']}", f"Вопрос {row['name']}", f"Сұрақ {row['name']}")
                if row["name"]
                else tt("")
            ),
            **row,
        )
        for order, row in enumerate(rows, start=1)
    ]
    for question in questions:  # what save() would do
        question.search_text = question.compute_search_text()
    Question.objects.bulk_create(questions)
    return q


def working_group(
    review: Review, ministry: Organisation | None = None, username: str = "contact"
) -> tuple[Organisation, User]:
    ministry = ministry or OrganisationFactory(code="min-justice", kind=Organisation.Kind.MINISTRY)
    person = UserFactory(username=username)
    ParticipantFactory(review=review, user=person, role=Role.CONTACT_PERSON, organisation=ministry)
    return ministry, person


def assign(
    review: Review,
    *,
    by: User,
    ministry: Organisation,
    assignee: User | None = None,
    questionnaire: Questionnaire | None = None,
    due_on: dt.date | None = None,
) -> Assignment:
    return services.assignment_create(
        review=review,
        questionnaire=questionnaire or sample_questionnaire(),
        ministry=ministry,
        assignee=assignee,
        due_on=due_on or dt.date.today() + dt.timedelta(days=30),
        by=by,
    )
