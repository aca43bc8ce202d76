# SPDX-License-Identifier: EUPL-1.2
"""The household file's service: masked as the role needs, scoped, every read audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import SYSTEM, Role, staff
from ontzorgen.auth.models import AuditEvent
from ontzorgen.auth.users import add_user, assign_coach
from ontzorgen.clients import models as m
from ontzorgen.clients.dossier import household_file, mask_bsn, search_households
from ontzorgen.clients.service import import_households
from ontzorgen.errors import NotFound, NotPermitted
from tests.auth.matrix_world import import_for
from tests.factories import CLERK, make_gemeente


@pytest.fixture
def households(session: Session) -> dict[str, int]:
    make_gemeente(session, "0439")
    import_households(session, CLERK, import_for("0439"))
    return dict(session.execute(select(m.Household.reference, m.Household.id)).all())


def test_the_file_masks_the_bsn_and_for_a_coach_the_iban(
    session: Session, households: dict[str, int]
) -> None:
    add_user(session, SYSTEM, "c.coach", display_name="c", gemeente="0439",
             roles=[Role.BUDGETCOACH])  # fmt: skip
    assign_coach(session, SYSTEM, "0439", "HH-2026-0001", "c.coach")
    coach = staff("c.coach", [Role.BUDGETCOACH], ["0439"])
    household = session.get_one(m.Household, households["HH-2026-0001"])
    bsns = [p.bsn for p in session.scalars(select(m.Person))]
    for actor in (CLERK, coach):
        found = household_file(session, actor, household.id)
        shown = repr(found)
        assert all(bsn not in shown for bsn in bsns)
        assert [p.bsn_masked[-4:] for p in found.persons] == [
            p.bsn[-4:] for p in session.scalars(
                select(m.Person).where(m.Person.household_id == household.id).order_by(m.Person.id)
            )
        ]  # fmt: skip
    clerk_view = household_file(session, CLERK, household.id)
    coach_view = household_file(session, coach, household.id)
    if household.iban is not None:
        assert clerk_view.iban == household.iban
        assert coach_view.iban is not None
        assert household.iban not in coach_view.iban
    assert coach_view.iban_name is None
    assert not coach_view.may_change
    assert clerk_view.may_change
    assert all("*" in c.payee_iban for c in coach_view.contracts)
    with pytest.raises(NotFound):  # outside the caseload
        household_file(session, coach, households["HH-2026-0002"])
    views = session.scalars(
        select(AuditEvent.user_id).where(
            AuditEvent.action == "huishouden.bekeken", AuditEvent.household_id == household.id
        )
    ).all()
    assert sorted(views) == sorted([CLERK.user_id, "c.coach"] * 2)


def test_search_is_by_reference_within_the_scope(
    session: Session, households: dict[str, int]
) -> None:
    assert [r.reference for r in search_households(session, CLERK, "0002")] == ["HH-2026-0002"]
    bsn = session.scalars(select(m.Person.bsn)).first()
    assert bsn is not None
    assert search_households(session, CLERK, bsn) == []  # never by BSN
    assert search_households(session, CLERK, "%") == []  # a wildcard is a character
    elsewhere = staff("o.inkomen", [Role.INKOMEN], ["0363"])
    make_gemeente(session, "0363")
    assert search_households(session, elsewhere, "") == []
    with pytest.raises(NotPermitted):
        search_households(session, staff("b.beheer", [Role.BEHEERDER], ["0439"]), "")
    with pytest.raises(NotFound):
        household_file(session, elsewhere, households["HH-2026-0001"])
    listed = session.scalars(
        select(AuditEvent.household_id).where(AuditEvent.action == "huishoudens.gezocht")
    ).all()
    assert listed == [households["HH-2026-0002"]]


def test_mask_bsn_keeps_only_the_last_four_digits() -> None:
    assert mask_bsn("123456782") == "*****6782"
