"""What is said of an XLSForm without reading one: the file types accepted, a
refusal and its problems, and the parsed form's sheets. Light to import (no
pyxform, no openpyxl), for the forms, views and services that name them; the
reading itself is :mod:`parasat.toolkit.xlsform.reader`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: sheet, row (as the spreadsheet numbers it) and column."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cells: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        if not where:
            return self.message
        return _("%(where)s: %(message)s") % {"where": ", ".join(where), "message": self.message}


class XLSFormRefused(Exception):
    """The file is not a form pyxform accepts, or cites what Parasat does not know."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[dict[str, str]]  # row i is spreadsheet row i + 2; empty rows are {}


@dataclass
class ParsedForm:
    filename: str
    survey: Sheet
    choices: Sheet | None
    settings: Sheet | None
    # Sheets Parasat does not use: name, headers (may be empty) and rows as lists.
    other_sheets: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def settings_row(self) -> dict[str, str]:
        if self.settings and self.settings.rows:
            return next((r for r in self.settings.rows if r), {})
        return {}
