# SPDX-License-Identifier: EUPL-1.2
"""The database itself refuses what would break a run, whatever the code does (raw SQL)."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest
from sqlalchemy import Column, Date, DateTime, Integer, Table, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.runs.export import stored_payments_digest
from ontzorgen.runs.files import export_run, stored_file
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.service import approve_run, cancel_run, create_run, get_run, prepare_run
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)
APPROVER = actor_for("accordeerder")
Stage = Literal["queued", "prepared", "approved", "exported", "cancelled"]


def _run(factory: sessionmaker[Session], stage: Stage) -> int:
    """A run of the example import, taken through the service up to ``stage``."""
    with unit_of_work(factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        run_id = create_run(session, CLERK, "0439", "2026-12").id
    plan: dict[Stage, list[Stage]] = {
        "queued": [],
        "prepared": ["prepared"],
        "approved": ["prepared", "approved"],
        "exported": ["prepared", "approved", "exported"],
        "cancelled": ["prepared"],
    }
    for step in plan[stage]:
        with unit_of_work(factory) as session:
            if step == "prepared":
                prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
            elif step == "approved":
                approve_run(session, APPROVER, run_id, today=TODAY, now=at_noon(TODAY))
            else:
                export_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    if stage == "cancelled":
        with unit_of_work(factory) as session:
            cancel_run(session, CLERK, run_id, "huur gewijzigd", today=TODAY, now=at_noon(TODAY))
    return run_id


@pytest.fixture
def exported(session_factory: sessionmaker[Session]) -> int:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        run_id = create_run(session, CLERK, "0439", "2026-12").id
        prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
        approve_run(session, actor_for("accordeerder"), run_id, today=TODAY, now=at_noon(TODAY))
        export_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    return run_id


def _refused(factory: sessionmaker[Session], sql: str, match: str) -> None:
    session = factory()

    def attempt() -> None:  # refused at the statement or, for deferred checks, at COMMIT
        session.execute(text(sql))
        session.commit()

    try:
        with pytest.raises(DBAPIError, match=match):
            attempt()
    finally:
        session.rollback()
        session.close()


@pytest.mark.usefixtures("exported")
def test_a_second_regular_run_for_the_period_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    _refused(
        session_factory,
        "INSERT INTO payment_run (gemeente_id, period, kind, state, payment_count, total_cents, "
        "shortfall_cents, held_cents, household_count, progress_done, progress_total, "
        "created_by) SELECT gemeente_id, period, 'regular', 'queued', 0, 0, 0, 0, 0, 0, 0, 'x' "
        "FROM payment_run",
        r"(?i)unique|uq_payment_run_regular_period",
    )


@pytest.mark.usefixtures("exported")
def test_a_second_active_payment_for_the_same_contract_and_period_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    columns = (
        "gemeente_id, run_id, household_id, contract_id, payee_id, period, payment_key, active, "
        "kind, category, amount_cents, execution_date, pmt_inf_id, creditor_name, "
        "creditor_iban, creditor_bic, street, building_number, postcode, town, country, "
        "remittance_kind, remittance, purpose, rule, ledger_transaction_id"
    )
    _refused(
        session_factory,
        f"INSERT INTO payment ({columns}, end_to_end_id) SELECT {columns}, 'OTHER-E2E' "
        "FROM payment WHERE category = 'huur' LIMIT 1",
        r"(?i)unique|uq_payment_active_key",
    )


def test_the_exported_file_cannot_be_changed_or_removed(
    session_factory: sessionmaker[Session], exported: int
) -> None:
    _refused(session_factory, "UPDATE run_file SET sha256 = 'forged'", "ontzorgen:immutable")
    _refused(session_factory, "DELETE FROM run_file", "ontzorgen:immutable")
    _refused(session_factory, "DELETE FROM payment", "ontzorgen:immutable")
    _refused(
        session_factory, f"DELETE FROM payment_run WHERE id = {exported}", "ontzorgen:immutable"
    )


def test_four_eyes_is_a_database_rule_too(session_factory: sessionmaker[Session]) -> None:
    run_id = _run(session_factory, "prepared")
    _refused(
        session_factory,
        "UPDATE payment_run SET state = 'approved', approved_by = prepared_by, "
        f"approved_at = CURRENT_TIMESTAMP WHERE id = {run_id}",
        r"(?i)check|four_eyes",
    )


# -- payments are immutable once prepared (migration 0006) --------------------------------------
def _different(column: Column[object]) -> str:
    """An SQL expression giving ``column`` another value (same on both databases)."""
    if isinstance(column.type, DateTime):
        return "'2000-01-01 00:00:00'"
    if isinstance(column.type, Date):
        return "'2000-01-01'"
    if isinstance(column.type, Integer):  # BigInteger too
        return f"COALESCE({column.name}, 0) + 1"
    return "'Z'"


def _columns(model: type[Payment] | type[PaymentRun], *skip: str) -> list[Column[object]]:
    table = model.__table__
    assert isinstance(table, Table)
    return [c for c in table.columns if c.name not in skip]


def test_an_approved_payment_cannot_be_redirected_or_raised(
    session_factory: sessionmaker[Session],
) -> None:
    run_id = _run(session_factory, "approved")
    _refused(
        session_factory,
        "UPDATE payment SET creditor_iban = 'NL91ABNA0417164300', amount_cents = 999900 "
        f"WHERE run_id = {run_id} AND category = 'huur'",
        "ontzorgen:immutable",
    )


@pytest.mark.parametrize("column", [c.name for c in _columns(Payment, "active")])
def test_no_column_of_a_payment_changes_after_prepare(
    session_factory: sessionmaker[Session], column: str
) -> None:
    run_id = _run(session_factory, "prepared")
    target = next(c for c in _columns(Payment) if c.name == column)
    _refused(
        session_factory,
        f"UPDATE payment SET {column} = {_different(target)} WHERE run_id = {run_id}",
        "ontzorgen:immutable",
    )


def test_a_payment_is_only_ever_made_inactive(session_factory: sessionmaker[Session]) -> None:
    run_id = _run(session_factory, "cancelled")  # cancel made every payment inactive
    with session_factory() as session:
        assert not session.scalars(
            select(Payment).where(Payment.run_id == run_id, Payment.active.is_(True))
        ).all()
    _refused(session_factory, "UPDATE payment SET active = true", "ontzorgen:immutable")


def test_no_payment_is_added_to_a_prepared_run(session_factory: sessionmaker[Session]) -> None:
    _run(session_factory, "approved")
    columns = (
        "gemeente_id, run_id, household_id, contract_id, payee_id, period, active, kind, "
        "category, amount_cents, execution_date, pmt_inf_id, creditor_name, creditor_iban, "
        "creditor_bic, street, building_number, postcode, town, country, remittance_kind, "
        "remittance, purpose, rule, ledger_transaction_id"
    )
    _refused(
        session_factory,
        f"INSERT INTO payment ({columns}, payment_key, end_to_end_id) SELECT {columns}, "
        "'extra', 'EXTRA-E2E' FROM payment WHERE category = 'huur' LIMIT 1",
        "ontzorgen:run-bound",
    )


def test_payments_cannot_be_truncated(backend: str, session_factory: sessionmaker[Session]) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has no TRUNCATE (DELETE is refused above)")
    _run(session_factory, "approved")
    _refused(session_factory, "TRUNCATE payment, payment_run CASCADE", "ontzorgen:immutable")


# -- export re-checks the digest and the ledger, even when the guards were bypassed -------------
_GUARDS = {
    "payment": {"postgresql": "DROP TRIGGER payment_immutable ON payment",
                "sqlite": "DROP TRIGGER payment_immutable"},
    "payment_run": {"postgresql": "DROP TRIGGER payment_run_guard ON payment_run",
                    "sqlite": "DROP TRIGGER run_bound"},
}  # fmt: skip


def _bypass(factory: sessionmaker[Session], backend: str, *statements: str) -> None:
    """What a DBA could do: drop the guards, then change rows directly."""
    with unit_of_work(factory) as session:
        for guard in _GUARDS.values():
            session.execute(text(guard[backend]))
        for statement in statements:
            session.execute(text(statement))


def _export_refused(factory: sessionmaker[Session], run_id: int, match: str) -> None:
    with pytest.raises(Conflict, match=match), unit_of_work(factory) as session:
        export_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    with factory() as session:
        run = get_run(session, run_id)
        assert run.state == "approved"
        assert stored_file(session, run) is None


def test_export_refuses_payments_changed_behind_the_approval(
    backend: str, session_factory: sessionmaker[Session]
) -> None:
    run_id = _run(session_factory, "approved")
    _bypass(
        session_factory,
        backend,
        "UPDATE payment SET creditor_iban = 'NL91ABNA0417164300', amount_cents = 999900 "
        f"WHERE run_id = {run_id} AND category = 'huur'",
    )
    _export_refused(session_factory, run_id, "de digest klopt niet")


def test_export_refuses_a_payment_dropped_behind_the_approval(
    session_factory: sessionmaker[Session],
) -> None:
    run_id = _run(session_factory, "approved")
    with unit_of_work(session_factory) as session:  # the one change the database allows
        session.execute(
            text(f"UPDATE payment SET active = false WHERE run_id = {run_id} AND kind = 'leefgeld'")
        )
    _export_refused(session_factory, run_id, "geaccordeerd zijn 6 betalingen")


def test_export_refuses_a_payment_the_ledger_does_not_say_even_with_a_rewritten_digest(
    backend: str, session_factory: sessionmaker[Session]
) -> None:
    run_id = _run(session_factory, "approved")
    _bypass(
        session_factory,
        backend,
        f"UPDATE payment SET amount_cents = 999900 WHERE run_id = {run_id} AND category = 'huur'",
    )
    with session_factory() as session:
        digest = stored_payments_digest(session, run_id)
        total = session.scalar(
            select(text("sum(amount_cents)")).select_from(Payment).where(Payment.run_id == run_id)
        )
    with unit_of_work(session_factory) as session:
        session.execute(
            text("UPDATE payment_run SET digest = :digest, total_cents = :total WHERE id = :id"),
            {"digest": digest, "total": total, "id": run_id},
        )
    _export_refused(session_factory, run_id, "sluiten niet aan op hun grootboektransactie")


def test_export_refuses_a_payment_pointing_at_another_booking(
    backend: str, session_factory: sessionmaker[Session]
) -> None:
    run_id = _run(session_factory, "approved")
    _bypass(
        session_factory,
        backend,
        "UPDATE payment SET ledger_transaction_id = (SELECT max(ledger_transaction_id) FROM "
        f"payment WHERE kind = 'leefgeld') WHERE run_id = {run_id} AND category = 'huur'",
    )
    _export_refused(session_factory, run_id, "sluiten niet aan op hun grootboektransactie")


def test_export_refuses_a_payment_whose_booking_was_reversed(
    backend: str, session_factory: sessionmaker[Session]
) -> None:
    from ontzorgen.ledger import service as ledger

    run_id = _run(session_factory, "approved")
    with unit_of_work(session_factory) as session:  # a reversal outside the run's own cancel
        payment = session.scalars(
            select(Payment).where(Payment.run_id == run_id, Payment.kind == "leefgeld")
        ).first()
        assert payment is not None
        ledger.reverse(
            session, CLERK, payment.gemeente_id, payment.ledger_transaction_id,
            idempotency_key="handmatig", booking_date=date(2026, 12, 1),
            description="handmatige tegenboeking", rule="test",
        )  # fmt: skip
    _export_refused(session_factory, run_id, "sluiten niet aan op hun grootboektransactie")


# -- a run's state moves only along its edges; what approval binds stays fixed ------------------
@pytest.mark.parametrize(
    ("stage", "sql", "match"),
    [
        ("approved", "SET state = 'exported'", "ontzorgen:run-incomplete"),
        (
            "approved",
            "SET state = 'exported', exported_by = 'x', exported_at = CURRENT_TIMESTAMP",
            "ontzorgen:run-incomplete",  # an exported run has its file
        ),
        ("prepared", "SET state = 'exported'", "ontzorgen:run-state"),
        ("exported", "SET state = 'prepared'", "ontzorgen:run-state"),
        ("exported", "SET state = 'cancelled', cancelled_by = 'x', cancelled_at = "
         "CURRENT_TIMESTAMP, cancel_reason = 'x'", "ontzorgen:run-state"),
        ("cancelled", "SET state = 'approved'", "ontzorgen:run-state"),
        ("cancelled", "SET state = 'queued'", "ontzorgen:run-state"),
        ("queued", "SET state = 'approved'", "ontzorgen:run-state"),
        ("queued", "SET state = 'prepared'", "ontzorgen:run-incomplete"),
        ("approved", "SET state = 'prepared'", "ontzorgen:run-state"),
        ("approved", "SET approved_by = 'iemand.anders'", "ontzorgen:run-signature"),
        ("prepared", "SET state = 'approved'", "ontzorgen:run-incomplete"),
        ("queued", "SET error = 'x'", "ontzorgen:run-error"),
    ],
)  # fmt: skip
def test_a_run_moves_only_along_its_edges(
    session_factory: sessionmaker[Session], stage: Stage, sql: str, match: str
) -> None:
    run_id = _run(session_factory, stage)
    _refused(session_factory, f"UPDATE payment_run {sql} WHERE id = {run_id}", match)


@pytest.mark.parametrize("column", [c.name for c in _columns(PaymentRun, "state")])
def test_no_column_of_an_approved_run_changes_but_its_state(
    session_factory: sessionmaker[Session], column: str
) -> None:
    run_id = _run(session_factory, "approved")
    target = next(c for c in _columns(PaymentRun) if c.name == column)
    _refused(
        session_factory,
        f"UPDATE payment_run SET {column} = {_different(target)} WHERE id = {run_id}",
        "ontzorgen:",
    )


def test_the_allowed_edges_pass_the_database(session_factory: sessionmaker[Session]) -> None:
    run_id = _run(session_factory, "queued")
    with unit_of_work(session_factory) as session:
        for sql in (
            "SET progress_done = 1, progress_total = 2",  # the worker's progress
            "SET state = 'failed', error = 'storing'",
            "SET state = 'queued', error = NULL",
            "SET state = 'cancelled', cancelled_by = 'x', cancelled_at = CURRENT_TIMESTAMP, "
            "cancel_reason = 'x'",
        ):
            session.execute(text(f"UPDATE payment_run {sql} WHERE id = {run_id}"))
    with session_factory() as session:
        assert get_run(session, run_id).state == "cancelled"
