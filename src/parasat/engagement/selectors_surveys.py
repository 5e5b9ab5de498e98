"""A survey's results: for each question of choice or number, how many
respondents gave each answer (choices, or bins of numbers) and what share of
those who answered it, optionally broken down by the answer to one chosen
question (e.g. company size). The same handful of queries whatever the
number of responses: the database counts the answers per question and
option; a breakdown reads the answers once, in its index's order, and
tallies them here by each respondent's group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils.translation import get_language

from parasat.assessment.frozen import frozen_form
from parasat.engagement.models import Survey, SurveyAnswer, SurveyResponse
from parasat.engagement.services.surveys import NUMBER_KINDS, SURVEY_KINDS
from parasat.toolkit.models import Question

K = Question.Kind
CHOICE_KINDS = frozenset({K.YES_NO_PARTLY, K.SELECT_ONE, K.SELECT_MULTIPLE})
COUNTED_KINDS = CHOICE_KINDS | NUMBER_KINDS
MAX_BINS = 6
CACHE_SECONDS = 24 * 3600


@dataclass
class Cell:
    count: int
    percent: float | None  # of the column's respondents who answered the question


@dataclass
class ResultRow:
    key: str  # the option's name, or the bin's label
    label: str
    count: int
    percent: float | None
    cells: list[Cell] = field(default_factory=list)  # one per group of the breakdown


@dataclass
class Group:
    key: str
    label: str
    respondents: int


@dataclass
class QuestionResult:
    question: Question
    title: str  # code and label, marked up as the questionnaire shows it
    label: str  # the label alone, plain
    answered: int  # respondents who answered it
    rows: list[ResultRow]
    counted: bool  # a table of options or bins (not text or dates)
    multiple: bool  # several options may be chosen: shares add up to more than 100 %
    # Of each group of the breakdown, the respondents who answered it (when counted).
    group_answered: list[int] = field(default_factory=list)
    svg: str = ""  # the chart, when drawn before (the page reads it from the cache)
    chart_key: str = ""  # otherwise, the key its specification waits under to be drawn


@dataclass
class Results:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]
    by: QuestionResult | None = None
    groups: list[Group] = field(default_factory=list)

    def question(self, question_id: int) -> QuestionResult | None:
        return next((q for q in self.questions if q.question.pk == question_id), None)


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _bins(numbers: list[Decimal]) -> list[tuple[Decimal, Decimal, str]]:
    """At most ``MAX_BINS`` bins covering ``numbers``: each distinct value its
    own bin when there are few, otherwise ranges of equal width."""
    distinct = sorted(set(numbers))
    if not distinct:
        return []
    if len(distinct) <= MAX_BINS + 2:
        return [(v, v, _number_text(v)) for v in distinct]
    low, high = distinct[0], distinct[-1]
    width = (high - low) / MAX_BINS
    whole = all(v == v.to_integral_value() for v in distinct)
    if whole:
        width = max(Decimal(1), (width).to_integral_value(rounding="ROUND_CEILING"))
    bins = []
    start = low
    while start <= high:
        end = start + width - (1 if whole else 0)
        if not whole and len(bins) == MAX_BINS - 1:
            end = high
        label = f"{_number_text(start)}–{_number_text(end)}"
        bins.append((start, end, label))
        start = start + width
        if not whole and len(bins) >= MAX_BINS:
            break
    return bins


def _bin_of(value: Decimal, bins: list[tuple[Decimal, Decimal, str]]) -> str:
    for start, end, label in bins:
        if start <= value <= end:
            return label
    # Decimals beyond the last whole bin's end fall in the last bin.
    return bins[-1][2]


def _groups_of(by_answers: QuerySet[SurveyAnswer]) -> dict[int, tuple[str, ...]]:
    """Each respondent who answered the breakdown's question, with the
    options they chose (one, or several for a multiple choice): their groups."""
    chosen: dict[int, list[str]] = defaultdict(list)
    for response_id, value in by_answers.values_list("response", "value").order_by():
        if value not in chosen[response_id]:
            chosen[response_id].append(value)
    # Respondents who chose the same options share one tuple: the counting
    # below tallies by it and spreads each tally over its groups once.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    return {rid: shared.setdefault(tuple(v), tuple(v)) for rid, v in chosen.items()}


def _split(
    counted: QuerySet[SurveyAnswer], groups_of: dict[int, tuple[str, ...]]
) -> tuple[dict[tuple[int, str, str], int], dict[tuple[int, str], int]]:
    """How many respondents of each group gave each answer, and answered each
    question: every answer read once, in the order of (question,
    respondent) that the index (survey, question, response) keeps, each
    respondent counted once per answer and per question (as COUNT(DISTINCT)
    would) and added to each of their groups. Done in Python rather than by
    the database joining each answer to its respondent's group and counting
    distinct respondents of every combination (a minute at 20,000
    responses)."""
    by_answer: dict[tuple[int, str, tuple[str, ...]], int] = defaultdict(int)
    by_question: dict[tuple[int, tuple[str, ...]], int] = defaultdict(int)
    last_pair: tuple[int, int] | None = None
    values: list[str] = []  # the options the respondent chose, read so far
    rows = counted.values_list("question", "response", "value").order_by("question", "response")
    for question_id, response_id, value in rows.iterator(chunk_size=20_000):
        names = groups_of.get(response_id)
        if names is None:
            continue
        if (question_id, response_id) != last_pair:
            last_pair, values = (question_id, response_id), [value]
            by_question[(question_id, names)] += 1
        elif value in values:
            continue
        else:
            values.append(value)
        by_answer[(question_id, value, names)] += 1
    split: dict[tuple[int, str, str], int] = defaultdict(int)
    for (question_id, value, names), n in by_answer.items():
        for name in names:
            split[(question_id, value, name)] += n
    split_answered: dict[tuple[int, str], int] = defaultdict(int)
    for (question_id, names), n in by_question.items():
        for name in names:
            split_answered[(question_id, name)] += n
    return split, split_answered


def survey_results(survey: Survey, *, by: int | None = None) -> Results:
    """Every question's result, and when ``by`` names a question of choice,
    each broken down by its answer. Counting 20,000 responses takes a second
    or two, so the results are kept in the shared cache under the number of
    responses and the last one's id: one query while no response is added,
    three (four with a breakdown; plus two for the questionnaire's texts when
    they are not kept in memory) when one is."""
    language = get_language() or "en"
    count, last = (
        SurveyResponse.objects.filter(survey=survey)
        .aggregate(n=Count("pk"), last=Max("pk"))
        .values()
    )
    key = f"engagement:survey-results:{survey.pk}:{count}:{last}:{by}:{language}"
    found = cache.get(key)
    if found is not None:
        found.survey = survey
        return found
    results = _count_results(survey, by=by, respondents=count, language=language)
    cache.set(key, results, CACHE_SECONDS)
    return results


def _count_results(survey: Survey, *, by: int | None, respondents: int, language: str) -> Results:
    form = frozen_form(survey.questionnaire, language)
    parts = [p for p in form.parts if p.question.kind in SURVEY_KINDS and p.question.name]
    counted_ids = [p.question.pk for p in parts if p.question.kind in COUNTED_KINDS]
    answers = SurveyAnswer.objects.filter(survey=survey)
    answered = dict(
        answers.values_list("question").annotate(n=Count("response", distinct=True)).order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # A number's answers: its value, how many gave it, and the texts it was stored as.
    numbers: dict[int, list[tuple[Decimal, int, str]]] = defaultdict(list)
    for question_id, value, number, n in (
        answers.filter(question__in=counted_ids)
        .values_list("question", "value", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if number is not None:
            numbers[question_id].append((number, n, value))
        else:
            counts[question_id][value] = n
    by_part = next(
        (p for p in parts if p.question.pk == by and p.question.kind in CHOICE_KINDS), None
    )
    groups: list[Group] = []
    split: dict[tuple[int, str, str], int] = {}  # (question, stored value, group) -> n
    split_answered: dict[tuple[int, str], int] = {}  # (question, group) -> n
    if by_part is not None:
        groups_of = _groups_of(answers.filter(question=by_part.question))
        group_counts: dict[str, int] = defaultdict(int)
        for names in groups_of.values():
            for name in names:
                group_counts[name] += 1
        groups = [
            Group(key=c.name, label=c.text or c.name, respondents=group_counts.get(c.name, 0))
            for c in by_part.choices
        ]
        split, split_answered = _split(answers.filter(question__in=counted_ids), groups_of)
    results: list[QuestionResult] = []
    for part in parts:
        question = part.question
        total = answered.get(question.pk, 0)
        rows: list[ResultRow] = []
        group_answered = (
            [split_answered.get((question.pk, g.key), 0) for g in groups]
            if question.kind in COUNTED_KINDS
            else []
        )

        def cells(
            keys: list[str], qid: int = question.pk, ga: list[int] = group_answered
        ) -> list[Cell]:
            out = []
            for group, base in zip(groups, ga, strict=True):
                n = sum(split.get((qid, k, group.key), 0) for k in keys)
                out.append(Cell(count=n, percent=_percent(n, base)))
            return out

        if question.kind in CHOICE_KINDS:
            for choice in part.choices:
                n = counts[question.pk].get(choice.name, 0)
                rows.append(
                    ResultRow(
                        key=choice.name,
                        label=choice.text or choice.name,
                        count=n,
                        percent=_percent(n, total),
                        cells=cells([choice.name]),
                    )
                )
        elif question.kind in NUMBER_KINDS:
            values = numbers.get(question.pk, [])
            bins = _bins([v for v, _n, _s in values])
            members: dict[str, list[str]] = defaultdict(list)
            tally: dict[str, int] = defaultdict(int)
            for value, n, stored in values:
                label = _bin_of(value, bins)
                tally[label] += n
                members[label].append(stored)
            for _start, _end, label in bins:
                rows.append(
                    ResultRow(
                        key=label,
                        label=label,
                        count=tally[label],
                        percent=_percent(tally[label], total),
                        cells=cells(members[label]),
                    )
                )
        results.append(
            QuestionResult(
                question=question,
                title=part.title,
                label=str(question.label) or question.name,
                answered=total,
                rows=rows,
                counted=question.kind in COUNTED_KINDS,
                multiple=question.kind == K.SELECT_MULTIPLE,
                group_answered=group_answered,
            )
        )
    by_result = next((r for r in results if by_part and r.question.pk == by_part.question.pk), None)
    return Results(
        survey=survey, respondents=respondents, questions=results, by=by_result, groups=groups
    )
