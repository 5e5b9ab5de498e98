"""Writes to the money side. The ledger is append-only: entries are never
edited or deleted; a mistake is undone by a reversal, a new entry pointing at
the one it reverses. Every write keeps who made it and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.core.lib.spreadsheets import xlsx_rows
from parasat.core.lib.translated import TranslatedText
from parasat.core.lib.uploads import check_upload
from parasat.finance.models import Budget, BudgetLine, Entry, Funding
from parasat.finance.money import parse_amount
from parasat.finance.selectors import ProjectPeriod, get_budget, project_period
from parasat.reviews.models import Review

MAX_IMPORT_ROWS = 5000
IMPORT_COLUMNS = ("date", "kind", "line", "amount", "payee")


# --- the budget as printed -------------------------------------------------


@transaction.atomic
def budget_load_printed(*, review: Review, data: dict[str, Any]) -> Budget:
    """Load the budget of an example file as printed; loading twice changes nothing.
    Figures are read from strings so that no float ever touches them."""
    budget, _created = Budget.objects.update_or_create(
        review=review,
        defaults={
            "currency": data.get("currency", "EUR"),
            "fee_rate": _printed(data["fee_rate"]),
            "fee_amount": _printed(data["fee"]),
            "total": _printed(data["total"]),
            "rounding_unit": _printed(data.get("rounding_unit", "1")),
        },
    )
    for order, row in enumerate(data.get("line", []), start=1):
        BudgetLine.objects.update_or_create(
            budget=budget,
            code=row["code"],
            defaults={
                "category": row["category"],
                "name": TranslatedText.fresh(row["name"]),
                "amount": _printed(row["amount"]),
                "order": order,
            },
        )
    return budget


def _printed(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValidationError(f"Write printed figures as strings, not floats: {value!r}")
    return Decimal(str(value))


# --- ledger entries ------------------------------------------------------


@dataclass
class LedgerContext:
    """What validating an entry needs, read once (an import validates many rows)."""

    review: Review
    budget: Budget
    lines: dict[str, BudgetLine]
    period: ProjectPeriod

    @classmethod
    def for_review(cls, review: Review) -> LedgerContext:
        budget = get_budget(review)
        if budget is None:
            raise ValidationError(_("This review has no budget yet."))
        return cls(
            review,
            budget,
            {line.code: line for line in budget.lines_list},
            project_period(review, budget, today=timezone.localdate()),
        )


def _check_date(ctx: LedgerContext, on: dt.date | None) -> list[str]:
    period = ctx.period
    if on is None:
        return [_("Enter a date.")]
    if period.start is None or period.end is None:
        return [_("The agreement is not in force yet: entries start on the last signature.")]
    if not period.contains(on):
        if period.terminated_on is not None and on > period.terminated_on:
            return [
                _(
                    "%(date)s is after the termination on %(end)s: "
                    "no cost can be incurred or committed after it."
                )
                % {"date": on.isoformat(), "end": period.terminated_on.isoformat()}
            ]
        return [
            _("%(date)s is outside the project, which runs from %(start)s to %(end)s.")
            % {
                "date": on.isoformat(),
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
        ]
    return []


def _build_entry(
    ctx: LedgerContext,
    *,
    kind: str,
    line_code: str,
    on: dt.date | None,
    amount: object,
    payee: str,
    by: User,
) -> Entry:
    """An unsaved, validated entry; raises ValidationError naming each field."""
    errors: dict[str, list[str]] = {}
    kind = (kind or Entry.Kind.EXPENDITURE).strip().lower()
    if kind not in Entry.Kind.values:
        errors["kind"] = [
            _("Unknown kind “%(kind)s”: use %(choices)s.")
            % {"kind": kind, "choices": ", ".join(Entry.Kind.values)}
        ]
    line = ctx.lines.get((line_code or "").strip())
    if line is None:
        errors["line"] = [
            _("Unknown budget line “%(code)s”. The lines are: %(codes)s.")
            % {"code": line_code or "", "codes": ", ".join(ctx.lines)}
        ]
    if date_errors := _check_date(ctx, on):
        errors["on"] = date_errors
    try:
        value = parse_amount(amount)
    except ValidationError as exc:
        errors["amount"] = exc.messages
    payee = (payee or "").strip()
    if not payee:
        errors["payee"] = [_("Say who was paid or what the entry is for.")]
    elif len(payee) > 300:
        errors["payee"] = [_("Keep the description under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    return Entry(
        review=ctx.review,
        line=line,
        kind=kind,
        on=on,
        amount=value,
        payee=payee,
        recorded_by=by,
    )


@transaction.atomic
def entry_record(
    *,
    review: Review,
    kind: str,
    line_code: str,
    on: dt.date | None,
    amount: object,
    payee: str,
    by: User,
    document: UploadedFile | None = None,
) -> Entry:
    """Record an expenditure or a commitment against a budget line, dated
    within the project (Art. 2: from the last signature to the end or the
    termination)."""
    ctx = LedgerContext.for_review(review)
    entry = _build_entry(
        ctx, kind=kind, line_code=line_code, on=on, amount=amount, payee=payee, by=by
    )
    if document is not None:
        try:
            check_upload(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
        entry.document_name = (document.name or "")[:200]
        entry.document.save(document.name or "document", document, save=False)
    entry.save()
    return entry


@transaction.atomic
def entry_reverse(*, entry: Entry, by: User) -> Entry:
    """Undo ``entry`` with a new entry of the opposite amount. The reversal
    carries the original's date so that totals up to any date (a termination,
    a report) stay right; ``recorded_at`` says when it was made."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.reverses_id is not None:
        raise ValidationError(_("A reversal cannot itself be reversed: record a new entry."))
    if Entry.objects.filter(reverses=locked).exists():
        raise ValidationError(_("This entry has already been reversed."))
    reversal = Entry(
        review_id=locked.review_id,
        line_id=locked.line_id,
        kind=locked.kind,
        on=locked.on,
        amount=-locked.amount,
        # The original's words; pages say "reverses No. n" in the reader's language.
        payee=locked.payee,
        reverses=locked,
        recorded_by=by,
    )
    reversal.save()
    return reversal


# --- import from a spreadsheet -------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    messages: list[str]


@dataclass
class ImportResult:
    created: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
        ) from exc


@transaction.atomic
def check_spreadsheet(upload: UploadedFile) -> None:
    """Refuse at once what is not an .xlsx file of a sane size."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(_("Upload the entries as an .xlsx spreadsheet."))
    check_upload(upload)


def entries_import(*, review: Review, upload: UploadedFile, by: User) -> ImportResult:
    """Import entries from an XLSX sheet with the columns date, kind, line,
    amount, payee. Every row is validated first; if any row is bad, nothing is
    written and the result lists the errors row by row."""
    check_spreadsheet(upload)
    rows = xlsx_rows(upload)
    header = [str(c or "").strip().lower() for c in next(rows, ())]
    missing = [c for c in IMPORT_COLUMNS if c not in header and c != "kind"]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(IMPORT_COLUMNS), "missing": ", ".join(missing)}
        )
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    ctx = LedgerContext.for_review(review)
    result = ImportResult()
    pending: list[Entry] = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("The sheet has more than %(max)s rows: split it.") % {"max": MAX_IMPORT_ROWS}
            )
        cells = {name: (row[i] if i < len(row) else None) for name, i in index.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        messages: list[str] = []
        try:
            on = _cell_date(cells["date"])
        except ValidationError as exc:
            on, messages = None, [*exc.messages]
        try:
            entry = _build_entry(
                ctx,
                kind=str(cells.get("kind") or ""),
                line_code=str(cells["line"] or ""),
                on=on,
                amount=cells["amount"] if cells["amount"] is not None else "",
                payee=str(cells["payee"] or ""),
                by=by,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name == "on" and messages:
                    continue  # the date was unreadable: said once is enough
                messages.extend(errors)
            entry = None
        if messages:
            result.errors.append(RowError(number, messages))
        elif entry is not None:
            pending.append(entry)
    rows.close()  # the workbook
    if result.errors:
        return result
    if not pending:
        raise ValidationError(_("The sheet holds no entries."))
    result.created = Entry.objects.bulk_create(pending)
    return result


# --- funding and termination ---------------------------------------------


@transaction.atomic
def funding_record(
    *, review: Review, kind: str, on: dt.date, amount: object, reference: str, by: User
) -> Funding:
    """Art. 2: the invoice, and the payment of the full amount after signature."""
    errors: dict[str, list[str]] = {}
    if kind not in Funding.Kind.values:
        errors["kind"] = [_("Choose an invoice or a payment.")]
    try:
        value = parse_amount(amount)
    except ValidationError as exc:
        errors["amount"] = exc.messages
    budget = get_budget(review)
    if budget is None:
        errors.setdefault("__all__", []).append(_("This review has no budget yet."))
    else:
        period = project_period(review, budget, today=timezone.localdate())
        if period.start is None:
            errors["on"] = [_("The agreement is not signed yet: funding follows the signature.")]
        elif on < period.start:
            errors["on"] = [
                _("Art. 2: funding follows the signature on %(start)s.")
                % {"start": period.start.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    return Funding.objects.create(
        review=review,
        kind=kind,
        on=on,
        amount=value,
        reference=(reference or "").strip(),
        recorded_by=by,
    )


@transaction.atomic
def termination_record(*, review: Review, terminated_on: dt.date, by: User) -> Budget:
    """Art. 2: record the early termination. The settlement (costs incurred and
    commitments made up to this date) and the refund follow from the ledger."""
    budget = Budget.objects.select_for_update().filter(review=review).first()
    if budget is None:
        raise ValidationError(_("This review has no budget yet."))
    if budget.terminated_on is not None:
        raise ValidationError(
            _("The termination on %(date)s is already recorded.")
            % {"date": budget.terminated_on.isoformat()}
        )
    period = project_period(review, budget, today=timezone.localdate())
    if period.start is None or period.planned_end is None:
        raise ValidationError(_("The agreement is not in force: there is nothing to terminate."))
    if not period.start <= terminated_on <= period.planned_end:
        raise ValidationError(
            {
                "terminated_on": _(
                    "The termination date must fall within the project, from %(start)s to %(end)s."
                )
                % {"start": period.start.isoformat(), "end": period.planned_end.isoformat()}
            }
        )
    budget.terminated_on = terminated_on
    budget.termination_recorded_by = by
    budget.termination_recorded_at = timezone.now()
    budget.save(
        update_fields=[
            "terminated_on",
            "termination_recorded_by",
            "termination_recorded_at",
            "updated_at",
        ]
    )
    review.terminated_on = terminated_on
    review.status = Review.Status.TERMINATED
    review.save(update_fields=["terminated_on", "status", "updated_at"])
    return budget
