import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parasat.core.testing.spreadsheets import with_raw_cell
from parasat.finance.models import Entry, Funding
from parasat.finance.selectors import get_budget, position, settlement
from parasat.finance.services import (
    entries_import,
    entry_record,
    entry_reverse,
    funding_record,
    termination_record,
)
from parasat.finance.tests.conftest import xlsx_upload
from parasat.reviews.models import Review, Signature

pytestmark = pytest.mark.django_db
D = Decimal


def _position(review):
    budget = get_budget(review)
    return position(budget, budget.lines_list)


def test_budget_against_actual_per_line_and_in_total(review, record):
    record(line="staff", amount="100000")
    record(line="staff", amount="12790.50")
    record(line="expert-fees", amount="5000", kind="commitment")
    pos = _position(review)
    staff = next(s for s in pos.lines if s.line.code == "staff")
    assert (staff.budget, staff.spent, staff.committed, staff.remaining) == (
        D("212790.00"),
        D("112790.50"),
        D("0.00"),
        D("99999.50"),
    )
    fees = next(s for s in pos.lines if s.line.code == "expert-fees")
    assert (fees.spent, fees.committed, fees.remaining) == (D("0.00"), D("5000.00"), D("23000.00"))
    assert pos.total_budget == D("352997.00")
    assert pos.total_spent == D("112790.50")
    assert pos.total_committed == D("5000.00")
    assert pos.total_remaining == D("235206.50")
    assert pos.warnings == []


def test_overspent_line_gets_a_warning(review, record):
    record(line="expert-missions", amount="6999.99")
    record(line="expert-missions", amount="0.02")
    pos = _position(review)
    missions = next(s for s in pos.lines if s.line.code == "expert-missions")
    assert missions.overspent and missions.remaining == D("-0.01")
    assert pos.warnings == ["Mission costs (experts) is overspent by 0.01 EUR."]


def test_reversal_is_a_new_entry_that_cancels_the_original(review, record, analyst):
    original = record(line="other", amount="990.10")
    reversal = entry_reverse(entry=original, by=analyst)
    assert reversal.pk != original.pk
    assert reversal.reverses == original and reversal.amount == D("-990.10")
    assert reversal.on == original.on and reversal.line == original.line
    assert reversal.kind == original.kind and reversal.payee == original.payee
    assert reversal.recorded_by == analyst and reversal.recorded_at is not None
    assert Entry.objects.count() == 2
    other = next(s for s in _position(review).lines if s.line.code == "other")
    assert other.spent == D("0.00")
    with pytest.raises(ValidationError, match="already been reversed"):
        entry_reverse(entry=original, by=analyst)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        entry_reverse(entry=reversal, by=analyst)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-100"}, "amount", "cannot be negative"),
        ({"amount": "a hundred"}, "amount", "is not an amount"),
        ({"amount": "1,500"}, "amount", "ambiguous"),
        ({"line": "catering"}, "line", "Unknown budget line “catering”"),
        ({"on": dt.date(2015, 1, 19)}, "on", "outside the project, which runs from 2015-01-20"),
        ({"on": dt.date(2016, 7, 21)}, "on", "to 2016-07-20"),
        ({"kind": "gift"}, "kind", "Unknown kind"),
        ({"payee": "  "}, "payee", "Say who was paid"),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(
    review, budget, analyst, changes, field, message
):
    data = {
        "kind": "expenditure",
        "line_code": "staff",
        "on": dt.date(2015, 3, 1),
        "amount": "100",
        "payee": "OECD payroll",
    }
    if "line" in changes:
        changes = {"line_code": changes.pop("line"), **changes}
    data.update(changes)
    with pytest.raises(ValidationError) as exc:
        entry_record(review=review, by=analyst, **data)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Entry.objects.exists()


def test_entries_on_the_first_and_last_day_are_accepted(record):
    record(on=dt.date(2015, 1, 20))
    record(on=dt.date(2016, 7, 20))
    assert Entry.objects.count() == 2


def test_no_entry_before_the_agreement_is_signed(review, budget, analyst):
    Signature.objects.filter(party__review=review, party__side="organisation").delete()
    with pytest.raises(ValidationError, match="not in force"):
        entry_record(
            review=review,
            kind="expenditure",
            line_code="staff",
            on=dt.date(2015, 3, 1),
            amount="1",
            payee="x",
            by=analyst,
        )


def test_termination_settlement_and_refund(review, budget, record, analyst):
    funding_record(
        review=review,
        kind="invoice",
        on=dt.date(2015, 1, 21),
        amount="376726",
        reference="INV-1",
        by=analyst,
    )
    funding_record(
        review=review,
        kind="payment",
        on=dt.date(2015, 2, 10),
        amount="376726",
        reference="PAY-1",
        by=analyst,
    )
    record(line="staff", amount="50000.25", on=dt.date(2015, 4, 30))
    record(line="staff-missions", amount="12000", on=dt.date(2015, 6, 1))
    record(line="expert-fees", amount="8000", on=dt.date(2015, 6, 1), kind="commitment")
    mistaken = record(line="other", amount="500", on=dt.date(2015, 5, 1))
    entry_reverse(entry=mistaken, by=analyst)
    # Dated after the termination: not owed.
    record(line="staff", amount="9999", on=dt.date(2015, 6, 2))
    record(line="other", amount="1000", on=dt.date(2015, 6, 3), kind="commitment")

    termination_record(review=review, terminated_on=dt.date(2015, 6, 1), by=analyst)

    budget = get_budget(review)
    st = settlement(budget, budget.lines_list)
    assert st.terminated_on == dt.date(2015, 6, 1)
    assert st.incurred == D("62000.25")
    assert st.committed == D("8000.00")
    assert st.owed == D("70000.25")
    assert st.received == D("376726.00")
    assert st.refund == D("306725.75")
    assert budget.termination_recorded_by == analyst
    review.refresh_from_db()
    assert review.status == Review.Status.TERMINATED
    assert review.terminated_on == dt.date(2015, 6, 1)

    # After the termination no cost can be incurred or committed.
    with pytest.raises(ValidationError, match="after the termination"):
        record(on=dt.date(2015, 6, 2))
    with pytest.raises(ValidationError, match="already recorded"):
        termination_record(review=review, terminated_on=dt.date(2015, 6, 5), by=analyst)


def test_settlement_when_the_government_still_owes(review, budget, record, analyst):
    funding_record(
        review=review,
        kind="payment",
        on=dt.date(2015, 2, 1),
        amount="1000",
        reference="",
        by=analyst,
    )
    record(amount="1500.50")
    termination_record(review=review, terminated_on=dt.date(2015, 6, 1), by=analyst)
    budget = get_budget(review)
    st = settlement(budget, budget.lines_list)
    assert st.refund == D("-500.50") and st.still_owed == D("500.50")


def test_termination_outside_the_project_is_refused(review, budget, analyst):
    with pytest.raises(ValidationError, match="within the project"):
        termination_record(review=review, terminated_on=dt.date(2014, 12, 31), by=analyst)


def test_funding_bad_input(review, budget, analyst):
    with pytest.raises(ValidationError) as exc:
        funding_record(
            review=review,
            kind="payment",
            on=dt.date(2014, 12, 1),
            amount="-5",
            reference="",
            by=analyst,
        )
    assert set(exc.value.message_dict) == {"on", "amount"}
    assert not Funding.objects.exists()


def test_import_writes_every_row_when_all_are_good(review, budget, analyst):
    upload = xlsx_upload(
        [
            (dt.date(2015, 3, 1), "expenditure", "staff", 1000.10, "Payroll March"),
            ("2015-03-02", "commitment", "expert-fees", "2 500,50", "Contract with expert"),
            (None, None, None, None, None),  # blank rows are skipped
            (dt.datetime(2015, 3, 3, 0, 0), "", "other", 12, "Printing"),
        ]
    )
    result = entries_import(review=review, upload=upload, by=analyst)
    assert result.ok and len(result.created) == 3
    amounts = list(Entry.objects.order_by("pk").values_list("kind", "amount"))
    assert amounts == [
        ("expenditure", D("1000.10")),
        ("commitment", D("2500.50")),
        ("expenditure", D("12.00")),
    ]
    assert all(e.recorded_by == analyst and e.recorded_at for e in Entry.objects.all())


def test_import_with_broken_rows_writes_nothing_and_lists_every_row(review, budget, analyst):
    upload = xlsx_upload(
        [
            (dt.date(2015, 3, 1), "expenditure", "staff", 1000, "Good row"),
            (dt.date(2015, 3, 1), "expenditure", "catering", 50, "Unknown line"),
            (dt.date(2015, 3, 1), "expenditure", "staff", -50, "Negative"),
            ("next tuesday", "expenditure", "staff", 50, "Bad date"),
            (dt.date(2020, 1, 1), "expenditure", "staff", 50, "Outside"),
            (dt.date(2015, 3, 1), "expenditure", "staff", "fifty", "Text amount"),
            (dt.date(2015, 3, 1), "expenditure", "staff", "1,500", "Thousands comma"),
        ]
    )
    result = entries_import(review=review, upload=upload, by=analyst)
    assert not result.ok and result.created == []
    by_row = {e.row: " ".join(e.messages) for e in result.errors}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]
    assert "Unknown budget line “catering”" in by_row[3]
    assert "cannot be negative" in by_row[4]
    assert "“next tuesday” is not a date" in by_row[5]
    assert "outside the project" in by_row[6]
    assert "“fifty” is not an amount" in by_row[7]
    assert "ambiguous" in by_row[8]
    assert not Entry.objects.exists()


def test_import_refuses_a_sheet_without_the_columns(review, budget, analyst):
    upload = xlsx_upload([(1, 2)], header=("when", "how much"))
    with pytest.raises(ValidationError, match="missing: date, line, amount, payee"):
        entries_import(review=review, upload=upload, by=analyst)


def test_import_refuses_a_file_that_is_not_a_spreadsheet(review, budget, analyst):
    with pytest.raises(ValidationError):
        entries_import(
            review=review, upload=SimpleUploadedFile("e.xlsx", b"PK\x03\x04garbage"), by=analyst
        )
    with pytest.raises(ValidationError):
        entries_import(review=review, upload=SimpleUploadedFile("e.csv", b"a,b"), by=analyst)
    assert not Entry.objects.exists()


def test_import_says_too_large_per_row_for_huge_amounts(review, budget, analyst):
    """Issue 10: a 28-digit amount or a cell of 1e30 was a server error."""
    upload = xlsx_upload(
        [
            (dt.date(2015, 3, 1), "expenditure", "staff", 1000, "Good row"),
            (dt.date(2015, 3, 1), "expenditure", "staff", 1e30, "Float cell"),
            (dt.date(2015, 3, 1), "expenditure", "staff", "1" * 28, "Text cell"),
            (dt.date(2015, 3, 1), "expenditure", "staff", 10**30, "Whole number cell"),
        ]
    )
    result = entries_import(review=review, upload=upload, by=analyst)
    assert not result.ok
    assert {e.row: e.messages for e in result.errors} == {
        row: ["The amount is too large."] for row in (3, 4, 5)
    }
    assert not Entry.objects.exists()


def test_import_refuses_a_number_cell_beyond_reason(review, budget, analyst):
    """A number cell of 5,000 digits made the spreadsheet reader itself fail."""
    upload = xlsx_upload([(dt.date(2015, 3, 1), "expenditure", "staff", 12345, "Huge")])
    huge = SimpleUploadedFile("e.xlsx", with_raw_cell(upload.read(), "12345", "9" * 5000))
    with pytest.raises(ValidationError, match="Row 2 of the spreadsheet holds a number too long"):
        entries_import(review=review, upload=huge, by=analyst)
    assert not Entry.objects.exists()
