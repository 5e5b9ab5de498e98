"""JSON API of the review core. Every operation checks the reader's role through
:mod:`parasat.reviews.access`, as the HTML views do. Signed-out callers may
call it too: a public review answers them, any other is not found."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from parasat.accounts.apiauth import SIGNED_OUT_TOO
from parasat.core.lib.schemas import PageOut, PageQuery, Texts, page_of
from parasat.reviews import selectors
from parasat.reviews.access import get_review_for_user, readable_reviews
from parasat.reviews.permissions import Perm

router = Router(tags=["reviews"], auth=SIGNED_OUT_TOO)


class ReviewOut(Schema):
    slug: str
    country: str
    title: Texts
    status: str
    public: bool


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


class ReviewPage(PageOut):
    items: list[ReviewOut]


class ParticipantPage(PageOut):
    items: list[ParticipantOut]


def _review_out(review) -> ReviewOut:
    return ReviewOut(
        slug=review.slug,
        country=review.country,
        title=Texts.of(review.title),
        status=review.status,
        public=review.is_public,
    )


@router.get(
    "/reviews",
    response=ReviewPage,
    summary="Reviews I may read",
    description="The public reviews and those I take part in; signed out, the public ones.",
)
def list_reviews(request: HttpRequest, paging: Query[PageQuery]) -> ReviewPage:
    page = page_of(readable_reviews(request.user), paging)
    return ReviewPage(**page.meta(), items=[_review_out(r) for r in page.items])


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


@router.get("/reviews/{slug}/people", response=ParticipantPage, summary="Participants")
def list_people(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> ParticipantPage:
    access = get_review_for_user(request.user, slug, perm=Perm.VIEW_PEOPLE)
    page = page_of(selectors.review_people(access.review), paging)
    return ParticipantPage(
        **page.meta(),
        items=[
            ParticipantOut(
                name=p.user.display_name,
                role=p.role,
                organisation=str(org) if (org := p.organisation or p.user.organisation) else None,
            )
            for p in page.items
        ],
    )
