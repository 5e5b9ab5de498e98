"""Reads of the consultations: the matrix (paginated, a constant number of
queries whatever its size), the summary per channel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from parasat.engagement.models import Channel, Consultation, Contribution, Response

MATRIX_PAGE_SIZE = 50


def matrix_rows(consultation: Consultation) -> QuerySet[Contribution]:
    """Every contribution with its response and what it changed, in one query
    (attachments in a second)."""
    return (
        Contribution.objects.filter(consultation=consultation)
        .select_related(
            "response__finding",
            "response__recommendation",
            "response__change__assessment__area",
            "response__responded_by",
            "hidden_by",
        )
        .prefetch_related("attachments")
        .order_by("number")
    )


def matrix_page(consultation: Consultation, number: object) -> Page:
    return Paginator(matrix_rows(consultation), MATRIX_PAGE_SIZE).get_page(number)


@dataclass
class ChannelSummary:
    channel: str
    label: str
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0


def summary(consultation: Consultation) -> list[ChannelSummary]:
    """How many contributions per channel and how they were answered (one query)."""
    rows = (
        Contribution.objects.filter(consultation=consultation, hidden_at__isnull=True)
        .values("channel", "response__kind")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, Counter] = {}
    for row in rows:
        counts.setdefault(row["channel"], Counter())[row["response__kind"]] += row["n"]
    result = []
    for channel in consultation.channels:
        found = counts.get(channel, Counter())
        result.append(
            ChannelSummary(
                channel=channel,
                label=str(Channel(channel).label),
                total=sum(found.values()),
                by_kind={k: found.get(k, 0) for k in Response.Kind.values},
                unanswered=found.get(None, 0),
            )
        )
    return result
