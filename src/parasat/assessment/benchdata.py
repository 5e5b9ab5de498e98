"""A generated self-assessment at realistic scale, for the benchmark
(``bench/assessment.py``) and the query-count tests.

At full scale: 15 areas of one questionnaire each, 10 questions per
questionnaire (150), 40 contact persons across 12 ministries, every answer
saved in 3 rounds of edits, 500 evidence items (metadata only: no file is
written), comment threads, and every state of the workflow — draft, submitted,
returned, accepted and forwarded assignments. Assignments, every saved
version, the transitions and the comments go through the services, as the
pages write them; people, questionnaires and the evidence rows are inserted
directly.

Notifications are queued when the outer transaction commits, like any
service call's: run it with the dummy task backend when no email should go out
(the benchmark does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from parasat.accounts.models import Organisation, User
from parasat.assessment import services
from parasat.assessment.models import Answer, Assignment, Evidence
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Participant, Review, Role
from parasat.toolkit.models import Choice, ChoiceList, Pillar, PolicyArea, Question, Questionnaire

K = Question.Kind


@dataclass(frozen=True)
class Scale:
    areas: int = 15
    questions_per_area: int = 10
    contacts: int = 40
    ministries: int = 12
    rounds: int = 3
    evidence: int = 500
    comments: int = 150

    def times(self, *, assignments: int = 1, evidence: int = 1) -> Scale:
        """This scale with ``assignments`` times the assignments (areas, and
        the people, evidence and comments in proportion: as much of each per
        assignment) and ``evidence`` times the evidence and comments per answer."""
        return Scale(
            areas=self.areas * assignments,
            questions_per_area=self.questions_per_area,
            contacts=self.contacts * assignments,
            ministries=self.ministries,
            rounds=self.rounds,
            evidence=self.evidence * assignments * evidence,
            comments=self.comments * assignments * evidence,
        )


FULL = Scale()
SMALL = Scale(
    areas=5, questions_per_area=8, contacts=5, ministries=5, rounds=1, evidence=10, comments=5
)


@dataclass
class Generated:
    review: Review
    coordinator: User
    analyst: User
    contacts: list[User]
    assignments: list[Assignment]
    # An assignment still in draft, and its contact person: the answer form and
    # the saves of the benchmark use them.
    draft: Assignment
    draft_contact: User
    counts: dict[str, int] = field(default_factory=dict)


def _words(seed: str, count: int) -> str:
    base = (
        f"{seed} law regulation ministry procedure register declaration audit "
        "disclosure budget procurement complaint sanction report agency "
    ).split()
    return " ".join(base[i % len(base)] for i in range(count)).capitalize() + "."


def _tt(en: str) -> TranslatedText:
    """English with Russian and Kazakh of the same length, as in the shipped bank."""
    return TranslatedText.fresh({"en": en, "ru": "Рус. " + en, "kk": "Қаз. " + en})


# name, XLSForm type, kind, list, required, relevant, constraint: one questionnaire's rows,
# cycled when an area has more questions than this.
_ROWS: list[tuple[str, str, str, str, bool, str, str]] = [
    ("policy", "select_one yes_no_partly", K.YES_NO_PARTLY, "ynp", True, "", ""),
    ("share", "decimal", K.DECIMAL, "", True, "${policy} != 'no'", ". >= 0 and . <= 100"),
    ("bodies", "select_multiple bodies", K.SELECT_MULTIPLE, "bodies", True, "", ""),
    ("describe", "text", K.TEXT, "", True, "", ""),
    ("level", "select_one level", K.SELECT_ONE, "level", False, "", ""),
    ("cases", "integer", K.INTEGER, "", False, "", ". >= 0"),
    ("since", "date", K.DATE, "", False, "", ""),
    ("act", "file", K.EVIDENCE, "", False, "", ""),
    ("practice", "select_one yes_no_partly", K.YES_NO_PARTLY, "ynp", True, "", ""),
    ("notes", "text", K.TEXT, "", False, "", ""),
]
_LISTS = {
    "ynp": ["yes", "partly", "no"],
    "bodies": ["agency", "courts", "prosecutor", "audit", "ombudsman"],
    "level": ["low", "medium", "high", "very_high"],
}

# Three successive values per kind (the rounds of edits; the last one passes
# every check), and the two values a benchmark save alternates between.
_ROUNDS: dict[str, list[Any]] = {
    K.YES_NO_PARTLY: ["no", "partly", "yes"],
    K.SELECT_ONE: ["low", "medium", "high"],
    K.SELECT_MULTIPLE: [["agency"], ["agency", "courts"], ["agency", "audit", "courts"]],
    K.TEXT: [
        "First draft.",
        "Second draft, after the ministry's review.",
        _words("final", 120),
    ],
    K.INTEGER: ["3", "12", "17"],
    K.DECIMAL: ["10", "25.5", "40"],
    K.DATE: ["2014-01-01", "2015-06-30", "2016-12-31"],
    K.EVIDENCE: ["See the attached act.", "See the attached acts.", "See the attached acts."],
}
_ALTERNATE: dict[str, tuple[Any, Any]] = {
    K.YES_NO_PARTLY: ("yes", "partly"),
    K.SELECT_ONE: ("medium", "high"),
    K.SELECT_MULTIPLE: (["agency", "courts"], ["audit"]),
    K.TEXT: ("Benchmark text A.", "Benchmark text B."),
    K.INTEGER: ("7", "8"),
    K.DECIMAL: ("40", "41.5"),
    K.DATE: ("2016-01-01", "2016-01-02"),
    K.EVIDENCE: ("See file A.", "See file B."),
}


def round_value(question: Question, number: int, rounds: int = 3) -> Any:
    """The value saved in round ``number`` (from 0) of ``rounds``: the last
    rounds take the kind's values in turn, ending on the final one; with more
    rounds than values, the first rounds alternate the first two."""
    values = _ROUNDS[question.kind]
    from_end = rounds - 1 - number
    if from_end < len(values):
        return values[len(values) - 1 - from_end]
    return values[from_end % 2]


_CODE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def area_code(prefix: str, number: int) -> str:
    """The three-character code of the generated area ``number`` (from 1): the
    prefix's initial and two base-36 digits, so one prefix names 1,295 areas."""
    if not 0 < number < 36 * 36:
        raise ValueError(f"A generated review has at most 1,295 areas, not {number}.")
    high, low = divmod(number, 36)
    return f"{prefix[0].upper()}{_CODE_DIGITS[high]}{_CODE_DIGITS[low]}"


def alternate_values(question: Question) -> tuple[Any, Any]:
    """Two valid values of ``question`` that differ: saving them in turn makes
    a new version every time."""
    return _ALTERNATE[question.kind]


def _questionnaire(area: PolicyArea, index: int, per_area: int) -> Questionnaire:
    q = Questionnaire.objects.create(
        identifier=f"BENCH-{area.code}",
        area=area,
        title=_tt(f"Self-assessment questionnaire {index + 1}"),
        description=_tt(_words("scope", 60)),
        source=Questionnaire.Source.IMPORT,
        source_name=f"bench-{area.code}.xlsx",
    )
    lists = {}
    for name, items in _LISTS.items():
        lists[name] = ChoiceList.objects.create(questionnaire=q, name=name)
        Choice.objects.bulk_create(
            Choice(choice_list=lists[name], order=i, name=item, label=_tt(item.replace("_", " ")))
            for i, item in enumerate(items)
        )
    rows: list[Question] = []
    order = 0
    for n in range(per_area):
        if n == per_area - 3 and per_area >= 6:
            order += 1
            rows.append(
                Question(
                    questionnaire=q,
                    order=order,
                    type="begin_group",
                    kind=K.BEGIN_GROUP,
                    name="details",
                    label=_tt("Details"),
                    relevant="${policy} != 'no'",
                )
            )
        name, xls_type, kind, list_name, required, relevant, constraint = _ROWS[n % len(_ROWS)]
        suffix = "" if n < len(_ROWS) else f"_{n // len(_ROWS)}"
        order += 1
        rows.append(
            Question(
                questionnaire=q,
                order=order,
                type=xls_type,
                kind=kind,
                choice_list=lists.get(list_name),
                name=name + suffix,
                code=f"{area.code}-{n + 1:02d}",
                label=_tt(_words(f"question {n + 1}", 35)),
                hint=_tt(_words("hint", 12)),
                guidance=_tt(_words("guidance", 80)),
                evidence=_tt(_words("evidence", 20)),
                required="yes" if required and not suffix else "",
                relevant=relevant if not suffix else "",
                constraint=constraint,
                constraint_message=_tt("The value is out of range.") if constraint else _tt(""),
            )
        )
    if per_area >= 6:
        order += 1
        rows.append(Question(questionnaire=q, order=order, type="end_group", kind=K.END_GROUP))
    for row in rows:
        row.search_text = row.compute_search_text()
    Question.objects.bulk_create(rows)
    return q


def _evidence_rows(answers: list[Answer], count: int, now: dt.datetime) -> list[Evidence]:
    levels = [
        Confidentiality.TEAM,
        Confidentiality.TEAM,
        Confidentiality.GOVERNMENT,
        Confidentiality.PEERS,
        Confidentiality.PUBLIC,
    ]
    rows = []
    for i in range(count):
        answer = answers[(i * 7) % len(answers)]
        by_id = answer.assignment.assignee_id or answer.assignment.assigned_by_id
        kind = [Evidence.Kind.FILE] * 7 + [Evidence.Kind.LINK] * 2 + [Evidence.Kind.LEGAL_ACT]
        kind_i = kind[i % len(kind)]
        row = Evidence(
            answer=answer,
            kind=kind_i,
            title=f"Evidence {i + 1}: " + _words("annex", 6),
            confidentiality=levels[i % len(levels)],
            added_by_id=by_id,
            added_at=now - dt.timedelta(minutes=count - i),
        )
        if kind_i == Evidence.Kind.FILE:
            row.file.name = f"assessment/{answer.assignment.review_id}/bench/evidence-{i + 1}.pdf"
            row.file_name = f"Report {i + 1} of the ministry.pdf"
            row.content_type = "application/pdf"
            row.size = 40_000 + 1_000 * i
        elif kind_i == Evidence.Kind.LINK:
            row.url = f"https://adilet.example.kz/rus/docs/Z{i:07d}"
        else:
            row.citation = f"Law No. {100 + i}-V of 18 November 2015, art. {i % 40 + 1}"
        if i % 20 == 19:
            row.withdrawn_at = now
            row.withdrawn_by_id = by_id
        rows.append(row)
    return rows


@transaction.atomic
def generate(
    review: Review, *, scale: Scale = FULL, coordinator: User | None = None, prefix: str = "bench"
) -> Generated:
    """Fill ``review`` with a self-assessment of the given scale."""
    today = timezone.localdate()
    now = timezone.now()
    if coordinator is None:
        coordinator, _created = User.objects.get_or_create(
            username=f"{prefix}-coordinator",
            defaults={"full_name": "Bench Co-ordinator", "email": f"{prefix}-co@example.kz"},
        )
    Participant.objects.get_or_create(review=review, user=coordinator, role=Role.COORDINATOR)
    analyst = User.objects.create(
        username=f"{prefix}-analyst", full_name="Bench Analyst", email=f"{prefix}-an@example.org"
    )
    Participant.objects.create(review=review, user=analyst, role=Role.ANALYST)

    ministries = [
        Organisation.objects.create(
            code=f"{prefix}-ministry-{i + 1}",
            name=_tt(f"Ministry of the benchmark number {i + 1}"),
            kind=Organisation.Kind.MINISTRY,
            country="KZ",
        )
        for i in range(scale.ministries)
    ]
    contacts: list[User] = []
    by_ministry: dict[int, list[User]] = {m.pk: [] for m in ministries}
    for i in range(scale.contacts):
        ministry = ministries[i % len(ministries)]
        person = User.objects.create(
            username=f"{prefix}-contact-{i + 1}",
            full_name=f"Contact Person {i + 1}",
            email=f"{prefix}-cp{i + 1}@example.kz",
            organisation=ministry,
            language=["ru", "kk", "en"][i % 3],
        )
        Participant.objects.create(
            review=review, user=person, role=Role.CONTACT_PERSON, organisation=ministry
        )
        contacts.append(person)
        by_ministry[ministry.pk].append(person)

    pillar, _created = Pillar.objects.get_or_create(
        code="BX", defaults={"order": 99, "name": _tt("Benchmark pillar")}
    )
    assignments: list[Assignment] = []
    for i in range(scale.areas):
        area = PolicyArea.objects.create(
            code=area_code(prefix, i + 1),
            pillar=pillar,
            order=100 + i,
            name=_tt(f"Policy area {i + 1} of the benchmark"),
            description=_tt(_words("area", 40)),
        )
        questionnaire = _questionnaire(area, i, scale.questions_per_area)
        ministry = ministries[i % len(ministries)]
        people = by_ministry[ministry.pk]
        assignments.append(
            services.assignment_create(
                review=review,
                questionnaire=questionnaire,
                ministry=ministry,
                assignee=people[(i // len(ministries)) % len(people)] if people else None,
                # Some overdue, some due soon, most later.
                due_on=today + dt.timedelta(days=[-5, 2, 20, 45, 60][i % 5]),
                by=coordinator,
            )
        )

    answers: list[Answer] = []
    for assignment in assignments:
        editor = assignment.assignee or coordinator
        for answer in assignment.answers.select_related("question", "assignment").order_by(
            "question__order"
        ):
            for number in range(scale.rounds):
                # Now and then the co-ordinator makes the last edit.
                last = number == scale.rounds - 1 and answer.pk % 5 == 0
                services.answer_save(
                    answer=answer,
                    by=coordinator if last else editor,
                    value=round_value(answer.question, number, scale.rounds),
                    explanation=_words(f"explanation {number + 1}", 25 + 10 * number),
                    confidentiality=[
                        Confidentiality.TEAM,
                        Confidentiality.PEERS,
                        Confidentiality.PUBLIC,
                        Confidentiality.GOVERNMENT,
                    ][answer.pk % 4],
                    base_version=answer.version,
                    automatic=number % 2 == 0,
                )
            answers.append(answer)

    Evidence.objects.bulk_create(_evidence_rows(answers, scale.evidence, now))

    # The workflow: by assignment, draft / submitted / returned / accepted / forwarded.
    for i, assignment in enumerate(assignments):
        stage = i % 5
        if stage == 0:
            continue
        submitter = assignment.assignee or coordinator
        services.assignment_submit(assignment=assignment, by=submitter)
        if stage == 1:
            continue
        mine = list(assignment.answers.all())
        if stage == 2:
            services.answers_decide(
                answers=mine[: len(mine) // 2],
                by=coordinator,
                accept=False,
                reason="Please cite the law and attach the latest annual report.",
            )
            services.answers_decide(answers=mine[len(mine) // 2 :], by=coordinator, accept=True)
            continue
        services.answers_decide(answers=mine, by=coordinator, accept=True)
        if stage == 4:
            services.area_forward(
                review=review, area=None, assignments=[assignment], by=coordinator
            )

    for i in range(scale.comments):
        answer = answers[(i * 11) % len(answers)]
        answer.refresh_from_db(fields=["status"])
        author = [answer.assignment.assignee or coordinator, coordinator][i % 2]
        if answer.status == Answer.Status.FORWARDED and i % 3 == 0:
            author = analyst
        services.comment_post(answer=answer, by=author, body=_words(f"comment {i + 1}", 30))

    draft = next(
        a
        for a in assignments
        if a.assignee_id and not a.answers.exclude(status__in=Answer.EDITABLE).exists()
    )
    return Generated(
        review=review,
        coordinator=coordinator,
        analyst=analyst,
        contacts=contacts,
        assignments=assignments,
        draft=draft,
        draft_contact=draft.assignee,  # type: ignore[arg-type]
        counts={
            "areas": scale.areas,
            "answers": len(answers),
            "contacts": len(contacts),
            "versions": sum(a.version for a in answers),
            "evidence": scale.evidence,
            "comments": scale.comments,
        },
    )
