# SPDX-License-Identifier: EUPL-1.2
"""Vakantietoeslag payout (Pw art. 19 lid 3, art. 45 lid 1), computed from the facts alone.

Each month 5 % of the norm is reserved (see :mod:`ontzorgen.bijstand.amounts`). The reserve is
paid out:

* in **June**: the reserves of the previous June up to and including May, only for the months
  of this right;
* in the **month the right ends**: everything not yet paid out, including that month's own
  reserve (the law allows up to three months after the end; paying at once is the simplest
  reading and leaves nothing behind).

The function stays pure: it recomputes the earlier months' reserves from the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ontzorgen.bijstand.facts import BijstandRight
from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money

__all__ = ["VtPayout", "payout_periods", "vt_payout"]


@dataclass(frozen=True, slots=True)
class VtPayout:
    """What is paid out this month and over which months it was reserved."""

    amount: Money
    periods: tuple[Period, ...]
    at_end: bool


def payout_periods(right: BijstandRight, period: Period) -> tuple[tuple[Period, ...], bool]:
    """The months whose VT reserve is paid out in ``period``, and whether it is the end payout."""
    if right.last_period == period:
        # Everything after the last June payout that happened during the right.
        start = right.first_period
        june = Period(period.year if period.month > 6 else period.year - 1, 6)
        if june >= right.first_period:
            start = june
        return tuple(p for p in start.until(period) if right.covers(p)), True
    if period.month == 6:
        first = Period(period.year - 1, 6)
        last = Period(period.year, 5)
        return tuple(p for p in first.until(last) if right.covers(p)), False
    return (), False


def vt_payout(
    right: BijstandRight, period: Period, accrual_of: Callable[[Period], Money]
) -> VtPayout:
    """The VT paid out in ``period``; ``accrual_of`` gives a month's reserve."""
    periods, at_end = payout_periods(right, period)
    amount = Money.sum(accrual_of(p) for p in periods)
    return VtPayout(amount=amount, periods=periods, at_end=at_end)
