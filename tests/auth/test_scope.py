# SPDX-License-Identifier: EUPL-1.2
"""Scope where data is read: the service functions themselves return only what the actor may
see, so a route that forgot a check still cannot leak (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import SYSTEM, Actor, Role, staff
from ontzorgen.auth.users import actor_for_inburgeraar, assign_coach
from ontzorgen.bank.status import payment_status, run_payment_statuses
from ontzorgen.bijstand.period import Period
from ontzorgen.clients.models import Household, Person
from ontzorgen.clients.planning import view_plan
from ontzorgen.clients.service import import_households
from ontzorgen.errors import NotFound, NotPermitted
from ontzorgen.gemeenten.service import list_gemeenten, readable_gemeente
from ontzorgen.runs.files import exported_file
from ontzorgen.runs.models import Payment
from ontzorgen.runs.overview import run_overview
from ontzorgen.runs.service import approve_run, cancel_run, create_run
from tests.bank.conftest import NOV_23, exported_december
from tests.factories import CLERK, add_test_users, at_noon, example_import, make_gemeente

DECEMBER = Period(2026, 12)
COACH = staff("coach.een", [Role.BUDGETCOACH], ["0439"])
OTHER_COACH = staff("coach.twee", [Role.BUDGETCOACH], ["0439"])
ELSEWHERE = staff("inkomen.elders", [Role.INKOMEN, Role.ACCORDEERDER], ["0363"])
BEHEERDER = staff("beheer", [Role.BEHEERDER], ["0439"])


@pytest.fixture
def world(session: Session) -> int:
    """The December run of 0439 (exported), two coaches with one household each, and 0363."""
    run_id, _ = exported_december(session)
    make_gemeente(session, "0363")
    add_test_users(session, "0439", ("coach.een", "coach.twee"))
    assign_coach(session, SYSTEM, "0439", "HH-2026-0001", "coach.een")
    assign_coach(session, SYSTEM, "0439", "HH-2026-0002", "coach.twee")
    session.commit()
    return run_id


def _household(session: Session, reference: str) -> int:
    return session.scalars(select(Household.id).where(Household.reference == reference)).one()


def test_a_coach_sees_the_payments_of_their_own_caseload_only(session: Session, world: int) -> None:
    own = _household(session, "HH-2026-0001")
    rows = run_payment_statuses(session, COACH, world)
    ids = [r["payment_id"] for r in rows]
    households = set(session.scalars(select(Payment.household_id).where(Payment.id.in_(ids))))
    assert rows
    assert households == {own}
    other = session.scalars(
        select(Payment.id).where(Payment.run_id == world, Payment.household_id != own)
    ).first()
    assert other is not None
    with pytest.raises(NotFound):
        payment_status(session, COACH, "0439", other)
    assert payment_status(session, OTHER_COACH, "0439", other).payment_id == other


def test_a_coach_sees_the_plan_of_their_own_households_only(session: Session, world: int) -> None:
    household, _plan = view_plan(session, COACH, "HH-2026-0001", "0439", DECEMBER)
    assert household.reference == "HH-2026-0001"
    with pytest.raises(NotFound):
        view_plan(session, COACH, "HH-2026-0002", "0439", DECEMBER)


def test_a_coach_reads_no_run_and_no_file(session: Session, world: int) -> None:
    with pytest.raises(NotPermitted):
        run_overview(session, COACH, world)
    with pytest.raises(NotPermitted):
        exported_file(session, COACH, world)


def test_another_gemeente_sees_nothing_not_even_that_it_exists(
    session: Session, world: int
) -> None:
    for attempt in (
        lambda: run_overview(session, ELSEWHERE, world),
        lambda: exported_file(session, ELSEWHERE, world),
        lambda: run_payment_statuses(session, ELSEWHERE, world),
        lambda: view_plan(session, ELSEWHERE, "HH-2026-0001", "0439", DECEMBER),
        lambda: readable_gemeente(session, ELSEWHERE, "0439"),
        lambda: cancel_run(session, ELSEWHERE, world, "weg", today=NOV_23, now=at_noon(NOV_23)),
        lambda: create_run(session, ELSEWHERE, "0439", "2027-01"),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert [g.code for g in list_gemeenten(session, ELSEWHERE)] == ["0363"]


def test_the_inburgeraar_sees_their_own_household_only(session: Session, world: int) -> None:
    own = _household(session, "HH-2026-0001")
    bsn = session.scalars(select(Person.bsn).where(Person.household_id == own)).first()
    assert bsn is not None
    me = actor_for_inburgeraar(session, bsn, channel="web")
    assert me.households == {own}
    assert bsn not in me.user_id
    view_plan(session, me, "HH-2026-0001", "0439", DECEMBER)
    with pytest.raises(NotFound):
        view_plan(session, me, "HH-2026-0002", "0439", DECEMBER)
    payments = run_payment_statuses(session, me, world)
    assert payments
    assert {session.get_one(Payment, r["payment_id"]).household_id for r in payments} == {own}
    with pytest.raises(NotPermitted):
        run_overview(session, me, world)


def test_a_beheerder_manages_but_sees_no_household(session: Session, world: int) -> None:
    assert readable_gemeente(session, BEHEERDER, "0439").code == "0439"
    with pytest.raises(NotFound):
        view_plan(session, BEHEERDER, "HH-2026-0001", "0439", DECEMBER)
    with pytest.raises(NotPermitted):
        run_payment_statuses(session, BEHEERDER, world)
    with pytest.raises(NotPermitted):
        import_households(session, BEHEERDER, example_import())


def test_only_an_accordeerder_approves_and_never_their_own_run(
    session: Session, world: int
) -> None:
    january = create_run(session, CLERK, "0439", "2027-01")
    from ontzorgen.runs.service import prepare_run

    prepare_run(session, CLERK, january.id, today=NOV_23, now=at_noon(NOV_23))
    inkomen = staff("ina", [Role.INKOMEN], ["0439"])
    with pytest.raises(NotPermitted) as refused:
        approve_run(session, inkomen, january.id, today=NOV_23, now=at_noon(NOV_23))
    assert "betaalrun accorderen" in str(refused.value)
    both = staff(CLERK.user_id, [Role.INKOMEN, Role.ACCORDEERDER], ["0439"])
    with pytest.raises(NotPermitted) as own:
        approve_run(session, both, january.id, today=NOV_23, now=at_noon(NOV_23))
    assert "vier ogen" in str(own.value)


def test_a_user_without_any_role_is_refused_everything(session: Session, world: int) -> None:
    nobody = Actor("niemand")
    with pytest.raises(NotFound):
        run_overview(session, nobody, world)
    assert list_gemeenten(session, nobody) == []
    with pytest.raises(NotFound):
        view_plan(session, nobody, "HH-2026-0001", "0439", DECEMBER)
