"""Every answer of a review a reader may read, as XLSX or CSV: one row per
answer, headers and texts in the language active when the file is built.

Only what :func:`parasat.assessment.selectors.answers_for_export` gives the
reader goes in, so government-only answers and the files a reader may not see
(even their number) never leave the government side. Text cells that a
spreadsheet would run as a formula are prefixed with a quote."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.assessment import selectors
from parasat.assessment.access import Reader
from parasat.assessment.models import Answer
from parasat.assessment.values import display
from parasat.core.lib.spreadsheets import ILLEGAL_CHARACTERS_RE
from parasat.jobs.registry import Progress
from parasat.reviews.disclosure import Audience
from parasat.toolkit.models import Question

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_NUMBER_KINDS = frozenset({Question.Kind.INTEGER, Question.Kind.DECIMAL})


def headers() -> list[str]:
    return [
        _("Area code"),
        _("Area"),
        _("Questionnaire"),
        _("Version"),
        _("Question code"),
        _("Question"),
        _("Ministry"),
        _("Status"),
        _("Answer"),
        _("Stored value"),
        _("Explanation"),
        _("Confidentiality"),
        _("Evidence items"),
        _("Last change"),
        _("Changed by"),
    ]


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet shows it: a leading = + - @ (or a tab or
    carriage return) gets a quote so the cell is never run as a formula.
    Plain numbers such as -5 or +1.5 are left alone."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _raw_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return " ".join(str(i) for i in raw)  # as XLSForm stores a multiple choice
    return str(raw)


def rows(audience: Audience, *, progress: Progress | None = None) -> Iterator[list[Any]]:
    """The export's rows (without headers), in area, questionnaire and question
    order. Two queries however many answers there are."""
    answers = list(selectors.answers_for_export(audience))
    lists = selectors.choice_labels(a.question for a in answers)
    if progress is not None:
        answers = progress.each(answers, total=len(answers), start=5, end=95)  # type: ignore[assignment]
    for answer in answers:
        yield _row(answer, lists)


def _row(answer: Answer, lists: dict[int, dict[str, str]]) -> list[Any]:
    question = answer.question
    questionnaire = answer.assignment.questionnaire
    area = questionnaire.area
    labels = lists.get(question.choice_list_id or 0, {})
    raw = answer.raw
    changed_at = (
        timezone.localtime(answer.updated_at).isoformat(timespec="seconds")
        if answer.updated_at
        else ""
    )
    stored: Any = _raw_text(raw)
    if question.kind in _NUMBER_KINDS and _PLAIN_NUMBER.match(stored):
        stored = Decimal(stored)  # a number cell in XLSX, never mistaken for a formula
    return [
        area.code if area else "",
        str(area.name) if area else "",
        questionnaire.identifier,
        questionnaire.version,
        question.code,
        str(question.label),
        str(answer.assignment.ministry),
        answer.get_status_display(),
        display(question, raw, labels),
        stored,
        answer.explanation,
        answer.get_confidentiality_display(),
        answer.evidence_count,
        changed_at,
        answer.updated_by.display_name if answer.updated_by else "",
    ]


def _text_cell(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def to_csv(table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Kazakh and Russian text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_text_cell(h) for h in headers()])
    for row in table:
        writer.writerow([_text_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        # Control characters make openpyxl refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=_text_cell(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def to_xlsx(table: Iterable[list[Any]]) -> bytes:
    # Imported here: openpyxl takes a second to load (see core.lib.spreadsheets).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Answers")[:31])
    bold = Font(bold=True)
    header_cells = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=safe_text(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in table:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_answers(audience: Audience, fmt: str, *, progress: Progress | None = None) -> bytes:
    """The answers ``audience`` may read as ``fmt`` (xlsx or csv) bytes."""
    table = rows(audience, progress=progress)
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)


def filename(reader: Reader, fmt: str) -> str:
    return f"{reader.review.slug}-answers-{timezone.localdate().isoformat()}.{fmt}"
