# SPDX-License-Identifier: EUPL-1.2
"""What the bank said and what was decided stays as it happened: the database refuses to
change, delete or duplicate it, whatever the code does (raw SQL, both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ontzorgen.bank.decisions import decide
from ontzorgen.bank.importer import import_records
from ontzorgen.runs.models import Payment, PaymentRun
from tests.bank.conftest import ACCOUNTANT
from tests.bank.records import pain002
from tests.factories import at_noon

DAY = date(2026, 11, 24)
TABLES = (
    "bank_file", "bank_item", "payment_event", "bank_decision", "household_event",
)  # fmt: skip


@pytest.fixture
def rejected(session: Session, december: tuple[int, bytes]) -> int:
    """December's huur rejected (AC04) by a pain.002, and a decision to hold it."""
    run_id, _ = december
    huur = session.query(Payment).filter(Payment.run_id == run_id).order_by(Payment.id).first()
    assert huur is not None
    msg_id = session.get_one(PaymentRun, run_id).msg_id
    assert msg_id is not None
    import_records(session, ACCOUNTANT, "0439", b"pain", pain002(msg_id, [(huur, "AC04")]),
                   filename="pain.xml", today=DAY, now=at_noon(DAY))  # fmt: skip
    decide(session, ACCOUNTANT, "0439", action="vasthouden", reason="wacht op IBAN",
           payment_id=huur.id, now=at_noon(DAY))  # fmt: skip
    session.commit()
    return huur.id


def _refused(session: Session, statement: str) -> str:
    with pytest.raises(DBAPIError) as refused:
        session.execute(text(statement))
    session.rollback()
    return str(refused.value)


@pytest.mark.parametrize("table", TABLES)
def test_a_row_is_never_updated(session: Session, rejected: int, table: str) -> None:
    del rejected
    message = _refused(session, f"UPDATE {table} SET gemeente_id = gemeente_id")
    assert "ontzorgen:immutable" in message


@pytest.mark.parametrize("table", TABLES)
def test_a_row_is_never_deleted(session: Session, rejected: int, table: str) -> None:
    del rejected
    assert "ontzorgen:immutable" in _refused(session, f"DELETE FROM {table}")


@pytest.mark.parametrize("table", [*TABLES, "bank_reissue"])
def test_a_table_is_never_truncated(session: Session, rejected: int, table: str) -> None:
    del rejected
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE is refused above)")
    assert "ontzorgen:immutable" in _refused(session, f"TRUNCATE {table} CASCADE")


def test_a_payment_gets_each_status_once(session: Session, rejected: int) -> None:
    message = _refused(
        session,
        "INSERT INTO payment_event (gemeente_id, payment_id, run_id, status, event_date, "
        "bank_item_id, bank_file_id, recorded_at) SELECT gemeente_id, payment_id, run_id, "
        "status, event_date, bank_item_id, bank_file_id, recorded_at FROM payment_event "
        f"WHERE payment_id = {rejected}",
    )
    assert "unique" in message.lower()


def test_a_bank_line_is_stored_once(session: Session, rejected: int) -> None:
    del rejected
    message = _refused(
        session,
        "INSERT INTO bank_item (gemeente_id, bank_file_id, item_key, kind, amount_cents, "
        "booking_date) SELECT gemeente_id, bank_file_id, item_key, kind, amount_cents, "
        "booking_date FROM bank_item",
    )
    assert "unique" in message.lower()


def test_a_file_is_stored_once(session: Session, rejected: int) -> None:
    del rejected
    message = _refused(
        session,
        "INSERT INTO bank_file (gemeente_id, sha256, kind, version, msg_id, filename, size, "
        "content, imported_by, imported_at) SELECT gemeente_id, sha256, kind, version, msg_id, "
        "filename, size, content, imported_by, imported_at FROM bank_file",
    )
    assert "unique" in message.lower()


def test_a_decision_names_one_subject(session: Session, rejected: int) -> None:
    message = _refused(
        session,
        "INSERT INTO bank_decision (gemeente_id, payment_id, bank_item_id, action, reason, "
        f"decided_by, decided_at) SELECT gemeente_id, {rejected}, id, 'vasthouden', 'x', 'a', "
        "imported_at FROM bank_file",
    )
    assert "payment_or_item" in message
