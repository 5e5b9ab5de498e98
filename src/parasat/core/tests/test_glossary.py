"""One term per concept in Kazakh and Russian, wherever Parasat speaks: the
interface catalogues, the shipped question bank and the example review.

Where the agreement (the Kazakh text of Resolution No. 1371 of 24 December
2014, ``../shared/seed/``) names a concept, its word is the one used:
*парасаттылық* for integrity (its title and Annex I §VIII; the stray *ізгілік*
of Art. 1 and of the budget's heading is not followed), *зерттеу* for the
review (its title), *құралдар* for the toolkit (Annex I §I, §IV.3, §V:
"парасаттылықты қамтамасыз ету құралдары", "Құралдар сауалнама құралдарын
қамтиды"). The agreement names no supreme audit institution or financial
intelligence unit, and for the peer review only its workshop ("шолу
семинары", §VI): those terms follow the usage already dominant in Parasat
and in INTOSAI's and FATF's own Russian. The seed holds no Russian text.

Two checks: where the English text names a concept, the Kazakh and Russian
texts use its term; and the variants that were in use appear nowhere."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"
CATALOGUES = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("kk", "ru")}
CONTENT = [
    *sorted((PACKAGE / "toolkit" / "bank").glob("*.toml")),
    *sorted((PACKAGE / "toolkit" / "bank" / "areas").glob("*.toml")),
    *sorted((PACKAGE / "reviews" / "examples").glob("*.toml")),
]


@dataclass(frozen=True)
class Term:
    en: str  # where the English text matches this, the concept is named
    kk: str  # ...and the Kazakh text must match this
    ru: str  # ...and the Russian text this
    not_kk: tuple[str, ...] = ()  # variants that must appear nowhere in Kazakh
    not_ru: tuple[str, ...] = ()
    other_senses: tuple[str, ...] = ()  # English phrases using the word for something else
    catalogue_only: bool = False  # the English word has other senses in the content


GLOSSARY = {
    "integrity": Term(
        en=r"\bintegrity\b(?! of accounting)(?! and quality)",
        kk=r"парасаттылы[қғ]",
        ru=r"добросовестност",
        not_kk=(r"\bізгілі[кг]",),
        not_ru=(r"неподкупност", r"целостност"),
    ),
    "review": Term(
        en=r"\breviews?\b",
        kk=r"зерттеу",
        ru=r"обзор",
        other_senses=(r"\bpeer review(er)?s?\b", r"\byour review\b"),
        catalogue_only=True,
    ),
    "toolkit": Term(
        en=r"\btoolkit\b",
        kk=r"құрал",
        ru=r"инструментари",
        not_kk=(r"құралдар жина[ғқ]", r"құралдар жиынты[ғқ]"),
        not_ru=(r"набор\w* инструмент",),
    ),
    "peer review": Term(
        en=r"\bpeer review\b",
        kk=r"өзара бағала",
        ru=r"взаимн\w+ оценк",
        not_kk=(r"өзара сараптам", r"сараптамалық \(peer\)"),
        not_ru=(r"экспертн\w+ (\(peer\) )?оценк",),
    ),
    "peer reviewer": Term(
        en=r"\bpeer reviewers?\b",
        kk=r"әріптес-сарапшы",
        ru=r"эксперт\w*-коллег",
    ),
    "supreme audit institution": Term(
        en=r"\bsupreme audit\b|\bSAIs?\b(?! PMF| Performance)",
        kk=r"жоғары аудиторлық орган",
        ru=r"высш\w+ орган\w* аудита",
        not_kk=(r"жоғары мемлекеттік аудит", r"жоғары қаржылық бақылау"),
        not_ru=(r"высш\w+ орган\w* (государственного аудита|финансового контроля)",),
    ),
    "financial intelligence unit": Term(
        en=r"\bfinancial intelligence units?\b",
        kk=r"қаржылық барлау бөлімше",
        ru=r"подразделени\w+ финансовой разведки",
        not_kk=(r"қаржы барлауы",),
    ),
}


@dataclass(frozen=True)
class Text:
    where: str
    en: str
    kk: str
    ru: str
    catalogue: bool


def _tables(value: Any, where: str) -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(value, dict):
        if {"en", "ru", "kk"} <= set(value) and all(isinstance(value[k], str) for k in value):
            yield where, value
        for key, item in value.items():
            yield from _tables(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _tables(item, f"{where}[{i}]")


def _joined(value: str | tuple[str, ...]) -> str:
    return " | ".join(value) if isinstance(value, tuple) else value


def texts() -> list[Text]:
    found = []
    for path in CONTENT:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for where, table in _tables(data, path.name):
            found.append(Text(where, table["en"], table["kk"], table["ru"], catalogue=False))
    catalogues = {}
    for lang, path in CATALOGUES.items():
        with path.open("rb") as fh:
            catalogues[lang] = read_po(fh)
    for message in catalogues["kk"]:
        if not message.id:
            continue
        russian = catalogues["ru"].get(message.id, message.context)
        found.append(
            Text(
                f"django.po: {_joined(message.id)[:60]}",
                _joined(message.id),
                _joined(message.string),
                _joined(russian.string) if russian else "",
                catalogue=True,
            )
        )
    return found


TEXTS = texts()


@pytest.mark.parametrize("concept", GLOSSARY)
def test_where_the_english_names_a_concept_kazakh_and_russian_use_its_term(concept):
    term = GLOSSARY[concept]
    wrong = []
    for text in TEXTS:
        if term.catalogue_only and not text.catalogue:
            continue
        english = text.en
        for other in term.other_senses:
            english = re.sub(other, "", english, flags=re.IGNORECASE)
        if not re.search(term.en, english, re.IGNORECASE):
            continue
        for lang, pattern in (("kk", term.kk), ("ru", term.ru)):
            if not re.search(pattern, getattr(text, lang), re.IGNORECASE):
                wrong.append(f"{text.where} [{lang}]: {getattr(text, lang)[:160]}")
    assert not wrong, f"{concept}: the term is missing in\n" + "\n".join(wrong)


@pytest.mark.parametrize("concept", [c for c, t in GLOSSARY.items() if t.not_kk or t.not_ru])
def test_the_variants_no_longer_used_appear_nowhere(concept):
    term = GLOSSARY[concept]
    wrong = [
        f"{text.where} [{lang}]: {getattr(text, lang)[:160]}"
        for text in TEXTS
        for lang, patterns in (("kk", term.not_kk), ("ru", term.not_ru))
        for pattern in patterns
        if re.search(pattern, getattr(text, lang), re.IGNORECASE)
    ]
    assert not wrong, f"{concept}: a variant is used in\n" + "\n".join(wrong)
