"""Pieces of the JSON API that every app's schemas share."""

from __future__ import annotations

from ninja import Schema

from parasat.core.lib.translated import TranslatedText


class Texts(Schema):
    """A text from the data in each content language. English is authoritative;
    an empty version is a translation still missing."""

    en: str = ""
    ru: str = ""
    kk: str = ""

    @classmethod
    def of(cls, value: TranslatedText) -> Texts:
        text = TranslatedText.from_json(value)
        return cls(en=text.get("en"), ru=text.get("ru"), kk=text.get("kk"))
