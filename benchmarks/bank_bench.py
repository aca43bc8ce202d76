# SPDX-License-Identifier: EUPL-1.2
"""The bank-import benchmark: the day statement of a whole payment run, read and booked.

    python benchmarks/bank_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        --households 10000
    python benchmarks/bank_bench.py --sqlite --households 1000

It creates its own database (dropped or deleted at the end), generates a gemeente, prepares,
approves and exports its run (see ``run_bench.py``), lets the test bank write the camt.053 that
books every batch with one ``TxDtls`` per payment, and imports it through ``import_bank_file``
in one unit of work (timed up to and including COMMIT). In the same run it measures two
baselines for the same volume: reading the file with the readers alone (the XML work), and an
``executemany`` of as many rows (bank items plus payment events) into a bare table with no keys,
indexes or triggers (the cost of storing them at all). It prints the figures, the peak memory
and, as its last line, ``ratio: X`` = import / (the baselines added up).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import BENCH_GEMEENTE
from benchmarks.run_bench import (
    NOW,
    TODAY,
    Result,
    _generate,
    bench_database,
    peak_rss_mib,
    run_once,
)
from ontzorgen.auth import Role, staff
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.models import BankItem, PaymentEvent
from ontzorgen.clock import FixedClock
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.logs import configure_logging
from ontzorgen.runs.files import stored_file
from ontzorgen.runs.models import PaymentRun
from ontzorgen.sepa import testbank
from ontzorgen.sepa.bankfile import read_bank_file

ACCOUNTANT = staff("bench-accountant", [Role.ACCOUNTANT], ["8888"])


def main(argv: list[str] | None = None) -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--postgres", help="admin URL of a PostgreSQL server (creates a db)")
    where.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--households", type=int, default=10_000)
    args = parser.parse_args(argv)
    configure_logging("WARNING", json=False)
    with bench_database(args.postgres) as url:
        engine = make_engine(url)
        factory = make_session_factory(engine, clock=FixedClock(TODAY))
        try:
            _generate(url, args.households)
            run_id = run_once(factory, Result(args.households, engine.dialect.name))
            with factory() as session:
                stored = stored_file(session, session.get_one(PaymentRun, run_id))
                assert stored is not None
                pain001 = stored.content
            day = testbank.read_pain001(pain001).batches[0].execution_date
            statement = testbank.camt053(pain001, booking_date=day)

            started = time.perf_counter()
            records = sum(1 for _ in read_bank_file(statement))
            read_seconds = time.perf_counter() - started

            started = time.perf_counter()
            with unit_of_work(factory) as session:
                summary = import_bank_file(
                    session, ACCOUNTANT, BENCH_GEMEENTE.code, statement,
                    filename="camt.053.xml", today=TODAY, now=NOW,
                )  # fmt: skip
            import_seconds = time.perf_counter() - started
            peak = peak_rss_mib()

            with factory() as session:
                items = int(session.scalar(select(func.count()).select_from(BankItem)) or 0)
                events = int(session.scalar(select(func.count()).select_from(PaymentEvent)) or 0)
            rows = items + events
            with engine.begin() as connection:
                connection.execute(text(
                    "CREATE TABLE bench_bare (a bigint, b bigint, c varchar(200), d varchar(12),"
                    " e bigint, f date, g varchar(35), h varchar(35), i bigint, j bigint)"
                ))  # fmt: skip
            started = time.perf_counter()
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO bench_bare VALUES (:a, :b, :c, :d, :e, :f, :g, :h, :i, :j)"),
                    [
                        {"a": 1, "b": 1, "c": f"camt:REF:{n}", "d": "booked", "e": 71200,
                         "f": day, "g": f"OZ2612-R1-H{n}-C1", "h": "PMTINF", "i": n, "j": n}
                        for n in range(rows)
                    ],
                )  # fmt: skip
            store_seconds = time.perf_counter() - started
        finally:
            engine.dispose()
    booked = summary.counts["booked"]
    print(f"households {args.households}, backend {engine.dialect.name}")
    print(f"camt.053: {len(statement)} bytes, {records} records, {booked} payments booked")
    print(f"import: {import_seconds:.2f} s ({booked / import_seconds:.0f} payments/s), "
          f"{items} bank items, {events} payment events, peak rss {peak:.0f} MiB")  # fmt: skip
    print(f"baseline read only: {read_seconds:.2f} s")
    print(f"baseline bare insert of {rows} rows: {store_seconds:.2f} s")
    print(f"ratio: {import_seconds / (read_seconds + store_seconds):.2f}")


if __name__ == "__main__":
    main()
