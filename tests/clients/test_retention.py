# SPDX-License-Identifier: EUPL-1.2
"""Retention (docs/privacy.md), on both databases: after ``apply_retention`` a household whose
ontzorgen ended has no BSN, name or IBAN left anywhere in the database (every text and binary
column of every table), while the ledger, the amounts and the other households stay as they
were; a dry run changes nothing, a second run is harmless, and without the retention switch
the append-only tables still refuse every UPDATE."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, LargeBinary, String, Text, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ontzorgen.auth import Role, staff
from ontzorgen.auth.models import AuditEvent
from ontzorgen.auth.retention import ACTION, apply_retention, pseudonym_bsn
from ontzorgen.bank.decisions import approve_decision, decide
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.models import BankItem
from ontzorgen.clients.models import Household, Person
from ontzorgen.clients.service import import_households
from ontzorgen.db import Base
from ontzorgen.errors import NotPermitted
from ontzorgen.ledger.balances import trial_balance
from ontzorgen.ledger.models import LedgerPosting
from ontzorgen.models import __all__ as _all_models  # noqa: F401  (every table in metadata)
from ontzorgen.runs.models import Payment
from tests.bank.conftest import ACCOUNTANT, APPROVER, NOV_23, full_run
from tests.bank.testbank import Credit, camt053, pain002, read_pain001
from tests.factories import CLERK, at_noon, example_import, make_gemeente

DEC_2 = date(2026, 12, 2)
CUT_OFF = date(2027, 7, 1)  # HH-2026-0001's bijstand ended 31-12-2026
BEHEERDER = staff("beheerder.0439", [Role.BEHEERDER], ["0439"])


def _personal(household: dict[str, Any]) -> set[str]:
    values = {household.get("iban"), household.get("iban_name")}
    for person in household["persons"]:
        values |= {person["bsn"], person["name"], *person["name"].split()}
    return {v for v in values if v and len(v) > 3}


@pytest.fixture
def flow(session: Session) -> dict[str, Any]:
    """The example's December run exported and booked by the bank; HH-2026-0001's bijstand
    ends on 31 December 2026, HH-2026-0002's goes on."""
    data = example_import()
    data["households"][0]["right"]["end"] = "2026-12-31"
    make_gemeente(session)
    import_households(session, CLERK, data)
    session.commit()
    run_id, pain001 = full_run(session, "2026-12", NOV_23)
    order = read_pain001(pain001)
    days = sorted({b.execution_date for b in order.batches})
    household = data["households"][0]
    # The person sends money back from their own account; it is paid back to the household.
    credit = Credit(2500, household["iban_name"], household["iban"], "Aman Haile teveel ontvangen")
    import_bank_file(session, ACCOUNTANT, "0439", pain002(pain001), filename="pain.002.xml",
                     today=days[0], now=at_noon(days[0]))  # fmt: skip
    for day in days:
        ids = [b.pmt_inf_id for b in order.batches if b.execution_date == day]
        extra = [credit] if day == days[0] else []
        statement = camt053(pain001, booking_date=day, pmt_inf_ids=ids, extra_credits=extra)
        import_bank_file(session, ACCOUNTANT, "0439", statement, filename=f"camt.053-{day}.xml",
                         today=day, now=at_noon(day))  # fmt: skip
    session.commit()
    item = session.scalars(select(BankItem).where(BankItem.kind == "unidentified")).one()
    decision = decide(session, ACCOUNTANT, "0439", action="aan_huishouden",
                      reason="terugbetaling van Aman Haile", bank_item_id=item.id,
                      household_id=1, now=at_noon(DEC_2))  # fmt: skip
    approve_decision(session, APPROVER, "0439", decision.id, now=at_noon(DEC_2))
    session.commit()
    full_run(session, "2026-12", DEC_2, corrects=run_id, reason="terugbetaling")
    return {"run_id": run_id, "removed": data["households"][0], "kept": data["households"][1]}


def _found(engine: Engine, values: set[str]) -> set[tuple[str, str, str]]:
    """Every (table, column, value) where one of ``values`` occurs in a text or blob column."""
    hits: set[tuple[str, str, str]] = set()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | LargeBinary)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for column, cell in zip(columns, row, strict=True):
                    if cell is None:
                        continue
                    content = cell.decode("utf-8", "replace") if isinstance(cell, bytes) else cell
                    hits |= {(table.name, column.name, v) for v in values if v in content}
    return hits


def _books(session: Session) -> tuple[list[Any], list[int]]:
    trial = trial_balance(session, 1, "2026-12", cumulative=True, rollup=False)
    sums = session.scalars(
        select(func.sum(LedgerPosting.amount)).group_by(LedgerPosting.transaction_id)
    ).all()
    return [(t.code, t.debit.cents, t.credit.cents) for t in trial.lines], list(sums)


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            t.name: sorted(map(tuple, connection.execute(select(t))), key=repr)
            for t in Base.metadata.sorted_tables
        }


def test_retention_removes_personal_data_and_keeps_the_books(
    session: Session, engine: Engine, flow: dict[str, Any]
) -> None:
    removed, kept = _personal(flow["removed"]), _personal(flow["kept"])
    assert {hit[2] for hit in _found(engine, removed)} == removed  # the data was everywhere
    assert {"run_file", "bank_file", "bank_item", "payment"} <= {
        hit[0] for hit in _found(engine, removed)
    }
    books = _books(session)
    amounts = session.execute(select(Payment.id, Payment.amount_cents).order_by(Payment.id)).all()
    session.commit()

    result = apply_retention(session, BEHEERDER, "0439", CUT_OFF)
    session.commit()
    assert result.removed == ("HH-2026-0001",)
    assert result.files >= 2  # the pain.001 and the bank files
    assert _found(engine, removed) == set()
    # The other household, still under bijstand, keeps everything.
    assert {hit[2] for hit in _found(engine, kept)} == kept
    # The books: every transaction still sums to zero, the trial balance is unchanged.
    assert _books(session) == books
    assert all(total == 0 for total in books[1])
    assert (
        session.execute(select(Payment.id, Payment.amount_cents).order_by(Payment.id)).all()
        == amounts
    )
    household = session.scalars(
        select(Household).where(Household.reference == "HH-2026-0001")
    ).one()
    assert household.personal_data_removed_on == date(2026, 12, 1)  # the session's clock
    assert (household.street, household.postcode, household.town) == (None, None, None)
    person = session.scalars(select(Person).where(Person.household_id == household.id)).one()
    assert (person.bsn, person.name, person.date_of_birth.month) == (
        pseudonym_bsn(person.id), "verwijderd", 1,
    )  # fmt: skip
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)).all()
    assert [(e.household_id, e.user_id, e.object_ref) for e in events] == [
        (household.id, "beheerder.0439", "voor 2027-07-01")
    ]

    # Twice is harmless: nothing left to do, nothing changes, no second audit event.
    before = _snapshot(engine)
    again = apply_retention(session, BEHEERDER, "0439", CUT_OFF)
    session.commit()
    assert (again.removed, again.files) == ((), 0)
    after = _snapshot(engine)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }


def test_inside_the_retention_period_and_dry_run_change_nothing(
    session: Session, engine: Engine, flow: dict[str, Any]
) -> None:
    session.commit()
    before = _snapshot(engine)
    # The bijstand ended on 31-12-2026: a cut-off on that day is still inside the period.
    assert apply_retention(session, BEHEERDER, "0439", date(2026, 12, 31)).removed == ()
    session.commit()
    dry = apply_retention(session, BEHEERDER, "0439", CUT_OFF, dry_run=True)
    session.commit()
    assert (dry.removed, dry.dry_run) == (("HH-2026-0001",), True)
    assert dry.files >= 2
    assert _snapshot(engine) == before


def test_only_a_beheerder_or_the_operator_may_apply_it(
    session: Session, flow: dict[str, Any]
) -> None:
    for role in (Role.INKOMEN, Role.ACCOUNTANT, Role.BUDGETCOACH):
        with pytest.raises(NotPermitted):
            apply_retention(session, staff("iemand", [role], ["0439"]), "0439", CUT_OFF)
    with pytest.raises(NotPermitted):  # a beheerder of another gemeente
        apply_retention(session, staff("b", [Role.BEHEERDER], ["0363"]), "0439", CUT_OFF)


RAW_UPDATES = (
    "UPDATE payment SET creditor_name = 'verwijderd' WHERE kind = 'leefgeld'",
    "UPDATE payment SET remittance = 'verwijderd'",
    "UPDATE bank_item SET counterparty_name = NULL",
    "UPDATE bank_decision SET reason = 'verwijderd'",
    "UPDATE run_file SET content = content || content",
    "UPDATE bank_file SET content = content || content",
)
# Even with the switch on: another column, or a personal column to something else.
SWITCHED_UPDATES = (
    "UPDATE payment SET amount_cents = amount_cents + 1",
    "UPDATE payment SET creditor_iban = 'NL91ABNA0417164300' WHERE kind = 'leefgeld'",
    "UPDATE bank_item SET amount_cents = amount_cents + 1",
    "UPDATE bank_item SET counterparty_name = 'Iemand Anders'",
    "UPDATE run_file SET sha256 = 'x'",
    "UPDATE bank_file SET filename = 'x'",
    "DELETE FROM run_file",
    "DELETE FROM bank_item",
)


def _switch_on(connection: Any) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('ontzorgen.retention', 'on', true)"))
    else:
        connection.execute(text("INSERT INTO retention_switch (id) VALUES (1)"))


@pytest.mark.parametrize("statement", RAW_UPDATES)
def test_without_the_switch_the_append_only_tables_refuse_updates(
    engine: Engine, flow: dict[str, Any], statement: str
) -> None:
    with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="ontzorgen:immutable"):
            connection.execute(text(statement))
        connection.rollback()


@pytest.mark.parametrize("statement", SWITCHED_UPDATES)
def test_with_the_switch_only_pseudonymising_is_let_through(
    engine: Engine, flow: dict[str, Any], statement: str
) -> None:
    with engine.connect() as connection:
        _switch_on(connection)
        with pytest.raises(DBAPIError, match="ontzorgen:immutable"):
            connection.execute(text(statement))
        connection.rollback()


def test_the_switch_is_gone_after_the_transaction(
    session: Session, engine: Engine, flow: dict[str, Any]
) -> None:
    apply_retention(session, BEHEERDER, "0439", CUT_OFF)
    session.commit()
    with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="ontzorgen:immutable"):
            connection.execute(text("UPDATE payment SET remittance = 'verwijderd'"))
        connection.rollback()
        assert connection.execute(text("SELECT count(*) FROM retention_switch")).scalar() == 0
