# SPDX-License-Identifier: EUPL-1.2
"""TARGET2 business days and the requested execution date of a payment batch.

A SEPA credit transfer can only be executed on a TARGET2 business day: not on Saturday or
Sunday and not on a TARGET closing day (1 January, Good Friday, Easter Monday, 1 May, 25 and
26 December; from ``holidays.financial_holidays("XECB")``). Money for the vaste lasten must
arrive *by* the due date, so a date that is not a business day always moves **earlier**, never
later.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = [
    "business_day_on_or_before",
    "execution_date_for_payment_day",
    "execution_date_for_period",
    "is_business_day",
    "is_target_closing_day",
    "latest_execution_date_for",
    "next_business_day",
    "payment_day_for_period",
    "previous_business_day",
]

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _closing_days(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("XECB", years=year).keys())


def is_target_closing_day(day: date) -> bool:
    """True on a TARGET closing day (a holiday of the ECB's payment system, not weekends)."""
    return day in _closing_days(day.year)


def is_business_day(day: date) -> bool:
    """True on a TARGET2 business day: a weekday that is not a TARGET closing day."""
    return day.weekday() < 5 and not is_target_closing_day(day)


def next_business_day(day: date) -> date:
    """The first TARGET2 business day strictly after ``day``."""
    candidate = day + _ONE_DAY
    while not is_business_day(candidate):
        candidate += _ONE_DAY
    return candidate


def previous_business_day(day: date) -> date:
    """The last TARGET2 business day strictly before ``day``."""
    candidate = day - _ONE_DAY
    while not is_business_day(candidate):
        candidate -= _ONE_DAY
    return candidate


def business_day_on_or_before(day: date) -> date:
    """``day`` itself if it is a TARGET2 business day, else the business day before it."""
    return day if is_business_day(day) else previous_business_day(day)


def latest_execution_date_for(due: date) -> date:
    """The latest execution date that gets money to the creditor by ``due``.

    SEPA credits the creditor's bank at the latest one business day after execution (D+1).
    Executing on the last TARGET2 business day strictly before ``due`` therefore arrives on
    ``due`` when ``due`` is a business day, and before it otherwise. Rent due on Friday
    1 January 2027 must be executed on Thursday 31 December 2026.
    """
    return previous_business_day(due)


def execution_date_for_payment_day(payment_day: date) -> date:
    """The execution date for the gemeente's chosen payment day: that day, moved earlier to
    the nearest TARGET2 business day if it is a weekend or closing day."""
    return business_day_on_or_before(payment_day)


def payment_day_for_period(
    period_start: date, *, day_of_month: int, months_before: int = 1
) -> date:
    """The gemeente's payment day for a period, e.g. the 24th of the month before.

    ``day_of_month`` larger than the month has (31 in February) means the last day of it.
    """
    if not 1 <= day_of_month <= 31:
        raise ValueError("day_of_month must be 1 to 31")
    if months_before < 0:
        raise ValueError("months_before must not be negative")
    month_index = period_start.year * 12 + (period_start.month - 1) - months_before
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day_of_month, last_day))


def execution_date_for_period(
    period_start: date, *, day_of_month: int, months_before: int = 1
) -> date:
    """The execution date for the vaste lasten of a period that starts on ``period_start``.

    The gemeente's payment day (:func:`payment_day_for_period`) moved earlier to a TARGET2
    business day, and never later than :func:`latest_execution_date_for` the period start,
    so that money is at the creditor by the first day of the period.
    """
    chosen = execution_date_for_payment_day(
        payment_day_for_period(period_start, day_of_month=day_of_month, months_before=months_before)
    )
    return min(chosen, latest_execution_date_for(period_start))
