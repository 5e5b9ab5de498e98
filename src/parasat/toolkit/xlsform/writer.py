"""Write a questionnaire as an XLSForm (.xlsx) that pyxform converts: survey,
choices and settings sheets, texts in each language (``label::English (en)``,
``label::Русский (ru)``, ``label::Қазақша (kk)``), provisions in the custom
``parasat_provisions`` column, and every column and sheet an imported form had.
Texts are written as texts, never as formulas (:func:`append_row`)."""

from __future__ import annotations

from parasat.core.lib.spreadsheets import append_row, workbook_bytes
from parasat.core.lib.translated import TranslatedText
from parasat.toolkit.models import Choice, Question, Questionnaire
from parasat.toolkit.xlsform.columns import (
    CONTENT_LANGUAGES,
    LANGUAGE_COLUMNS,
    delimiter_for,
    map_columns,
)

# Parasat's own layout, in the order it writes columns a form does not have yet.
SURVEY_LAYOUT: list[tuple[str, str | None, str]] = [
    ("type", None, "type"),
    ("name", None, "name"),
    ("label", "lang", "label"),
    ("hint", "lang", "hint"),
    ("guidance", "lang", "guidance_hint"),
    ("required", None, "required"),
    ("relevant", None, "relevant"),
    ("constraint", None, "constraint"),
    ("constraint_message", "lang", "constraint_message"),
    ("calculation", None, "calculation"),
    ("choice_filter", None, "choice_filter"),
    ("code", None, "parasat_code"),
    ("provisions", None, "parasat_provisions"),
    ("evidence", "lang", "parasat_evidence"),
]
CHOICES_LAYOUT: list[tuple[str, str | None, str]] = [
    ("list_name", None, "list_name"),
    ("name", None, "name"),
    ("label", "lang", "label"),
]


def _value(obj: Question | Choice, field: str, language: str | None, list_name: str = "") -> str:
    if field == "provisions":
        return " ".join(p.key for p in obj.provisions.all())
    if field == "list_name":
        return list_name
    value = getattr(obj, field)
    if isinstance(value, TranslatedText):
        return value.get(language or "en")
    return str(value or "")


def _headers(
    existing: list[str], sheet: str, layout, rows: list, list_names: dict | None = None
) -> tuple[list[str], dict]:
    """The sheet's own headers, then Parasat's columns the form lacks but its rows fill."""
    headers = list(existing)
    columns = map_columns(headers, sheet)
    covered = {(c.field, c.language) for c in columns.values()}
    delimiter = delimiter_for(headers)
    for field, per_language, header in layout:
        languages = CONTENT_LANGUAGES if per_language else (None,)
        for language in languages:
            if (field, language) in covered:
                continue
            filled = not existing or any(
                _value(row, field, language, (list_names or {}).get(id(row), "")) for row in rows
            )
            if not filled:
                continue
            name = f"{header}{delimiter}{LANGUAGE_COLUMNS[language]}" if language else header
            headers.append(name)
    for row in rows:
        for key in [*row.media, *row.extra]:
            if key not in headers:
                headers.append(key)
    return headers, map_columns(headers, sheet)


def _cell(obj, column, list_name: str = "") -> str:
    if column.field == "extra":
        return obj.extra.get(column.header, "")
    if column.field == "media":
        return obj.media.get(column.header, "")
    return _value(obj, column.field, column.language, list_name)


def _settings(questionnaire: Questionnaire) -> tuple[list[str], dict[str, str]]:
    settings = dict(questionnaire.settings)
    headers = list(questionnaire.columns.get("settings") or settings.keys())
    lowered = {h.strip().lower() for h in headers}
    if not questionnaire.columns.get("survey"):  # Parasat's own layout
        own = {
            "form_title": questionnaire.title.source or questionnaire.identifier,
            "form_id": questionnaire.identifier,
            "version": str(questionnaire.version),
            "default_language": LANGUAGE_COLUMNS["en"],
        }
    elif not lowered & {"form_id", "id_string"}:
        # The identifier came from the file name: keep it when the file is renamed.
        own = {"form_id": questionnaire.identifier}
    else:
        own = {}
    for key, value in own.items():
        if key not in lowered:
            headers.append(key)
            settings[key] = value
    # The title's translations and the description, in Parasat's own columns.
    delimiter = delimiter_for(headers)
    for name, text, languages in (
        ("parasat_title", questionnaire.title, CONTENT_LANGUAGES[1:]),
        ("parasat_description", questionnaire.description, CONTENT_LANGUAGES),
    ):
        for language in languages:
            header = f"{name}{delimiter}{LANGUAGE_COLUMNS[language]}"
            if text.get(language) and header not in headers:
                headers.append(header)
            if header in headers:
                settings[header] = text.get(language)
    return headers, settings


def write_xlsform(questionnaire: Questionnaire) -> bytes:
    """The questionnaire as .xlsx bytes."""
    questions = list(questionnaire.questions.prefetch_related("provisions").order_by("order"))
    lists = list(questionnaire.choice_lists.prefetch_related("choices").order_by("pk"))
    choices: list[Choice] = []
    list_names: dict[int, str] = {}
    for choice_list in lists:
        for choice in choice_list.choices.all():
            choices.append(choice)
            list_names[id(choice)] = choice_list.name
    names = questionnaire.extra.get("sheet_names", {})
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = names.get("survey", "survey")
    headers, columns = _headers(
        questionnaire.columns.get("survey") or [], "survey", SURVEY_LAYOUT, questions
    )
    append_row(survey, headers)
    for question in questions:
        append_row(survey, [_cell(question, columns[h]) for h in headers])

    if choices or questionnaire.columns.get("choices"):
        sheet = book.create_sheet(names.get("choices", "choices"))
        headers, columns = _headers(
            questionnaire.columns.get("choices") or [],
            "choices",
            CHOICES_LAYOUT,
            choices,
            list_names,
        )
        append_row(sheet, headers)
        for choice in choices:
            append_row(sheet, [_cell(choice, columns[h], list_names[id(choice)]) for h in headers])

    headers, settings = _settings(questionnaire)
    sheet = book.create_sheet(names.get("settings", "settings"))
    append_row(sheet, headers)
    append_row(sheet, [settings.get(h, "") for h in headers])

    for extra in questionnaire.extra.get("sheets", []):
        sheet = book.create_sheet(extra["name"][:31])
        for row in extra["rows"]:
            append_row(sheet, row)
    return workbook_bytes(book)
