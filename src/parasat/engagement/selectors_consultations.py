"""Reads of the consultations: the matrix (paginated, a constant number of
queries whatever its size), the summary per channel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from parasat.accounts.models import User
from parasat.engagement.models import (
    Channel,
    Consultation,
    Contribution,
    ContributionAttachment,
    Response,
)
from parasat.reviews.disclosure import Audience

MATRIX_PAGE_SIZE = 50


def matrix_rows(consultation: Consultation) -> QuerySet[Contribution]:
    """Every contribution with its response and what it changed, in one query
    (attachments in a second)."""
    return (
        Contribution.objects.filter(consultation=consultation)
        .select_related(
            "response__finding__assessment__area",
            "response__recommendation__assessment__area",
            "response__change__assessment__area",
            "response__responded_by",
            "hidden_by",
        )
        .prefetch_related("attachments")
        .order_by("number")
    )


@dataclass
class MatrixExport:
    """What the export writes, read in three queries whatever the size: the
    rows with their responses and what they changed, the attachments' names,
    the people who responded."""

    rows: list[Contribution]
    files: dict[int, list[str]]
    responders: dict[int, str]


def matrix_export_rows(consultation: Consultation) -> MatrixExport:
    rows = list(
        Contribution.objects.filter(consultation=consultation)
        .select_related(
            "response__finding",
            "response__recommendation",
            "response__change__assessment__area",
        )
        .only(
            "number",
            "channel",
            "name",
            "anonymous",
            "organisation",
            "submitted_at",
            "text",
            "hidden_at",
            "hidden_reason",
            "response__kind",
            "response__reason",
            "response__responded_by_id",
            "response__responded_at",
            "response__finding__code",
            "response__recommendation__code",
            "response__change__number",
            "response__change__assessment__area__code",
        )
        .order_by("number")
    )
    files: dict[int, list[str]] = {}
    for contribution_id, name in (
        ContributionAttachment.objects.filter(contribution__consultation=consultation)
        .order_by("pk")
        .values_list("contribution_id", "file_name")
    ):
        files.setdefault(contribution_id, []).append(name)
    responders = {
        user.pk: user.display_name
        for user in User.objects.filter(
            pk__in=Response.objects.filter(contribution__consultation=consultation).values(
                "responded_by"
            )
        )
    }
    return MatrixExport(rows=rows, files=files, responders=responders)


def published_rows(consultation: Consultation, audience: Audience) -> QuerySet[Contribution]:
    """Once the consultation's summary is published, the contributions
    ``audience`` may read, at the level each contributor chose (hidden ones
    never); nothing before."""
    if consultation.summary_published_at is None:
        return Contribution.objects.none()
    return (
        Contribution.objects.filter(consultation=consultation, hidden_at__isnull=True)
        .filter(audience.level_filter())
        .select_related(
            "response__finding",
            "response__recommendation",
            "response__change__assessment__area",
        )
        .order_by("number")
    )


def published_response(contribution: Contribution, audience: Audience) -> Response | None:
    """The contribution's response, when it is at a level ``audience`` reads."""
    response = getattr(contribution, "response", None)
    return response if response is not None and audience.reads(response.confidentiality) else None


def published_contributions(
    consultation: Consultation, audience: Audience, number: object = None
) -> Page | None:
    """One page of :func:`published_rows` (two queries), each row with its
    ``published_response``; None before the summary is published."""
    if consultation.summary_published_at is None:
        return None
    page = Paginator(published_rows(consultation, audience), MATRIX_PAGE_SIZE).get_page(number)
    for c in page.object_list:
        c.published_response = published_response(c, audience)
    return page


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
