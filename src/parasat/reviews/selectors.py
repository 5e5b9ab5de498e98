"""Reads of the review core, each with the queries it needs and no more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from parasat.core.lib.dates import add_months
from parasat.reviews.models import Letter, Participant, Party, Phase, Review, Signature


class When(StrEnum):
    PAST = "past"
    CURRENT = "current"
    FUTURE = "future"


@dataclass(frozen=True)
class PhaseSpan:
    phase: Phase
    start: dt.date
    end: dt.date
    when: When
    offset_pct: float
    width_pct: float


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: dt.date
    done_on: dt.date | None
    overdue: bool
    basis: str


@dataclass(frozen=True)
class Timeline:
    """The review's calendar, computed from the last signature (Art. 2, Art. 9)."""

    start: dt.date | None
    end: dt.date | None
    validity_end: dt.date | None
    phases: list[PhaseSpan]
    deadlines: list[Deadline]
    today: dt.date
    today_pct: float | None
    start_is_placeholder: bool
    unsigned_parties: list[Party]

    @property
    def in_force(self) -> bool:
        return self.start is not None

    @property
    def overdue(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.overdue]


def review_start(parties: list[Party]) -> tuple[dt.date | None, bool]:
    """Art. 2 and Art. 9: the start is the date of the last signature, once
    every party has signed. Returns the date and whether it rests on a
    placeholder date."""
    if not parties or any(not p.signatures.all() for p in parties):
        return None, False
    signatures = [s for p in parties for s in p.signatures.all()]
    last = max(signatures, key=lambda s: s.signed_on)
    return last.signed_on, any(s.date_is_placeholder for s in signatures)


def build_timeline(
    review: Review, parties: list[Party], phases: list[Phase], today: dt.date
) -> Timeline:
    start, placeholder = review_start(parties)
    unsigned = [p for p in parties if not p.signatures.all()]
    if start is None:
        return Timeline(None, None, None, [], [], today, None, False, unsigned)
    end = add_months(start, review.duration_months)
    total_days = max((end - start).days, 1)
    spans: list[PhaseSpan] = []
    cursor = start
    for phase in phases:
        phase_end = add_months(cursor, phase.months)
        when = When.PAST if today >= phase_end else When.FUTURE if today < cursor else When.CURRENT
        spans.append(
            PhaseSpan(
                phase,
                cursor,
                phase_end,
                when,
                round(100 * (cursor - start).days / total_days, 2),
                round(100 * (phase_end - cursor).days / total_days, 2),
            )
        )
        cursor = phase_end
    completion = review.completed_on or end
    due = add_months(completion, review.report_due_months)
    deadlines = [
        Deadline(
            "main_report",
            str(_("Main report to the government")),
            due,
            review.report_delivered_on,
            review.report_delivered_on is None and today > due,
            str(_("Art. 4: within %(months)s months after the project ends"))
            % {"months": review.report_due_months},
        ),
        Deadline(
            "financial_report",
            str(_("Final financial report")),
            due,
            review.financial_report_delivered_on,
            review.financial_report_delivered_on is None and today > due,
            str(_("Art. 4: within %(months)s months after the project ends"))
            % {"months": review.report_due_months},
        ),
    ]
    today_pct = None
    if start <= today <= end:
        today_pct = round(100 * (today - start).days / total_days, 2)
    return Timeline(
        start,
        end,
        add_months(start, review.validity_months),
        spans,
        deadlines,
        today,
        today_pct,
        placeholder,
        unsigned,
    )


def parties_with_signatures(review: Review) -> list[Party]:
    return list(
        Party.objects.filter(review=review)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.order_by("order", "pk"))
        )
    )


@dataclass(frozen=True)
class Step:
    """Something the co-ordinator should record; ``target`` says where:
    "signatures" (the parties' dates on the overview) or "deliveries"."""

    text: str
    target: str


@dataclass(frozen=True)
class Story:
    """What the recorded status, the calendar and the deadlines say together,
    so the overview never shows "Under way" beside a calendar that ended long
    ago without saying so and what to do about it."""

    ended: bool  # under way, yet the planned end has passed
    summary: str
    steps: list[Step]


def review_story(review: Review, timeline: Timeline) -> Story:
    if not timeline.in_force or timeline.end is None:
        return Story(False, "", [])
    steps: list[Step] = []
    if timeline.start_is_placeholder:
        steps.append(
            Step(
                str(
                    _(
                        "Enter the real signature dates: the calendar runs from the last "
                        "signature, and these dates are placeholders."
                    )
                ),
                "signatures",
            )
        )
    ended = (
        review.status == Review.Status.ACTIVE
        and review.completed_on is None
        and timeline.today > timeline.end
    )
    summary = ""
    if ended:
        summary = str(
            _("Every phase ended on %(end)s, yet the review is still recorded as under way.")
        ) % {"end": date_format(timeline.end, "j E Y")}
        steps.append(
            Step(
                str(
                    _(
                        "Record the date the review was completed: its status becomes "
                        "Completed, and the reports fall due from that date."
                    )
                ),
                "deliveries",
            )
        )
    for deadline in timeline.deadlines:
        if deadline.done_on is None and (deadline.overdue or ended):
            steps.append(
                Step(
                    str(_("Record when “%(report)s” was delivered.")) % {"report": deadline.label},
                    "deliveries",
                )
            )
    return Story(ended, summary, steps)


@dataclass(frozen=True)
class Overview:
    review: Review
    parties: list[Party]
    timeline: Timeline
    amendment_count: int
    letter_count: int
    latest_letters: list[Letter]
    people_by_role: dict[str, int]
    story: Story


def review_overview(review: Review, *, today: dt.date, with_letters: bool) -> Overview:
    """Everything the overview page shows, in a fixed number of queries."""
    parties = parties_with_signatures(review)
    phases = list(Phase.objects.filter(review=review).order_by("order"))
    counts = dict(
        Participant.objects.filter(review=review, active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    letters: list[Letter] = []
    letter_count = 0
    if with_letters:
        letters = list(Letter.objects.filter(review=review).order_by("-sent_on", "-pk")[:5])
        letter_count = Letter.objects.filter(review=review).count()
    timeline = build_timeline(review, parties, phases, today)
    return Overview(
        review=review,
        parties=parties,
        timeline=timeline,
        story=review_story(review, timeline),
        amendment_count=review.amendments.count(),
        letter_count=letter_count,
        latest_letters=letters,
        people_by_role=counts,
    )


def review_people(review: Review) -> list[Participant]:
    return list(
        Participant.objects.filter(review=review, active=True)
        .select_related("user", "user__organisation", "organisation")
        .order_by("role", "user__full_name", "user__username")
    )
