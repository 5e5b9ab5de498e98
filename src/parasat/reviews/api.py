"""JSON API of the review core. Every operation checks the reader's role through
:mod:`parasat.reviews.access`, as the HTML views do."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from parasat.core.lib.schemas import Texts
from parasat.reviews import selectors
from parasat.reviews.access import get_review_for_user, reviews_for_user
from parasat.reviews.permissions import Perm

router = Router(tags=["reviews"])


class ReviewOut(Schema):
    slug: str
    country: str
    title: Texts
    status: str


class PhaseOut(Schema):
    kind: str
    name: Texts
    months: int
    start: dt.date
    end: dt.date
    when: str


class DeadlineOut(Schema):
    key: str
    due: dt.date
    done_on: dt.date | None
    overdue: bool


class TimelineOut(Schema):
    start: dt.date | None
    end: dt.date | None
    validity_end: dt.date | None
    start_is_placeholder: bool
    phases: list[PhaseOut]
    deadlines: list[DeadlineOut]


class ParticipantOut(Schema):
    name: str
    role: str
    organisation: str | None


def _review_out(review) -> ReviewOut:
    return ReviewOut(
        slug=review.slug, country=review.country, title=Texts.of(review.title), status=review.status
    )


@router.get("/reviews", response=list[ReviewOut], summary="Reviews I take part in")
def list_reviews(request: HttpRequest) -> list[ReviewOut]:
    return [_review_out(r) for r in reviews_for_user(request.user)]


@router.get("/reviews/{slug}", response=ReviewOut, summary="One review")
def get_review(request: HttpRequest, slug: str) -> ReviewOut:
    return _review_out(get_review_for_user(request.user, slug, perm=Perm.VIEW).review)


@router.get("/reviews/{slug}/timeline", response=TimelineOut, summary="Phases and deadlines")
def get_timeline(request: HttpRequest, slug: str) -> TimelineOut:
    review = get_review_for_user(request.user, slug, perm=Perm.VIEW).review
    t = selectors.review_overview(review, today=timezone.localdate(), with_letters=False).timeline
    return TimelineOut(
        start=t.start,
        end=t.end,
        validity_end=t.validity_end,
        start_is_placeholder=t.start_is_placeholder,
        phases=[
            PhaseOut(
                kind=s.phase.kind,
                name=Texts.of(s.phase.name),
                months=s.phase.months,
                start=s.start,
                end=s.end,
                when=s.when,
            )
            for s in t.phases
        ],
        deadlines=[
            DeadlineOut(key=d.key, due=d.due, done_on=d.done_on, overdue=d.overdue)
            for d in t.deadlines
        ],
    )


@router.get("/reviews/{slug}/people", response=list[ParticipantOut], summary="Participants")
def list_people(request: HttpRequest, slug: str) -> list[ParticipantOut]:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_PEOPLE)
    if not request.user.is_authenticated:
        return []
    return [
        ParticipantOut(
            name=p.user.display_name,
            role=p.role,
            organisation=str(org) if (org := p.organisation or p.user.organisation) else None,
        )
        for p in selectors.review_people(access.review)
    ]
