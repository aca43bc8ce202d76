# SPDX-License-Identifier: EUPL-1.2
"""The payment-run benchmark: a generated gemeente, prepared, approved and exported.

    python benchmarks/run_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        --households 100000
    python benchmarks/run_bench.py --sqlite --households 1000
    python benchmarks/run_bench.py --postgres URL --scale 10000,30000,100000

It creates its own database (PostgreSQL: ``ontzorgen_bench_<random>`` through the admin URL;
SQLite: a temporary file), migrates it, and drops it at the end, also on error. In the same
database it measures two baselines for the same volume: a COPY (SQLite: executemany) of the
ledger rows the run wrote into bare tables, and sepaxml building the same payments without
validation. It prints the time per phase, the peak memory and, as its last line,
``ratio: X`` = the whole run (create + prepare + approve + export) / (the baselines added up).
After the run it also imports as many households into a second gemeente through the import
service, prepares a run for them and cancels it, printing both timings with their number of
SQL statements (set-based: flat in the households); they are not part of the ratio, nor of the
peak memory (``--no-import-cancel`` leaves them out).
With ``--scale`` every size runs in its own process (so each has its own peak memory).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import BENCH_GEMEENTE, generate, import_document
from ontzorgen import migrate
from ontzorgen.auth import SYSTEM, Role, staff
from ontzorgen.bijstand.period import Period
from ontzorgen.clients.service import import_households
from ontzorgen.clock import FixedClock
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.ledger.models import LedgerPosting, LedgerTransaction
from ontzorgen.logs import configure_logging
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import Payment
from ontzorgen.runs.service import approve_run, cancel_run, create_run, prepare_run

TODAY = date(2026, 11, 23)
NOW = FixedClock(TODAY).now()
PERIOD = Period(2026, 12)
PREPARER = staff("bench-inkomen", [Role.INKOMEN], ["8888", "7777"])
APPROVER = staff("bench-accordeerder", [Role.ACCORDEERDER], ["8888"])
GOAL_RATIO = 3.0
GOAL_SECONDS_100K = 60.0
GOAL_MEMORY_MIB = 1024.0
RUN_PHASES = ("create", "prepare", "approve", "export")
T = TypeVar("T")


def peak_rss_mib() -> float:
    """The peak resident set size of this process so far (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Result:
    """Seconds per phase and per baseline, peak memory per phase, and volumes."""

    households: int
    backend: str
    phases: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)
    baselines: dict[str, float] = field(default_factory=dict)
    payments: int = 0
    transactions: int = 0
    postings: int = 0
    file_bytes: int = 0
    traced_peak_mib: float | None = None
    # SQL statements per phase (import, cancel): set-based means flat in the households.
    statements: dict[str, int] = field(default_factory=dict)

    @property
    def run_seconds(self) -> float:
        """The whole run: create + prepare + approve + export."""
        return sum(self.phases[p] for p in RUN_PHASES)

    @property
    def ratio(self) -> float:
        """The whole run divided by the baselines added up."""
        return self.run_seconds / sum(self.baselines.values())


def timed(result: Result, phase: str, action: Callable[[], T]) -> T:
    """Run ``action``, record its wall time and the peak memory after it."""
    started = time.perf_counter()
    value = action()
    result.phases[phase] = time.perf_counter() - started
    result.peaks[phase] = peak_rss_mib()
    print(
        f"phase {phase}: {result.phases[phase]:.2f} s (peak rss {result.peaks[phase]:.0f} MiB)",
        flush=True,
    )
    return value


# -- databases -------------------------------------------------------------------------------


@contextmanager
def bench_database(postgres: str | None) -> Iterator[str]:
    """A fresh migrated database; dropped (or deleted) afterwards, also on error."""
    if postgres is None:
        folder = tempfile.mkdtemp(prefix="ontzorgen_bench_")
        url = f"sqlite:///{folder}/bench.sqlite3"
        print(f"database {folder} (deleted at the end)", flush=True)
        try:
            migrate.upgrade(url)
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"ontzorgen_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    print(f"database {name} (dropped at the end)", flush=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(postgres).set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- the run -----------------------------------------------------------------------------


def run_once(factory: sessionmaker[Session], result: Result) -> int:
    """Create, prepare, approve, export: each step its own unit of work, as the CLI does."""

    def create() -> int:
        with unit_of_work(factory) as session:
            return create_run(session, PREPARER, BENCH_GEMEENTE.code, PERIOD.label()).id

    run_id = timed(result, "create", create)

    def prepare() -> None:
        with unit_of_work(factory) as session:
            run = prepare_run(session, PREPARER, run_id, today=TODAY, now=NOW)
            result.payments = run.payment_count

    timed(result, "prepare", prepare)

    def approve() -> None:
        with unit_of_work(factory) as session:
            approve_run(session, APPROVER, run_id, today=TODAY, now=NOW)

    timed(result, "approve", approve)

    def export() -> None:
        with unit_of_work(factory) as session:
            result.file_bytes = export_run(session, PREPARER, run_id, today=TODAY, now=NOW).size

    timed(result, "export", export)
    return run_id


# -- import and cancel -------------------------------------------------------------------


def count_statements(engine: Engine, result: Result, phase: str, action: Callable[[], T]) -> T:
    """Run ``action`` timed, counting the SQL statements the engine sends meanwhile."""
    from sqlalchemy import event

    counted = [0]

    def count(*_: Any) -> None:
        counted[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        value = timed(result, phase, action)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    result.statements[phase] = counted[0]
    print(f"statements {phase}: {counted[0]}", flush=True)
    return value


IMPORT_GEMEENTE = "7777"  # a second gemeente, so the import does not touch the run's


def import_and_cancel(engine: Engine, factory: sessionmaker[Session], result: Result) -> None:
    """Import the same number of households through the import service, then prepare a run
    for them and cancel it (every booking reversed): the two set-based bulk paths."""
    from ontzorgen.gemeenten.service import create_gemeente

    with unit_of_work(factory) as session:
        create_gemeente(session, SYSTEM, BENCH_GEMEENTE.model_copy(update={
            "code": IMPORT_GEMEENTE, "name": "Bench Importstad"}))  # fmt: skip
    document = import_document(result.households, PERIOD, gemeente=IMPORT_GEMEENTE)

    def do_import() -> None:
        with unit_of_work(factory) as session:
            import_households(session, PREPARER, document)

    count_statements(engine, result, "import", do_import)
    with unit_of_work(factory) as session:
        run_id = create_run(session, PREPARER, IMPORT_GEMEENTE, PERIOD.label()).id
    with unit_of_work(factory) as session:
        prepare_run(session, PREPARER, run_id, today=TODAY, now=NOW)

    def cancel() -> None:
        with unit_of_work(factory) as session:
            cancel_run(session, PREPARER, run_id, "benchmark", today=TODAY, now=NOW)

    count_statements(engine, result, "cancel", cancel)


# -- baselines -----------------------------------------------------------------------------

_TX_COLUMNS = (
    "id, gemeente_id, idempotency_key, digest, booking_date, value_date, period, "
    "description, actor, rule"
)
_POSTING_COLUMNS = "transaction_id, line, gemeente_id, period, account_id, amount"
_BARE_TABLES = {
    "bench_tx": "id BIGINT, gemeente_id BIGINT, idempotency_key VARCHAR(200), digest "
    "VARCHAR(64), booking_date DATE, value_date DATE, period VARCHAR(7), description "
    "VARCHAR(500), actor VARCHAR(64), rule VARCHAR(200)",
    "bench_posting": "transaction_id BIGINT, line SMALLINT, gemeente_id BIGINT, period "
    "VARCHAR(7), account_id BIGINT, amount BIGINT",
}


def _run_filter(run_id: int) -> str:
    return f"idempotency_key LIKE 'run{run_id}:%'"


def copy_baseline(engine: Engine, run_id: int, result: Result) -> None:
    """Write the ledger rows the run wrote (same rows, same count) into bare tables.

    PostgreSQL: ``COPY … FROM STDIN`` of the rows read back with ``COPY … TO STDOUT`` (the
    read is not timed). SQLite: one executemany per table, rows fetched beforehand.
    """
    where = _run_filter(run_id)
    tx_query = f"SELECT {_TX_COLUMNS} FROM ledger_transaction WHERE {where}"
    posting_query = (
        f"SELECT {_POSTING_COLUMNS} FROM ledger_posting WHERE transaction_id IN "
        f"(SELECT id FROM ledger_transaction WHERE {where})"
    )
    with engine.begin() as connection:
        for table, columns in _BARE_TABLES.items():
            connection.execute(text(f"CREATE TABLE {table} ({columns})"))
    raw: Any = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            data: dict[str, bytes] = {}
            for table, query in (("bench_tx", tx_query), ("bench_posting", posting_query)):
                buffer = io.BytesIO()
                with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    for block in copy:
                        buffer.write(block)
                data[table] = buffer.getvalue()
            raw.commit()
            started = time.perf_counter()
            for table, content in data.items():
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(content)
            raw.commit()
        else:
            rows = {
                "bench_tx": cursor.execute(tx_query).fetchall(),
                "bench_posting": cursor.execute(posting_query).fetchall(),
            }
            started = time.perf_counter()
            for table, values in rows.items():
                marks = ", ".join("?" * len(values[0])) if values else ""
                if values:
                    cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
            raw.commit()
        result.baselines["copy ledger rows"] = time.perf_counter() - started
    finally:
        raw.close()
    print(
        f"baseline copy ledger rows: {result.baselines['copy ledger rows']:.2f} s "
        f"({result.transactions} transactions + {result.postings} postings)",
        flush=True,
    )


def sepaxml_baseline(factory: sessionmaker[Session], run_id: int, result: Result) -> None:
    """sepaxml builds the same payments (batched, pain.001.001.09) without validation."""
    from sepaxml import SepaTransfer

    with factory() as session:
        payments = [
            {
                "name": p.creditor_name,
                "IBAN": p.creditor_iban,
                "amount": p.amount_cents,
                "execution_date": p.execution_date,
                "description": p.remittance,
                "endtoend_id": p.end_to_end_id,
                "address": {
                    k: v
                    for k, v in (
                        ("street_name", p.street),
                        ("building_number", p.building_number),
                        ("postcode", p.postcode),
                        ("town", p.town),
                        ("country", p.country),
                    )
                    if v
                },
            }
            for p in session.scalars(
                select(Payment).where(Payment.run_id == run_id).order_by(Payment.id)
            )
        ]
    config = {
        "name": BENCH_GEMEENTE.debtor_name,
        "IBAN": BENCH_GEMEENTE.debtor_iban,
        "BIC": BENCH_GEMEENTE.debtor_bic,
        "batch": True,
        "currency": "EUR",
    }
    started = time.perf_counter()
    transfer = SepaTransfer(config, schema="pain.001.001.09", clean=True)
    for payment in payments:
        transfer.add_payment(payment)
    content = transfer.export(validate=False)
    result.baselines["sepaxml build"] = time.perf_counter() - started
    print(
        f"baseline sepaxml build: {result.baselines['sepaxml build']:.2f} s "
        f"({len(payments)} payments, {len(content)} bytes)",
        flush=True,
    )


# -- one size ------------------------------------------------------------------------------


def _generate(url: str, households: int) -> None:
    engine = make_engine(url)
    try:
        with unit_of_work(make_session_factory(engine, clock=FixedClock(TODAY))) as session:
            generate(session, households, PERIOD)
    finally:
        engine.dispose()


def bench(
    households: int, postgres: str | None, *, trace: bool = False, import_cancel: bool = True
) -> Result:
    """Generate, run and measure one size; the database is dropped afterwards."""
    result = Result(households, "postgresql" if postgres else "sqlite")
    if trace:
        tracemalloc.start()
    with bench_database(postgres) as url:
        engine = make_engine(url)
        try:
            factory = make_session_factory(engine, clock=FixedClock(TODAY))

            def make() -> None:
                # In a child process: the generator's memory is not the run's.
                child = multiprocessing.get_context("spawn").Process(
                    target=_generate, args=(url, households)
                )
                child.start()
                child.join()
                if child.exitcode != 0:
                    raise RuntimeError("generating the gemeente failed")

            timed(result, "generate", make)
            if trace:
                tracemalloc.reset_peak()
            run_id = run_once(factory, result)
            if trace:
                result.traced_peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            with factory() as session:
                result.transactions = (
                    session.scalar(
                        select(func.count())
                        .select_from(LedgerTransaction)
                        .where(LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"))
                    )
                    or 0
                )
                result.postings = (
                    session.scalar(
                        select(func.count())
                        .select_from(LedgerPosting)
                        .join(
                            LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id
                        )
                        .where(LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"))
                    )
                    or 0
                )
            copy_baseline(engine, run_id, result)
            sepaxml_baseline(factory, run_id, result)
            if import_cancel:
                import_and_cancel(engine, factory, result)
        finally:
            engine.dispose()
    return result


def report(result: Result) -> None:
    """Print the figures and the goals for one size."""
    per = result.run_seconds / result.households * 1_000_000
    print(
        f"size {result.households} households ({result.backend}): {result.payments} payments, "
        f"{result.transactions} ledger transactions, {result.postings} postings, "
        f"file {result.file_bytes / 2**20:.1f} MiB"
    )
    print(f"whole run: {result.run_seconds:.2f} s ({per:.0f} µs per household)")
    print(f"baselines added up: {sum(result.baselines.values()):.2f} s")
    for phase in ("import", "cancel"):
        if phase in result.phases:
            print(
                f"{phase}: {result.phases[phase]:.2f} s, {result.statements[phase]} statements "
                f"(set-based: flat in the households; not part of the ratio)"
            )
    peak = max(v for k, v in result.peaks.items() if k not in ("import", "cancel"))
    run_peak = max(result.peaks[p] for p in RUN_PHASES)
    print(f"peak memory: {peak:.0f} MiB (ru_maxrss, process; after the run phases {run_peak:.0f})")
    if result.traced_peak_mib is not None:
        print(f"peak python heap during the run: {result.traced_peak_mib:.0f} MiB (tracemalloc)")
    limit = GOAL_SECONDS_100K * result.households / 100_000
    for goal, met in (
        (f"run within {GOAL_RATIO:.0f}x the baselines", result.ratio <= GOAL_RATIO),
        (f"run under {limit:.1f} s (60 s per 100,000)", result.run_seconds <= limit),
        (f"peak memory under {GOAL_MEMORY_MIB:.0f} MiB", peak <= GOAL_MEMORY_MIB),
    ):
        print(f"goal {goal}: {'met' if met else 'NOT met'}")


def _scale(sizes: list[int], args: argparse.Namespace) -> None:
    """Each size in its own process; a table of phase times and the growth per size."""
    rows: list[tuple[int, dict[str, float]]] = []
    last_ratio = ""
    for size in sizes:
        command = [sys.executable, __file__, "--households", str(size)]
        command += ["--postgres", args.postgres] if args.postgres else ["--sqlite"]
        command += ["--no-import-cancel"] if args.no_import_cancel else []
        print(f"== {size} households", flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        print(done.stdout, end="", flush=True)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(done.returncode)
        figures: dict[str, float] = {}
        for line in done.stdout.splitlines():
            if line.startswith(("phase ", "baseline ")):
                name, _, rest = line.partition(": ")
                figures[name] = float(rest.split(" s", 1)[0])
            elif line.startswith("peak memory:"):
                figures["peak MiB"] = float(line.split()[2])
            elif line.startswith("ratio:"):
                figures["ratio"] = float(line.split()[1])
                last_ratio = line
        rows.append((size, figures))
    names = [n for n in rows[0][1] if n.startswith(("phase", "baseline"))]
    names += ["peak MiB", "ratio"]
    print("\nscale: " + " | ".join(["households", *names]))
    base_size, base = rows[0]
    for size, figures in rows:
        print("scale: " + " | ".join([str(size), *(f"{figures.get(n, 0):.2f}" for n in names)]))
    for size, figures in rows[1:]:
        run = sum(figures[f"phase {p}"] for p in RUN_PHASES)
        base_run = sum(base[f"phase {p}"] for p in RUN_PHASES)
        print(
            f"growth {base_size} -> {size}: size x{size / base_size:.1f}, "
            f"run time x{run / base_run:.2f}"
        )
    print(last_ratio)


def main(argv: list[str] | None = None) -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--postgres", help="admin URL of a PostgreSQL server (creates a db)")
    where.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--scale", help="comma-separated sizes, e.g. 10000,30000,100000")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace the Python heap (slower)"
    )
    parser.add_argument(
        "--no-import-cancel",
        action="store_true",
        help="leave out the import and cancel measurements",
    )
    args = parser.parse_args(argv)
    configure_logging("WARNING", json=False)
    if args.scale:
        _scale([int(size) for size in args.scale.split(",")], args)
        return
    result = bench(
        args.households,
        args.postgres,
        trace=args.tracemalloc,
        import_cancel=not args.no_import_cancel,
    )
    report(result)
    print(f"ratio: {result.ratio:.2f}")


if __name__ == "__main__":
    main()
