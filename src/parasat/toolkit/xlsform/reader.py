"""Read an XLSForm: pyxform decides whether it is a form at all, then its own
sheet reader gives the rows, so .xlsx, .xlsm, .xls and .csv read alike.

This module loads pyxform, openpyxl and xlrd (two to three seconds): import it
where a form is read. What pages name without reading a form (the accepted
suffixes, the refusal and its problems, the parsed form) is in
:mod:`parasat.toolkit.xlsform.parsed`, which loads none of them."""

from __future__ import annotations

import dataclasses
import re
import warnings as pywarnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import PurePath
from typing import Any
from zipfile import BadZipFile

import xlrd
from django.utils.translation import gettext as _
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.cell.text import Text
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    DATA_TAG,
    DIMENSION_TAG,
    INLINE_STRING,
    WorkSheetParser,
)
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse
from pyxform import constants
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import (
    DefinitionData,
    SupportedFileTypes,
    _list_to_dict_list,
    get_excel_column_headers,
    get_excel_rows,
    get_xlsform,
    is_empty,
    xls_value_to_unicode,
    xlsx_value_to_str,
)
from pyxform.xls2xform import convert

from parasat.toolkit.xlsform.parsed import (
    SUFFIXES,
    ParsedForm,
    Problem,
    Sheet,
    XLSFormRefused,
)

__all__ = ["SUFFIXES", "ParsedForm", "Problem", "Sheet", "XLSFormRefused", "read_xlsform"]

_ROW = re.compile(r"\[row : (\d+)\]")
_SHEET = re.compile(r"[Oo]n the '([^']+)' sheet")
_VALUE_COLUMN = re.compile(r"the '([^']+)' value")
_HEADERS_SHEET = re.compile(r"Invalid headers provided for sheet: '([^']+)'")
_NOT_FOUND = re.compile(r"not found: (.+?)\. ")
_SAME_COLUMN = re.compile(r"were found: (.+?)\. ")
_UNKNOWN_TYPE = re.compile(r"Unknown question type '([^']+)'")
_ELEMENT_NAMED = re.compile(r"element named '([^']+)'")
_DUPLICATE_HEADER = re.compile(r"Duplicate column header: (.+)$")
_MAX_EMPTY_ROWS = 60


def read_xlsform(data: bytes, filename: str) -> ParsedForm:
    """Parse ``data``; raise :class:`XLSFormRefused` when pyxform refuses it."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise XLSFormRefused(
            [
                Problem(
                    _("Files of type “%(suffix)s” are not XLSForms. Accepted: %(allowed)s.")
                    % {"suffix": suffix or "?", "allowed": ", ".join(SUFFIXES)}
                )
            ]
        )
    with pywarnings.catch_warnings(), _unreadable_numbers():
        pywarnings.simplefilter("ignore")
        definition, book = _definition(data, filename, suffix)
        try:
            convert_warnings: list[str] = []
            try:
                convert(
                    xlsform=dataclasses.asdict(definition),
                    warnings=convert_warnings,
                    validate=False,
                )
            except PyXFormError as exc:
                raise XLSFormRefused([_locate(str(exc), definition)]) from exc
            except Exception as exc:  # pyxform crashes on some non-forms; refuse them cleanly
                raise XLSFormRefused(
                    [
                        Problem(
                            _("pyxform could not convert this file (%(error)s).") % {"error": exc}
                        )
                    ]
                ) from exc
            other = _other_sheets(data, suffix, definition, book)
        finally:
            if book is not None:
                book.close()
    return ParsedForm(
        filename=filename,
        survey=_sheet(definition, "survey"),
        choices=_sheet(definition, "choices") if definition.choices_header else None,
        settings=_sheet(definition, "settings") if definition.settings_header else None,
        other_sheets=other,
        warnings=convert_warnings,
    )


@contextmanager
def _unreadable_numbers() -> Iterator[None]:
    """A cell openpyxl cannot convert (a number of 5,000 digits: Python refuses
    to read integers that long) refuses the file instead of failing the request."""
    try:
        yield
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise
        raise XLSFormRefused(
            [
                Problem(
                    _("The file holds a number too long to read: shorten it or write it as text.")
                )
            ]
        ) from exc


def _definition(data: bytes, filename: str, suffix: str) -> tuple[DefinitionData, _Book | None]:
    """The sheets as pyxform reads them, and for .xlsx and .xlsm the open
    workbook, from which the sheets pyxform does not use are read next."""
    book = None
    try:
        if suffix in (".xlsx", ".xlsm"):
            definition, book = _xlsx_definition(data)
        else:
            definition = get_xlsform(xlsform=BytesIO(data), file_type=suffix)
    except PyXFormError as exc:
        raise XLSFormRefused([_locate(str(exc), None, data=data, suffix=suffix)]) from exc
    except (ValueError, SyntaxError, IndexError) as exc:
        # A workbook openpyxl fails on: XML cut short or malformed (ParseError is a
        # SyntaxError), a string index out of range, or what defusedxml refuses
        # (an entity declared): "Unable to read workbook". A number too long to
        # read is said precisely (_unreadable_numbers).
        if suffix not in (".xlsx", ".xlsm") or "integer string conversion" in str(exc):
            raise
        raise XLSFormRefused(
            [
                Problem(
                    _(
                        "This workbook cannot be read: it is damaged, or it holds XML that "
                        "is refused for safety. Save it again from your spreadsheet program "
                        "and upload it again."
                    )
                )
            ]
        ) from exc
    except TypeError as exc:
        # pyxform's CSV reader takes every first-column value for a sheet name and
        # crashes on a CSV that is data, not a form (pyxform-fruits.csv).
        match = re.search(r"keyword argument '([^']+)'", str(exc))
        sheet = match.group(1) if match else ""
        raise XLSFormRefused(
            [
                Problem(
                    _(
                        "This is not an XLSForm: it has a sheet “%(sheet)s”, and an XLSForm "
                        "has only survey, choices, settings, external_choices, entities and "
                        "osm sheets. (In a CSV form the first column names the sheet.)"
                    )
                    % {"sheet": sheet},
                    sheet=sheet,
                    row=1,
                    column="A",
                )
            ]
        ) from exc
    definition.fallback_form_name = PurePath(filename).stem
    return definition, book


# What pyxform says of a file its reader fails on (definition_to_dict).
_NOT_RECOGNIZED = (
    "Argument 'definition' was not recognized as a supported type. "
    f"Must be one of: {', '.join(t.value for t in SupportedFileTypes)}"
)


def _xlsx_definition(data: bytes) -> tuple[DefinitionData, _Book]:
    """pyxform's reading of an .xlsx (``xls2json_backends.xlsx_to_dict``, line
    for line, a test compares them), from a workbook opened once for it and the
    other sheets, whose sheets find their size without reading every row."""
    try:
        book = _Book(data)
        book.read()
        try:
            found = _xlsx_sheets(book.wb)
        except BaseException:
            book.close()
            raise
    except (BadZipFile, KeyError, OSError, TypeError) as exc:
        raise PyXFormError(_NOT_RECOGNIZED) from exc
    return DefinitionData(**found), book


def _xlsx_clean_cell(cell: Any, row_n: int, col_key: str) -> str | None:
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
    if not is_empty(value):
        return xlsx_value_to_str(value)
    return None


def _xlsx_normal_sheet(sheet: Any) -> tuple[list[dict[str, Any]], list[dict[str, None]]]:
    first_row = (c.value for c in next(sheet.rows, []))
    headers = get_excel_column_headers(first_row=first_row)
    row_iter = sheet.iter_rows(min_row=2, max_col=len(headers))
    rows = get_excel_rows(headers=headers, rows=row_iter, cell_func=_xlsx_clean_cell)
    column_header_list = [key for key in headers if key is not None]
    return rows, _list_to_dict_list(column_header_list)


def _xlsx_sheets(wb: Any) -> dict[str, Any]:
    result_book: dict[str, Any] = {"sheet_names": []}
    for sheetname in wb.sheetnames:
        result_book["sheet_names"].append(sheetname)
        sheet_name = sheetname.lower()
        if sheet_name not in constants.SUPPORTED_SHEET_NAMES:
            if len(wb.sheetnames) == 1:
                (
                    result_book[constants.SURVEY],
                    result_book[f"{constants.SURVEY}_header"],
                ) = _xlsx_normal_sheet(wb[sheetname])
            else:
                continue
        else:
            (
                result_book[sheet_name],
                result_book[f"{sheet_name}_header"],
            ) = _xlsx_normal_sheet(wb[sheetname])
    return result_book


def _no_nul(value: Any) -> Any:
    # PostgreSQL refuses NUL in text (SQLite stored it); a CSV or .xls form may
    # hold one where nobody sees it.
    return value.replace("\x00", "") if isinstance(value, str) else value


def _sheet(definition: DefinitionData, name: str) -> Sheet:
    header = getattr(definition, f"{name}_header") or [{}]
    rows = getattr(definition, name) or []
    headers = [_no_nul(h) for h in header[0]] if header else []
    original = {n.lower(): n for n in (definition.sheet_names or [])}
    return Sheet(
        original.get(name, name),
        headers,
        [{_no_nul(k): _no_nul(v) for k, v in r.items()} for r in rows],
    )


def _cells(definition: DefinitionData | None, sheet: str, row: int | None) -> tuple:
    if definition is None or row is None or row < 2:
        return ()
    rows = getattr(definition, sheet, None) or []
    if row - 2 < len(rows):
        return tuple((k, str(v)) for k, v in rows[row - 2].items())
    return ()


def _find_row(definition: DefinitionData | None, column: str, value: str) -> int | None:
    """The spreadsheet row of the first survey row whose ``column`` is ``value``."""
    if definition is None:
        return None
    for index, row in enumerate(definition.survey or []):
        for key, cell in row.items():
            if key.strip().lower() == column and str(cell).strip().lower() == value.lower():
                return index + 2
    return None


def _locate(message: str, definition: DefinitionData | None, **raw: Any) -> Problem:
    """Turn pyxform's message into a problem naming sheet, row and column."""
    message = message.strip()
    sheet, row, column = "survey", None, ""
    if match := _ROW.search(message):
        row = int(match.group(1))
        message = _ROW.sub("", message).strip()
    if match := _SHEET.search(message):
        sheet = match.group(1)
    if match := _VALUE_COLUMN.search(message):
        column = match.group(1)
    elif "Missing calculation" in message:
        column = "calculation"
    elif "with no name" in message:
        column = "name"
    elif "Unmatched" in message:
        column = "type"
    if match := _HEADERS_SHEET.search(message):
        sheet, row = match.group(1), 1
        if found := _NOT_FOUND.search(message + " ") or _SAME_COLUMN.search(message + " "):
            column = found.group(1).replace("'", "")
    elif match := _UNKNOWN_TYPE.search(message):
        row, column = _find_row(definition, "type", match.group(1)), "type"
    elif match := _ELEMENT_NAMED.search(message):
        row, column = _find_row(definition, "name", match.group(1)), "label"
    elif "has not been included" in message:
        row, column = _find_row(definition, "type", "include"), "type"
        message = _(
            "“include” rows are no longer part of XLSForm: copy the rows of the "
            "included form into this one. (pyxform: %(message)s)"
        ) % {"message": message}
    elif "There should be a choices sheet" in message:
        sheet, column = "choices", ""
    elif match := _DUPLICATE_HEADER.search(message):
        column, row = match.group(1), 1
        sheet = _sheet_with_duplicate(column, **raw) if raw else sheet
    return Problem(message, sheet, row, column, _cells(definition, sheet, row))


def _sheet_with_duplicate(header: str, *, data: bytes, suffix: str) -> str:
    for name, rows in _raw_sheets(data, suffix, only_first_row=True):
        headers = [str(c).strip() for c in (rows[0] if rows else []) if c]
        if headers.count(header) > 1:
            return name
    return "survey"


def _other_sheets(
    data: bytes, suffix: str, definition: DefinitionData, book: _Book | None = None
) -> list[dict[str, Any]]:
    """Sheets Parasat does not use, kept so that export gives them back."""
    kept: list[dict[str, Any]] = []
    names = list(definition.sheet_names or [])
    for name in ("external_choices", "entities", "osm"):
        header = getattr(definition, f"{name}_header")
        if header:
            sheet = _sheet(definition, name)
            kept.append(
                {
                    "name": sheet.name,
                    "rows": [sheet.headers]
                    + [[r.get(h, "") for h in sheet.headers] for r in sheet.rows],
                }
            )
    wanted = [n for n in names if n.lower() not in constants.SUPPORTED_SHEET_NAMES]
    if len(names) == 1 or not wanted or suffix == ".csv":
        return kept
    for name, rows in _raw_sheets(data, suffix, names=set(wanted), book=book):
        kept.append({"name": name, "rows": [[_no_nul(v) for v in row] for row in rows]})
    return kept


def _trim(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values.pop()
    return values


def _raw_sheets(
    data: bytes,
    suffix: str,
    *,
    names: set[str] | None = None,
    only_first_row: bool = False,
    book: _Book | None = None,
):
    """(name, rows as lists of strings) for each sheet (of ``book`` when it is
    open already), stopping at a run of empty rows."""
    if suffix == ".xls":
        book = xlrd.open_workbook(file_contents=data)
        for sheet in book.sheets():
            if names is not None and sheet.name not in names:
                continue
            rows = []
            for r in range(min(sheet.nrows, 1 if only_first_row else sheet.nrows)):
                rows.append(
                    _trim(
                        [
                            ""
                            if is_empty(c.value)
                            else xls_value_to_unicode(c.value, c.ctype, book.datemode)
                            for c in sheet.row(r)
                        ]
                    )
                )
            yield sheet.name, _cut(rows)
        return
    if suffix == ".csv":
        return
    opened = book is None
    if book is None:
        book = _Book(data)
        book.read()
    try:
        for name in book.wb.sheetnames:
            sheet = book.wb[name]
            if not isinstance(sheet, ReadOnlyWorksheet) or (
                names is not None and name not in names
            ):
                continue  # a chart sheet has no rows
            rows = []
            empty = 0
            for values in sheet.iter_rows(values_only=True):
                row = _trim(["" if is_empty(v) else xlsx_value_to_str(v) for v in values])
                rows.append(row)
                if only_first_row:
                    break
                empty = empty + 1 if not row else 0
                if empty > _MAX_EMPTY_ROWS:
                    break
            yield name, _cut(rows)
    finally:
        if opened:
            book.close()


class _Book(ExcelReader):
    """openpyxl's read-only reader, as pyxform opens a form, whose sheets find
    their size without reading every row (:class:`_SizedSheet`)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(BytesIO(data), read_only=True, data_only=True)

    def read_worksheets(self) -> None:
        # openpyxl's ExcelReader.read_worksheets when read_only, with _SizedSheet.
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)  # fails as openpyxl's does
            ws = _SizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)

    def close(self) -> None:
        self.wb.close()
        self.archive.close()

    def read_strings(self) -> None:
        # openpyxl's read_string_table, with _text for Text.from_tree(...).content.
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            strings = []
            with self.archive.open(ct.PartName[1:]) as src:
                for _event, node in iterparse(src):
                    if node.tag == _STRING_TAG:
                        strings.append(_text(node).replace("x005F_", ""))
                        node.clear()
            self.shared_strings = strings


class _SizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that looks for its <dimension> only before its rows,
    where the file format puts it. openpyxl's looks until the end of the rows:
    a sheet without one (LibreOffice and some generators write none) was read
    whole for its size, then again for its rows."""

    def _get_source(self) -> _Growing:
        return _Growing(self.parent._archive.open(self._worksheet_path))

    def _get_size(self) -> None:
        with self._get_source() as src:
            for event, element in iterparse(src, events=("start", "end")):
                if event == "start":
                    if element.tag == DATA_TAG:
                        return
                elif element.tag == DIMENSION_TAG:
                    dimension = SheetDimension.from_tree(element)
                    (
                        self._min_column,
                        self._min_row,
                        self._max_column,
                        self._max_row,
                    ) = dimension.boundaries
                    return

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        # openpyxl's ReadOnlyWorksheet._cells_by_row, with _SheetParser.
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: tuple | list = []
        if max_col is not None:
            empty_row = (filler,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        with self._get_source() as src:
            parser = _SheetParser(
                src,
                self._shared_strings,
                data_only=self.parent.data_only,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,
                timedelta_formats=self.parent._timedelta_formats,
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows missing from the file
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    row = self._get_row(row, min_col, max_col, values_only)
                    counter += 1
                    yield row
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _Growing:
    """A sheet's XML read in chunks growing from 2 KB to the 16 KB the parser
    asks for: the parser reads a chunk whole before it gives its elements, and
    the sheet's size and pyxform's headers need its first lines only (read in
    16 KB chunks, a small sheet was parsed whole three times)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.size = 2048

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            return self.raw.read()
        size, self.size = min(n, self.size), self.size * 2
        return self.raw.read(size)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Growing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _SheetParser(WorkSheetParser):
    """openpyxl's sheet parser, reading a plain inline string (the cells
    openpyxl writes, so every export) without its rich-text machinery."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr" or not self.data_only or self.rich_text:
            return super().parse_cell(element)
        # WorkSheetParser.parse_cell for an inline string when data_only.
        coordinate = element.get("r")
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        value, data_type = None, "inlineStr"
        child = element.find(INLINE_STRING)
        if child is not None:
            value, data_type = _text(child), "s"
        return {
            "row": row,
            "column": column,
            "value": value,
            "data_type": data_type,
            "style_id": style_id,
        }


_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


def _text(node) -> str:
    """``Text.from_tree(node).content``: a string with no runs, the usual
    kind, is its one <t>'s text; the rest goes through openpyxl."""
    if not node.attrib and len(node) == 1 and node[0].tag == _TEXT_TAG:
        return node[0].text or ""
    return Text.from_tree(node).content


def _cut(rows: list[list[str]]) -> list[list[str]]:
    while rows and not rows[-1]:
        rows.pop()
    return rows
