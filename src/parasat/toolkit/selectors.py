"""Reads of the toolkit, each with the queries it needs and no more."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from parasat.core.fields import LANGUAGE_NAMES
from parasat.core.lib.translated import TranslatedText
from parasat.toolkit.models import (
    QUESTION_ROWS,
    Choice,
    Pillar,
    PolicyArea,
    Provision,
    Question,
    Questionnaire,
)
from parasat.toolkit.xlsform.columns import CONTENT_LANGUAGES


def _with_counts(qs: QuerySet[Questionnaire]) -> QuerySet[Questionnaire]:
    return qs.annotate(
        question_count=Count(
            "questions", filter=~Q(questions__kind__in=Question.STRUCTURE) & ~Q(questions__type="")
        )
    )


def latest_versions() -> QuerySet[Questionnaire]:
    """Only the newest version of each questionnaire."""
    newest = (
        Questionnaire.objects.filter(identifier=OuterRef("identifier"))
        .order_by("-version")
        .values("version")[:1]
    )
    return Questionnaire.objects.filter(version=Subquery(newest))


def questionnaire_list() -> list[Questionnaire]:
    """Every version, with its question count (for ``parasat toolkit list``)."""
    return list(
        _with_counts(Questionnaire.objects.select_related("area")).order_by(
            "area__order", "identifier", "version"
        )
    )


def question_count(questionnaire: Questionnaire) -> int:
    return questionnaire.questions.filter(QUESTION_ROWS).count()


def questionnaire_by_identifier(
    identifier: str, version: int | None = None
) -> Questionnaire | None:
    qs = Questionnaire.objects.select_related("area", "area__pillar").filter(identifier=identifier)
    if version is not None:
        return qs.filter(version=version).first()
    return qs.order_by("-version").first()


@dataclass
class Toolkit:
    pillars: list[Pillar]
    unassigned: list[Questionnaire]


def toolkit_overview() -> Toolkit:
    """Pillars, their areas and the newest version of each area's questionnaires."""
    latest = _with_counts(latest_versions()).order_by("identifier")
    pillars = list(
        Pillar.objects.prefetch_related(
            Prefetch(
                "areas",
                queryset=PolicyArea.objects.order_by("order").prefetch_related(
                    Prefetch("questionnaires", queryset=latest)
                ),
            )
        )
    )
    unassigned = list(latest.filter(area__isnull=True))
    return Toolkit(pillars, unassigned)


def area_with_questionnaires(code: str) -> PolicyArea | None:
    versions = _with_counts(Questionnaire.objects.all()).order_by("identifier", "-version")
    return (
        PolicyArea.objects.select_related("pillar")
        .prefetch_related(Prefetch("questionnaires", queryset=versions))
        .filter(code=code)
        .first()
    )


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    """Every row of the survey with its provisions (and their instrument) and choices."""
    return list(
        questionnaire.questions.select_related("choice_list")
        .prefetch_related(
            Prefetch("provisions", queryset=Provision.objects.select_related("instrument")),
            Prefetch("choice_list__choices", queryset=Choice.objects.order_by("order")),
        )
        .order_by("order")
    )


def versions_of(identifier: str) -> list[Questionnaire]:
    return list(
        _with_counts(Questionnaire.objects.filter(identifier=identifier)).order_by("-version")
    )


def question_search(query: str, *, limit: int = 100) -> list[Question]:
    """Questions of the newest versions whose text (any language), code or name
    contains ``query``, or which test a provision whose key starts with it."""
    query = " ".join(query.split())
    if not query:
        return []
    matches = Q(search_text__contains=query.casefold())
    if ":" in query or query.isupper():
        matches |= Q(provisions__key__istartswith=query)
    ids = (
        Question.objects.filter(QUESTION_ROWS, questionnaire__in=latest_versions())
        .filter(matches)
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    return list(
        Question.objects.filter(pk__in=list(ids))
        .select_related("questionnaire", "questionnaire__area")
        .prefetch_related(
            Prefetch("provisions", queryset=Provision.objects.select_related("instrument"))
        )
        .order_by("questionnaire__identifier", "order")
    )


# --- comparing two versions ------------------------------------------------

_COMPARED_TEXTS = ("label", "hint", "guidance", "evidence", "constraint_message")
_COMPARED_PLAIN = (
    "type",
    "code",
    "path",
    "required",
    "relevant",
    "constraint",
    "calculation",
    "choice_filter",
)


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class QuestionChange:
    key: str
    old: Question | None
    new: Question | None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Comparison:
    old: Questionnaire
    new: Questionnaire
    added: list[Question]
    removed: list[Question]
    changed: list[QuestionChange]

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _key(question: Question) -> str:
    return question.name or f"#{question.order} {question.type}"


def _text(value: TranslatedText, language: str) -> str:
    return value.get(language)


def question_differences(old: Question, new: Question) -> list[FieldChange]:
    changes = []
    verbose = {f.name: str(f.verbose_name) for f in Question._meta.get_fields() if f.concrete}
    for name in _COMPARED_PLAIN:
        if getattr(old, name) != getattr(new, name):
            changes.append(FieldChange(verbose[name], getattr(old, name), getattr(new, name)))
    for name in _COMPARED_TEXTS:
        for language in CONTENT_LANGUAGES:
            a, b = _text(getattr(old, name), language), _text(getattr(new, name), language)
            if a != b:
                changes.append(FieldChange(f"{verbose[name]} ({LANGUAGE_NAMES[language]})", a, b))
    old_keys = sorted(p.key for p in old.provisions.all())
    new_keys = sorted(p.key for p in new.provisions.all())
    if old_keys != new_keys:
        changes.append(FieldChange(verbose["provisions"], " ".join(old_keys), " ".join(new_keys)))
    old_choices = _choices(old)
    new_choices = _choices(new)
    if old_choices != new_choices:
        changes.append(FieldChange(str(Choice._meta.verbose_name_plural), old_choices, new_choices))
    for name in sorted(set(old.extra) | set(new.extra)):
        if old.extra.get(name, "") != new.extra.get(name, ""):
            changes.append(FieldChange(name, old.extra.get(name, ""), new.extra.get(name, "")))
    return changes


def _choices(question: Question) -> str:
    if question.choice_list is None:
        return ""
    return "; ".join(f"{c.name}={c.label.source}" for c in question.choice_list.choices.all())


def compare_versions(old: Questionnaire, new: Questionnaire) -> Comparison:
    """What was added, removed and changed between two versions (questions by name)."""
    before = {_key(q): q for q in questions_of(old)}
    after = {_key(q): q for q in questions_of(new)}
    changed = []
    for key, question in after.items():
        if key in before:
            fields = question_differences(before[key], question)
            if fields:
                changed.append(QuestionChange(key, before[key], question, fields))
    return Comparison(
        old,
        new,
        added=[q for k, q in after.items() if k not in before],
        removed=[q for k, q in before.items() if k not in after],
        changed=changed,
    )
