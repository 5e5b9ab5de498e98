"""What the answer form draws of a questionnaire in use, drawn once per
language and kept.

A questionnaire given to a review is frozen (``Questionnaire.frozen``): its
questions, their kinds, rules and choices never change, and their texts change
only in the administration, where every save of a question, a choice list or a
choice renews the questionnaire's ``updated_at`` (see the toolkit's models).
So what the form shows of each question — its title, hint, guidance and
expected evidence, its choices' labels, its skip logic and constraint for
form.js — is drawn once per version and language and kept in this process,
under the questionnaire's ``updated_at``: a text edited in one process shows at
once in every other, which reads that moment with the assignment anyway. On a
hit the form runs no query for the questions or their choices.

Drawing the rows was most of the form's cost (Django's template engine took
about 3.5 ms per question); see bench/README.md."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, override

from parasat.assessment.values import CHOICE_KINDS, is_answerable
from parasat.core.lib.translated import TranslatedText
from parasat.core.templatetags.translated import tr
from parasat.toolkit import expressions
from parasat.toolkit.models import Choice, Question, Questionnaire

K = Question.Kind
GROUP_STARTS = frozenset({K.BEGIN_GROUP, K.BEGIN_REPEAT})
GROUP_ENDS = frozenset({K.END_GROUP, K.END_REPEAT})
# Versions × languages kept per process: a review uses a few dozen questionnaires.
MAX_KEPT = 256


@dataclass(frozen=True, slots=True)
class ChoicePart:
    name: str
    label: SafeString  # the label in the reader's language, marked when missing or stale
    text: str  # the same, plain, for the answer as a person reads it


@dataclass(frozen=True, slots=True)
class QuestionPart:
    """One row of the form as far as it never changes."""

    question: Question
    depth: int
    heading: str  # h2 for a row at the top, h3 inside a group…
    subheading: str
    label: SafeString  # the label alone, or ""
    title: SafeString  # code and label (or the name when it has none)
    hint: SafeString  # the hint paragraph, or ""
    guidance: SafeString  # the guidance and expected evidence, folded, or ""
    choices: tuple[ChoicePart, ...]
    rules: str  # skip logic, constraint and required, as JSON for form.js
    rule_problem: str  # why a rule cannot be checked here, or ""
    # The whole row of a group's start or end or of a note (the same for every
    # reader); "" for a question, whose row the answer completes.
    markup: SafeString = mark_safe("")  # noqa: RUF009 — immutable

    @property
    def labels(self) -> dict[str, str]:
        return {c.name: c.text for c in self.choices}


@dataclass(frozen=True, slots=True)
class FrozenForm:
    """Every row of a questionnaire (groups and notes included), in order."""

    questions: tuple[Question, ...]
    parts: tuple[QuestionPart, ...]  # the same order
    # What names this drawing (questionnaire, version, last change, language)
    # while the questionnaire is frozen; None when it is not, and nothing
    # drawn from it may be kept.
    key: tuple[Any, ...] | None = None

    def answerable(self) -> list[QuestionPart]:
        return [p for p in self.parts if is_answerable(p.question)]


def _rules(question: Question) -> str:
    message = TranslatedText.from_json(question.constraint_message).render().text
    return json.dumps(
        {
            "relevant": expressions.parse(question.relevant),
            "constraint": expressions.parse(question.constraint),
            "required": question.is_required
            or (expressions.parse(question.required) if question.required else None),
            "message": message,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _text(value: Any) -> SafeString:
    """``{% tr value %}`` as the template draws it (escaped, marked)."""
    return conditional_escape(tr(value))


def _title(question: Question, label: SafeString) -> SafeString:
    label = label or conditional_escape(question.name)
    if question.code:
        return format_html('<span class="code">{}</span> {}', question.code, label)
    return label


def _guidance(question: Question, subheading: str) -> SafeString:
    if not (question.guidance or question.evidence):
        return mark_safe("")  # noqa: S308 — empty
    parts = [format_html('<details class="guidance"><summary>{}</summary>', gettext("Guidance"))]
    if question.guidance:
        parts.append(format_html("<p>{}</p>", _text(question.guidance)))
    if question.evidence:
        parts.append(
            format_html(
                "<{}>{}</{}><p>{}</p>",
                subheading,
                gettext("Expected evidence"),
                subheading,
                _text(question.evidence),
            )
        )
    parts.append(mark_safe("</details>"))  # noqa: S308 — a closing tag
    return mark_safe("".join(parts))  # noqa: S308 — each part escaped above


def _markup(
    question: Question, depth: int, heading: str, label: SafeString, rules: str
) -> SafeString:
    """The row of a group's start or end or of a note, as the form draws it."""
    if question.kind in GROUP_STARTS:
        return format_html(
            '\n  <section class="answer-group depth-{}" data-group data-rules="{}"'
            ' aria-labelledby="g-{}">\n    <{} class="group-title" id="g-{}">{}</{}>',
            depth,
            rules,
            question.pk,
            mark_safe(heading),  # noqa: S308 — h2…h6
            question.pk,
            label or question.name,
            mark_safe(heading),  # noqa: S308 — h2…h6
        )
    if question.kind in GROUP_ENDS:
        return mark_safe("\n  </section>")  # noqa: S308 — a closing tag
    if question.kind == K.NOTE:
        return format_html('\n  <p class="answer-note depth-{}">{}</p>', depth, label)
    return mark_safe("")  # noqa: S308 — empty


def _part(question: Question, depth: int, choices: list[Choice]) -> QuestionPart:
    problems = [
        p
        for p in (expressions.problem(question.relevant), expressions.problem(question.constraint))
        if p
    ]
    label = _text(question.label) if question.label else mark_safe("")  # noqa: S308 — empty
    rules = _rules(question)
    heading = f"h{min(2 + depth, 6)}"
    return QuestionPart(
        question=question,
        label=label,
        depth=depth,
        heading=heading,
        subheading=f"h{min(3 + depth, 6)}",
        title=_title(question, label),
        hint=format_html('<p class="muted">{}</p>', _text(question.hint))
        if question.hint
        else mark_safe(""),  # noqa: S308 — empty
        guidance=_guidance(question, f"h{min(3 + depth, 6)}"),
        choices=tuple(
            ChoicePart(
                name=c.name,
                label=_text(c.label) if c.label else conditional_escape(c.name),
                text=str(c.label),
            )
            for c in choices
        )
        if question.kind in CHOICE_KINDS
        else (),
        rules=rules,
        rule_problem="; ".join(problems),
        markup=_markup(question, depth, heading, label, rules),
    )


def build(
    questionnaire: Questionnaire, language: str, key: tuple[Any, ...] | None = None
) -> FrozenForm:
    """The form's fixed parts of ``questionnaire`` in ``language``; two queries.
    ``key`` names them when they are kept."""
    questions = list(questionnaire.questions.order_by("order").defer("search_text", "extra"))
    list_ids = {q.choice_list_id for q in questions if q.choice_list_id}
    choices: dict[int, list[Choice]] = {}
    if list_ids:
        for choice in Choice.objects.filter(choice_list_id__in=list_ids).order_by(
            "choice_list", "order"
        ):
            choices.setdefault(choice.choice_list_id, []).append(choice)
    parts = []
    depth = 0
    with override(language):
        for question in questions:
            if question.kind in GROUP_ENDS:
                depth = max(depth - 1, 0)
            parts.append(_part(question, depth, choices.get(question.choice_list_id or 0, [])))
            if question.kind in GROUP_STARTS:
                depth += 1
    return FrozenForm(questions=tuple(questions), parts=tuple(parts), key=key)


_kept: OrderedDict[tuple[Any, ...], FrozenForm] = OrderedDict()
_lock = threading.Lock()


def frozen_form(questionnaire: Questionnaire, language: str) -> FrozenForm:
    """The fixed parts of ``questionnaire`` in ``language``: from this
    process's memory when it is in use (frozen) and unchanged since they were
    drawn, otherwise drawn now (two queries)."""
    if not questionnaire.frozen:
        return build(questionnaire, language)
    key = (questionnaire.pk, questionnaire.version, questionnaire.updated_at, language)
    with _lock:
        form = _kept.get(key)
        if form is not None:
            _kept.move_to_end(key)
            return form
    form = build(questionnaire, language, key)
    with _lock:
        _kept[key] = form
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return form


# --- Rows drawn with their answers ------------------------------------------
#
# An answer's row of the form is kept in this process under a key naming
# everything the row shows (the form's key above, the answer's values and
# state, its evidence and comment count, what the reader may do, the time
# zone...; see ``answering._row_key``): such a key is never stale, only unused,
# so nothing needs telling when an answer changes, in this process or another:
# the changed answer's key is new and its row alone is drawn again. The rows
# hold a placeholder where the CSRF token goes (``pagecache.CSRF_HOLE``).
# Bounded by the characters kept, the least recently used dropped first.
ROWS_MAX_CHARS = 24_000_000
_rows: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_rows_size = [0]


def kept_row(key: tuple[Any, ...]) -> SafeString | None:
    with _lock:
        row = _rows.get(key)
        if row is not None:
            _rows.move_to_end(key)
        return row


def keep_row(key: tuple[Any, ...], row: SafeString) -> None:
    with _lock:
        old = _rows.pop(key, None)
        if old is not None:
            _rows_size[0] -= len(old)
        _rows[key] = row
        _rows_size[0] += len(row)
        while _rows_size[0] > ROWS_MAX_CHARS and _rows:
            _key, dropped = _rows.popitem(last=False)
            _rows_size[0] -= len(dropped)


def forget() -> None:
    """Drop everything kept (tests)."""
    with _lock:
        _kept.clear()
        _rows.clear()
        _rows_size[0] = 0
