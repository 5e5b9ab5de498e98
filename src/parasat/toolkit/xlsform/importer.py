"""Turn a parsed XLSForm into unsaved questionnaire rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from parasat.core.lib.translated import TranslatedText
from parasat.toolkit import expressions
from parasat.toolkit.models import Choice, ChoiceList, Question
from parasat.toolkit.xlsform.columns import CONTENT_LANGUAGES, language_code, map_columns
from parasat.toolkit.xlsform.parsed import ParsedForm, Problem

YES_NO_PARTLY = "yes_no_partly"
_SELECT_WORDS = {
    "select",
    "select1",
    "add",
    "one",
    "all",
    "that",
    "apply",
    "from",
    "multiple",
    "prompt",
    "using",
}
_SELECT_ONE = ("select_one", "select one", "select1", "add select one")
_SELECT_MANY = (
    "select_multiple",
    "select all that apply",
    "select multiple",
    "add select multiple",
)
_SIMPLE_KINDS = {
    "text": Question.Kind.TEXT,
    "string": Question.Kind.TEXT,
    "integer": Question.Kind.INTEGER,
    "int": Question.Kind.INTEGER,
    "decimal": Question.Kind.DECIMAL,
    "date": Question.Kind.DATE,
    "file": Question.Kind.EVIDENCE,
    "note": Question.Kind.NOTE,
    "calculate": Question.Kind.CALCULATE,
    "begin_group": Question.Kind.BEGIN_GROUP,
    "end_group": Question.Kind.END_GROUP,
    "begin_repeat": Question.Kind.BEGIN_REPEAT,
    "end_repeat": Question.Kind.END_REPEAT,
    "begin_loop": Question.Kind.BEGIN_REPEAT,
    "end_loop": Question.Kind.END_REPEAT,
}
PROVISION_SPLIT = re.compile(r"[\s,;]+")


def kind_and_list(xlsform_type: str) -> tuple[str, str]:
    """Parasat's kind and the choice list named by an XLSForm type."""
    # pyxform takes a second or two to import: loaded when a form is read, not
    # by every process that serves pages (see xlsform/reader.py).
    from pyxform.parsing.sheet_headers import to_snake_case

    raw = " ".join(xlsform_type.split())
    lowered = raw.lower()
    snake = to_snake_case(lowered)
    if "from_file" in snake or "from file" in lowered or snake.startswith("select_one_external"):
        return Question.Kind.SELECT_ONE if "one" in snake else Question.Kind.SELECT_MULTIPLE, ""
    for prefixes, kind in ((_SELECT_ONE, "select_one"), (_SELECT_MANY, "select_multiple")):
        if lowered.startswith(prefixes):
            rest = re.sub(r"\s+or[_ ]specify[_ ]other$|\s+or_other$", "", raw)
            words = [w for w in rest.replace("_", " ", 1).split() if w.lower() not in _SELECT_WORDS]
            list_name = words[0] if words else ""
            if kind == "select_one" and list_name == YES_NO_PARTLY:
                return Question.Kind.YES_NO_PARTLY, list_name
            return kind, list_name
    first = snake.split("_over_")[0] if snake.startswith("begin_loop") else snake
    first = "begin_loop" if first.startswith("begin_loop") else first
    return _SIMPLE_KINDS.get(first, Question.Kind.OTHER), ""


@dataclass
class FormRows:
    """Unsaved rows of one questionnaire, and the provision keys each question cites."""

    title: TranslatedText
    identifier: str
    settings: dict[str, str]
    columns: dict[str, list[str]]
    extra: dict
    description: TranslatedText = field(default_factory=TranslatedText)
    lists: list[ChoiceList] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    list_names: dict[int, str] = field(default_factory=dict)  # order -> choice list it names
    provision_keys: dict[int, list[str]] = field(default_factory=dict)  # order -> keys
    provision_rows: dict[str, int] = field(default_factory=dict)  # key -> first row
    question_rows: dict[int, int] = field(default_factory=dict)  # order -> spreadsheet row


def _texts(row: dict[str, str], cols, field_name: str) -> TranslatedText:
    texts = {
        c.language: row[h]
        for h, c in cols.items()
        if c.field == field_name and c.language in CONTENT_LANGUAGES and row.get(h)
    }
    return TranslatedText.fresh(texts)


def _kept(row: dict[str, str], cols, kind: str) -> dict[str, str]:
    return {h: v for h, v in row.items() if cols.get(h) and cols[h].field == kind}


def _plain(row: dict[str, str], cols, field_name: str) -> str:
    for h, c in cols.items():
        if c.field == field_name and row.get(h):
            return str(row[h])
    return ""


def safe_identifier(value: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", value.strip()).strip("_.-")
    return cleaned[:100] or "form"


def form_rows(form: ParsedForm) -> FormRows:
    settings = form.settings_row
    lowered = {k.strip().lower(): v for k, v in settings.items()}
    identifier = safe_identifier(
        lowered.get("form_id") or lowered.get("id_string") or PurePath(form.filename).stem
    )
    title = lowered.get("form_title") or lowered.get("title") or identifier
    texts: dict[str, dict[str, str]] = {
        "parasat_title": {"en": str(title)},
        "parasat_description": {},
    }
    for key, value in settings.items():
        name, _sep, language = key.replace("::", ":").partition(":")
        code = language_code(language) if language else None
        if name.strip().lower() in texts and code and value:
            texts[name.strip().lower()].setdefault(code, str(value))
    result = FormRows(
        title=TranslatedText.fresh(texts["parasat_title"]),
        description=TranslatedText.fresh(texts["parasat_description"]),
        identifier=identifier,
        settings={k: str(v) for k, v in settings.items()},
        columns={
            "survey": form.survey.headers,
            "choices": form.choices.headers if form.choices else [],
            "settings": form.settings.headers if form.settings else [],
        },
        extra={
            "sheets": form.other_sheets,
            "sheet_names": {
                "survey": form.survey.name,
                "choices": form.choices.name if form.choices else "choices",
                "settings": form.settings.name if form.settings else "settings",
            },
        },
    )
    if form.choices:
        cols = map_columns(form.choices.headers, "choices")
        lists: dict[str, ChoiceList] = {}
        for row in form.choices.rows:
            if not row:
                continue
            list_name = _plain(row, cols, "list_name")
            if list_name not in lists:
                lists[list_name] = ChoiceList(name=list_name)
                result.lists.append(lists[list_name])
                result.choices[list_name] = []
            bucket = result.choices[list_name]
            bucket.append(
                Choice(
                    order=len(bucket) + 1,
                    name=_plain(row, cols, "name"),
                    label=_texts(row, cols, "label"),
                    media=_kept(row, cols, "media"),
                    extra=_kept(row, cols, "extra"),
                )
            )
    cols = map_columns(form.survey.headers, "survey")
    stack: list[str] = []
    order = 0
    for index, row in enumerate(form.survey.rows):
        if not row:
            continue
        order += 1
        xlsform_type = _plain(row, cols, "type")
        kind, list_name = kind_and_list(xlsform_type)
        name = _plain(row, cols, "name")
        if kind in (Question.Kind.END_GROUP, Question.Kind.END_REPEAT) and stack:
            stack.pop()
        question = Question(
            order=order,
            type=xlsform_type,
            kind=kind,
            name=name,
            code=_plain(row, cols, "code")[:40],
            path="/".join(stack),
            label=_texts(row, cols, "label"),
            hint=_texts(row, cols, "hint"),
            guidance=_texts(row, cols, "guidance"),
            evidence=_texts(row, cols, "evidence"),
            required=_plain(row, cols, "required")[:500],
            relevant=_plain(row, cols, "relevant"),
            constraint=_plain(row, cols, "constraint"),
            constraint_message=_texts(row, cols, "constraint_message"),
            calculation=_plain(row, cols, "calculation"),
            choice_filter=_plain(row, cols, "choice_filter"),
            media=_kept(row, cols, "media"),
            extra=_kept(row, cols, "extra"),
        )
        result.question_rows[order] = index + 2
        if list_name:
            result.list_names[order] = list_name
        if kind in (Question.Kind.BEGIN_GROUP, Question.Kind.BEGIN_REPEAT):
            stack.append(name)
        keys = [k for k in PROVISION_SPLIT.split(_plain(row, cols, "provisions")) if k]
        if keys:
            result.provision_keys[order] = keys
            for key in keys:
                result.provision_rows.setdefault(key, index + 2)
        result.questions.append(question)
    return result


def unknown_provision_problems(rows: FormRows, known: set[str], sheet: str) -> list[Problem]:
    missing = sorted(set(rows.provision_rows) - known)
    return [
        Problem(
            _("The provision “%(key)s” is not in the toolkit.") % {"key": key},
            sheet=sheet,
            row=rows.provision_rows[key],
            column="parasat_provisions",
        )
        for key in missing
    ]


# The columns whose expressions the answer form runs (toolkit/expressions.py).
EVALUATED_COLUMNS = ("relevant", "constraint", "required")


def unchecked_patterns(rows: FormRows, sheet: str) -> list[str]:
    """Where a regex() pattern is one that RE2 refuses, or that a browser would
    read otherwise or take too long on: the form shows such a question and
    does not check it, on both sides. pyxform decides what a form is, so the
    file is imported; the importer is told, row by row."""
    found = []
    for question in rows.questions:
        for column in EVALUATED_COLUMNS:
            if why := expressions.refused_pattern(getattr(question, column)):
                problem = Problem(
                    _("The answer form will not check this pattern: %(reason)s.") % {"reason": why},
                    sheet=sheet,
                    row=rows.question_rows.get(question.order),
                    column=column,
                )
                found.append(str(problem))
    return found
