"""Reads of the self-assessment, each with a fixed number of queries however
many answers, versions and files a review holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext

from parasat.accounts.models import Organisation, User
from parasat.assessment.access import (
    Reader,
    assignment_answers,
    evidence_filter,
    is_own,
    may_see_comments,
    own_work,
    readable_answers,
)
from parasat.assessment.caching import assignments_version
from parasat.assessment.models import (
    Answer,
    AnswerVersion,
    Assignment,
    AssignmentQuerySet,
    Comment,
    Evidence,
    Transition,
)
from parasat.assessment.values import display
from parasat.reviews.disclosure import Audience, levels_from
from parasat.reviews.models import Participant, Review, Role
from parasat.reviews.permissions import Perm
from parasat.toolkit.models import Choice, PolicyArea, Question, Questionnaire
from parasat.toolkit.selectors import latest_versions

S = Answer.Status


_COUNTED: dict[str, Q | None] = {
    "total": None,
    "answered": ~Q(value={}),
    "draft": Q(status=S.DRAFT),
    "submitted": Q(status=S.SUBMITTED),
    "returned": Q(status=S.RETURNED),
    "accepted": Q(status=S.ACCEPTED),
    "forwarded": Q(status=S.FORWARDED),
}
_NO_ANSWERS = dict.fromkeys(_COUNTED, 0)


def _answer_counts(answers: QuerySet[Answer]) -> dict[int, dict[str, int]]:
    """assignment pk -> its answers counted per state (the keys of ``_COUNTED``);
    one query, grouped by assignment alone."""
    counts = (
        answers.order_by()
        .values("assignment_id")
        .annotate(
            **{
                name: Count("pk", filter=condition) if condition is not None else Count("pk")
                for name, condition in _COUNTED.items()
            }
        )
    )
    return {row.pop("assignment_id"): row for row in counts}


def count_answers(answers: Iterable[Answer]) -> dict[str, int]:
    """:func:`_answer_counts` of answers already loaded."""
    counts = dict(_NO_ANSWERS)
    for answer in answers:
        counts["total"] += 1
        counts["answered"] += answer.value != {}
        counts[answer.status] += 1
    return counts


def _progress_rows(
    assignments: AssignmentQuerySet, *, today: dt.date, answers: QuerySet[Answer] | None = None
) -> list[ProgressRow]:
    """``assignments`` (in their order) as progress rows counting their answers,
    or only those of them in ``answers``; two queries: the assignments with what
    a row shows, then the counts."""
    found = list(assignments.for_pages())
    if not found:
        return []
    answers = Answer.objects.all() if answers is None else answers
    counts = _answer_counts(answers.filter(assignment__in=[a.pk for a in found]))
    return [progress_row(a, counts.get(a.pk, _NO_ANSWERS), today=today) for a in found]


@dataclass
class ProgressRow:
    assignment: Assignment
    total: int
    answered: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    forwarded: int
    overdue: bool

    @property
    def open(self) -> int:
        return self.draft + self.returned

    @property
    def reassignable(self) -> bool:
        """Something is left to answer or decide: not every answer was forwarded."""
        return self.forwarded < self.total

    @property
    def answered_of_total(self) -> str:
        return gettext("%(answered)s of %(total)s") % {
            "answered": self.answered,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class FilterOption:
    code: str
    label: str  # in the reader's language


@dataclass
class ProgressFilters:
    """What the dashboard can be filtered by: the areas (in their order) and
    the ministries (by code) of the assignments shown."""

    areas: list[FilterOption]
    ministries: list[FilterOption]


@dataclass
class Progress:
    rows: list[ProgressRow]
    totals: dict[str, int]
    filters: ProgressFilters  # what every row before filtering touches

    @classmethod
    def of(cls, rows: list[ProgressRow], filters: ProgressFilters | None = None) -> Progress:
        """The rows with their totals and, unless given, the areas and
        ministries they touch."""
        totals = {k: sum(getattr(r, k) for r in rows) for k in _COUNTED}
        totals["overdue"] = sum(1 for r in rows if r.overdue)
        if filters is None:
            areas = {r.assignment.questionnaire.area for r in rows} - {None}
            ministries = {r.assignment.ministry for r in rows}
            filters = ProgressFilters(
                areas=[
                    FilterOption(a.code, str(a.name))
                    for a in sorted(areas, key=lambda a: (a.order, a.code))
                ],
                ministries=[
                    FilterOption(m.code, str(m)) for m in sorted(ministries, key=lambda m: m.code)
                ],
            )
        return cls(rows=rows, totals=totals, filters=filters)


def progress(reader: Reader, *, today: dt.date) -> Progress:
    """Per assignment (questionnaire × ministry): answered / submitted /
    returned / accepted / forwarded counts, overdue flag and last activity,
    with the areas and ministries the dashboard filters by.
    Two queries whatever the size of the review."""
    assignments = Assignment.objects.filter(review=reader.review).order_by(
        # Whole areas together (the dashboard groups rows by area), even when two share an order.
        "questionnaire__area__order",
        "questionnaire__area__code",
        "questionnaire__identifier",
    )
    if not (reader.is_coordinator or reader.can(Perm.VIEW_PROGRESS)):
        assignments = assignments.filter(reader.own_work())
    rows = _progress_rows(assignments, today=today)
    return Progress.of(rows)


@dataclass
class RowGroup:
    """Progress rows under one heading: an area (None: not filed under one),
    or, on the dashboard, those that need attention."""

    area: PolicyArea | None
    rows: list[ProgressRow]
    attention: bool = False


def group_rows(rows: list[ProgressRow], *, attention_first: bool = False) -> list[RowGroup]:
    """``rows`` (in area order) grouped by area; with ``attention_first``, the
    rows marked ``attention`` (in their order) before the areas."""
    groups: list[RowGroup] = []
    if attention_first:
        first = [r for r in rows if getattr(r, "attention", False)]
        if first:
            groups.append(RowGroup(area=None, rows=first, attention=True))
        rows = [r for r in rows if not getattr(r, "attention", False)]
    for row in rows:
        area = row.assignment.questionnaire.area
        if groups and not groups[-1].attention and groups[-1].area == area:
            groups[-1].rows.append(row)
        else:
            groups.append(RowGroup(area=area, rows=[row]))
    return groups


# --- the dashboard: what needs attention first, the rest a page at a time ----------

# Rows of the dashboard per page: a co-ordinator of 150 assignments wants the
# overdue and the returned first, not all 150 at once.
DASHBOARD_PAGE = 25


@dataclass
class Dashboard:
    """One page of the progress dashboard: the assignments the filters keep,
    those that need attention (overdue, or holding answers returned to the
    ministry) first, then the rest in area order; totals over every kept
    assignment."""

    rows: list[ProgressRow]  # this page's, each with ``attention``
    count: int  # assignments the filters keep
    attention: int  # of them, how many need attention
    totals: dict[str, int]  # their answers per state, and ``overdue`` assignments
    filters: ProgressFilters
    page: int
    pages: int

    @property
    def groups(self) -> list[RowGroup]:
        return group_rows(self.rows, attention_first=True)


def _followed(reader: Reader) -> QuerySet[Assignment]:
    everything = Assignment.objects.filter(review=reader.review)
    if not (reader.is_coordinator or reader.can(Perm.VIEW_PROGRESS)):
        everything = everything.filter(reader.own_work())
    return everything


def dashboard_filters(reader: Reader) -> ProgressFilters:
    """The areas and ministries of the assignments the reader follows, to
    filter the dashboard by. For a reader who follows every assignment, kept
    in the shared cache until the review's assignments change (a change of an
    answer leaves them as they are; a renamed area or ministry shows within
    minutes); else two queries."""
    if not (reader.is_coordinator or reader.can(Perm.VIEW_PROGRESS)):
        return _dashboard_filters(reader)
    review_id = reader.review.pk
    key = f"assessment:filters:{review_id}:{assignments_version(review_id)}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _dashboard_filters(reader)
        cache.set(key, found, 300)
    return found


def _dashboard_filters(reader: Reader) -> ProgressFilters:
    """Two queries, each name read once (read per assignment, the names'
    decoding grew with the assignments)."""
    followed = _followed(reader).order_by()
    areas = {
        pk: (order, code, str(name))
        for pk, order, code, name in PolicyArea.objects.filter(
            pk__in=followed.values("questionnaire__area_id")
        )
        .order_by()
        .values_list("pk", "order", "code", "name")
    }
    ministries = {
        # As Organisation.__str__: the short name, else the name.
        pk: (code, str(short) or str(name))
        for pk, code, name, short in Organisation.objects.filter(
            pk__in=followed.values("ministry_id")
        )
        .order_by()
        .values_list("pk", "code", "name", "short_name")
    }
    return ProgressFilters(
        areas=[FilterOption(code, label) for _order, code, label in sorted(areas.values())],
        ministries=[FilterOption(code, label) for code, label in sorted(ministries.values())],
    )


def dashboard(
    reader: Reader,
    *,
    today: dt.date,
    filters: ProgressFilters,
    area: str = "",
    ministry: str = "",
    status: str = "",
    overdue_only: bool = False,
    page: int = 1,
    per_page: int | None = None,
) -> Dashboard:
    """One page of the progress dashboard of the assignments the reader
    follows, kept to one area and one ministry (their codes), to assignments
    holding answers in ``status``, or overdue (``filters``: from
    :func:`dashboard_filters`). Three queries: every kept assignment's place
    in the order (a few columns a row), their answers counted per state, and
    the page's assignments with what a row shows; a page costs about the same
    for 15 assignments and for 150, and the SQL stays plain (building it was
    most of the time of a version that counted and ordered in the database)."""
    kept = _followed(reader)
    if area:
        kept = kept.filter(questionnaire__area__code=area)
    if ministry:
        kept = kept.filter(ministry__code=ministry)
    places = list(
        kept.order_by().values_list(
            "pk",
            "due_on",
            "questionnaire__area__order",
            "questionnaire__area__code",
            "questionnaire__identifier",
        )
    )
    counts = _answer_counts(Answer.objects.filter(assignment__in=[p[0] for p in places]))
    attention_keys: list[tuple[Any, ...]] = []
    rest_keys: list[tuple[Any, ...]] = []
    totals = dict.fromkeys(_COUNTED, 0)
    overdue_count = 0
    for pk, due_on, area_order, area_code, identifier in places:
        c = counts.get(pk, _NO_ANSWERS)
        if status in S.values and not c[status]:
            continue
        overdue = due_on < today and c["draft"] + c["returned"] > 0
        if overdue_only and not overdue:
            continue
        for name in totals:
            totals[name] += c[name]
        overdue_count += overdue
        # Whole areas together, as the table groups them (those under no area last).
        in_area = (area_order is None, area_order or 0, area_code or "", identifier, pk)
        if overdue or c["returned"]:
            attention_keys.append((due_on, *in_area))  # soonest due first
        else:
            rest_keys.append(in_area)
    attention_keys.sort()
    rest_keys.sort()
    ordered = [k[-1] for k in attention_keys] + [k[-1] for k in rest_keys]
    per_page = per_page or DASHBOARD_PAGE
    pages = max(1, -(-len(ordered) // per_page))
    page = min(max(page, 1), pages)
    shown = ordered[(page - 1) * per_page : page * per_page]
    found = {a.pk: a for a in Assignment.objects.filter(pk__in=shown).for_pages()}
    needs_attention = {k[-1] for k in attention_keys}
    rows = []
    for pk in shown:
        row = progress_row(found[pk], counts.get(pk, _NO_ANSWERS), today=today)
        row.attention = pk in needs_attention  # type: ignore[attr-defined]
        rows.append(row)
    return Dashboard(
        rows=rows,
        count=len(ordered),
        attention=len(attention_keys),
        totals={**totals, "overdue": overdue_count},
        filters=filters,
        page=page,
        pages=pages,
    )


def my_progress(reader: Reader, *, today: dt.date) -> list[ProgressRow]:
    """What is assigned to the reader's ministries, soonest
    due first, as progress rows; two queries."""
    assignments = (
        Assignment.objects.filter(review=reader.review)
        .filter(reader.own_work())
        .order_by("due_on", "questionnaire__identifier")
    )
    return _progress_rows(assignments, today=today)


def returned_answers(reader: Reader) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(
            reader.own_work("assignment__"),
            assignment__review=reader.review,
            status=S.RETURNED,
        )
        .select_related("question", "assignment__questionnaire")
        .order_by("assignment__due_on", "question__order")
    )


@dataclass
class FormEvidence:
    """An evidence item as a row of the form lists it (no model instance:
    rows of a few columns cost little); ``Links.decorate`` adds its links."""

    pk: int
    answer_id: int
    kind: str
    title: str
    file_name: str
    size: int | None
    url: str
    citation: str
    confidentiality: str


@dataclass
class FormData:
    """What the answer form of one assignment reads beside the questionnaire's
    fixed parts (:mod:`parasat.assessment.frozen`), in three queries."""

    assignment: Assignment
    questions: Sequence[Question]  # every row, groups included, in order
    answers: dict[int, Answer]  # question pk -> answer the reader may read
    evidence: dict[int, list[FormEvidence]]  # answer pk -> its first current evidence
    evidence_counts: dict[int, int]  # answer pk -> how many current items in all
    comment_counts: dict[int, int]

    def values(self) -> dict[str, Any]:
        return {
            q.name: self.answers[q.pk].raw
            for q in self.questions
            if q.pk in self.answers and q.name
        }


# What the form reads of an answer, and of the person who last saved it the name alone.
_FORM_ANSWER_FIELDS = (
    "assignment_id",
    "question_id",
    "status",
    "value",
    "explanation",
    "confidentiality",
    "version",
    "updated_at",
    "return_reason",
    *(f"updated_by__{name}" for name in ("full_name", "first_name", "last_name", "username")),
)


# How many evidence items a row of the form lists; the answer's page lists them all.
FORM_EVIDENCE = 3
# What a row of the form shows of an evidence item.
_FORM_EVIDENCE_FIELDS = (
    "answer_id",
    "kind",
    "title",
    "file_name",
    "size",
    "url",
    "citation",
    "confidentiality",
)


def form_data(reader: Reader, assignment: Assignment, questions: Sequence[Question]) -> FormData:
    """The answers of ``assignment`` the reader may read (for ``questions``,
    its questionnaire's rows), the first :data:`FORM_EVIDENCE` current
    evidence items of each with how many there are, and their comment counts;
    three queries, whatever the number of evidence items and comments.

    Built for the cost of building the queries, which was most of this
    function's (several times running them): plain filters, no grouping in
    SQL, the counting done here."""
    answers = {
        a.question_id: a
        for a in assignment_answers(reader, assignment)
        .select_related("updated_by")
        .only(*_FORM_ANSWER_FIELDS)
        .order_by()
    }
    if not answers:
        return FormData(assignment, questions, answers, {}, {}, {})
    for answer in answers.values():
        answer.assignment = assignment  # the form asks each answer whose it is
    # Only threads the reader may open are counted.
    comment_counts: dict[int, int] = {}
    for answer_id in Comment.objects.filter(
        answer__in=[a.pk for a in answers.values() if reader.may_see_comments(a)]
    ).values_list("answer_id", flat=True):
        comment_counts[answer_id] = comment_counts.get(answer_id, 0) + 1
    # Each answer's current items the reader may see (one assignment: its
    # files are the reader's own work for all of its answers or for none),
    # counted as they come; kept for the first few of each.
    # Ordered in SQL: sorting here would need the moment each was added,
    # and decoding it for every item (all are read, to count them) grew the
    # form by a third at ten times the evidence.
    rows = (
        Evidence.objects.filter(
            reader.evidence_filter(answer),
            withdrawn_at__isnull=True,
            answer__in=[a.pk for a in answers.values()],
        )
        .order_by("answer_id", "added_at", "pk")
        .values_list("pk", *_FORM_EVIDENCE_FIELDS)
    )
    evidence: dict[int, list[FormEvidence]] = {}
    evidence_counts: dict[int, int] = {}
    for row in rows:
        answer_id = row[1]
        count = evidence_counts[answer_id] = evidence_counts.get(answer_id, 0) + 1
        if count <= FORM_EVIDENCE:
            evidence.setdefault(answer_id, []).append(FormEvidence(*row))
    return FormData(
        assignment=assignment,
        questions=questions,
        answers=answers,
        evidence=evidence,
        evidence_counts=evidence_counts,
        comment_counts=comment_counts,
    )


@dataclass
class History:
    versions: list[AnswerVersion]
    transitions: list[Transition]
    evidence: list[Evidence]  # withdrawn included


def answer_history(audience: Audience, answer: Answer) -> History:
    """What the reader may see of an answer's past. Outside the government side,
    a version saved under a narrower confidentiality than the reader's stays
    hidden (an answer once marked government only and later opened does not
    open its earlier text), and the reasons for returns stay with the
    government and the analytical team."""
    versions_qs = answer.versions.select_related("saved_by").order_by("number")
    own = is_own(audience, answer)
    if not own:
        versions_qs = versions_qs.filter(audience.level_filter())
    versions = list(versions_qs)
    transitions = list(answer.transitions.select_related("by").order_by("at", "pk"))
    if not (own or may_see_comments(audience, answer)):
        for transition in transitions:
            transition.reason = ""
    evidence = list(
        answer.evidence.filter(evidence_filter(audience, answer))
        .select_related("added_by", "withdrawn_by")
        .order_by("added_at", "pk")
    )
    return History(versions=versions, transitions=transitions, evidence=evidence)


def visible_evidence_filter(
    audience: Audience, *, evidence: str = "", answer: str = "answer__"
) -> Q:
    """A filter keeping the current evidence ``audience`` may see, for many
    answers at once (``access.evidence_filter`` judges one answer). ``evidence``
    leads to Evidence and ``answer`` to its Answer from the model filtered:
    ``("", "answer__")`` on Evidence, ``("evidence__", "")`` on Answer.
    The government side sees every file of its own work; anyone else only files
    whose level admits them, so not even the number of government-only files
    reaches them."""
    current = Q(**{f"{evidence}withdrawn_at__isnull": True})
    if audience.whole_government:
        return current
    visible = audience.level_filter(f"{evidence}confidentiality")
    if audience.ministries:
        visible |= own_work(audience, f"{answer}assignment__")
    return current & visible


_IN_AREA_ORDER = (
    "assignment__questionnaire__area__order",
    "assignment__questionnaire__identifier",
    "question__order",
)
# What no answer row shows: the XLSForm layout, descriptions, search text, passwords.
_ANSWER_ROW_DEFERRED = (
    "question__search_text",
    "question__extra",
    "assignment__questionnaire__description",
    "assignment__questionnaire__settings",
    "assignment__questionnaire__columns",
    "assignment__questionnaire__extra",
    "assignment__questionnaire__area__description",
    "updated_by__password",
)


def _with_evidence_count(audience: Audience, answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """Answers each counting only the current files the reader may see (not
    even the number of the others reaches them). Counted in a subquery: a
    count joined to the answers would group them by every column selected."""
    visible = (
        Evidence.objects.filter(visible_evidence_filter(audience), answer=OuterRef("pk"))
        .order_by()
        .values("answer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return answers.annotate(evidence_count=Coalesce(Subquery(visible), 0))


def _answer_rows(audience: Audience) -> QuerySet[Answer]:
    """Every answer the audience may read, in area, questionnaire and question
    order, with what a row of an export or the API shows."""
    return (
        readable_answers(audience)
        .select_related(
            "question",
            "assignment__questionnaire__area",
            "assignment__ministry",
            "updated_by",
        )
        .defer(*_ANSWER_ROW_DEFERRED)
        .order_by(*_IN_AREA_ORDER)
    )


def answers_for_export(audience: Audience) -> QuerySet[Answer]:
    """Every answer the audience may read, with what an export row shows,
    ``evidence_count`` included."""
    return _with_evidence_count(audience, _answer_rows(audience))


def answers_with_evidence(
    audience: Audience, *, status: str = "", area: str = ""
) -> QuerySet[Answer]:
    """The answers of :func:`answers_for_export`, optionally of one status and
    one area (its code), each carrying the current evidence the reader may see
    in ``visible_evidence``."""
    qs = _answer_rows(audience).prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(visible_evidence_filter(audience)).order_by(
                "added_at", "pk"
            ),
            to_attr="visible_evidence",
        )
    )
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(assignment__questionnaire__area__code=area)
    return qs


def current_evidence(audience: Audience, answer: Answer) -> list[Evidence]:
    """The evidence of one answer the audience may see, withdrawn items left out."""
    return list(
        answer.evidence.filter(
            evidence_filter(audience, answer), withdrawn_at__isnull=True
        ).order_by("added_at", "pk")
    )


def assignments_overview(reader: Reader, *, today: dt.date) -> list[ProgressRow]:
    """The assignments the reader may see, with counts. The co-ordinator and the
    analytical team get the progress dashboard's counts; everyone else only the
    assignments holding answers they may read, counted over those answers alone."""
    if reader.is_coordinator or reader.can(Perm.VIEW_PROGRESS):
        return progress(reader, today=today).rows
    readable = reader.answers()
    assignments = Assignment.objects.filter(
        review=reader.review, pk__in=readable.values("assignment_id")
    ).order_by("questionnaire__area__order", "questionnaire__identifier")
    return _progress_rows(assignments, today=today, answers=readable)


def choice_labels(questions: Iterable[Question]) -> dict[int, dict[str, str]]:
    """choice list pk -> {choice name: label in the current language} for the
    questions' lists, in one query (none when no question has a list)."""
    out: dict[int, dict[str, str]] = {}
    list_ids = {q.choice_list_id for q in questions if q.choice_list_id}
    if list_ids:
        for choice in Choice.objects.filter(choice_list_id__in=list_ids):
            out.setdefault(choice.choice_list_id, {})[choice.name] = str(choice.label)
    return out


def question_labels(question: Question) -> dict[str, str]:
    """{choice name: label} of one question's list."""
    return choice_labels([question]).get(question.choice_list_id or 0, {})


# --- who must act next (notifications and reminders) ------------------------------


def people_in_roles(
    review: Review, roles: Iterable[str], *, ministry_id: int | None = None
) -> set[int]:
    """The active participants of ``review`` holding one of ``roles`` (in one ministry)."""
    qs = Participant.objects.filter(review=review, role__in=list(roles), active=True)
    if ministry_id is not None:
        qs = qs.filter(organisation_id=ministry_id)
    return set(qs.values_list("user_id", flat=True))


def working_group(assignment: Assignment) -> set[int]:
    """Who answers an assignment: its contact person while they still take part,
    otherwise every active contact person of its ministry. One query."""
    group = people_in_roles(
        assignment.review, [Role.CONTACT_PERSON], ministry_id=assignment.ministry_id
    )
    return {assignment.assignee_id} if assignment.assignee_id in group else group


# --- the work: dashboard, "my work", the queue and assigning (views/work.py) ------


def progress_row(assignment: Assignment, counts: dict[str, int], *, today: dt.date) -> ProgressRow:
    """A progress row of an assignment with its answers' ``counts`` (see
    :func:`_answer_counts`); overdue when the due date has passed and answers
    are still open."""
    return ProgressRow(
        assignment=assignment,
        **counts,
        overdue=assignment.due_on < today and counts["draft"] + counts["returned"] > 0,
    )


def readable_assignments(reader: Reader) -> QuerySet[Assignment]:
    """Assignments holding answers the reader may read, each with ``readable``:
    how many (for readers who follow no one's progress); one query."""
    return (
        Assignment.objects.filter(review=reader.review)
        .annotate(readable=Count("answers", filter=reader.answer_filter("answers__")))
        .filter(readable__gt=0)
        .select_related("questionnaire__area", "ministry")
        .order_by("questionnaire__area__order", "questionnaire__identifier")
    )


@dataclass
class QueueItem:
    answer: Answer
    text: str  # the answer as a person reads it
    evidence_count: int


def decision_queue(reader: Reader) -> list[QueueItem]:
    """The submitted answers the reader may read, in area, questionnaire and
    question order, with the answer as text and the number of current
    evidence items; two queries."""
    answers = list(
        _with_evidence_count(
            reader,
            reader.answers()
            .filter(status=S.SUBMITTED)
            .select_related(
                "question",
                "assignment__questionnaire__area",
                "assignment__ministry",
                "assignment__assignee",
            )
            .order_by(*_IN_AREA_ORDER),
        )
    )
    labels = choice_labels(a.question for a in answers)
    return [
        QueueItem(
            answer=a,
            text=display(a.question, a.raw, labels.get(a.question.choice_list_id or 0, {})),
            evidence_count=a.evidence_count,  # type: ignore[attr-defined]
        )
        for a in answers
    ]


def forwarded_count(review: Review, level: str) -> int:
    """How many forwarded answers of ``review`` readers cleared for ``level`` read."""
    return Answer.objects.filter(
        assignment__review=review, status=S.FORWARDED, confidentiality__in=levels_from(level)
    ).count()


@dataclass
class AwaitingForward:
    area: PolicyArea | None  # None: questionnaires not filed under an area
    count: int


def awaiting_forward(reader: Reader) -> list[AwaitingForward]:
    """Per area, the accepted answers not yet forwarded to the analytical team;
    two queries."""
    counts: dict[int | None, int] = {
        row["assignment__questionnaire__area"]: row["n"]
        for row in reader.answers()
        .filter(status=S.ACCEPTED)
        .order_by()
        .values("assignment__questionnaire__area")
        .annotate(n=Count("pk"))
    }
    if not counts:
        return []
    areas = PolicyArea.objects.filter(pk__in=[pk for pk in counts if pk]).order_by("order")
    rows = [AwaitingForward(area=area, count=counts[area.pk]) for area in areas]
    if counts.get(None):
        rows.append(AwaitingForward(area=None, count=counts[None]))
    return rows


@dataclass
class AssignOptions:
    """What the co-ordinator may choose from when assigning."""

    areas: list[tuple[PolicyArea, int]]  # each area with how many questionnaires are left
    questionnaires: list[Questionnaire]  # newest versions not yet assigned in the review
    ministries: list[Organisation]
    contacts: list[Participant]  # active contact persons with their ministry


def assign_options(review: Review) -> AssignOptions:
    """Areas, unassigned questionnaires (newest versions), ministries (those of
    the review's contact persons and every organisation of kind ministry) and
    contact persons; four queries."""
    taken = Assignment.objects.filter(review=review).values("questionnaire__identifier")
    questionnaires = list(
        latest_versions()
        .exclude(identifier__in=taken)
        .select_related("area")
        .order_by("area__order", "identifier")
    )
    left: dict[int | None, int] = {}
    for q in questionnaires:
        left[q.area_id] = left.get(q.area_id, 0) + 1
    contact = Q(
        participants__review=review,
        participants__role=Role.CONTACT_PERSON,
        participants__active=True,
    )
    return AssignOptions(
        areas=[(a, left.get(a.pk, 0)) for a in PolicyArea.objects.order_by("order")],
        questionnaires=questionnaires,
        ministries=list(
            Organisation.objects.filter(Q(kind=Organisation.Kind.MINISTRY) | contact)
            .distinct()
            .order_by("code")
        ),
        contacts=list(
            Participant.objects.filter(
                review=review, role=Role.CONTACT_PERSON, active=True, organisation__isnull=False
            )
            .select_related("user", "organisation")
            .order_by("organisation__code", "user__full_name", "user__username")
        ),
    )


# --- the landing page: a contact person's work across their reviews -----------------


@dataclass
class ReviewWork:
    """What one review asks of a contact person now: their ministries'
    assignments with answers still open (soonest due first) and the answers
    returned to them."""

    review: Review
    due: list[ProgressRow]
    returned: list[Answer]


def landing_work(user: User, reviews: Iterable[Review], *, today: dt.date) -> list[ReviewWork]:
    """Per review in which ``user`` is a contact person, their open work; four
    queries however many reviews, assignments and answers."""
    by_pk = {r.pk: r for r in reviews}
    ministries = list(
        Participant.objects.filter(
            user=user,
            role=Role.CONTACT_PERSON,
            active=True,
            review__in=list(by_pk),
            organisation__isnull=False,
        ).values_list("review_id", "organisation_id")
    )
    if not ministries:
        return []
    theirs = Q(pk__in=[])
    for review_id, ministry_id in ministries:
        theirs |= Q(review_id=review_id, ministry_id=ministry_id)
    rows = [
        row
        for row in _progress_rows(
            Assignment.objects.filter(theirs).order_by("due_on", "questionnaire__identifier"),
            today=today,
        )
        if row.open
    ]
    returned = list(
        Answer.objects.filter(
            status=S.RETURNED, assignment__in=Assignment.objects.filter(theirs).values("pk")
        )
        .select_related("question", "assignment__questionnaire")
        .defer(*_ANSWER_ROW_DEFERRED[:6])  # what a row shows of the question and questionnaire
        .order_by("assignment__due_on", "assignment_id", "question__order")
    )
    work = []
    for review_id in dict.fromkeys(r for r, _m in ministries):
        work.append(
            ReviewWork(
                review=by_pk[review_id],
                due=[r for r in rows if r.assignment.review_id == review_id],
                returned=[a for a in returned if a.assignment.review_id == review_id],
            )
        )
    return work
