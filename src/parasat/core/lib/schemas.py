"""Pieces of the JSON API that every app's schemas share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

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


# --- errors ---------------------------------------------------------------------


class ErrorOut(Schema):
    """An error: 401, 403, 404, 405 and 500 answer with it."""

    detail: str


class ValidationIssueOut(Schema):
    """One parameter that was refused, as pydantic describes it."""

    type: str
    loc: list[str | int] = Field(description='Where, e.g. ["query", "page"].')
    msg: str
    ctx: dict[str, Any] | None = None


class ValidationErrorOut(Schema):
    """422: every parameter that was refused."""

    detail: list[ValidationIssueOut]


# --- pages ----------------------------------------------------------------------

MAX_PAGE = 10_000
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class PageQuery(Schema):
    """Which page of a list, and how long a page is."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
    )


class PageOut(Schema):
    """A page of a list; a page after the last comes back empty."""

    count: int = Field(description="Items in the whole list.")
    page: int
    pages: int = Field(description="Pages in the whole list (at least 1).")
    page_size: int


@dataclass(frozen=True)
class PageSlice[T]:
    count: int
    page: int
    pages: int
    page_size: int
    items: list[T]

    def meta(self) -> dict[str, int]:
        """The fields of :class:`PageOut`."""
        return {
            "count": self.count,
            "page": self.page,
            "pages": self.pages,
            "page_size": self.page_size,
        }


def page_of[T](rows: QuerySet | Sequence[T], query: PageQuery) -> PageSlice[T]:
    """The page ``query`` asks for: one COUNT and one sliced query for a QuerySet."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    size = query.page_size
    start = (query.page - 1) * size
    items = list(rows[start : start + size]) if count > start else []
    return PageSlice(
        count=count,
        page=query.page,
        pages=max(math.ceil(count / size), 1),
        page_size=size,
        items=items,
    )
