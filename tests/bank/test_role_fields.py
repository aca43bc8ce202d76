# SPDX-License-Identifier: EUPL-1.2
"""Each role sees only the fields it needs (docs/privacy.md): a budgetcoach (for the
households of their caseload) and an inburgeraar (their own) see plans and payment statuses,
never bank data: no IBAN, no account holder's name, no BSN, no person's name."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import SYSTEM, Actor, Permission, Role, staff
from ontzorgen.auth.users import add_user, assign_coach
from ontzorgen.bank.status import payment_status, run_payment_statuses
from ontzorgen.bijstand.period import Period
from ontzorgen.clients.models import Household, Payee
from ontzorgen.clients.planning import plan_as_json, view_plan
from ontzorgen.runs.models import Payment
from tests.factories import example_import

COACH = staff("coach", [Role.BUDGETCOACH], ["0439"])


def _bank_data(session: Session) -> set[str]:
    data = example_import()
    values: set[str] = {p.iban for p in session.scalars(select(Payee))}
    for household in data["households"]:
        values |= {household.get("iban"), household.get("iban_name")}
        for person in household["persons"]:
            values |= {person["bsn"], person["name"]}
    return {v for v in values if v}


def _everything(session: Session, actor: Actor, run_id: int, household: Household) -> str:
    found, plan = view_plan(session, actor, household.reference, "0439", Period(2026, 12))
    out: list[Any] = [
        plan_as_json(session, found, plan),
        run_payment_statuses(session, actor, run_id),
    ]
    for payment in session.scalars(
        select(Payment).where(Payment.run_id == run_id, Payment.household_id == household.id)
    ):
        out.append(payment_status(session, actor, "0439", payment.id).as_dict())
    return json.dumps(out, default=str)


def test_coach_and_inburgeraar_see_no_bank_data(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    add_user(session, SYSTEM, "coach", display_name="Coach", gemeente="0439",
             roles=[Role.BUDGETCOACH])  # fmt: skip
    assign_coach(session, SYSTEM, "0439", "HH-2026-0001", "coach")
    household = session.scalars(
        select(Household).where(Household.reference == "HH-2026-0001")
    ).one()
    own = Actor("digid-1", roles={"0439": frozenset({Role.INBURGERAAR})},
                households=frozenset({household.id}))  # fmt: skip
    secrets = _bank_data(session)
    for actor in (COACH, own):
        assert not actor.can(Permission.BANK_DETAILS_READ, "0439")
        shown = _everything(session, actor, run_id, household)
        assert '"amount_cents"' in shown  # they do see what is paid, and its status
        assert {value for value in secrets if value in shown} == set()
    # The coach sees only their caseload: the other household's payments are not listed.
    listed = {row["payment_id"] for row in run_payment_statuses(session, COACH, run_id)}
    theirs = set(session.scalars(select(Payment.id).where(Payment.household_id == household.id,
                                                          Payment.run_id == run_id)))  # fmt: skip
    assert listed == theirs
