"""A first assignment for the demo accounts, so that a newcomer who runs
``make run`` finds the self-assessment under way rather than empty."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from parasat.assessment import services
from parasat.assessment.models import Assignment
from parasat.reviews.models import Participant, Review, Role
from parasat.toolkit.models import PolicyArea

DEMO_AREA = "REG"


@transaction.atomic
def demo_assessment_ensure(*, review: Review) -> list[Assignment]:
    """Assign the regulatory-policy area to the demo contact person's ministry,
    by the demo co-ordinator, due in 30 days — only when the review has no
    assignment yet and both demo people take part. Returns what was made."""
    if Assignment.objects.filter(review=review).exists():
        return []
    demo = Participant.objects.filter(review=review, active=True, user__is_demo=True)
    coordinator = demo.filter(role=Role.COORDINATOR).select_related("user").first()
    contact = (
        demo.filter(role=Role.CONTACT_PERSON, organisation__isnull=False)
        .select_related("user", "organisation")
        .first()
    )
    area = PolicyArea.objects.filter(code=DEMO_AREA).first()
    if coordinator is None or contact is None or area is None:
        return []
    return services.area_assign(
        review=review,
        area=area,
        ministry=contact.organisation,
        assignee=contact.user,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        by=coordinator.user,
    )
