import datetime as dt

import pytest

from parasat.reviews.models import Phase
from parasat.reviews.selectors import build_timeline, parties_with_signatures
from parasat.reviews.tests.factories import (
    PartyFactory,
    ReviewFactory,
    SignatureFactory,
    signed_review,
)

pytestmark = pytest.mark.django_db


def timeline(review, today):
    phases = list(Phase.objects.filter(review=review).order_by("order"))
    return build_timeline(review, parties_with_signatures(review), phases, today)


def test_start_is_the_last_signature_and_phases_follow():
    review = signed_review()
    t = timeline(review, dt.date(2015, 6, 1))
    assert t.start == dt.date(2015, 1, 20)
    assert t.end == dt.date(2016, 7, 20)  # 18 months
    assert t.validity_end == dt.date(2017, 1, 20)  # 24 months
    assert [(s.start, s.end) for s in t.phases] == [
        (dt.date(2015, 1, 20), dt.date(2015, 3, 20)),
        (dt.date(2015, 3, 20), dt.date(2016, 1, 20)),
        (dt.date(2016, 1, 20), dt.date(2016, 7, 20)),
    ]
    assert [s.when for s in t.phases] == ["past", "current", "future"]
    assert 0 < t.today_pct < 100


def test_reports_are_due_six_months_after_the_end_and_overdue_after():
    review = signed_review()
    t = timeline(review, dt.date(2017, 2, 1))
    assert {d.key: d.due for d in t.deadlines} == {
        "main_report": dt.date(2017, 1, 20),
        "financial_report": dt.date(2017, 1, 20),
    }
    assert all(d.overdue for d in t.deadlines)
    review.report_delivered_on = dt.date(2017, 1, 10)
    t = timeline(review, dt.date(2017, 2, 1))
    assert [d.key for d in t.overdue] == ["financial_report"]


def test_not_in_force_until_every_party_signed():
    review = ReviewFactory()
    gov = PartyFactory(review=review)
    PartyFactory(review=review, side="organisation")
    SignatureFactory(party=gov)
    t = timeline(review, dt.date(2015, 6, 1))
    assert t.start is None and not t.in_force
    assert len(t.unsigned_parties) == 1


def test_placeholder_signature_dates_are_flagged():
    review = signed_review()
    sig = review.parties.first().signatures.first()
    sig.date_is_placeholder = True
    sig.save()
    assert timeline(review, dt.date(2015, 6, 1)).start_is_placeholder
