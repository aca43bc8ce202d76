# SPDX-License-Identifier: EUPL-1.2
"""Pro rata: the part of a monthly amount for the days of a month the right runs.

Pw art. 45 lid 3 fixes bijstand per month and pro rata for a partial month; the day rate is not
settled by the law, so the method is a gemeente parameter (:class:`ProRataMethod`).
"""

from __future__ import annotations

from datetime import date

from ontzorgen.bijstand.facts import ProRataMethod
from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money, divide_half_up

__all__ = ["describe", "pro_rata"]


def _cumulative(amount: Money, days: int, period: Period) -> Money:
    """F(k) = amount × k / days-in-month, half up: the part for the first k days."""
    return Money(divide_half_up(amount.cents * days, period.days))


def pro_rata(
    amount: Money, period: Period, first: date, last: date, method: ProRataMethod
) -> Money:
    """The part of ``amount`` (a full month) for the days ``first``..``last`` of ``period``.

    A whole month is always the whole amount. Otherwise:

    * ``calendar_days``: F(last) − F(first − 1) with F(k) = amount × k / days-in-month half up.
      For a range that starts on the 1st or ends on the last day this is exactly
      amount × days / days-in-month half up; and the parts of a month always add up to the
      whole amount to the cent (the sum telescopes).
    * ``thirty_days``: amount × min(days, 30) / 30, half up.
    """
    if not (period.contains(first) and period.contains(last)) or last < first:
        raise ValueError(f"{first}..{last} is not a range of days in {period}")
    if first == period.first_day and last == period.last_day:
        return amount
    if method is ProRataMethod.CALENDAR_DAYS:
        return _cumulative(amount, last.day, period) - _cumulative(amount, first.day - 1, period)
    days = min((last - first).days + 1, 30)
    return amount.fraction(days, 30)


def describe(period: Period, first: date, last: date, method: ProRataMethod) -> str:
    """A short Dutch description of the pro rata fraction, for explanations."""
    days = (last - first).days + 1
    if first == period.first_day and last == period.last_day:
        return "hele maand"
    if method is ProRataMethod.CALENDAR_DAYS:
        return f"{days}/{period.days} deel (kalenderdagen)"
    return f"{min(days, 30)}/30 deel (dertig-dagenmethode)"
