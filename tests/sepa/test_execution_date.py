# SPDX-License-Identifier: EUPL-1.2
"""TARGET2 business days and execution dates."""

from __future__ import annotations

from datetime import date

import pytest

from ontzorgen.sepa.execution_date import (
    business_day_on_or_before,
    execution_date_for_payment_day,
    execution_date_for_period,
    is_business_day,
    is_target_closing_day,
    latest_execution_date_for,
    next_business_day,
    payment_day_for_period,
    previous_business_day,
)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2026, 12, 24), True),  # Thursday
        (date(2026, 12, 25), False),  # Christmas, Friday
        (date(2026, 12, 26), False),  # Boxing Day, Saturday
        (date(2026, 12, 31), True),  # Thursday; not a TARGET closing day
        (date(2027, 1, 1), False),  # New Year, Friday
        (date(2027, 3, 26), False),  # Good Friday 2027
        (date(2027, 3, 29), False),  # Easter Monday 2027
        (date(2027, 3, 25), True),
        (date(2027, 5, 1), False),  # Labour Day (a Saturday in 2027)
        (date(2026, 5, 1), False),  # Labour Day, Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 4, 27), True),  # Koningsdag is not a TARGET closing day
    ],
)
def test_is_business_day(day: date, business: bool) -> None:
    assert is_business_day(day) is business


def test_closing_days_are_not_weekends() -> None:
    assert is_target_closing_day(date(2026, 12, 25))
    assert not is_target_closing_day(date(2026, 11, 21))


def test_christmas_2026_moves_earlier() -> None:
    # Payment day on Christmas: Thursday 24 December.
    assert execution_date_for_payment_day(date(2026, 12, 25)) == date(2026, 12, 24)
    assert execution_date_for_payment_day(date(2026, 12, 27)) == date(2026, 12, 24)
    # Due Monday 28 December: the business day before is Thursday 24 December.
    assert latest_execution_date_for(date(2026, 12, 28)) == date(2026, 12, 24)
    # Rent due Friday 1 January 2027 (a closing day): execute Thursday 31 December.
    assert latest_execution_date_for(date(2027, 1, 1)) == date(2026, 12, 31)
    assert next_business_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_easter_2027() -> None:
    # Good Friday 26 March, Easter Monday 29 March 2027.
    assert latest_execution_date_for(date(2027, 3, 30)) == date(2027, 3, 25)
    assert execution_date_for_payment_day(date(2027, 3, 29)) == date(2027, 3, 25)
    assert next_business_day(date(2027, 3, 25)) == date(2027, 3, 30)
    assert previous_business_day(date(2027, 3, 30)) == date(2027, 3, 25)


def test_weekend_moves_to_friday_and_business_day_stays() -> None:
    assert business_day_on_or_before(date(2026, 11, 22)) == date(2026, 11, 20)
    assert business_day_on_or_before(date(2026, 11, 23)) == date(2026, 11, 23)
    assert latest_execution_date_for(date(2026, 11, 23)) == date(2026, 11, 20)


def test_payment_day_for_period() -> None:
    assert payment_day_for_period(date(2027, 1, 1), day_of_month=24) == date(2026, 12, 24)
    # The 31st of a short month is its last day.
    assert payment_day_for_period(date(2027, 3, 1), day_of_month=31) == date(2027, 2, 28)
    assert payment_day_for_period(date(2027, 3, 1), day_of_month=5, months_before=0) == date(
        2027, 3, 5
    )
    with pytest.raises(ValueError, match="day_of_month"):
        payment_day_for_period(date(2027, 3, 1), day_of_month=0)


def test_execution_date_for_period() -> None:
    # 24 April 2027 is a Saturday: Friday 23 April.
    assert execution_date_for_period(date(2027, 5, 1), day_of_month=24) == date(2027, 4, 23)
    # Payment day on the 1st of the period itself: never later than the business day before.
    assert execution_date_for_period(date(2027, 2, 1), day_of_month=1, months_before=0) == date(
        2027, 1, 29
    )
    for month in range(1, 13):
        period = date(2027, month, 1)
        result = execution_date_for_period(period, day_of_month=24)
        assert is_business_day(result)
        assert result < period
