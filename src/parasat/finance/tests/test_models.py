"""The ledger and the funding are append-only: no way of writing through the
ORM changes or removes a row once recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from parasat.core.models import RowIsAppendOnly
from parasat.finance.models import Entry, LedgerIsAppendOnly
from parasat.finance.services import funding_record

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(params=["entry", "funding"])
def row(request, review, record, analyst):
    if request.param == "entry":
        return record(amount="100")
    return funding_record(
        review=review,
        kind="invoice",
        on=dt.date(2015, 1, 25),
        amount="100",
        reference="I-1",
        by=analyst,
    )


def _stored(row):
    return type(row).objects.filter(pk=row.pk).values("amount", "on").get()


WRITES = {
    "save": lambda row: row.save(),
    "save some fields": lambda row: row.save(update_fields=["amount"]),
    "delete": lambda row: row.delete(),
    "queryset update": lambda row: type(row).objects.filter(pk=row.pk).update(amount=D("1")),
    "queryset delete": lambda row: type(row).objects.filter(pk=row.pk).delete(),
    "bulk update": lambda row: type(row).objects.bulk_update([row], ["amount"]),
    "update or create": lambda row: type(row).objects.update_or_create(
        pk=row.pk, defaults={"amount": D("1")}
    ),
    "through the review": lambda row: (
        getattr(row.review, "ledger" if isinstance(row, Entry) else "funding").all().delete()
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_recorded_row_is_never_changed_or_deleted(row, write):
    before = _stored(row)
    row.amount = D("1")
    row.on = dt.date(2015, 2, 2)
    # bulk_update() refuses inside an atomic block of its own, which then
    # spoils the enclosing one: each write gets its savepoint, as in a service.
    with pytest.raises(LedgerIsAppendOnly), transaction.atomic():
        write(row)
    assert _stored(row) == before
    assert before["amount"] == D("100.00")


def test_the_refusal_is_the_shared_one_and_new_rows_still_go_in(record):
    assert issubclass(LedgerIsAppendOnly, RowIsAppendOnly)
    record(amount="1")
    record(amount="2")
    assert sorted(Entry.objects.values_list("amount", flat=True)) == [D("1.00"), D("2.00")]
