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
    """Read as values, not Decision, Event and Review objects: most area pages
    find none, and building the query for three models' columns cost more
    than running it."""
    rows = (
        Decision.objects.filter(event__review=review_id)
        .filter(Q(finding__in=finding_ids) | Q(recommendation__in=recommendation_ids))
        .order_by("event__starts_at", "event__order", "number")
        .values_list(
            "event_id",
            "event__title",
            "event__starts_at",
            "event__review__slug",
            "number",
            "finding_id",
            "recommendation_id",
        )
    )
    found: dict[tuple[str, int], list[Mention]] = {}
    for event_id, title, starts_at, slug, number, finding_id, recommendation_id in rows:
        when = date_format(starts_at, "j E Y") if starts_at else ""
        label = _("%(event)s %(date)s, decision %(number)s") % {
            "event": title,
            "date": f"({when})" if when else "",
            "number": number,
        }
        url = reverse("engagement:event", args=[slug, event_id]) + f"#decision-{number}"
        mention = Mention(label=" ".join(label.split()), url=url)
        if finding_id in finding_ids:
            found.setdefault(("finding", finding_id), []).append(mention)
        if recommendation_id in recommendation_ids:
            found.setdefault(("recommendation", recommendation_id), []).append(mention)
    return found
