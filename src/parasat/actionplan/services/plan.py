"""Drafting, adopting and amending the plan. Every function is atomic and
keyword-only, locks the plan's row and refuses a plan that is adopted (until
an amendment is started, with a reason). Refusals are ValidationErrors naming
the form field they are about; nothing is written then."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parasat.accounts.models import Organisation, User
from parasat.actionplan.caching import plan_changed
from parasat.actionplan.models import (
    BudgetSource,
    Frequency,
    Indicator,
    Measure,
    Plan,
    PlanVersion,
    Position,
    Unit,
)
from parasat.actionplan.selectors import CoverageRow, agreed_recommendations, coverage, snapshot
from parasat.analysis.models import Recommendation
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Review

MAX_REASON = 10_000
AGENCY_KINDS = (Organisation.Kind.GOVERNMENT, Organisation.Kind.MINISTRY)


def agencies() -> list[Organisation]:
    """The bodies a measure may be given to: the government and its ministries."""
    return list(Organisation.objects.filter(kind__in=AGENCY_KINDS).order_by("code"))


def lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def refuse_unless_editable(locked: Plan) -> None:
    if not locked.is_editable:
        raise ValidationError(
            _("The plan is adopted: start an amendment, with a reason, before changing it.")
        )


def _text(value: TranslatedText, field: str, message: str) -> TranslatedText:
    if not value.source.strip():
        raise ValidationError({field: message})
    return value


def _reason(reason: str, field: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: message})
    if len(reason) > MAX_REASON:
        raise ValidationError({field: _("The reason is too long.")})
    return reason


# --- the plan ------------------------------------------------------------------


@transaction.atomic
def plan_start(
    *, review: Review, by: User | None, title: TranslatedText, illustrative: bool = False
) -> Plan:
    """Start drafting the review's plan (one per review)."""
    _text(title, "title", _("Give the plan a title."))
    if Plan.objects.filter(review=review).exists():
        raise ValidationError(_("This review already has an action plan."))
    plan = Plan.objects.create(review=review, title=title, created_by=by, illustrative=illustrative)
    plan_changed(review.pk)
    return plan


@transaction.atomic
def plan_adopt(*, plan: Plan, by: User | None, act_number: str, act_date: dt.date | None) -> Plan:
    """Adopt the plan (or its amendment) by an act: it is frozen as a new
    version. Refused while a recommendation is uncovered, a measure has no
    indicator, or there is no measure at all."""
    locked = lock(plan)
    refuse_unless_editable(locked)
    act_number = (act_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not act_number:
        errors["act_number"] = [_("Give the number of the act that adopts the plan.")]
    elif len(act_number) > 100:
        errors["act_number"] = [_("The act number is too long (at most 100 characters).")]
    if act_date is None:
        errors["act_date"] = [_("Give the date of the act.")]
    elif locked.act_date and act_date < locked.act_date:
        errors["act_date"] = [_("An amendment cannot be dated before the act it amends.")]
    if errors:
        raise ValidationError(errors)
    problems = adoption_problems(locked)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    locked.version += 1
    locked.state = Plan.State.ADOPTED
    locked.act_number = act_number
    locked.act_date = act_date
    reason = locked.amendment_reason
    locked.amendment_reason = ""
    locked.save(update_fields=["version", "state", "act_number", "act_date", "amendment_reason"])
    PlanVersion.objects.create(
        plan=locked,
        number=locked.version,
        act_number=act_number,
        act_date=act_date,
        reason=reason,
        content=snapshot(locked),
        adopted_by=by,
        adopted_at=now,
    )
    plan_changed(locked.review_id)
    return locked


def adoption_problems(
    plan: Plan,
    *,
    measures: Sequence[Measure] | None = None,
    rows: Sequence[CoverageRow] | None = None,
) -> list[str]:
    """What keeps the plan from being adopted, in words. A page that has read
    them already passes the plan's measures (every one, withdrawn or not, its
    indicators prefetched: ``selectors.measure_rows``) and its coverage
    (``selectors.coverage``), which are then not read again."""
    problems = []
    if measures is None:
        measures = Measure.objects.filter(plan=plan, withdrawn_at__isnull=True).prefetch_related(
            "indicators"
        )
    current = sorted((m for m in measures if m.withdrawn_at is None), key=lambda m: m.code)
    if not current:
        problems.append(_("The plan has no measure yet."))
    if rows is None:
        rows = coverage(plan)
    uncovered = [row.recommendation.code for row in rows if not row.covered]
    if uncovered:
        problems.append(
            _(
                "Recommendations %(codes)s are not covered: give each a measure, or a "
                "position with a reason."
            )
            % {"codes": ", ".join(uncovered)}
        )
    parents = {m.parent_id for m in current}
    for m in current:
        if m.pk not in parents and not [i for i in m.indicators.all() if i.withdrawn_at is None]:
            problems.append(
                _("Measure %(code)s has no indicator: say how its progress is measured.")
                % {"code": m.code}
            )
    return problems


@transaction.atomic
def plan_amend(*, plan: Plan, by: User | None, reason: str) -> Plan:
    """Open the adopted plan for an amendment; it is adopted again as a new version."""
    reason = _reason(reason, "reason", _("Say why the plan is amended."))
    locked = lock(plan)
    if locked.state != Plan.State.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be amended."))
    locked.state = Plan.State.AMENDING
    locked.amendment_reason = reason
    locked.save(update_fields=["state", "amendment_reason"])
    plan_changed(locked.review_id)
    return locked


# --- positions on recommendations -------------------------------------------------


@transaction.atomic
def position_save(
    *,
    plan: Plan,
    by: User | None,
    recommendation: Recommendation,
    kind: str,
    reason: TranslatedText,
) -> Position:
    """The government's position on a recommendation, with its reason."""
    locked = lock(plan)
    refuse_unless_editable(locked)
    if kind not in Position.Kind.values:
        raise ValidationError({"kind": _("Choose a position.")})
    _text(reason, "reason", _("Give the reason for this position."))
    if not agreed_recommendations(locked.review).filter(pk=recommendation.pk).exists():
        raise ValidationError(
            {"recommendation": _("Only the agreed recommendations of this review can be answered.")}
        )
    position, _created = Position.objects.update_or_create(
        plan=locked,
        recommendation=recommendation,
        defaults={"kind": kind, "reason": reason, "given_by": by, "given_at": timezone.now()},
    )
    plan_changed(locked.review_id)
    return position


# --- measures ----------------------------------------------------------------------


def _check_recommendations(plan: Plan, ids: Sequence[int], *, required: bool) -> list:
    wanted = set(ids)
    found = list(
        agreed_recommendations(plan.review).filter(pk__in=wanted).select_related("assessment__area")
    )
    if len(found) != len(wanted):
        raise ValidationError(
            {
                "recommendations": _(
                    "Only the agreed recommendations of this review can be turned into measures."
                )
            }
        )
    if required and not found:
        raise ValidationError(
            {"recommendations": _("Choose the recommendations this measure answers.")}
        )
    return sorted(found, key=lambda r: (r.assessment.area.order, r.number))


def _check_agencies(responsible_id: int | None, partner_ids: Sequence[int]) -> None:
    if responsible_id is None:
        raise ValidationError({"responsible": _("Name the agency responsible for the measure.")})
    known = set(
        Organisation.objects.filter(
            kind__in=AGENCY_KINDS, pk__in={responsible_id, *partner_ids}
        ).values_list("pk", flat=True)
    )
    if responsible_id not in known:
        raise ValidationError(
            {
                "responsible": _(
                    "The responsible agency must be the government or one of its ministries."
                )
            }
        )
    if set(partner_ids) - known:
        raise ValidationError(
            {"partners": _("Partner agencies must be the government or its ministries.")}
        )


def _check_dates(start_on: dt.date | None, due_on: dt.date | None, parent: Measure | None) -> None:
    if start_on is None:
        raise ValidationError({"start_on": _("Give the date the measure starts.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date the measure is due.")})
    if due_on < start_on:
        raise ValidationError({"due_on": _("The due date cannot come before the start.")})
    if parent is not None and (start_on < parent.start_on or due_on > parent.due_on):
        raise ValidationError(
            {
                "due_on": _(
                    "A part of measure %(code)s must fall within its dates (%(start)s – %(due)s)."
                )
                % {"code": parent.code, "start": parent.start_on, "due": parent.due_on}
            }
        )


def _check_budget(budget: Decimal | None, source: str, currency: str) -> str:
    if source and source not in BudgetSource.values:
        raise ValidationError({"budget_source": _("Choose a source of funding.")})
    if budget is not None:
        if budget < 0:
            raise ValidationError({"budget": _("The budget cannot be negative.")})
        if not source:
            raise ValidationError({"budget_source": _("Say where the budget comes from.")})
    currency = (currency or "KZT").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError(
            {"budget_currency": _("Give the currency as three letters, e.g. KZT.")}
        )
    return currency


@transaction.atomic
def measure_save(
    *,
    plan: Plan,
    by: User | None,
    title: TranslatedText,
    responsible_id: int | None,
    start_on: dt.date | None,
    due_on: dt.date | None,
    recommendation_ids: Sequence[int] = (),
    partner_ids: Sequence[int] = (),
    deliverables: TranslatedText | None = None,
    budget: Decimal | None = None,
    budget_currency: str = "KZT",
    budget_source: str = "",
    weight: int = 1,
    parent: Measure | None = None,
    measure: Measure | None = None,
    base_revision: int | None = None,
) -> Measure:
    """Add a measure (or a part of one, under ``parent``) or change one."""
    locked = lock(plan)
    refuse_unless_editable(locked)
    _text(title, "title", _("Say what the measure is."))
    if measure is not None:
        measure = Measure.objects.select_for_update().get(pk=measure.pk, plan=locked)
        if base_revision is not None and base_revision != measure.revision:
            raise ValidationError(
                _("Someone changed this measure since you opened it: reload it and try again.")
            )
        if measure.withdrawn_at:
            raise ValidationError(_("This measure is withdrawn."))
        parent = measure.parent
    if parent is not None:
        if parent.plan_id != locked.pk:
            raise ValidationError({"parent": _("The parent measure belongs to another plan.")})
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("A part of a measure cannot have parts of its own.")}
            )
        if parent.withdrawn_at:
            raise ValidationError({"parent": _("The parent measure is withdrawn.")})
    recommendations = _check_recommendations(locked, recommendation_ids, required=parent is None)
    _check_agencies(responsible_id, partner_ids)
    _check_dates(start_on, due_on, parent)
    budget_currency = _check_budget(budget, budget_source, budget_currency)
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        raise ValidationError({"weight": _("The weight is a whole number from 1 to 100.")})
    area_id = (
        recommendations[0].assessment.area_id
        if recommendations
        else (parent.area_id if parent else None)
    )
    fields = {
        "title": title,
        "deliverables": deliverables or TranslatedText(),
        "responsible_id": responsible_id,
        "start_on": start_on,
        "due_on": due_on,
        "budget": budget,
        "budget_currency": budget_currency,
        "budget_source": budget_source,
        "weight": weight,
        "area_id": area_id,
    }
    if measure is None:
        siblings = Measure.objects.filter(plan=locked, parent=parent)
        number = (siblings.aggregate(n=Max("number"))["n"] or 0) + 1
        code = f"{parent.code}.{number}" if parent else str(number)
        measure = Measure.objects.create(
            plan=locked, parent=parent, number=number, code=code, **fields
        )
    else:
        for name, value in fields.items():
            setattr(measure, name, value)
        measure.revision += 1
        measure.save()
    measure.recommendations.set(recommendations)
    measure.partners.set([p for p in partner_ids if p != responsible_id])
    plan_changed(locked.review_id)
    return measure


@transaction.atomic
def measure_withdraw(*, measure: Measure, by: User | None, reason: str) -> Measure:
    """Withdraw a measure (and its parts) from the plan being drafted or amended."""
    reason = _reason(reason, "reason", _("Say why the measure is withdrawn."))
    locked = lock(measure.plan)
    refuse_unless_editable(locked)
    now = timezone.now()
    rows = Measure.objects.select_for_update().filter(Q(pk=measure.pk) | Q(parent=measure.pk))
    for row in rows:
        if row.withdrawn_at is None:
            row.withdrawn_at = now
            row.withdrawn_reason = reason
            row.completion = "withdrawn"
            row.revision += 1
            row.save(update_fields=["withdrawn_at", "withdrawn_reason", "completion", "revision"])
    plan_changed(locked.review_id)
    measure.refresh_from_db()
    return measure


@transaction.atomic
def measure_freeze(*, measure: Measure, by: User | None, reason: str) -> Measure:
    """Hold a measure: no progress is reported on it until it is released."""
    reason = _reason(reason, "reason", _("Say why the measure is frozen."))
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if locked.withdrawn_at:
        raise ValidationError(_("This measure is withdrawn."))
    locked.frozen_at = timezone.now()
    locked.frozen_reason = reason
    locked.save(update_fields=["frozen_at", "frozen_reason"])
    plan_changed(locked.plan.review_id)
    return locked


@transaction.atomic
def measure_release(*, measure: Measure, by: User | None) -> Measure:
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    locked.frozen_at = None
    locked.frozen_reason = ""
    locked.save(update_fields=["frozen_at", "frozen_reason"])
    plan_changed(locked.plan.review_id)
    return locked


# --- indicators --------------------------------------------------------------------


def _check_indicator(
    unit: str,
    baseline: Decimal | None,
    target: Decimal | None,
    minimum: Decimal | None,
    maximum: Decimal | None,
    frequency: str,
) -> None:
    if unit not in Unit.values:
        raise ValidationError({"unit": _("Choose the unit the indicator counts in.")})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often progress is reported.")})
    if baseline is None:
        raise ValidationError({"baseline": _("Give the value at the start (the baseline).")})
    if target is None:
        raise ValidationError({"target": _("Give the value to reach (the target).")})
    if target == baseline:
        raise ValidationError({"target": _("The target must differ from the baseline.")})
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise ValidationError(
            {"maximum": _("The highest possible value must be above the lowest.")}
        )
    low, high = implied_range(unit, minimum, maximum)
    for name, value in (("baseline", baseline), ("target", target)):
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                {
                    name: _("This value lies outside the indicator's range (%(range)s).")
                    % {"range": range_text(low, high)}
                }
            )


def implied_range(
    unit: str, minimum: Decimal | None, maximum: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """The declared range, narrowed by what the unit itself allows."""
    low, high = minimum, maximum
    if unit in {Unit.PERCENT, Unit.YES_NO}:
        top = Decimal(100) if unit == Unit.PERCENT else Decimal(1)
        low = max(low, Decimal(0)) if low is not None else Decimal(0)
        high = min(high, top) if high is not None else top
    elif unit in {Unit.COUNT, Unit.DAYS, Unit.KZT}:
        low = max(low, Decimal(0)) if low is not None else Decimal(0)
    return low, high


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    def show(v: Decimal) -> str:
        return f"{v.normalize():f}"

    if low is not None and high is not None:
        return f"{show(low)}–{show(high)}"
    if low is not None:
        return f"≥ {show(low)}"
    return f"≤ {show(high)}" if high is not None else "—"


@transaction.atomic
def indicator_save(
    *,
    measure: Measure,
    by: User | None,
    name: TranslatedText,
    unit: str,
    baseline: Decimal | None,
    target: Decimal | None,
    frequency: str,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    indicator: Indicator | None = None,
    base_revision: int | None = None,
) -> Indicator:
    """Add an indicator to a measure or change one."""
    locked = lock(measure.plan)
    refuse_unless_editable(locked)
    if measure.withdrawn_at:
        raise ValidationError(_("This measure is withdrawn."))
    _text(name, "name", _("Say what the indicator measures."))
    _check_indicator(unit, baseline, target, minimum, maximum, frequency)
    fields = {
        "name": name,
        "unit": unit,
        "baseline": baseline,
        "target": target,
        "minimum": minimum,
        "maximum": maximum,
        "frequency": frequency,
    }
    if indicator is None:
        number = (measure.indicators.aggregate(n=Max("number"))["n"] or 0) + 1
        indicator = Indicator.objects.create(measure=measure, number=number, **fields)
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, measure=measure)
        if base_revision is not None and base_revision != indicator.revision:
            raise ValidationError(
                _("Someone changed this indicator since you opened it: reload it and try again.")
            )
        if indicator.reports.exists() and indicator.unit != unit:
            raise ValidationError(
                {"unit": _("Progress was reported in this unit: it cannot change now.")}
            )
        for field, value in fields.items():
            setattr(indicator, field, value)
        indicator.revision += 1
        indicator.save()
    plan_changed(locked.review_id)
    return indicator


@transaction.atomic
def indicator_withdraw(*, indicator: Indicator, by: User | None) -> Indicator:
    locked = lock(indicator.measure.plan)
    refuse_unless_editable(locked)
    if indicator.withdrawn_at is None:
        indicator.withdrawn_at = timezone.now()
        indicator.revision += 1
        indicator.save(update_fields=["withdrawn_at", "revision"])
    plan_changed(locked.review_id)
    return indicator
