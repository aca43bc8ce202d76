# SPDX-License-Identifier: EUPL-1.2
"""When leefgeld is paid: monthly on the payment day, or weekly on the policy's weekday."""

from __future__ import annotations

from datetime import date, timedelta

from ontzorgen.bijstand.facts import GemeentePolicy, LeefgeldFrequency
from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money

__all__ = ["leefgeld_payments", "payment_dates"]


def payment_dates(policy: GemeentePolicy, period: Period, first: date, last: date) -> list[date]:
    """The leefgeld payment dates of ``period`` for the days ``first``..``last`` of the right.

    Monthly: the policy's payment day, or the first day of the right if that is later.
    Weekly: every policy weekday from ``first`` to ``last``; if there is none (a right of a
    few days), one payment on ``first``.
    """
    if policy.leefgeld_frequency is LeefgeldFrequency.MONTHLY:
        return [max(date(period.year, period.month, policy.payment_day), first)]
    assert policy.leefgeld_weekday is not None
    offset = (int(policy.leefgeld_weekday) - first.weekday()) % 7
    day = first + timedelta(days=offset)
    dates: list[date] = []
    while day <= last:
        dates.append(day)
        day += timedelta(days=7)
    return dates or [first]


def leefgeld_payments(
    amount: Money, policy: GemeentePolicy, period: Period, first: date, last: date
) -> list[tuple[date, Money]]:
    """Split ``amount`` over the payment dates in equal parts that add up exactly."""
    dates = payment_dates(policy, period, first, last)
    parts = amount.allocate([1] * len(dates))
    return list(zip(dates, parts, strict=True))
