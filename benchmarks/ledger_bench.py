# SPDX-License-Identifier: EUPL-1.2
"""Ledger bulk-posting benchmark against PostgreSQL.

    python benchmarks/ledger_bench.py --postgres postgresql://postgres@127.0.0.1:5432/test \\
        --transactions 100000

Creates its own database (dropped at the end), migrates it, opens a chart with one sub-account
per household, then posts N transactions of 4 postings each through ``post_batch`` in one unit
of work (timed up to and including COMMIT, where the deferred checks run). In the same run it
COPYs the same number of posting rows into a bare table (no keys, no indexes, no triggers).
Prints postings per second for both and, as its last line, ``ratio: X`` (ledger time divided by
COPY time).
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import date

from sqlalchemy import create_engine, insert, make_url, text
from sqlalchemy.engine import URL

from ontzorgen import migrate
from ontzorgen.auth import Actor
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger.models import BalanceLimit
from ontzorgen.ledger.service import (
    Line,
    NewTransaction,
    ensure_subaccounts,
    open_default_chart,
    post_batch,
)
from ontzorgen.money import Money

DAY = date(2026, 12, 1)
PAYEES = 1000


def _url(raw: str) -> URL:
    url = make_url(raw)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", required=True, help="URL of a PostgreSQL server (any database)"
    )
    parser.add_argument("--transactions", type=int, default=100_000)
    args = parser.parse_args()
    count: int = args.transactions

    base = _url(args.postgres)
    name = f"ontzorgen_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        run(url, count)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(url: str, count: int) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    actor = Actor("bench")

    # Set-up (not timed): a gemeente, its chart, a sub-account per household and per payee.
    with unit_of_work(factory) as session:
        gemeente_id = session.execute(
            insert(Gemeente).returning(Gemeente.id),
            [
                {
                    "code": "0439",
                    "name": "Bench",
                    "debtor_name": "Gemeente Bench",
                    "debtor_iban": "NL14BNGH0285001234",
                    "debtor_bic": "BNGHNL2G",
                    "policy": {},
                }
            ],
        ).scalar_one()
        chart = open_default_chart(session, gemeente_id)
    with unit_of_work(factory) as session:
        households = ensure_subaccounts(
            session,
            gemeente_id,
            [
                (
                    "te-betalen-huishoudens",
                    f"household:{n}",
                    f"Huishouden {n}",
                    BalanceLimit.NON_POSITIVE,
                )
                for n in range(count)
            ],
        )
        payees = ensure_subaccounts(
            session,
            gemeente_id,
            [
                ("crediteuren", f"payee:{n}", f"Begunstigde {n}", BalanceLimit.NON_POSITIVE)
                for n in range(PAYEES)
            ],
        )
    lasten = chart["bijstand-lasten"]
    household_ids = [households[("te-betalen-huishoudens", f"household:{n}")] for n in range(count)]
    payee_ids = [payees[("crediteuren", f"payee:{n}")] for n in range(PAYEES)]

    # One month of a payment run: bijstand granted to the household, huur withheld for the
    # landlord — four postings per transaction.
    transactions = [
        NewTransaction(
            idempotency_key=f"run:2026-12:household:{n}",
            booking_date=DAY,
            value_date=DAY,
            period="2026-12",
            description="Bijstand december en inhouding huur",
            rule="Pw art. 56a lid 2",
            postings=(
                Line(lasten, Money(140143)),
                Line(household_ids[n], Money(-140143)),
                Line(household_ids[n], Money(65000)),
                Line(payee_ids[n % PAYEES], Money(-65000)),
            ),
        )
        for n in range(count)
    ]
    postings = 4 * count

    start = time.perf_counter()
    with unit_of_work(factory) as session:
        ids = post_batch(session, actor, gemeente_id, transactions)
    ledger_seconds = time.perf_counter() - start
    assert len(ids) == count

    with engine.connect() as connection:
        connection.execute(
            text(
                "CREATE TABLE bench_bare (transaction_id bigint, line smallint, gemeente_id bigint,"
                " period varchar(7), account_id bigint, amount bigint)"
            )
        )
        connection.commit()
    rows = [
        (n + 1, line, gemeente_id, "2026-12", account, cents)
        for n in range(count)
        for line, (account, cents) in enumerate(
            [
                (lasten, 140143),
                (household_ids[n], -140143),
                (household_ids[n], 65000),
                (payee_ids[n % PAYEES], -65000),
            ],
            start=1,
        )
    ]
    raw = engine.raw_connection()
    try:
        start = time.perf_counter()
        sql = "COPY bench_bare (transaction_id, line, gemeente_id, period, account_id, amount)"
        with raw.cursor() as cursor, cursor.copy(f"{sql} FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
        raw.commit()
        copy_seconds = time.perf_counter() - start
    finally:
        raw.close()
    engine.dispose()

    print(f"transactions: {count} ({postings} postings)")
    print(f"ledger post_batch: {ledger_seconds:.2f} s, {postings / ledger_seconds:,.0f} postings/s")
    print(f"bare COPY:         {copy_seconds:.2f} s, {postings / copy_seconds:,.0f} postings/s")
    print(f"ratio: {ledger_seconds / copy_seconds:.2f}")


if __name__ == "__main__":
    main()
