# SPDX-License-Identifier: EUPL-1.2
"""Reading the Dutch of the feature files: dates, months, money, and test identities."""

from __future__ import annotations

import re
from datetime import date
from itertools import count

from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
_DATE = re.compile(r"^(\d{1,2}) ([a-z]+) (\d{4})$")
_MONTH = re.compile(r"^([a-z]+) (\d{4})$")

BEDRAG = r"€ -?[\d.]+,\d{2}"
"""A regex for Dutch money text in a step (``€ 1.331,43``)."""
DATUM = r"\d{1,2} [a-z]+ \d{4}"
"""A regex for a Dutch date in a step (``1 december 2026``)."""
MAAND = r"[a-z]+ \d{4}"
"""A regex for a Dutch month in a step (``december 2026``)."""


def money(text: str) -> Money:
    """``€ 1.331,43`` → Money(133143)."""
    return Money.parse(text)


def dutch_date(text: str) -> date:
    """``1 december 2026`` → date(2026, 12, 1)."""
    found = _DATE.match(text.strip())
    if found is None or found.group(2) not in MONTHS:
        raise ValueError(f"geen Nederlandse datum: {text!r}")
    return date(int(found.group(3)), MONTHS.index(found.group(2)) + 1, int(found.group(1)))


def dutch_month(text: str) -> Period:
    """``december 2026`` → Period(2026, 12)."""
    found = _MONTH.match(text.strip())
    if found is None or found.group(1) not in MONTHS:
        raise ValueError(f"geen Nederlandse maand: {text!r}")
    return Period(int(found.group(2)), MONTHS.index(found.group(1)) + 1)


def bsn_numbers() -> list[str]:
    """Valid test BSNs (elfproef), in a fixed order."""
    found = []
    for base in count(10000001):
        digits = [int(d) for d in f"{base:08d}"]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            found.append(f"{base:08d}{check}")
        if len(found) == 12:
            return found
    raise AssertionError("unreachable")  # pragma: no cover


def reference_of(name: str) -> str:
    """A reference in the import format's alphabet for a name: ``Woonstichting De Key`` →
    ``Woonstichting-De-Key``."""
    return re.sub(r"[^A-Za-z0-9._/-]+", "-", name).strip("-")[:35]
