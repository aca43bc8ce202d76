# SPDX-License-Identifier: EUPL-1.2
"""Typed factory functions shared by the tests (real service calls, no mocks)."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.auth.roles import STAFF_ROLES
from ontzorgen.bijstand.period import Period, add_months_clamped
from ontzorgen.clock import FixedClock
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente

DATA = Path(__file__).parent / "data"
# The clock of what test sessions record themselves (the audit log): a pinned day.
TEST_CLOCK = FixedClock(date(2026, 12, 1))

# Every gemeente code the tests create. Tests of other things act as a user with every staff
# role in each (four eyes still holds: it compares users); tests/auth proves the roles.
TEST_GEMEENTEN = (
    "0439", "0363", "9999", *(f"{n:04d}" for n in range(1, 20)), "0344", "0518", "0599",
)  # fmt: skip


def actor_for(user_id: str) -> Actor:
    """A user with every staff role in every test gemeente, who may also register gemeenten."""
    return Actor(
        user_id,
        roles={code: frozenset(STAFF_ROLES) for code in TEST_GEMEENTEN},
        installation_admin=True,
    )


CLERK = actor_for("medewerker.inkomen")

# The users the command-line tests act as (``--as``; ``tester`` through ONTZORGEN_USER).
CLI_USERS = ("tester", "jan", "piet", "carla", "dirk", "medewerker.inkomen")


def add_test_users(session: Session, code: str, logins: tuple[str, ...] = CLI_USERS) -> None:
    """Give each of ``logins`` (created when new) every staff role in gemeente ``code``."""
    from sqlalchemy import select

    from ontzorgen.auth import SYSTEM
    from ontzorgen.auth.models import AppUser
    from ontzorgen.auth.users import add_user, grant_roles

    for login in logins:
        if session.scalar(select(AppUser.id).where(AppUser.login == login)) is None:
            add_user(session, SYSTEM, login, display_name=login.title(), gemeente=code,
                     roles=list(STAFF_ROLES))  # fmt: skip
        else:
            grant_roles(session, SYSTEM, login, code, list(STAFF_ROLES))


def at_noon(day: date) -> datetime:
    """The instant a test records for ``day``: noon in the Netherlands, in UTC."""
    return FixedClock(day).now()


def make_gemeente(session: Session, code: str = "0439", **policy: Any) -> Gemeente:
    """Purmerend (or another code) with a BNG account and a minimum leefgeld policy."""
    parameters = {
        "minimum_leefgeld_cents": 30000,
        "minimum_leefgeld_per_extra_member_cents": 10000,
        **policy,
    }
    gemeente = create_gemeente(
        session,
        CLERK,
        GemeenteIn(
            code=code,
            name=f"Gemeente {code}",
            debtor_name=f"Gemeente {code}",
            debtor_iban="NL14BNGH0285001234",
            policy=PolicyParameters.model_validate(parameters),
        ),
    )
    add_test_users(session, code)
    return gemeente


def example_import() -> dict[str, Any]:
    """A fresh copy of the example import file (two households, four payees)."""
    raw: dict[str, Any] = json.loads((DATA / "import" / "purmerend-december-2026.json").read_text())
    return copy.deepcopy(raw)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


def shifted(data: Any, months: int) -> Any:
    """``data`` (an import file) with every date and month moved ``months`` later.

    The households keep their situation relative to the month being paid (ages, windows,
    contract changes), so a test can run the same case in any month of any year.
    """
    if isinstance(data, dict):
        return {key: shifted(value, months) for key, value in data.items()}
    if isinstance(data, list):
        return [shifted(value, months) for value in data]
    if isinstance(data, str) and _ISO_DAY.match(data):
        return add_months_clamped(date.fromisoformat(data), months)[0].isoformat()
    if isinstance(data, str) and _ISO_MONTH.match(data):
        year, month = divmod(int(data[:4]) * 12 + int(data[5:]) - 1 + months, 12)
        return f"{year:04d}-{month + 1:02d}"
    return data


def months_between(start: Period, end: Period) -> int:
    """How many months ``end`` lies after ``start``."""
    return (end.year - start.year) * 12 + end.month - start.month
