"""Content in several languages, English authoritative.

A :class:`TranslatedText` holds one text in every content language. Each
non-English version remembers a fingerprint of the English text it was written
from; when the English text changes, versions whose fingerprint no longer
matches are *stale* until someone updates or confirms them.

Stored as JSON: ``{"en": "...", "ru": "...", "kk": "...", "_from": {"ru": "<fp>"}}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

SOURCE_LANGUAGE = "en"


def content_languages() -> list[str]:
    return list(settings.CONTENT_LANGUAGES)


def fingerprint(text: str) -> str:
    """A short, stable fingerprint of a source text (whitespace-insensitive at the ends)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


class Status(StrEnum):
    OK = "ok"
    MISSING = "missing"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class Rendition:
    """What to show a reader of one language: the text, its language, and why."""

    text: str
    language: str
    status: Status

    def __str__(self) -> str:
        return self.text


class TranslatedText:
    """One text in every content language; immutable from the outside."""

    __slots__ = ("_texts", "_from")

    def __init__(
        self,
        texts: Mapping[str, str] | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> None:
        self._texts: dict[str, str] = {
            lang: str(value).strip() for lang, value in (texts or {}).items() if value
        }
        self._from: dict[str, str] = dict(sources or {})

    # --- construction -------------------------------------------------
    @classmethod
    def from_json(cls, data: Any) -> TranslatedText:
        if isinstance(data, TranslatedText):
            return data
        if data is None or data == "":
            return cls()
        if isinstance(data, str):
            return cls.fresh({SOURCE_LANGUAGE: data})
        if not isinstance(data, Mapping):
            raise TypeError(f"Cannot read translated text from {type(data).__name__}")
        texts = {k: v for k, v in data.items() if not k.startswith("_") and isinstance(v, str)}
        return cls(texts, data.get("_from") or {})

    @classmethod
    def fresh(cls, texts: Mapping[str, str]) -> TranslatedText:
        """Texts written together: every version is current for this English text."""
        result = cls(texts)
        source = result.source
        result._from = {
            lang: fingerprint(source) for lang in result._texts if lang != SOURCE_LANGUAGE
        }
        return result

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self._texts)
        sources = {k: v for k, v in self._from.items() if k in self._texts}
        if sources:
            data["_from"] = sources
        return data

    # --- edits (each returns a new value) -----------------------------
    def updated(self, texts: Mapping[str, str], confirm: Iterable[str] = ()) -> TranslatedText:
        """Apply an edit. A changed translation, or one listed in ``confirm``,
        becomes current for the (new) English text; an unchanged one keeps its
        old fingerprint and so turns stale when the English text changed."""
        new_texts = dict(self._texts)
        for lang, value in texts.items():
            value = (value or "").strip()
            if value:
                new_texts[lang] = value
            else:
                new_texts.pop(lang, None)
        new_source = new_texts.get(SOURCE_LANGUAGE, "")
        new_from = dict(self._from)
        confirm = set(confirm)
        for lang in new_texts:
            if lang == SOURCE_LANGUAGE:
                continue
            changed = self._texts.get(lang) != new_texts[lang]
            if changed or lang in confirm:
                new_from[lang] = fingerprint(new_source)
        return TranslatedText(new_texts, new_from)

    # --- reading ------------------------------------------------------
    @property
    def source(self) -> str:
        return self._texts.get(SOURCE_LANGUAGE, "")

    def get(self, language: str) -> str:
        return self._texts.get(language, "")

    def status(self, language: str) -> Status:
        if language == SOURCE_LANGUAGE:
            return Status.OK if self.source else Status.MISSING
        if not self._texts.get(language):
            return Status.MISSING
        if self.source and self._from.get(language) != fingerprint(self.source):
            return Status.STALE
        return Status.OK

    def render(self, language: str | None = None) -> Rendition:
        """The text for a reader of ``language`` (default: the active one).
        A missing version falls back to English and says so."""
        language = (language or get_language() or SOURCE_LANGUAGE).split("-")[0]
        text = self._texts.get(language)
        if text:
            return Rendition(text, language, self.status(language))
        return Rendition(self.source, SOURCE_LANGUAGE, Status.MISSING)

    def __str__(self) -> str:
        return self.render().text

    def __bool__(self) -> bool:
        return bool(self._texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TranslatedText):
            return self._texts == other._texts and self.to_json() == other.to_json()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._texts.items())))

    def __repr__(self) -> str:
        return f"TranslatedText({self._texts!r})"
