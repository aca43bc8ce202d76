# SPDX-License-Identifier: EUPL-1.2
"""Two imports at the same moment book a bank line once (PostgreSQL: concurrent writers).

The overlap is made certain, not left to timing: a third connection holds the lock the first
writer of a bank file takes (an uncommitted row with the same unique key) until both imports
are seen waiting for it in ``pg_locks``.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.bank.importer import ImportSummary, import_bank_file
from ontzorgen.bank.models import BankFile, BankItem, PaymentEvent
from ontzorgen.db import unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.ledger.models import LedgerTransaction
from tests.bank.conftest import ACCOUNTANT
from tests.bank.testbank import camt053, camt054, read_pain001
from tests.factories import at_noon

NOV_24 = date(2026, 11, 24)
WAIT = 30.0


@pytest.fixture
def postgres(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL")


def _import(factory: sessionmaker[Session], content: bytes) -> ImportSummary | Conflict:
    try:
        with unit_of_work(factory) as session:
            return import_bank_file(session, ACCOUNTANT, "0439", content, filename="x.xml",
                                    today=NOV_24, now=at_noon(NOV_24))  # fmt: skip
    except Conflict as error:
        return error


def _waiting(factory: sessionmaker[Session], count: int) -> None:
    deadline = time.monotonic() + WAIT
    with factory() as session:
        while time.monotonic() < deadline:
            waiting = session.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if (waiting or 0) >= count:
                return
            session.rollback()
            time.sleep(0.05)
    raise AssertionError("the imports never waited for each other")


def _counts(factory: sessionmaker[Session]) -> list[int]:
    with factory() as session:
        return [
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (BankFile, BankItem, PaymentEvent)
        ] + [
            int(session.scalar(
                select(func.count()).select_from(LedgerTransaction)
                .where(LedgerTransaction.idempotency_key.startswith("bank:"))
            ) or 0)
        ]  # fmt: skip


def test_the_same_file_imported_twice_at_once_books_once(
    postgres: None, session_factory: sessionmaker[Session], december: tuple[int, bytes]
) -> None:
    del postgres
    _, pain001 = december
    statement = camt053(pain001, booking_date=NOV_24)
    with ThreadPoolExecutor(2) as pool:
        results = [pool.submit(_import, session_factory, statement) for _ in range(2)]
        outcomes = [r.result(timeout=WAIT) for r in results]
    summaries = [o for o in outcomes if isinstance(o, ImportSummary)]
    assert len(summaries) == 2  # neither failed: the second found the first
    assert sorted(s.already_imported for s in summaries) == [False, True]
    assert _counts(session_factory) == [1, 6, 6, 2]


def test_the_same_file_waits_for_the_first_import_to_commit(
    postgres: None, session_factory: sessionmaker[Session], december: tuple[int, bytes]
) -> None:
    """Held open: a first import that has not committed yet makes the second wait, then the
    second sees it and books nothing."""
    del postgres
    _, pain001 = december
    statement = camt053(pain001, booking_date=NOV_24)
    holder = session_factory()
    try:
        import_bank_file(holder, ACCOUNTANT, "0439", statement, filename="x.xml", today=NOV_24,
                         now=at_noon(NOV_24))  # fmt: skip
        with ThreadPoolExecutor(1) as pool:
            second: Future[ImportSummary | Conflict] = pool.submit(
                _import, session_factory, statement
            )
            _waiting(session_factory, 1)
            holder.commit()
            outcome = second.result(timeout=WAIT)
    finally:
        holder.close()
    assert isinstance(outcome, ImportSummary)
    assert outcome.already_imported
    assert _counts(session_factory) == [1, 6, 6, 2]


def test_a_notification_and_the_statement_at_once_book_the_line_once(
    postgres: None, session_factory: sessionmaker[Session], december: tuple[int, bytes]
) -> None:
    """A camt.054 and the day's camt.053 carry the same booking (same AcctSvcrRef); imported
    at the same moment, one books it, the other books nothing or is told to try again."""
    del postgres
    _, pain001 = december
    vaste = [b.pmt_inf_id for b in read_pain001(pain001).batches if "-VL-" in b.pmt_inf_id]
    files = [
        camt054(pain001, booking_date=NOV_24, booked=True, pmt_inf_ids=vaste),
        camt053(pain001, booking_date=NOV_24, pmt_inf_ids=vaste),
    ]
    holder = session_factory()
    try:
        import_bank_file(holder, ACCOUNTANT, "0439", files[0], filename="054.xml",
                         today=NOV_24, now=at_noon(NOV_24))  # fmt: skip
        with ThreadPoolExecutor(1) as pool:
            second = pool.submit(_import, session_factory, files[1])
            _waiting(session_factory, 1)
            holder.commit()
            outcome = second.result(timeout=WAIT)
    finally:
        holder.close()
    files_stored, items, events, bookings = _counts(session_factory)
    assert (items, events, bookings) == (5, 5, 1)  # the five vaste lasten, booked once
    if isinstance(outcome, Conflict):
        assert files_stored == 1
        # Told to try again; trying again books nothing more.
        again = _import(session_factory, files[1])
        assert isinstance(again, ImportSummary)
        assert again.counts["al_ingelezen"] == 5
    assert _counts(session_factory)[1:] == [5, 5, 1]
