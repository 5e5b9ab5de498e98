"""``{{ amount|money }}``: an exact amount in the reader's number format."""

from decimal import Decimal

from django import template

from parasat.finance.money import format_amount, format_exact

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return format_amount(value)


@register.filter
def exact(value: Decimal | None) -> str:
    """Every decimal a computation produced (23,733.738)."""
    return "" if value is None else format_exact(value)
