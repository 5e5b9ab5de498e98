"""Texts for tests: a TranslatedText in one line."""

from __future__ import annotations

from parasat.core.lib.translated import TranslatedText


def tt(en: str, ru: str | None = None, kk: str | None = None) -> TranslatedText:
    texts = {"en": en}
    if ru:
        texts["ru"] = ru
    if kk:
        texts["kk"] = kk
    return TranslatedText.fresh(texts)
