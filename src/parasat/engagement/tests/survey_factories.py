"""A small survey questionnaire (company size, sector, a yes/no with a
multiple choice asked only after "yes", a number with a constraint, a date
and a text inside a group) and surveys of it; the bench builds a wider one."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.core.testing.texts import tt
from parasat.engagement.models import RespondentGroup, Survey
from parasat.engagement.services import surveys as services
from parasat.toolkit.models import Choice, ChoiceList, Question, Questionnaire
from parasat.toolkit.tests.factories import QuestionnaireFactory

K = Question.Kind

LISTS = {
    "size": [("small", "Small"), ("medium", "Medium"), ("large", "Large")],
    "sector": [("trade", "Trade"), ("industry", "Industry"), ("services", "Services")],
    "yn": [("yes", "Yes"), ("no", "No")],
    "bodies": [("court", "Courts"), ("police", "Police"), ("tax", "Tax office")],
}


def survey_questionnaire(identifier: str | None = None, *, extra: int = 0) -> Questionnaire:
    """Seven questions (and ``extra`` more single choices and numbers, for the
    bench's wider form)."""
    q = (
        QuestionnaireFactory(identifier=identifier, area=None)
        if identifier
        else QuestionnaireFactory(area=None)
    )
    lists = {name: ChoiceList.objects.create(questionnaire=q, name=name) for name in LISTS}
    Choice.objects.bulk_create(
        [
            Choice(
                choice_list=lists[name],
                order=order,
                name=key,
                label=tt(label, label + " (ru)", label + " (kk)"),
            )
            for name, options in LISTS.items()
            for order, (key, label) in enumerate(options)
        ]
    )
    rows = [
        {
            "name": "size",
            "code": "B-01",
            "type": "select_one size",
            "kind": K.SELECT_ONE,
            "choice_list": lists["size"],
            "required": "yes",
        },
        {
            "name": "sector",
            "code": "B-02",
            "type": "select_one sector",
            "kind": K.SELECT_ONE,
            "choice_list": lists["sector"],
        },
        {
            "name": "asked",
            "code": "B-03",
            "type": "select_one yn",
            "kind": K.SELECT_ONE,
            "choice_list": lists["yn"],
            "required": "yes",
        },
        {
            "name": "bodies",
            "code": "B-04",
            "type": "select_multiple bodies",
            "kind": K.SELECT_MULTIPLE,
            "choice_list": lists["bodies"],
            "relevant": "${asked} = 'yes'",
        },
        {
            "name": "employees",
            "code": "B-05",
            "type": "integer",
            "kind": K.INTEGER,
            "constraint": ". >= 1 and . <= 100000",
            "constraint_message": tt(
                "Between 1 and 100,000.", "От 1 до 100 000.", "1-ден 100 000-ға дейін."
            ),
        },
        {"name": "grp", "type": "begin_group", "kind": K.BEGIN_GROUP},
        {"name": "founded", "code": "B-06", "type": "date", "kind": K.DATE},
        {"name": "comment", "code": "B-07", "type": "text", "kind": K.TEXT},
        {"name": "", "type": "end_group", "kind": K.END_GROUP},
    ]
    for n in range(extra):
        if n % 2:
            rows.append(
                {
                    "name": f"x{n}",
                    "code": f"X-{n:02}",
                    "type": "integer",
                    "kind": K.INTEGER,
                    "constraint": ". >= 0",
                }
            )
        else:
            rows.append(
                {
                    "name": f"x{n}",
                    "code": f"X-{n:02}",
                    "type": "select_one size",
                    "kind": K.SELECT_ONE,
                    "choice_list": lists["size"],
                    "required": "yes",
                }
            )
    questions = [
        Question(
            questionnaire=q,
            order=order,
            label=tt(f"Question {row['name']}", f"Вопрос {row['name']}", f"Сұрақ {row['name']}")
            if row["name"]
            else tt(""),
            **row,
        )
        for order, row in enumerate(rows, start=1)
    ]
    for question in questions:
        question.search_text = question.compute_search_text()
    Question.objects.bulk_create(questions)
    return q


def make_survey(
    review, by, *, mode=Survey.Mode.ANONYMOUS, state=Survey.State.OPEN, questionnaire=None
) -> Survey:
    survey = services.survey_create(
        review=review,
        by=by,
        title=tt("Business survey", "Опрос бизнеса", "Бизнес сауалнамасы"),
        description=tt("Tell us about integrity."),
        questionnaire=questionnaire or survey_questionnaire(),
        respondents=RespondentGroup.BUSINESSES,
        mode=mode,
        results_confidentiality="public",
    )
    if state != Survey.State.DRAFT:
        services.survey_open(survey=survey)
    if state == Survey.State.CLOSED:
        services.survey_close(survey=survey)
    return survey


GOOD = {
    "size": "small",
    "sector": "trade",
    "asked": "yes",
    "bodies": ["court", "tax"],
    "employees": "12",
    "founded": "2010-05-01",
    "comment": "Fine.",
}

KOBO_HEADER = [
    "start",
    "end",
    "size",
    "sector",
    "asked",
    "bodies",
    "employees",
    "grp/founded",
    "grp/comment",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
]


def kobo_row(n: int, **values: str) -> list[str]:
    row = {
        "size": ["small", "medium", "large"][n % 3],
        "sector": ["trade", "industry", "services"][n % 3],
        "asked": "yes" if n % 2 else "no",
        "bodies": "court police" if n % 2 else "",
        "employees": str(5 + n),
        "grp/founded": f"2001-01-0{1 + n % 9}",
        "grp/comment": f"Row {n}",
        "_uuid": f"0000-{n:06}",
        "_submission_time": "2024-03-01T04:21:00",
    }
    row.update(values)
    return [
        "2024-03-01T10:00:00.000+06:00",
        "2024-03-01T10:20:00.000+06:00",
        row["size"],
        row["sector"],
        row["asked"],
        row["bodies"],
        row["employees"],
        row["grp/founded"],
        row["grp/comment"],
        f"uuid:{row['_uuid']}",
        str(100 + n),
        row["_uuid"],
        row["_submission_time"],
        str(n + 1),
    ]


def kobo_csv(rows: list[list[str]], *, header=None, name="submissions.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header or KOBO_HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + out.getvalue()).encode(), "text/csv")
