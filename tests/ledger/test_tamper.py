# SPDX-License-Identifier: EUPL-1.2
"""The database itself refuses every change that would lose, invent or rewrite a cent.

Each test goes around the service with raw SQL on its own connection, does what a bug or a
person at a SQL prompt might do, and checks that PostgreSQL and SQLite both refuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ontzorgen.db import make_engine
from ontzorgen.ledger.balances import balance, verify_balances
from ontzorgen.ledger.models import BalanceLimit
from ontzorgen.ledger.service import close_period, ensure_subaccounts, open_default_chart, post
from ontzorgen.money import Money
from tests.factories import at_noon
from tests.ledger.conftest import ACTOR, new_gemeente, tx

NOW = at_noon(date(2026, 12, 1))

HH = "te-betalen-huishoudens"


@pytest.fixture
def booked(session: Session, gemeente_id: int, chart: dict[str, int]) -> int:
    """One committed transaction: € 10,00 from the tussenrekening to the bank."""
    entry = tx("booked", (chart["bank"], 1000), (chart["tussenrekening"], -1000))
    tx_id = post(session, ACTOR, gemeente_id, entry)
    session.commit()
    return tx_id


def insert_raw(
    connection: Connection,
    *,
    tx_id: int,
    gemeente_id: int,
    postings: Sequence[tuple[int, int]],
    period: str = "2026-11",
    booking_date: str | None = None,
    reverses_id: int | None = None,
    with_transaction_row: bool = True,
) -> None:
    """Write a transaction the way each dialect's scheme expects (see migration 0002)."""
    tx_row = text(
        "INSERT INTO ledger_transaction (id, gemeente_id, idempotency_key, digest, booking_date,"
        " value_date, period, description, actor, rule, reverses_id) VALUES (:id, :g, :key,"
        " 'x', :booked, :booked, :period, 'raw', 'mallory', 'none', :reverses)"
    )
    tx_params = {
        "id": tx_id,
        "g": gemeente_id,
        "key": f"raw-{tx_id}",
        "booked": booking_date or f"{period}-15",
        "period": period,
        "reverses": reverses_id,
    }
    values = ", ".join(
        f"({tx_id}, {line}, {gemeente_id}, '{period}', {account}, {amount})"
        for line, (account, amount) in enumerate(postings, start=1)
    )
    postings_sql = text(
        "INSERT INTO ledger_posting (transaction_id, line, gemeente_id, period, account_id,"
        f" amount) VALUES {values}"
    )
    if connection.dialect.name == "postgresql":
        if with_transaction_row:
            connection.execute(tx_row, tx_params)
        if postings:
            connection.execute(postings_sql)
    else:
        if postings:
            connection.execute(postings_sql)
        if with_transaction_row:
            connection.execute(tx_row, tx_params)


def write(engine: Engine, **kwargs: object) -> None:
    """insert_raw on a new connection, then COMMIT (where the deferred checks run)."""
    with engine.connect() as connection:
        insert_raw(connection, **kwargs)  # type: ignore[arg-type]
        connection.commit()


def run_sql(engine: Engine, *statements: str) -> None:
    """Run raw statements on a new connection, then COMMIT."""
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
        connection.commit()


def assert_refused(engine: Engine, reason: str, *statements: str) -> None:
    """Run ``statements`` (and COMMIT) and expect the database to refuse with ``reason``."""
    with pytest.raises(DBAPIError) as raised:
        run_sql(engine, *statements)
    assert reason in str(raised.value), str(raised.value)


def test_a_raw_balanced_transaction_is_accepted(
    engine: Engine, gemeente_id: int, chart: dict[str, int]
) -> None:
    # The control: the tamper tests below fail for the reason they name, not for a typo.
    run_sql(
        engine,
        "INSERT INTO ledger_period (gemeente_id, period, status)"
        f" VALUES ({gemeente_id}, '2026-11', 'open')",
    )
    lines = [(chart["bank"], 5), (chart["tussenrekening"], -5)]
    write(engine, tx_id=900001, gemeente_id=gemeente_id, postings=lines)
    with Session(engine) as session:
        assert balance(session, chart["bank"]) == Money(5)
        assert verify_balances(session, gemeente_id) == []


def test_an_unbalanced_transaction_is_refused(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    lines = [(chart["bank"], 5), (chart["tussenrekening"], -4)]
    with pytest.raises(DBAPIError, match="ontzorgen:unbalanced"):
        write(engine, tx_id=900002, gemeente_id=gemeente_id, postings=lines)


def test_a_transaction_with_one_posting_is_refused(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    with pytest.raises(DBAPIError, match="ontzorgen:unbalanced"):
        write(engine, tx_id=900003, gemeente_id=gemeente_id, postings=[(chart["bank"], 5)])


def test_a_transaction_without_postings_is_refused_at_commit(
    engine: Engine, booked: int, gemeente_id: int
) -> None:
    # PostgreSQL: the deferred constraint trigger lets the INSERT pass and refuses the COMMIT.
    # SQLite: the transaction row's trigger refuses the INSERT itself.
    with pytest.raises(DBAPIError, match="ontzorgen:unbalanced"):
        write(engine, tx_id=900004, gemeente_id=gemeente_id, postings=[])


def test_postings_without_a_transaction_are_refused(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    lines = [(chart["bank"], 5), (chart["tussenrekening"], -5)]
    with pytest.raises(DBAPIError) as raised:
        # SQLite: the deferred foreign key refuses the orphans at COMMIT.
        write(
            engine,
            tx_id=900005,
            gemeente_id=gemeente_id,
            postings=lines,
            with_transaction_row=False,
        )
    assert "ontzorgen:orphan-posting" in str(raised.value) or "FOREIGN KEY" in str(raised.value)
    # A new engine: on SQLite a failed COMMIT leaves the pooled connection's transaction open
    # (SQLite keeps it active), so look from a connection that is surely not that one.
    fresh = make_engine(engine.url.render_as_string(hide_password=False))
    with Session(fresh) as session:
        assert balance(session, chart["bank"]) == Money(1000)
        assert verify_balances(session, gemeente_id) == []
    fresh.dispose()


def test_a_posting_cannot_be_added_to_a_committed_transaction(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    # Even a balanced pair: the transaction is complete once written.
    assert_refused(
        engine,
        "ontzorgen:posting-after-transaction",
        "INSERT INTO ledger_posting (transaction_id, line, gemeente_id, period, account_id, amount)"
        f" VALUES ({booked}, 3, {gemeente_id}, '2026-11', {chart['bank']}, 7),"
        f" ({booked}, 4, {gemeente_id}, '2026-11', {chart['tussenrekening']}, -7)",
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_posting SET amount = amount + 1",
        "UPDATE ledger_posting SET account_id = account_id",
        "DELETE FROM ledger_posting",
        "UPDATE ledger_transaction SET description = 'rewritten'",
        "DELETE FROM ledger_transaction",
    ],
)
def test_postings_and_transactions_are_never_updated_or_deleted(
    engine: Engine, booked: int, statement: str
) -> None:
    assert_refused(engine, "ontzorgen:immutable", statement)


@pytest.mark.parametrize(
    "table",
    ["ledger_posting", "ledger_transaction", "ledger_balance", "ledger_period", "ledger_account"],
)
def test_truncate_is_refused_on_postgresql(
    engine: Engine, booked: int, backend: str, table: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    assert_refused(engine, "ontzorgen:immutable", f"TRUNCATE {table} CASCADE")


def test_nothing_is_posted_into_a_closed_period(
    session: Session, engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    close_period(session, ACTOR, gemeente_id, "2026-11", now=NOW)
    session.commit()
    lines = [(chart["bank"], 5), (chart["tussenrekening"], -5)]
    with pytest.raises(DBAPIError, match="ontzorgen:period-closed"):
        write(engine, tx_id=900006, gemeente_id=gemeente_id, postings=lines)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_period SET status = 'open', closed_at = NULL, closed_by = NULL",
        "UPDATE ledger_period SET period = '2026-10'",
        "DELETE FROM ledger_period",
    ],
)
def test_a_closed_period_stays_closed(
    session: Session, engine: Engine, booked: int, gemeente_id: int, statement: str
) -> None:
    close_period(session, ACTOR, gemeente_id, "2026-11", now=NOW)
    session.commit()
    with pytest.raises(DBAPIError, match=r"ontzorgen:(period-closed|immutable)"):
        run_sql(engine, statement)


def test_a_limit_cannot_be_breached(
    session: Session, engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = ensure_subaccounts(
        session, gemeente_id, [(HH, "household:1", "H1", BalanceLimit.NON_POSITIVE)]
    )[(HH, "household:1")]
    grant = tx("grant", (chart["bijstand-lasten"], 500), (household, -500))
    post(session, ACTOR, gemeente_id, grant)
    session.commit()
    onderweg = chart["betalingen-onderweg"]
    with pytest.raises(DBAPIError, match="ontzorgen:limit-exceeded"):
        write(
            engine,
            tx_id=900007,
            gemeente_id=gemeente_id,
            postings=[(household, 501), (onderweg, -501)],
        )
    # Up to the limit is fine.
    write(
        engine, tx_id=900008, gemeente_id=gemeente_id, postings=[(household, 500), (onderweg, -500)]
    )
    assert balance(session, household) == Money.zero()


def test_a_limit_cannot_be_loosened_or_an_account_deleted(
    engine: Engine, booked: int, chart: dict[str, int]
) -> None:
    assert_refused(
        engine, "ontzorgen:immutable", "UPDATE ledger_account SET balance_limit = 'non_negative'"
    )
    assert_refused(engine, "ontzorgen:immutable", "UPDATE ledger_account SET kind = 'asset'")
    assert_refused(
        engine,
        "ontzorgen:immutable",
        f"DELETE FROM ledger_account WHERE id = {chart['vt-reserve']}",
    )
    run_sql(engine, "UPDATE ledger_account SET name = 'Bank (BNG)' WHERE code = 'bank'")


def test_a_transaction_is_reversed_only_once(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    mirror = [(chart["bank"], -1000), (chart["tussenrekening"], 1000)]
    write(engine, tx_id=900009, gemeente_id=gemeente_id, postings=mirror, reverses_id=booked)
    with pytest.raises(DBAPIError, match=r"reverses_id"):
        write(engine, tx_id=900010, gemeente_id=gemeente_id, postings=mirror, reverses_id=booked)


def test_a_reversal_must_mirror_the_original(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    almost = [(chart["bank"], -999), (chart["tussenrekening"], 999)]
    with pytest.raises(DBAPIError, match="ontzorgen:not-a-mirror"):
        write(engine, tx_id=900011, gemeente_id=gemeente_id, postings=almost, reverses_id=booked)


def test_a_booking_date_outside_the_period_is_refused(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    lines = [(chart["bank"], 5), (chart["tussenrekening"], -5)]
    with pytest.raises(DBAPIError, match="ontzorgen:booking-date"):
        write(
            engine,
            tx_id=900012,
            gemeente_id=gemeente_id,
            postings=lines,
            booking_date="2026-12-01",
        )


def test_postings_stay_inside_their_gemeente(
    session: Session, engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    other = new_gemeente(session)
    other_bank = open_default_chart(session, other)["bank"]
    session.commit()
    lines = [(other_bank, 5), (chart["tussenrekening"], -5)]
    with pytest.raises(DBAPIError, match=r"(?i)foreign key"):
        write(engine, tx_id=900013, gemeente_id=gemeente_id, postings=lines)


def test_balances_cannot_be_written_directly(
    engine: Engine, booked: int, gemeente_id: int, backend: str
) -> None:
    if backend == "postgresql":
        assert_refused(engine, "ontzorgen:immutable", "UPDATE ledger_balance SET debit = debit + 1")
        assert_refused(engine, "ontzorgen:immutable", "DELETE FROM ledger_balance")
        return
    # SQLite cannot tell a trigger's write from a person's; the audit check finds it instead.
    run_sql(engine, "UPDATE ledger_balance SET debit = debit + 1")
    with Session(engine) as session:
        assert verify_balances(session, gemeente_id) != []


def test_refusals_leave_no_trace(
    engine: Engine, booked: int, gemeente_id: int, chart: dict[str, int]
) -> None:
    attempts = [
        (900014, [(chart["bank"], 3), (chart["tussenrekening"], -2)]),
        (900015, [(chart["bank"], 3)]),
    ]
    for tx_id, postings in attempts:
        with pytest.raises(DBAPIError):
            write(engine, tx_id=tx_id, gemeente_id=gemeente_id, postings=postings)
    with Session(engine) as session:
        assert balance(session, chart["bank"]) == Money(1000)
        assert verify_balances(session, gemeente_id) == []
        assert session.scalar(text("SELECT count(*) FROM ledger_posting")) == 2
