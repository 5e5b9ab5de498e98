"""The ``[actionplan]`` table of an example file: an illustrative plan for the
example's agreed recommendations, adopted by a placeholder act and marked as
illustrative on every page. Loading again leaves an existing plan alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from parasat.accounts.models import Organisation
from parasat.actionplan import services
from parasat.actionplan.models import Plan
from parasat.analysis.models import Recommendation
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Review


def _tt(value: Any) -> TranslatedText:
    return TranslatedText.fresh(value if isinstance(value, dict) else {"en": str(value)})


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def example_load(*, data: dict[str, Any], review: Review) -> None:
    if not data or Plan.objects.filter(review=review).exists():
        return
    plan = services.plan_start(review=review, by=None, title=_tt(data["title"]), illustrative=True)
    orgs = {o.code: o.pk for o in Organisation.objects.all()}
    recs = {r.code: r for r in Recommendation.objects.filter(review=review)}
    for row in data.get("measure", []):
        wanted = [recs[c].pk for c in row.get("recommendations", []) if c in recs]
        if row.get("recommendations") and not wanted:
            continue  # the analysis it answers was not loaded
        measure = services.measure_save(
            plan=plan,
            by=None,
            title=_tt(row["title"]),
            deliverables=_tt(row["deliverables"]) if row.get("deliverables") else None,
            recommendation_ids=wanted,
            responsible_id=orgs.get(row["responsible"]),
            partner_ids=[orgs[c] for c in row.get("partners", []) if c in orgs],
            start_on=_date(row["start_on"]),
            due_on=_date(row["due_on"]),
            budget=Decimal(str(row["budget"])) if row.get("budget") is not None else None,
            budget_source=row.get("budget_source", ""),
        )
        for ind in row.get("indicator", []):
            services.indicator_save(
                measure=measure,
                by=None,
                name=_tt(ind["name"]),
                unit=ind["unit"],
                baseline=Decimal(str(ind["baseline"])),
                target=Decimal(str(ind["target"])),
                frequency=ind["frequency"],
            )
    for row in data.get("position", []):
        if row["recommendation"] in recs:
            services.position_save(
                plan=plan,
                by=None,
                recommendation=recs[row["recommendation"]],
                kind=row["kind"],
                reason=_tt(row["reason"]),
            )
    if data.get("act_number") and not services.adoption_problems(plan):
        services.plan_adopt(
            plan=plan, by=None, act_number=data["act_number"], act_date=_date(data["act_date"])
        )
