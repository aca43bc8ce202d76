# SPDX-License-Identifier: EUPL-1.2
"""One demo user per staff role, for the development login of `make run`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import SYSTEM, Role
from ontzorgen.auth.models import AppUser
from ontzorgen.auth.users import add_user

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("demo-inkomen", "Demo inkomen-medewerker", Role.INKOMEN),
    ("demo-accordeerder", "Demo accordeerder", Role.ACCORDEERDER),
    ("demo-coach", "Demo budgetcoach", Role.BUDGETCOACH),
    ("demo-accountant", "Demo accountant", Role.ACCOUNTANT),
    ("demo-beheerder", "Demo beheerder", Role.BEHEERDER),
)


def ensure_demo_users(session: Session, gemeente_code: str) -> list[str]:
    """Create the demo users that do not exist yet, each with its role in ``gemeente_code``;
    returns the logins created (none on a second call)."""
    created = []
    for login, name, role in DEMO_USERS:
        exists = session.scalars(select(AppUser.id).where(AppUser.login == login)).first()
        if exists is None:
            add_user(session, SYSTEM, login, display_name=name, gemeente=gemeente_code,
                     roles=[role])  # fmt: skip
            created.append(login)
    return created
