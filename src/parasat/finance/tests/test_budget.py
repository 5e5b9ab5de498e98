from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parasat.finance.models import Budget, BudgetLine
from parasat.finance.selectors import budget_check, budget_check_for_review
from parasat.reviews.loader import load_example

pytestmark = pytest.mark.django_db
D = Decimal


def test_kazakhstan_budget_is_loaded_exactly_as_printed():
    review = load_example("kazakhstan-2014")
    budget = Budget.objects.get(review=review)
    assert (budget.currency, budget.fee_rate, budget.fee_amount, budget.total) == (
        "EUR",
        D("6.30"),
        D("23734.00"),
        D("376726.00"),
    )
    lines = list(budget.lines.values_list("code", "category", "amount"))
    assert lines == [
        ("staff", "staff", D("212790.00")),
        ("reimbursable", "reimbursable", D("28717.00")),
        ("expert-fees", "expert_fees", D("28000.00")),
        ("staff-missions", "staff_missions", D("65500.00")),
        ("expert-missions", "expert_missions", D("7000.00")),
        ("other", "other", D("10990.00")),
    ]
    staff = budget.lines.get(code="staff")
    assert staff.name.get("ru") == "Расходы на персонал"
    # In Kazakh, the lines are named as the agreement prints them (Annex I §IX),
    # character for character: "AT" is in Latin letters there, and the fees
    # line has a hyphen.
    assert [line.name.get("kk") for line in budget.lines.all()] == [
        "Қызметкерлерге арналған шығындар",
        "Өтелетін шығыстар (офистік үй-жайлар, AT және т.б.)",
        "Сарапшылар - қаламақылар",
        "Миссияға арналған шығындар (ЭЫДҰ қызметкерлері)",
        "Миссияға арналған шығындар (сарапшылар)",
        "Өзгелері (мысалы, баспа, фотокөшірмелер, жарияланымдар)",
    ]


def test_loading_the_example_twice_leaves_one_budget_and_six_lines():
    load_example("kazakhstan-2014")
    review = load_example("kazakhstan-2014")
    assert Budget.objects.count() == 1
    assert BudgetLine.objects.filter(budget__review=review).count() == 6


def test_kazakhstan_check_reports_the_printed_discrepancy_without_fixing_it():
    review = load_example("kazakhstan-2014")
    check = budget_check_for_review(review)
    assert check.lines_total == D("352997.00")
    assert not check.ok
    total, fee, negative = check.items
    # The six lines plus the fee come to 376,731: five euros over the stated total.
    assert (total.key, total.ok) == ("total", False)
    assert (total.expected, total.actual, total.difference) == (
        D("376726.00"),
        D("376731.00"),
        D("5.00"),
    )
    assert "376,731.00" in total.detail and "376,726.00" in total.detail
    # 6.3% of 376,726 is 23,733.738: the printed 23,734 is that, rounded to the euro.
    assert fee.ok
    assert fee.expected == D("23733.738")
    assert fee.difference == D("0.262")
    assert negative.ok
    assert check.problems == [total]
    # Nothing was corrected.
    budget = Budget.objects.get(review=review)
    assert budget.total == D("376726.00") and budget.fee_amount == D("23734.00")


def test_check_flags_a_wrong_fee_and_a_negative_line(budget):
    budget.fee_amount = D("20000")
    lines = list(budget.lines.all())
    lines[0].amount = D("-1")
    check = budget_check(budget, lines)
    keys = {item.key for item in check.problems}
    assert keys == {"total", "fee", "negative"}
    negative = next(i for i in check.items if i.key == "negative")
    assert "staff: -1.00" in negative.detail


def test_check_passes_when_the_figures_add_up(budget):
    budget.total = D("376731")
    budget.fee_amount = D("23734")
    budget.fee_rate = D("6.3")
    check = budget_check(budget, list(budget.lines.all()))
    # 6.3% of 376,731 = 23,734.053: rounds to the printed 23,734.
    assert check.ok, [i.detail for i in check.problems]


def test_command_prints_the_check_and_exits_non_zero(capsys):
    load_example("kazakhstan-2014")
    with pytest.raises(CommandError) as exc:
        call_command("budget", "check", "kazakhstan-2014")
    assert exc.value.returncode == 1
    out = capsys.readouterr().out
    assert "FAIL The budget lines plus the administrative fee equal the stated total." in out
    assert "expected 376,726.00, found 376,731.00, difference +5.00" in out
    assert "6.3% of 376,726.00 = 23,733.738" in out


def test_command_exits_zero_when_the_budget_adds_up(budget, capsys):
    Budget.objects.filter(pk=budget.pk).update(total=D("376731"))
    call_command("budget", "check", budget.review.slug)
    assert "The budget adds up." in capsys.readouterr().out


def test_command_names_an_unknown_review():
    with pytest.raises(CommandError, match="No review 'nowhere'"):
        call_command("budget", "check", "nowhere")
