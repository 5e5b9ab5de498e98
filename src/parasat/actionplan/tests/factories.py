"""A review with two agreed recommendations (written straight to the tables:
the analysis's own workflow is its tests' business), a ministry with its
contact person, a second ministry as partner, and plans built on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from parasat.accounts.models import Organisation, User
from parasat.accounts.tests.factories import OrganisationFactory
from parasat.actionplan import services
from parasat.actionplan.models import Indicator, Measure, Plan
from parasat.analysis.models import AreaAssessment, Recommendation
from parasat.assessment.tests.factories import working_group
from parasat.core.testing.texts import tt
from parasat.reviews.models import Review
from parasat.toolkit.tests.factories import PolicyAreaFactory

START = dt.date(2016, 1, 1)
DUE = dt.date(2017, 12, 31)


@dataclass
class Planning:
    review: Review
    coordinator: User
    contact: User
    ministry: Organisation
    partner: Organisation
    recommendations: list[Recommendation]

    def plan(self) -> Plan:
        return Plan.objects.filter(review=self.review).first() or services.plan_start(
            review=self.review, by=self.coordinator, title=tt("Anti-corruption action plan")
        )

    def measure(self, rec: Recommendation | None = None, **kwargs) -> Measure:
        fields = {
            "title": tt("Verify declarations", "Проверять декларации", "Декларацияларды тексеру"),
            "responsible_id": self.ministry.pk,
            "start_on": START,
            "due_on": DUE,
            "recommendation_ids": [(rec or self.recommendations[0]).pk],
            "partner_ids": [self.partner.pk],
        }
        fields.update(kwargs)
        return services.measure_save(plan=self.plan(), by=self.coordinator, **fields)

    def indicator(self, measure: Measure, **kwargs) -> Indicator:
        fields = {
            "name": tt(
                "Declarations verified", "Проверено деклараций", "Тексерілген декларациялар"
            ),
            "unit": "percent",
            "baseline": Decimal(0),
            "target": Decimal(80),
            "frequency": "quarterly",
        }
        fields.update(kwargs)
        return services.indicator_save(measure=measure, by=self.coordinator, **fields)

    def adopted(self) -> tuple[Plan, list[Measure]]:
        """Each recommendation turned into one measure with one indicator, adopted."""
        measures = []
        for rec in self.recommendations:
            m = self.measure(rec)
            self.indicator(m)
            measures.append(m)
        plan = services.plan_adopt(
            plan=self.plan(), by=self.coordinator, act_number="12-p", act_date=dt.date(2016, 1, 15)
        )
        return plan, measures


def agreed_recommendations(review: Review, count: int = 2) -> list[Recommendation]:
    area = PolicyAreaFactory(code="COI", order=3, name=tt("Conflict of interest"))
    assessment = AreaAssessment.objects.create(
        review=review, area=area, state=AreaAssessment.State.AGREED, confidentiality="public"
    )
    return [
        Recommendation.objects.create(
            review=review,
            assessment=assessment,
            number=n,
            code=f"COI-{n}",
            text=tt(f"Recommendation {n}", f"Рекомендация {n}", f"Ұсыным {n}"),
            priority="urgent",
        )
        for n in range(1, count + 1)
    ]


def planning(review: Review, coordinator: User) -> Planning:
    ministry, contact = working_group(review)
    partner = OrganisationFactory(code="min-finance", kind=Organisation.Kind.MINISTRY)
    return Planning(
        review=review,
        coordinator=coordinator,
        contact=contact,
        ministry=ministry,
        partner=partner,
        recommendations=agreed_recommendations(review),
    )
