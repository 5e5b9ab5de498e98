"""Which XLSForm column holds which Parasat field, in which language.

Headers are split and de-aliased with pyxform's own rules, so ``label:English``,
``LABEL::EN``, ``label::English (en)`` and ``bind: relevant`` mean what they
mean to pyxform. Columns in a language Parasat does not hold (French,
Swahili…) and every column Parasat does not use are kept as they are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

DEFAULT = "_default"  # a column with no language: English unless the sheet has English too

# The language names of our three content languages, as people write them in headers.
LANGUAGE_ALIASES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "английский": "en",
    "ағылшын": "en",
    "ru": "ru",
    "rus": "ru",
    "russian": "ru",
    "русский": "ru",
    "орыс": "ru",
    "орысша": "ru",
    "kk": "kk",
    "kaz": "kk",
    "kazakh": "kk",
    "қазақша": "kk",
    "қазақ": "kk",
    "казахский": "kk",
    "қазақ тілі": "kk",
}
# How Parasat names the three languages when it writes a form.
LANGUAGE_COLUMNS = {"en": "English (en)", "ru": "Русский (ru)", "kk": "Қазақша (kk)"}
CONTENT_LANGUAGES = ("en", "ru", "kk")

_CODE_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")


@cache
def _pyxform_headers() -> dict[str, tuple[dict[str, Any], set[str]]]:
    """pyxform's header aliases and known columns per sheet. pyxform takes a
    second or two to import: it is loaded when a form is read or written, not
    by the pages that only name the languages (toolkit.selectors)."""
    from pyxform import aliases
    from pyxform.question import MultipleChoiceQuestion, Option
    from pyxform.survey import Survey

    return {
        "survey": (aliases.survey_header, set(MultipleChoiceQuestion.get_slot_names())),
        "choices": (aliases.list_header, set(Option.get_slot_names())),
        "settings": (aliases.settings_header, set(Survey.get_slot_names())),
    }


# Translatable survey fields: pyxform's tokens -> Parasat's field.
_SURVEY_TEXT = {
    ("label",): "label",
    ("hint",): "hint",
    ("guidance_hint",): "guidance",
    ("bind", "jr:constraintMsg"): "constraint_message",
    ("parasat_evidence",): "evidence",
}
_SURVEY_PLAIN = {
    ("type",): "type",
    ("name",): "name",
    ("bind", "required"): "required",
    ("bind", "relevant"): "relevant",
    ("bind", "constraint"): "constraint",
    ("bind", "calculate"): "calculation",
    ("choice_filter",): "choice_filter",
    ("parasat_code",): "code",
    ("parasat_provisions",): "provisions",
}
_CHOICE_TEXT = {("label",): "label"}
_CHOICE_PLAIN = {("list name",): "list_name", ("name",): "name"}


def language_code(token: str) -> str | None:
    """``English (en)``, ``english``, ``EN``, ``Русский (ru)`` -> en/ru/kk; None otherwise."""
    token = " ".join(token.split()).lower()
    match = _CODE_IN_PARENS.search(token)
    if match:
        return LANGUAGE_ALIASES.get(match.group(1).strip())
    return LANGUAGE_ALIASES.get(token)


@dataclass(frozen=True)
class Column:
    """Where a header's values go: ``field`` (and ``language`` for texts),
    ``"media"`` for media columns, or ``"extra"`` for everything else."""

    header: str
    field: str
    language: str | None = None


def _tokens(header: str, sheet: str, double_colon: bool) -> tuple[str, ...]:
    from pyxform.parsing.sheet_headers import process_header

    headers = _pyxform_headers()
    header_aliases, known = headers.get(sheet, headers["settings"])
    return process_header(header, double_colon, header_aliases, known)[1]


def map_columns(headers: Sequence[str], sheet: str) -> dict[str, Column]:
    """Map every header of ``sheet`` (survey or choices) to where its values go."""
    double_colon = any("::" in h for h in headers)
    texts, plain = (
        (_SURVEY_TEXT, _SURVEY_PLAIN) if sheet == "survey" else (_CHOICE_TEXT, _CHOICE_PLAIN)
    )
    result: dict[str, Column] = {}
    taken: set[tuple[str, str | None]] = set()
    defaults: dict[str, str] = {}
    for header in headers:
        tokens = _tokens(header, sheet, double_colon)
        column = Column(header, "extra")
        if tokens in plain:
            column = Column(header, plain[tokens])
        elif tokens and tokens[0] == "media":
            column = Column(header, "media")
        else:
            for prefix, field in texts.items():
                if tokens[: len(prefix)] != prefix or len(tokens) > len(prefix) + 1:
                    continue
                if len(tokens) == len(prefix):
                    column = Column(header, field, DEFAULT)
                    defaults[field] = header
                else:
                    language = language_code(tokens[-1])
                    if language:
                        column = Column(header, field, language)
                break
        key = (column.field, column.language)
        if column.field not in {"extra", "media"}:
            if key in taken:
                column = Column(header, "extra")
            else:
                taken.add(key)
        result[header] = column
    # A column with no language holds English, unless the sheet has English too.
    for field, header in defaults.items():
        if (field, "en") in taken:
            result[header] = Column(header, "extra")
        else:
            result[header] = Column(header, field, "en")
    return result


def delimiter_for(headers: Sequence[str]) -> str:
    """The delimiter for columns Parasat adds: ``::`` unless the sheet already
    uses single colons (adding ``::`` would change how pyxform reads them)."""
    if any("::" in h for h in headers):
        return "::"
    if any(":" in h for h in headers):
        return ":"
    return "::"
