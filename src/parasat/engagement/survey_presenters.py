"""What the respondent's page draws of a questionnaire: each row's fixed
parts (drawn once per version and language, :mod:`parasat.assessment.frozen`)
with what this respondent typed or chose and what is wrong with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parasat.assessment.frozen import GROUP_ENDS, GROUP_STARTS, FrozenForm, QuestionPart
from parasat.engagement.services.surveys import SURVEY_KINDS
from parasat.toolkit.models import Question

K = Question.Kind


@dataclass(frozen=True)
class Option:
    name: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Item:
    part: QuestionPart
    kind: str  # the question's kind, or "group", "group_end", "note"
    value: str
    options: tuple[Option, ...]
    error: str

    @property
    def name(self) -> str:
        return self.part.question.name

    @property
    def required(self) -> bool:
        return self.part.question.is_required


def respondent_items(
    form: FrozenForm, raw: Mapping[str, Any], errors: Mapping[str, str]
) -> list[Item]:
    items: list[Item] = []
    for part in form.parts:
        question = part.question
        if question.kind in GROUP_STARTS:
            kind = "group"
        elif question.kind in GROUP_ENDS:
            kind = "group_end"
        elif question.kind == K.NOTE:
            kind = "note"
        elif question.kind in SURVEY_KINDS and question.name:
            kind = question.kind
        else:
            continue
        given = raw.get(question.name)
        chosen = set(given) if isinstance(given, list) else {given} if given else set()
        items.append(
            Item(
                part=part,
                kind=kind,
                value="" if isinstance(given, list) or given is None else str(given),
                options=tuple(Option(c.name, c.label, c.name in chosen) for c in part.choices),
                error=errors.get(question.name, ""),
            )
        )
    return items
