# SPDX-License-Identifier: EUPL-1.2
"""The one clock: where "today" and "now" come from.

Services never read the wall clock; they receive ``today: date`` (the Dutch calendar day that
business rules are judged on) and ``now: datetime`` (a tz-aware UTC instant that is recorded).
Only the entry points — the CLI commands, the API request dependency, the job worker and the
demo — hold a :class:`Clock` and pass its values in (docs/adr/0006-one-clock.md).

Settings may pin the day (``ONTZORGEN_TODAY=YYYY-MM-DD``) for demos and reproducible runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from ontzorgen.errors import InvalidInput

# Payment days, execution dates and periods are Dutch calendar days, whatever the server's TZ.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY_VARIABLE = "ONTZORGEN_TODAY"

__all__ = ["AMSTERDAM", "Clock", "FixedClock", "SystemClock", "clock_from_setting"]


class Clock(Protocol):
    """Where an entry point reads the day and the instant."""

    def today(self) -> date:
        """The calendar day in the Netherlands."""
        ...

    def now(self) -> datetime:
        """The current instant, tz-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock (the only place that reads it)."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date in the Netherlands."""
        return self.now().astimezone(AMSTERDAM).date()


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that stands still on ``day`` (at ``at``, Dutch time; noon by default)."""

    day: date
    at: time = time(12, 0)

    def today(self) -> date:
        """The fixed day."""
        return self.day

    def now(self) -> datetime:
        """The fixed instant of that day, in UTC."""
        return datetime.combine(self.day, self.at, AMSTERDAM).astimezone(UTC)


def clock_from_setting(today: str | None) -> Clock:
    """The system clock, or a fixed one when ``ONTZORGEN_TODAY`` pins the day."""
    if today is None or not today.strip():
        return SystemClock()
    try:
        return FixedClock(date.fromisoformat(today.strip()))
    except ValueError:
        raise InvalidInput(
            TODAY_VARIABLE, f"'{today}' is geen datum; schrijf de datum als JJJJ-MM-DD"
        ) from None
