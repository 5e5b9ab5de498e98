"""Reads of the money side: the budget check, budget against actual, the
project period, the termination settlement and the final financial report.
Every figure is an exact Decimal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parasat.core.lib.dates import add_months
from parasat.finance.models import Budget, BudgetLine, Entry, Funding
from parasat.finance.money import format_amount, format_exact, number_locale
from parasat.reviews.models import Phase, Review
from parasat.reviews.selectors import Deadline, build_timeline, parties_with_signatures

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def get_budget(review: Review) -> Budget | None:
    """The review's budget with its lines (two queries), or None."""
    budget = Budget.objects.filter(review=review).first()
    if budget is not None:
        budget.lines_list = list(BudgetLine.objects.filter(budget=budget).order_by("order", "pk"))
    return budget


def has_budget(review: Review) -> bool:
    """Whether a budget has been recorded for the review (one query)."""
    return Budget.objects.filter(review=review).exists()


# --- the budget check ------------------------------------------------------


@dataclass(frozen=True)
class CheckItem:
    """One check of the printed budget. ``passed`` and ``failed`` are what it
    found either way; :attr:`label` is the one that holds, so no page states
    a finding the figures beside it contradict."""

    key: str
    passed: str
    failed: str
    ok: bool
    expected: Decimal | None = None
    actual: Decimal | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return self.passed if self.ok else self.failed

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


@dataclass(frozen=True)
class BudgetCheck:
    budget: Budget
    lines_total: Decimal
    items: list[CheckItem]

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def problems(self) -> list[CheckItem]:
        return [item for item in self.items if not item.ok]


def budget_check(budget: Budget, lines: list[BudgetLine]) -> BudgetCheck:
    """The arithmetic a reviewer would do on the printed budget. Reports every
    discrepancy with the amounts and the difference; never corrects them."""
    lines_total = sum((line.amount for line in lines), ZERO)
    items: list[CheckItem] = []

    stated = lines_total + budget.fee_amount
    items.append(
        CheckItem(
            "total",
            _("The budget lines plus the administrative fee equal the stated total."),
            _("The budget lines plus the administrative fee do not equal the stated total."),
            stated == budget.total,
            expected=budget.total,
            actual=stated,
            detail=_("Lines %(lines)s + fee %(fee)s = %(sum)s; the stated total is %(total)s.")
            % {
                "lines": format_exact(lines_total),
                "fee": format_exact(budget.fee_amount),
                "sum": format_exact(stated),
                "total": format_exact(budget.total),
            },
        )
    )

    # Art. 2: the fee is "currently 6.3% of total funds".
    computed_fee = budget.fee_rate * budget.total / HUNDRED
    tolerance = budget.rounding_unit / 2
    items.append(
        CheckItem(
            "fee",
            _("The administrative fee is the stated rate of the total funds."),
            _("The administrative fee is not the stated rate of the total funds."),
            abs(computed_fee - budget.fee_amount) <= tolerance,
            expected=computed_fee,
            actual=budget.fee_amount,
            detail=_(
                "%(rate)s%% of %(total)s = %(computed)s; printed %(fee)s "
                "(figures are rounded to the nearest %(unit)s)."
            )
            % {
                "rate": format_decimal(
                    budget.fee_rate.normalize(), locale=number_locale(get_language())
                ),
                "total": format_exact(budget.total),
                "computed": format_exact(computed_fee),
                "fee": format_exact(budget.fee_amount),
                "unit": format_exact(budget.rounding_unit),
            },
        )
    )

    negative = [line for line in lines if line.amount < 0]
    items.append(
        CheckItem(
            "negative",
            _("No budget line is negative."),
            _("Some budget lines are negative."),
            not negative,
            detail=", ".join(f"{line.code}: {format_exact(line.amount)}" for line in negative),
        )
    )
    if budget.fee_amount < 0 or budget.total < 0:
        items.append(
            CheckItem(
                "negative_totals",
                _("The fee and the total are not negative."),
                _("The fee or the total is negative."),
                False,
            )
        )
    return BudgetCheck(budget, lines_total, items)


def budget_check_for_review(review: Review) -> BudgetCheck | None:
    budget = get_budget(review)
    if budget is None:
        return None
    return budget_check(budget, budget.lines_list)


# --- the project period ---------------------------------------------------


@dataclass(frozen=True)
class ProjectPeriod:
    """Art. 2: the project starts on the last signature and lasts the agreed
    months, or ends early on termination."""

    start: dt.date | None
    planned_end: dt.date | None
    terminated_on: dt.date | None
    financial_report: Deadline | None

    @property
    def end(self) -> dt.date | None:
        return self.terminated_on or self.planned_end

    def contains(self, day: dt.date) -> bool:
        return self.start is not None and self.end is not None and self.start <= day <= self.end


def project_period(review: Review, budget: Budget | None, *, today: dt.date) -> ProjectPeriod:
    parties = parties_with_signatures(review)
    phases = list(Phase.objects.filter(review=review).order_by("order"))
    timeline = build_timeline(review, parties, phases, today)
    terminated_on = budget.terminated_on if budget is not None else None
    deadline = next((d for d in timeline.deadlines if d.key == "financial_report"), None)
    if deadline is not None and terminated_on is not None and review.completed_on is None:
        # Art. 4: within six months after the project ends; an early end moves it.
        due = add_months(terminated_on, review.report_due_months)
        deadline = Deadline(
            deadline.key,
            deadline.label,
            due,
            deadline.done_on,
            deadline.done_on is None and today > due,
            deadline.basis,
        )
    return ProjectPeriod(timeline.start, timeline.end, terminated_on, deadline)


# --- budget against actual -------------------------------------------------


@dataclass(frozen=True)
class LineStatus:
    line: BudgetLine
    budget: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def used(self) -> Decimal:
        return self.spent + self.committed

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.used

    @property
    def overspent(self) -> bool:
        return self.remaining < 0


@dataclass(frozen=True)
class Position:
    """Budget, spent, committed and remaining per line and in total, with funding."""

    budget: Budget
    lines: list[LineStatus]
    invoiced: Decimal
    received: Decimal
    up_to: dt.date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def total_budget(self) -> Decimal:
        return sum((s.budget for s in self.lines), ZERO)

    @property
    def total_spent(self) -> Decimal:
        return sum((s.spent for s in self.lines), ZERO)

    @property
    def total_committed(self) -> Decimal:
        return sum((s.committed for s in self.lines), ZERO)

    @property
    def total_used(self) -> Decimal:
        return self.total_spent + self.total_committed

    @property
    def total_remaining(self) -> Decimal:
        return self.total_budget - self.total_used

    @property
    def fully_paid(self) -> bool:
        return self.received >= self.budget.total

    @property
    def outstanding(self) -> Decimal:
        return max(self.budget.total - self.received, ZERO)

    @property
    def balance(self) -> Decimal:
        """Funds received less expenditure, commitments and the administrative fee."""
        return self.received - self.total_used - self.budget.fee_amount


def position(budget: Budget, lines: list[BudgetLine], *, up_to: dt.date | None = None) -> Position:
    """Per-line totals in two queries whatever the number of entries."""
    entries = Entry.objects.filter(review_id=budget.review_id)
    if up_to is not None:
        entries = entries.filter(on__lte=up_to)
    sums: dict[tuple[int, str], Decimal] = {
        (row["line_id"], row["kind"]): row["total"]
        for row in entries.values("line_id", "kind").annotate(total=Sum("amount")).order_by()
    }
    statuses = [
        LineStatus(
            line,
            line.amount,
            sums.get((line.pk, Entry.Kind.EXPENDITURE), ZERO),
            sums.get((line.pk, Entry.Kind.COMMITMENT), ZERO),
        )
        for line in lines
    ]
    funding = dict(
        Funding.objects.filter(review_id=budget.review_id)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("kind", "total")
    )
    warnings = [
        _("%(line)s is overspent by %(amount)s %(currency)s.")
        % {
            "line": s.line.name,
            "amount": format_amount(-s.remaining),
            "currency": budget.currency,
        }
        for s in statuses
        if s.overspent
    ]
    return Position(
        budget,
        statuses,
        funding.get(Funding.Kind.INVOICE, ZERO),
        funding.get(Funding.Kind.PAYMENT, ZERO),
        up_to,
        warnings,
    )


# --- termination (Art. 2) ---------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    """Art. 2: on early termination the Government covers only costs actually
    incurred and commitments made up to the termination date."""

    terminated_on: dt.date
    incurred: Decimal
    committed: Decimal
    received: Decimal

    @property
    def owed(self) -> Decimal:
        return self.incurred + self.committed

    @property
    def refund(self) -> Decimal:
        """What goes back to the Government; negative when it still owes."""
        return self.received - self.owed

    @property
    def still_owed(self) -> Decimal:
        return max(self.owed - self.received, ZERO)


def settlement(budget: Budget, lines: list[BudgetLine]) -> Settlement | None:
    if budget.terminated_on is None:
        return None
    pos = position(budget, lines, up_to=budget.terminated_on)
    return Settlement(budget.terminated_on, pos.total_spent, pos.total_committed, pos.received)


# --- lists -----------------------------------------------------------------


def ledger(review: Review) -> list[Entry]:
    """Every entry with its line, author and reversal, in one query."""
    return list(
        Entry.objects.filter(review=review)
        .select_related("line", "recorded_by", "reverses", "reversal")
        .order_by("on", "pk")
    )


def funding_events(review: Review) -> list[Funding]:
    return list(Funding.objects.filter(review=review).select_related("recorded_by"))


# --- the final financial report (Art. 4) -----------------------------------


@dataclass(frozen=True)
class FinalReport:
    review: Review
    budget: Budget
    period: ProjectPeriod
    position: Position
    settlement: Settlement | None
    entries: list[Entry]
    generated_on: dt.date


def final_report(review: Review, *, today: dt.date) -> FinalReport | None:
    budget = get_budget(review)
    if budget is None:
        return None
    period = project_period(review, budget, today=today)
    return FinalReport(
        review=review,
        budget=budget,
        period=period,
        position=position(budget, budget.lines_list),
        settlement=settlement(budget, budget.lines_list),
        entries=ledger(review),
        generated_on=today,
    )
