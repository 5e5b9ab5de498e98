"""The engagement's answer to the analysis's question "where was this finding
or recommendation discussed?" (:mod:`parasat.analysis.mentions`): the
decisions linked to it, each with its event. Registered in ``ready()``."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parasat.analysis.mentions import Mention
from parasat.engagement.models import Decision


def decisions_mentioning(
    review_id: int, finding_ids: list[int], recommendation_ids: list[int]
) -> dict[tuple[str, int], list[Mention]]:
    rows = (
        Decision.objects.filter(event__review=review_id)
        .filter(Q(finding__in=finding_ids) | Q(recommendation__in=recommendation_ids))
        .select_related("event__review")
        .order_by("event__starts_at", "event__order", "number")
    )
    found: dict[tuple[str, int], list[Mention]] = {}
    for decision in rows:
        event = decision.event
        when = date_format(event.starts_at, "j E Y") if event.starts_at else ""
        label = _("%(event)s %(date)s, decision %(number)s") % {
            "event": event.title,
            "date": f"({when})" if when else "",
            "number": decision.number,
        }
        url = (
            reverse("engagement:event", args=[event.review.slug, event.pk])
            + f"#decision-{decision.number}"
        )
        mention = Mention(label=" ".join(label.split()), url=url)
        if decision.finding_id in finding_ids:
            found.setdefault(("finding", decision.finding_id), []).append(mention)
        if decision.recommendation_id in recommendation_ids:
            found.setdefault(("recommendation", decision.recommendation_id), []).append(mention)
    return found
