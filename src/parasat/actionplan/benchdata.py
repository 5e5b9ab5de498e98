"""A plan at the scale of the issue's performance target, for bench/actionplan.py:
1,000 measures with 3,000 indicators and 8 quarterly reports each (24,000
accepted reports), written in bulk on the example review's plan."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from parasat.accounts.models import Organisation, User
from parasat.actionplan.caching import plan_changed
from parasat.actionplan.models import Indicator, Measure, Plan, ProgressReport
from parasat.actionplan.periods import due_date, period_ends
from parasat.actionplan.selectors import agreed_recommendations
from parasat.core.lib.translated import TranslatedText
from parasat.reviews.models import Review

START = dt.date(2016, 1, 1)
DUE = dt.date(2017, 12, 31)


@dataclass
class Generated:
    plan: Plan
    counts: dict[str, int]


@transaction.atomic
def generate(
    review: Review, *, measures: int = 1000, indicators: int = 3, by: User | None = None
) -> Generated:
    rng = random.Random(15)  # noqa: S311 (made-up figures, the same every run)
    plan = Plan.objects.get(review=review)
    agencies = list(Organisation.objects.filter(kind__in=["government", "ministry"]))
    recs = list(agreed_recommendations(review))
    first = Measure.objects.filter(plan=plan, parent=None).count() + 1
    rows = []
    for n in range(first, first + measures):
        rows.append(
            Measure(
                plan=plan,
                code=str(n),
                number=n,
                title=TranslatedText.fresh(
                    {
                        "en": f"Measure {n}: strengthen integrity controls",
                        "ru": f"Мероприятие {n}: укрепить контроль добросовестности",
                        "kk": f"{n}-іс-шара: парасаттылықты бақылауды күшейту",
                    }
                ),
                responsible=rng.choice(agencies),
                area_id=recs[n % len(recs)].assessment.area_id if recs else None,
                start_on=START,
                due_on=DUE if n % 5 else dt.date(2016, 12, 31),
                budget=Decimal(rng.randrange(1, 100) * 100_000),
                budget_source="state",
                progress=rng.randrange(0, 101),
                completion=rng.choice(["not_started", "limited", "substantial", "complete"]),
            )
        )
    made = Measure.objects.bulk_create(rows, batch_size=500)
    through = Measure.recommendations.through
    if recs:
        through.objects.bulk_create(
            [
                through(measure_id=m.pk, recommendation_id=recs[i % len(recs)].pk)
                for i, m in enumerate(made)
            ],
            batch_size=1000,
        )
    ind_rows = [
        Indicator(
            measure=m,
            number=k,
            name=TranslatedText.fresh({"en": f"Indicator {k} of measure {m.code}"}),
            unit="percent",
            baseline=Decimal(0),
            target=Decimal(100),
            frequency="quarterly",
        )
        for m in made
        for k in range(1, indicators + 1)
    ]
    inds = Indicator.objects.bulk_create(ind_rows, batch_size=1000)
    now = timezone.now()
    ends = period_ends("quarterly", START, DUE)
    reports = [
        ProgressReport(
            indicator=i,
            period_end=end,
            due_on=due_date(end),
            value=Decimal(min(100, (q + 1) * 12)),
            narrative=f"Quarter {q + 1}: work went on as planned.",
            confidentiality="public",
            status="accepted",
            submitted_at=now,
            decided_at=now,
        )
        for i in inds
        for q, end in enumerate(ends)
    ]
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    Indicator.objects.filter(pk__in=[i.pk for i in inds]).update(latest_value=Decimal(96))
    plan_changed(review.pk)
    return Generated(
        plan,
        {"measures": len(made), "indicators": len(inds), "reports": len(reports)},
    )
