"""Reporting periods: calendar months, quarters, half-years or years, from the
one holding a measure's start to the one holding its due date. A report on a
period falls due a fixed number of days after the period ends."""

from __future__ import annotations

import calendar
import datetime as dt

from parasat.actionplan.models import FREQUENCY_MONTHS

GRACE_DAYS = 15


def _period_end(day: dt.date, months: int) -> dt.date:
    """The last day of the period of ``months`` months holding ``day``."""
    last_month = ((day.month - 1) // months + 1) * months
    return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def _next(end: dt.date, months: int) -> dt.date:
    month = end.month + months
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_ends(frequency: str, start_on: dt.date, due_on: dt.date) -> list[dt.date]:
    """The last days of the periods reported on."""
    months = FREQUENCY_MONTHS[frequency]
    end = _period_end(start_on, months)
    last = _period_end(due_on, months)
    ends = []
    while end <= last:
        ends.append(end)
        end = _next(end, months)
    return ends


def due_date(period_end: dt.date) -> dt.date:
    return period_end + dt.timedelta(days=GRACE_DAYS)
