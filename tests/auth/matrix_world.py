# SPDX-License-Identifier: EUPL-1.2
"""The world the authorization matrix runs in, seeded through the real services.

Two gemeenten (0439 and 0363), each with the example households, an exported December run with
a pain.002 that rejects both huur payments, a decision about each, one user per role in 0439,
two coaches with one household each, an inburgeraar (by BSN) and a login session per subject.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen import migrate
from ontzorgen.auth import SYSTEM, Role
from ontzorgen.auth.sessions import start_session
from ontzorgen.auth.users import actor_for_inburgeraar, add_user, assign_coach, load_actor
from ontzorgen.bank.decisions import decide
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.models import BankFile
from ontzorgen.clients.models import Contract, Household
from ontzorgen.clients.service import import_households
from ontzorgen.clock import FixedClock
from ontzorgen.db import make_engine, make_session_factory, set_now, unit_of_work
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import Payment
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from ontzorgen.sepa.testbank import pain002
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

NOV_23 = date(2026, 11, 23)
APP_CLOCK = FixedClock(date(2026, 12, 20))
APPROVER = actor_for("accordeerder")
ACCOUNTANT = actor_for("accountant")
HOME, OTHER = "0439", "0363"
OWN_HOUSEHOLD, SAME_GEMEENTE_HOUSEHOLD = "HH-2026-0001", "HH-2026-0002"

# One user per role in 0439 (login -> role); the inburgeraar logs in by BSN instead.
STAFF = {
    Role.INKOMEN: "m-inkomen",
    Role.ACCORDEERDER: "m-accordeerder",
    Role.BUDGETCOACH: "m-coach",
    Role.ACCOUNTANT: "m-accountant",
    Role.BEHEERDER: "m-beheerder",
}
SECOND_COACH = "m-coach2"  # has HH-2026-0002; m-coach has HH-2026-0001
OTHER_COACH = "o-coach"  # a budgetcoach of 0363 (a login of the other gemeente's data)

# Valid (11-proef) BSNs for the copy of the import in 0363: no person is in both gemeenten.
OTHER_BSNS = {"628194821": "111222333", "252760189": "123456782", "507529170": "999999990"}


@dataclass(frozen=True, slots=True)
class Data:
    """The ids and references of one gemeente's part of the world, per household."""

    gemeente: str
    run_id: int
    bank_file_id: int
    huur_payment: dict[str, int]  # household reference -> the rejected huur payment's id
    decision: dict[str, int]  # household reference -> the decision about that payment
    coach_login: str
    household_ids: dict[str, int]  # household reference -> id (the pages' URLs)
    contract_ids: dict[str, int]  # contract reference -> id


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class World:
    template: Path
    data: dict[str, Data]  # gemeente code -> its data
    logins: dict[str, Login]  # subject (a role's value) -> its session


def import_for(code: str) -> dict[str, Any]:
    """The example import, for gemeente ``code`` (other BSNs outside 0439)."""
    data = example_import()
    if code == HOME:
        return data
    data = copy.deepcopy(data)
    data["gemeente"] = code
    for household in data["households"]:
        for person in household["persons"]:
            person["bsn"] = OTHER_BSNS[person["bsn"]]
    return data


def _gemeente_data(session: Session, code: str) -> Data:
    make_gemeente(session, code)
    import_households(session, CLERK, import_for(code))
    run = create_run(session, CLERK, code, "2026-12")
    prepare_run(session, CLERK, run.id, today=NOV_23, now=at_noon(NOV_23))
    approve_run(session, APPROVER, run.id, today=NOV_23, now=at_noon(NOV_23))
    file = export_run(session, CLERK, run.id, today=NOV_23, now=at_noon(NOV_23))
    huur = {
        reference: session.scalars(
            select(Payment)
            .join(Household, Household.id == Payment.household_id)
            .where(
                Payment.run_id == run.id,
                Household.reference == reference,
                Payment.category == "huur",
            )
        ).one()
        for reference in (OWN_HOUSEHOLD, SAME_GEMEENTE_HOUSEHOLD)
    }
    report = pain002(file.content, rejected={p.end_to_end_id: "AC04" for p in huur.values()})
    import_bank_file(session, CLERK, code, report, filename="pain.002.xml", today=NOV_23,
                     now=at_noon(NOV_23))  # fmt: skip
    bank_file_id = session.scalars(
        select(BankFile.id).where(BankFile.filename == "pain.002.xml").order_by(BankFile.id.desc())
    ).first()
    assert bank_file_id is not None
    decisions = {
        reference: decide(session, ACCOUNTANT, code, action="herbetalen", reason="juiste IBAN",
                          payment_id=payment.id, now=at_noon(NOV_23)).id
        for reference, payment in huur.items()
    }  # fmt: skip
    coach = OTHER_COACH if code != HOME else STAFF[Role.BUDGETCOACH]
    gemeente_id = session.scalars(select(Gemeente.id).where(Gemeente.code == code)).one()
    household_ids = dict(
        session.execute(
            select(Household.reference, Household.id).where(Household.gemeente_id == gemeente_id)
        ).all()
    )
    contract_ids = dict(
        session.execute(
            select(Contract.reference, Contract.id).where(Contract.gemeente_id == gemeente_id)
        ).all()
    )
    return Data(code, run.id, bank_file_id, {r: p.id for r, p in huur.items()}, decisions, coach,
                household_ids, contract_ids)  # fmt: skip


def build_world(directory: Path) -> World:
    """Migrate and seed the template file; start a session per subject on the app's clock."""
    template = directory / "matrix.sqlite3"
    url = f"sqlite:///{template}"
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine, clock=APP_CLOCK)
    logins: dict[str, Login] = {}
    with unit_of_work(factory, now=at_noon(NOV_23)) as session:
        data = {code: _gemeente_data(session, code) for code in (HOME, OTHER)}
        for role, login in STAFF.items():
            add_user(session, SYSTEM, login, display_name=login, gemeente=HOME, roles=[role])
        add_user(session, SYSTEM, SECOND_COACH, display_name=SECOND_COACH, gemeente=HOME,
                 roles=[Role.BUDGETCOACH])  # fmt: skip
        add_user(session, SYSTEM, OTHER_COACH, display_name=OTHER_COACH, gemeente=OTHER,
                 roles=[Role.BUDGETCOACH])  # fmt: skip
        assign_coach(session, SYSTEM, HOME, OWN_HOUSEHOLD, STAFF[Role.BUDGETCOACH])
        assign_coach(session, SYSTEM, HOME, SAME_GEMEENTE_HOUSEHOLD, SECOND_COACH)
        set_now(session, APP_CLOCK.now())  # logged in just now, as the app's clock sees it
        for role, login in STAFF.items():
            started = start_session(session, load_actor(session, login, channel="web"))
            logins[role.value] = Login(started.token, started.csrf_token)
        # Aman Haile of HH-2026-0001 logs in with DigiD.
        inburgeraar = actor_for_inburgeraar(session, "628194821", channel="web")
        started = start_session(session, inburgeraar)
        logins[Role.INBURGERAAR.value] = Login(started.token, started.csrf_token)
    engine.dispose()
    return World(template, data, logins)
