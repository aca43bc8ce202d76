# SPDX-License-Identifier: EUPL-1.2
"""Calendar months, the Dutch termijn computation, and pro rata parts of a month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ontzorgen.bijstand.facts import ProRataMethod
from ontzorgen.bijstand.period import Period, termijn_end
from ontzorgen.bijstand.prorata import pro_rata
from tests.bijstand.factories import eur


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 6, 30)),  # start on the 1st
        (date(2026, 12, 15), date(2027, 6, 14)),  # mid-month
        (date(2026, 1, 31), date(2026, 7, 30)),  # 31 July exists
        (date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February: end of February
        (date(2026, 8, 29), date(2027, 2, 28)),  # 2027 is no leap year
        (date(2027, 8, 29), date(2028, 2, 28)),  # 29 February 2028 exists: day before
        (date(2026, 8, 30), date(2027, 2, 28)),
        (date(2026, 3, 31), date(2026, 9, 30)),  # no 31 September
        (date(2026, 12, 31), date(2027, 6, 30)),
    ],
)
def test_termijn_of_six_months(start: date, end: date) -> None:
    assert termijn_end(start, 6) == end


def test_period_basics() -> None:
    period = Period(2026, 12)
    assert period.days == 31
    assert period.next() == Period(2027, 1)
    assert Period(2027, 1).previous() == period
    assert list(Period(2026, 11).until(Period(2027, 1))) == [
        Period(2026, 11),
        Period(2026, 12),
        Period(2027, 1),
    ]
    assert Period.coerce((2026, 2)).days == 28
    assert str(period) == "2026-12"
    with pytest.raises(ValueError, match=r"Period\.month"):
        Period(2026, 13)


def test_partial_first_month_calendar_days_15_december_2026() -> None:
    december = Period(2026, 12)
    first, last = date(2026, 12, 15), date(2026, 12, 31)
    method = ProRataMethod.CALENDAR_DAYS
    # 1.331,43 × 17/31 = 730,139… → 730,14; 70,07 × 17/31 = 38,425… → 38,43
    assert pro_rata(eur("1.331,43"), december, first, last, method) == eur("730,14")
    assert pro_rata(eur("70,07"), december, first, last, method) == eur("38,43")


def test_partial_first_month_thirty_days_15_december_2026() -> None:
    december = Period(2026, 12)
    first, last = date(2026, 12, 15), date(2026, 12, 31)
    method = ProRataMethod.THIRTY_DAYS
    # 1.331,43 × 17/30 = 754,477 → 754,48; 70,07 × 17/30 = 39,706… → 39,71
    assert pro_rata(eur("1.331,43"), december, first, last, method) == eur("754,48")
    assert pro_rata(eur("70,07"), december, first, last, method) == eur("39,71")


def test_whole_month_is_whole_amount_for_both_methods() -> None:
    february = Period(2027, 2)
    for method in ProRataMethod:
        amount = pro_rata(eur("1.331,43"), february, date(2027, 2, 1), date(2027, 2, 28), method)
        assert amount == eur("1.331,43")


def test_thirty_days_caps_at_thirty() -> None:
    # 1..30 of a 31-day month: 30/30 of the amount, not more.
    amount = pro_rata(
        eur("1.331,43"),
        Period(2027, 1),
        date(2027, 1, 2),
        date(2027, 1, 31),
        ProRataMethod.THIRTY_DAYS,
    )
    assert amount == eur("1.331,43")


def test_pro_rata_rejects_days_outside_the_month() -> None:
    with pytest.raises(ValueError, match="not a range"):
        pro_rata(
            eur("10,00"),
            Period(2027, 1),
            date(2026, 12, 31),
            date(2027, 1, 5),
            ProRataMethod.CALENDAR_DAYS,
        )


months = st.builds(Period, st.integers(2025, 2030), st.integers(1, 12))


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(0, 10_000_00),
    period=months,
    cuts=st.lists(st.integers(1, 30), max_size=4, unique=True),
)
def test_calendar_day_parts_of_a_month_add_up_exactly(
    cents: int, period: Period, cuts: list[int]
) -> None:
    """However a month is cut into consecutive ranges, the parts add up to the whole."""
    from ontzorgen.money import Money

    amount = Money(cents)
    bounds = sorted({c for c in cuts if c < period.days})
    starts = [1, *(c + 1 for c in bounds)]
    ends = [*bounds, period.days]
    parts = [
        pro_rata(
            amount,
            period,
            date(period.year, period.month, a),
            date(period.year, period.month, b),
            ProRataMethod.CALENDAR_DAYS,
        )
        for a, b in zip(starts, ends, strict=True)
    ]
    assert Money.sum(parts) == amount
    assert all(not p.is_negative() and p <= amount for p in parts)


@settings(max_examples=200, deadline=None)
@given(cents=st.integers(0, 10_000_00), period=months, day=st.integers(1, 31))
def test_thirty_day_part_never_exceeds_the_month(cents: int, period: Period, day: int) -> None:
    from ontzorgen.money import Money

    first = date(period.year, period.month, min(day, period.days))
    amount = pro_rata(Money(cents), period, first, period.last_day, ProRataMethod.THIRTY_DAYS)
    days = (period.last_day - first).days + 1
    assert amount <= Money(cents)
    assert amount == Money(cents).fraction(min(days, 30), 30) or first == period.first_day
    assert first + timedelta(days=days - 1) == period.last_day
