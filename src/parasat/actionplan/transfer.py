"""Measures to and from a spreadsheet (XLSX or CSV), one row per measure with
at most one indicator added per row. An import is all or nothing: every row is
checked by the same services the pages use, and if any row is refused nothing
is written and every problem is named by its row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation, User
from parasat.actionplan import selectors, services
from parasat.actionplan.models import Measure, Plan
from parasat.core.lib.spreadsheets import append_row, xlsx_rows
from parasat.core.lib.translated import TranslatedText
from parasat.core.lib.uploads import check_upload

COLUMNS = [
    "measure",
    "parent",
    "recommendations",
    "title_en",
    "title_ru",
    "title_kk",
    "responsible",
    "partners",
    "start",
    "due",
    "budget",
    "currency",
    "budget_source",
    "weight",
    "deliverables_en",
    "indicator_en",
    "unit",
    "baseline",
    "target",
    "minimum",
    "maximum",
    "frequency",
]
MAX_ROWS = 5_000
# The services' field names, as the sheet's columns name them.
FIELD_COLUMN = {
    "title": "title_en",
    "responsible": "responsible",
    "partners": "partners",
    "recommendations": "recommendations",
    "start_on": "start",
    "due_on": "due",
    "budget": "budget",
    "budget_currency": "currency",
    "budget_source": "budget_source",
    "weight": "weight",
    "parent": "parent",
    "name": "indicator_en",
    "unit": "unit",
    "baseline": "baseline",
    "target": "target",
    "minimum": "minimum",
    "maximum": "maximum",
    "frequency": "frequency",
}
INDICATOR_COLUMNS = ("indicator_en", "unit", "baseline", "target", "frequency")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    measures: int = 0
    indicators: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- export --------------------------------------------------------------------


def _d(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def export_rows(plan: Plan) -> Iterator[list[str]]:
    """The header, then one row per measure with its first indicator and one
    more row per further indicator (the measure named, its other cells empty)."""
    yield COLUMNS
    for m in selectors.measure_rows(plan, with_withdrawn=False):
        base = [
            m.code,
            m.parent.code if m.parent_id and m.parent else "",
            ";".join(r.code for r in m.recommendations.all()),
            m.title.get("en"),
            m.title.get("ru"),
            m.title.get("kk"),
            m.responsible.code,
            ";".join(sorted(p.code for p in m.partners.all())),
            m.start_on.isoformat(),
            m.due_on.isoformat(),
            _d(m.budget),
            m.budget_currency,
            m.budget_source,
            str(m.weight),
            m.deliverables.get("en"),
        ]
        indicators = [i for i in m.indicators.all() if i.withdrawn_at is None]
        if not indicators:
            yield [*base, *[""] * 7]
        for n, i in enumerate(indicators):
            cells = base if n == 0 else [m.code, *[""] * (len(base) - 1)]
            yield [
                *cells,
                i.name.get("en"),
                i.unit,
                _d(i.baseline),
                _d(i.target),
                _d(i.minimum),
                _d(i.maximum),
                i.frequency,
            ]


def export_csv(plan: Plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(plan):
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def export_xlsx(plan: Plan) -> bytes:
    from openpyxl import Workbook  # about a second to import: only when a sheet is built

    book = Workbook(write_only=True)
    sheet = book.create_sheet("measures")
    for row in export_rows(plan):
        append_row(sheet, list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- import --------------------------------------------------------------------


def read_rows(upload: UploadedFile) -> Iterator[tuple[Any, ...]]:
    """The rows of an .xlsx or .csv upload (UTF-8), header first."""
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        check_upload(upload)
        yield from xlsx_rows(upload)
        return
    if not name.endswith(".csv"):
        raise ValidationError(_("Upload the measures as an .xlsx or .csv file."))
    check_upload(upload)
    upload.seek(0)
    # PostgreSQL refuses NUL in text (SQLite stores it); the upload check
    # reads only the file's head, so a NUL further down is removed here.
    text = upload.read().decode("utf-8-sig", errors="replace").replace("\x00", "")
    yield from (tuple(r) for r in csv.reader(io.StringIO(text)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any, column: str, problems: list[tuple[str, str]]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            (column, _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})
        )
        return None


def _decimal(value: Any, column: str, problems: list[tuple[str, str]]) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        problems.append((column, _("“%(value)s” is not a number.") % {"value": text}))
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        problems.append((column, _("“%(value)s” is not a number.") % {"value": text}))
        return None
    return number.quantize(Decimal("0.01"))


def _codes(value: Any) -> list[str]:
    return [c.strip() for c in _text(value).replace(",", ";").split(";") if c.strip()]


def _refusal(exc: ValidationError, default: str) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (FIELD_COLUMN.get(name, default), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [(default, m) for m in exc.messages]


def measures_import(*, plan: Plan, upload: UploadedFile, by: User) -> ImportResult:
    """Add (or, naming an existing measure, change) measures from a sheet with
    the columns of :data:`COLUMNS` (``measure`` and the indicator's may be
    left out). All or nothing."""
    rows = read_rows(upload)
    header = [_text(c).lower() for c in next(rows, ())]
    required = ["recommendations", "title_en", "responsible", "start", "due"]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    orgs = dict(Organisation.objects.values_list("code", "pk"))
    recs = dict(selectors.agreed_recommendations(plan.review).values_list("code", "pk"))
    result = ImportResult()
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            if number - 1 > MAX_ROWS:
                raise ValidationError(
                    _("The sheet has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
                )
            cells = {name: (row[i] if i < len(row) else None) for name, i in index.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            for column, message in _import_row(plan, by, cells, orgs, recs, result):
                result.problems.append(Problem(number, column, message))
        if result.problems:
            transaction.set_rollback(True)
            result.measures = result.indicators = 0
        elif not result.measures and not result.indicators:
            raise ValidationError(_("The sheet holds no measures."))
    return result


def _import_row(
    plan: Plan,
    by: User,
    cells: dict[str, Any],
    orgs: dict[str, int],
    recs: dict[str, int],
    result: ImportResult,
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    code = _text(cells.get("measure"))
    existing = Measure.objects.filter(plan=plan, code=code).first() if code else None
    title_en = _text(cells.get("title_en"))
    only_indicator = existing is not None and not title_en
    measure = existing
    if not only_indicator:
        rec_codes = _codes(cells.get("recommendations"))
        unknown = [c for c in rec_codes if c not in recs]
        if unknown:
            problems.append(
                (
                    "recommendations",
                    _(
                        "Unknown recommendation %(codes)s: only the agreed "
                        "recommendations of this review."
                    )
                    % {"codes": ", ".join(unknown)},
                )
            )
        responsible = _text(cells.get("responsible"))
        if responsible and responsible not in orgs:
            problems.append(("responsible", _("Unknown agency %(code)s.") % {"code": responsible}))
        partner_codes = _codes(cells.get("partners"))
        bad_partners = [c for c in partner_codes if c not in orgs]
        if bad_partners:
            problems.append(
                ("partners", _("Unknown agency %(code)s.") % {"code": ", ".join(bad_partners)})
            )
        parent = None
        parent_code = _text(cells.get("parent"))
        if parent_code:
            parent = Measure.objects.filter(plan=plan, code=parent_code).first()
            if parent is None:
                problems.append(("parent", _("Unknown measure %(code)s.") % {"code": parent_code}))
        start = _date(cells.get("start"), "start", problems)
        due = _date(cells.get("due"), "due", problems)
        budget = _decimal(cells.get("budget"), "budget", problems)
        weight_text = _text(cells.get("weight")) or "1"
        weight = int(weight_text) if weight_text.isdecimal() and len(weight_text) < 4 else 0
        if problems:
            return problems
        texts = {lang: _text(cells.get(f"title_{lang}")) for lang in ("en", "ru", "kk")}
        try:
            measure = services.measure_save(
                plan=plan,
                by=by,
                title=TranslatedText.fresh({k: v for k, v in texts.items() if v}),
                deliverables=TranslatedText.fresh({"en": _text(cells.get("deliverables_en"))})
                if _text(cells.get("deliverables_en"))
                else None,
                recommendation_ids=[recs[c] for c in rec_codes],
                responsible_id=orgs.get(responsible),
                partner_ids=[orgs[c] for c in partner_codes],
                start_on=start,
                due_on=due,
                budget=budget,
                budget_currency=_text(cells.get("currency")) or "KZT",
                budget_source=_text(cells.get("budget_source")),
                weight=weight,
                parent=parent,
                measure=existing,
            )
        except ValidationError as exc:
            return _refusal(exc, "title_en")
        result.measures += 1
    if any(_text(cells.get(c)) for c in INDICATOR_COLUMNS):
        baseline = _decimal(cells.get("baseline"), "baseline", problems)
        target = _decimal(cells.get("target"), "target", problems)
        minimum = _decimal(cells.get("minimum"), "minimum", problems)
        maximum = _decimal(cells.get("maximum"), "maximum", problems)
        if problems:
            return problems
        assert measure is not None
        try:
            services.indicator_save(
                measure=measure,
                by=by,
                name=TranslatedText.fresh({"en": _text(cells.get("indicator_en"))}),
                unit=_text(cells.get("unit")),
                baseline=baseline,
                target=target,
                minimum=minimum,
                maximum=maximum,
                frequency=_text(cells.get("frequency")),
            )
        except ValidationError as exc:
            return _refusal(exc, "indicator_en")
        result.indicators += 1
    return problems
