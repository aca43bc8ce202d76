# SPDX-License-Identifier: EUPL-1.2
"""Calendar months and the Dutch termijn computation.

Bijstand is fixed and paid per calendar month (Pw art. 45), so the unit of every plan is a
:class:`Period`: one calendar month.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Period", "add_months_clamped", "termijn_end"]


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One calendar month, e.g. ``Period(2026, 12)`` for december 2026."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Period.month: must be 1..12, not {self.month}")
        if not 1900 <= self.year <= 9998:
            raise ValueError(f"Period.year: out of range: {self.year}")

    @classmethod
    def of(cls, day: date) -> Period:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def coerce(cls, value: Period | tuple[int, int]) -> Period:
        """A Period from a Period or a ``(year, month)`` tuple."""
        if isinstance(value, Period):
            return value
        year, month = value
        return cls(year, month)

    @property
    def days(self) -> int:
        """The number of days in this month."""
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def first_day(self) -> date:
        """The 1st of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month."""
        return date(self.year, self.month, self.days)

    def next(self) -> Period:
        """The following month."""
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def previous(self) -> Period:
        """The preceding month."""
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def contains(self, day: date) -> bool:
        """True if ``day`` lies in this month."""
        return day.year == self.year and day.month == self.month

    def until(self, last: Period) -> Iterator[Period]:
        """This month up to and including ``last``."""
        current = self
        while current <= last:
            yield current
            current = current.next()

    def label(self) -> str:
        """``2026-12``: the machine label used in JSON."""
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.label()


def add_months_clamped(day: date, months: int) -> tuple[date, bool]:
    """``day`` plus ``months`` calendar months, and whether that month has the same day.

    Returns the date with the same day-of-month ``months`` later, or — when that month is too
    short (31 August + 6 months) — its last day, with ``False`` as the second value.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    if day.day <= last:
        return date(year, month0 + 1, day.day), True
    return date(year, month0 + 1, last), False


def termijn_end(start: date, months: int) -> date:
    """The last day of a termijn of ``months`` months that starts on ``start`` (inclusive).

    The Dutch way of counting a termijn in months (as in Algemene termijnenwet practice and
    art. 56a lid 2's "zes maanden"): the termijn ends at the end of the day **before** the same
    day-of-month ``months`` months later. Where that later month has no such day (a start on
    the 31st, or on 29/30 August with February next), the termijn ends at the end of that
    month's last day.

    >>> termijn_end(date(2026, 1, 1), 6), termijn_end(date(2026, 8, 31), 6)
    (datetime.date(2026, 6, 30), datetime.date(2027, 2, 28))
    """
    same_day, exists = add_months_clamped(start, months)
    if exists:
        return same_day - timedelta(days=1)
    return same_day
