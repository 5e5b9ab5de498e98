"""A survey at the scale of the issue's performance target, for
bench/surveys.py: a 40-question form (single and multiple choices, whole
numbers with a constraint, dates and texts, two groups, skip logic) and a
KoboToolbox export of any number of its submissions, the same every run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import uuid

from parasat.core.lib.translated import TranslatedText
from parasat.toolkit.models import Choice, ChoiceList, Question, Questionnaire

K = Question.Kind
OPTIONS = {
    "size": ["micro", "small", "medium", "large"],
    "agree": ["strongly_agree", "agree", "neutral", "disagree", "strongly_disagree"],
    "yn": ["yes", "no"],
    "bodies": ["court", "police", "tax", "customs", "licensing", "procurement"],
}


def _text(en: str) -> TranslatedText:
    return TranslatedText.fresh({"en": en, "ru": en + " (ru)", "kk": en + " (kk)"})


def questionnaire(identifier: str = "BENCH-SURVEY", questions: int = 40) -> Questionnaire:
    """``questions`` questions: the first is company size; then, in turn, an
    agreement scale, a yes/no, a multiple choice asked after "yes", a whole
    number (0–100,000), a date and a text; the second half inside a group."""
    form = Questionnaire.objects.create(
        identifier=identifier, title=_text("Business integrity survey"), source="import"
    )
    lists = {n: ChoiceList.objects.create(questionnaire=form, name=n) for n in OPTIONS}
    Choice.objects.bulk_create(
        Choice(choice_list=lists[n], order=i, name=c, label=_text(c.replace("_", " ").title()))
        for n, names in OPTIONS.items()
        for i, c in enumerate(names)
    )
    cycle = ["agree", "yn", "bodies", "number", "date", "text"]
    rows: list[dict] = [
        {
            "name": "size",
            "type": "select_one size",
            "kind": K.SELECT_ONE,
            "choice_list": lists["size"],
            "required": "yes",
        },
    ]
    last_yn = ""
    for n in range(1, questions):
        if n == questions // 2:
            rows.append({"name": "part2", "type": "begin_group", "kind": K.BEGIN_GROUP})
        kind = cycle[(n - 1) % len(cycle)]
        name = f"q{n:02}"
        if kind == "agree":
            rows.append(
                {
                    "name": name,
                    "type": "select_one agree",
                    "kind": K.SELECT_ONE,
                    "choice_list": lists["agree"],
                    "required": "yes",
                }
            )
        elif kind == "yn":
            rows.append(
                {
                    "name": name,
                    "type": "select_one yn",
                    "kind": K.SELECT_ONE,
                    "choice_list": lists["yn"],
                    "required": "yes",
                }
            )
            last_yn = name
        elif kind == "bodies":
            rows.append(
                {
                    "name": name,
                    "type": "select_multiple bodies",
                    "kind": K.SELECT_MULTIPLE,
                    "choice_list": lists["bodies"],
                    "relevant": f"${{{last_yn}}} = 'yes'",
                }
            )
        elif kind == "number":
            rows.append(
                {
                    "name": name,
                    "type": "integer",
                    "kind": K.INTEGER,
                    "constraint": ". >= 0 and . <= 100000",
                }
            )
        elif kind == "date":
            rows.append({"name": name, "type": "date", "kind": K.DATE})
        else:
            rows.append({"name": name, "type": "text", "kind": K.TEXT})
    rows.append({"name": "", "type": "end_group", "kind": K.END_GROUP})
    made = [
        Question(
            questionnaire=form,
            order=order,
            code=f"S-{order:02}" if r["name"] else "",
            label=_text(f"Question {r['name']}") if r["name"] else _text(""),
            **r,
        )
        for order, r in enumerate(rows, start=1)
    ]
    for question in made:
        question.search_text = question.compute_search_text()
    Question.objects.bulk_create(made)
    return form


def kobo_export(form: Questionnaire, submissions: int, *, seed: int = 13) -> bytes:
    """A KoboToolbox CSV export (semicolons, group paths, metadata columns) of
    ``submissions`` valid submissions of ``form``."""
    rng = random.Random(seed)  # noqa: S311 (made-up answers, the same every run)
    questions = [
        q for q in form.questions.order_by("order") if q.name and q.kind not in Question.STRUCTURE
    ]
    groups = {q.name for q in form.questions.filter(kind=K.BEGIN_GROUP)}
    in_group: set[str] = set()
    inside = False
    for q in form.questions.order_by("order"):
        if q.kind == K.BEGIN_GROUP:
            inside = True
        elif q.kind == K.END_GROUP:
            inside = False
        elif inside and q.name:
            in_group.add(q.name)
    group = next(iter(groups), "")
    header = ["start", "end"]
    header += [f"{group}/{q.name}" if q.name in in_group else q.name for q in questions]
    header += ["meta/instanceID", "_id", "_uuid", "_submission_time", "_index"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    day = dt.datetime(2024, 3, 1, 8, 0)  # noqa: DTZ001 (Kobo writes naive UTC)
    for n in range(submissions):
        said_yes = False
        row = ["2024-03-01T10:00:00.000+06:00", "2024-03-01T10:20:00.000+06:00"]
        for q in questions:
            if q.kind == K.SELECT_ONE:
                names = OPTIONS[q.type.split()[-1]]
                value = rng.choice(names)
                if names is OPTIONS["yn"]:
                    said_yes = value == "yes"
            elif q.kind == K.SELECT_MULTIPLE:
                value = (
                    " ".join(rng.sample(OPTIONS["bodies"], rng.randint(1, 3))) if said_yes else ""
                )
            elif q.kind == K.INTEGER:
                value = str(rng.randint(0, 5000))
            elif q.kind == K.DATE:
                value = (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 8000))).isoformat()
            else:
                value = rng.choice(
                    ["", "Bribes are asked at the border.", "No comment.", "Slow permits."]
                )
            row.append(value)
        submission = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        moment = (day + dt.timedelta(seconds=37 * n)).isoformat()
        row += [f"uuid:{submission}", str(1000 + n), submission, moment, str(n + 1)]
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode()
