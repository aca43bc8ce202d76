# SPDX-License-Identifier: EUPL-1.2
"""Crash safety: kill (SIGKILL) a payment run's prepare, its export and a bank import at random
points, restart, finish, and check that nothing was lost or done twice.

Each trial copies the database as it stood before the step, runs the step in a child process
that kills itself at a kill point drawn from the seed (:mod:`tests.crash.harness`), and then:

1. the database holds the whole step or none of it (every table's row count, each run's state
   and every ledger account's balance equal those before the step or those after an
   uninterrupted step);
2. the step is finished the documented way in a new process (prepare: ``ontzorgen worker``'s
   requeue and the job queue on PostgreSQL, ``run prepare`` again on SQLite; export and import:
   the same call again) and the database equals the one of the uninterrupted step;
3. the ledger sums to zero, per transaction and in total;
4. the run's pain.001 is byte for byte the file of the uninterrupted run (same inputs, same
   pinned clock).

The number of kill points of each step is measured once by an uninterrupted run. In CI the
pytest test runs a few seeds per step and backend; for more:
``python -m tests.crash.kill_test --count 200 [--backend postgresql] [--seed 1000]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, make_url, select, text

from ontzorgen import jobs, migrate
from ontzorgen.clients.service import import_households
from ontzorgen.db import Base, is_sqlite, make_engine, make_session_factory, unit_of_work
from ontzorgen.ledger.models import LedgerAccount, LedgerPosting
from ontzorgen.models import PaymentRun, RunFile
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import approve_run, create_run
from tests.bank.testbank import camt053
from tests.crash import harness
from tests.crash.harness import BANK_DAY, CLOCK, GEMEENTE, PERIOD, STEPS, acting_user
from tests.factories import TEST_CLOCK, example_import, make_gemeente

CHILD_TIMEOUT = 120.0

Snapshot = dict[str, Any]


# -- databases ----------------------------------------------------------------------------


class Databases:
    """Migrated databases of one backend, copied cheaply (a file copy; a PostgreSQL template)."""

    def __init__(self, backend: str, workdir: Path, postgres_url: str = "") -> None:
        self.backend, self.workdir, self.postgres_url = backend, workdir, postgres_url
        self._made: list[str] = []

    def _admin(self) -> Any:
        return create_engine(self.postgres_url, isolation_level="AUTOCOMMIT")

    def _new_pg(self, template: str | None) -> str:
        name = f"ontzorgen_crash_{uuid.uuid4().hex[:12]}"
        admin = self._admin()
        with admin.connect() as connection:
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        admin.dispose()
        url = make_url(self.postgres_url).set(database=name).render_as_string(hide_password=False)
        self._made.append(url)
        return url

    def fresh(self) -> str:
        """A new database migrated to head."""
        if self.backend == "sqlite":
            path = self.workdir / f"{uuid.uuid4().hex[:12]}.sqlite3"
            url = f"sqlite:///{path}"
        else:
            url = self._new_pg(None)
        migrate.upgrade(url)
        return url

    def copy(self, url: str) -> str:
        """A copy of the database at ``url`` (nobody may be connected to it)."""
        if self.backend == "sqlite":
            target = self.workdir / f"{uuid.uuid4().hex[:12]}.sqlite3"
            shutil.copyfile(str(make_url(url).database), target)
            return f"sqlite:///{target}"
        return self._new_pg(make_url(url).database)

    def drop(self, url: str) -> None:
        if self.backend == "sqlite":
            Path(str(make_url(url).database)).unlink(missing_ok=True)
            return
        admin = self._admin()
        with admin.connect() as connection:
            name = make_url(url).database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def drop_all(self) -> None:
        for url in self._made:
            self.drop(url)
        self._made.clear()


def _wait_until_alone(url: str) -> None:
    """Wait until the killed process's server backends have gone (PostgreSQL notices a dead
    client at its next read; a COMMIT sent just before the kill is carried out first)."""
    if is_sqlite(url):
        return
    engine = make_engine(url)
    deadline = time.monotonic() + 30
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            while connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )):  # fmt: skip
                if time.monotonic() > deadline:
                    raise AssertionError("the killed process's connections did not go away")
                time.sleep(0.02)
    finally:
        engine.dispose()


# -- what a database holds ------------------------------------------------------------------


def snapshot(url: str) -> Snapshot:
    """Every table's row count, each run's state and every ledger account's balance."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            counts = {
                table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }
            runs = sorted(connection.execute(select(PaymentRun.id, PaymentRun.state)).all())
            balances = sorted(
                connection.execute(
                    select(LedgerAccount.code, func.sum(LedgerPosting.amount))
                    .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
                    .group_by(LedgerAccount.code)
                ).all()
            )
        return {"counts": counts, "runs": runs, "balances": balances}
    finally:
        engine.dispose()


def ledger_problems(url: str) -> list[str]:
    """Transactions whose postings do not sum to zero, and a total that is not zero."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            unbalanced = connection.execute(
                select(LedgerPosting.transaction_id, func.sum(LedgerPosting.amount))
                .group_by(LedgerPosting.transaction_id)
                .having(func.sum(LedgerPosting.amount) != 0)
            ).all()
            total = connection.scalar(select(func.coalesce(func.sum(LedgerPosting.amount), 0)))
    finally:
        engine.dispose()
    problems = [f"transaction {tid} sums to {cents}" for tid, cents in unbalanced]
    return problems + ([f"the ledger sums to {total}"] if total else [])


def job_problems(url: str) -> list[str]:
    """PostgreSQL: any job left (a successful one is removed): one still running or waiting,
    or one that failed (a run prepared twice fails the second time)."""
    if is_sqlite(url):
        return []
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            left = connection.execute(text(
                "SELECT id, status FROM procrastinate.procrastinate_jobs"
            )).all()  # fmt: skip
    finally:
        engine.dispose()
    return [f"job {job_id} is still {status}" for job_id, status in left]


def stored_pain001(url: str) -> bytes:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bytes(connection.scalar(select(RunFile.content)) or b"")
    finally:
        engine.dispose()


def _approve(url: str) -> None:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        run_id = int(session.scalar(select(PaymentRun.id)) or 0)
        approve_run(session, acting_user("approver"), run_id, today=CLOCK.today(),
                    now=CLOCK.now())  # fmt: skip
    engine.dispose()


def _export(url: str) -> bytes:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        run_id = int(session.scalar(select(PaymentRun.id)) or 0)
        content = export_run(session, acting_user("clerk"), run_id, today=CLOCK.today(),
                             now=CLOCK.now()).content  # fmt: skip
    engine.dispose()
    return content


# -- the child process ----------------------------------------------------------------------

CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["tests.crash.harness"])


def child(
    url: str, step: str, kill_at: int, *, recovering: bool, statement: Path,
    count_to: Path | None = None,
) -> int:  # fmt: skip
    """Run ``step`` in a new process; its exit code (``-SIGKILL`` when it was killed)."""
    process = CONTEXT.Process(
        target=harness.run_step,
        args=(url, step, kill_at),
        kwargs={"recovering": recovering, "statement": statement, "count_to": count_to},
    )
    process.start()
    process.join(CHILD_TIMEOUT)
    if process.is_alive():
        process.kill()
        process.join()
        raise AssertionError(f"{step} did not finish in {CHILD_TIMEOUT} s")
    assert process.exitcode is not None
    return process.exitcode


# -- the prepared steps ---------------------------------------------------------------------


@dataclass
class Step:
    """One step: the database before it, the snapshot before and after, its kill points (its
    statements and COMMITs, and its return)."""

    name: str
    before: str
    before_snapshot: Snapshot
    after_snapshot: Snapshot
    kill_points: int


@dataclass
class Stage:
    """The three steps of one backend, made once, and the uninterrupted run's pain.001."""

    databases: Databases
    statement: Path
    steps: dict[str, Step] = field(default_factory=dict)
    pain001: bytes = b""


def _setup(url: str) -> None:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        make_gemeente(session, GEMEENTE)
        import_households(session, acting_user("clerk"), example_import())
        run = create_run(session, acting_user("clerk"), GEMEENTE, PERIOD)
    engine.dispose()
    if not is_sqlite(url):
        jobs.defer_prepare(url, run.id, acting_user("clerk").user_id)


def _measure(stage: Stage, name: str, before: str) -> str:
    """Run ``name`` uninterrupted on a copy of ``before``; the copy is the state after it."""
    after = stage.databases.copy(before)
    count_to = stage.databases.workdir / f"{name}.count"
    code = child(after, name, 0, recovering=False, statement=stage.statement, count_to=count_to)
    assert code == 0, f"the uninterrupted {name} failed ({code})"
    stage.steps[name] = Step(
        name, before, snapshot(before), snapshot(after), int(count_to.read_text())
    )
    return after


def make_stage(databases: Databases) -> Stage:
    """Before each step, a database; after each uninterrupted step, its snapshot."""
    stage = Stage(databases, databases.workdir / "camt053.xml")
    queued = databases.fresh()
    _setup(queued)
    prepared = _measure(stage, "prepare", queued)
    approved = databases.copy(prepared)
    _approve(approved)
    exported = _measure(stage, "export", approved)
    stage.pain001 = stored_pain001(exported)
    stage.statement.write_bytes(camt053(stage.pain001, booking_date=BANK_DAY))
    _measure(stage, "import", exported)
    return stage


# -- one trial ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one kill left: nothing of the step (``before``) or all of it (``after``)."""

    step: str
    seed: int | None
    kill_at: int
    left: str


def kill_point(stage: Stage, name: str, seed: int) -> int:
    """The kill point of ``seed``: one of the step's statements and COMMITs, or its return."""
    return random.Random(f"{name}:{seed}").randint(1, stage.steps[name].kill_points)


def last_kill_points(stage: Stage, name: str) -> tuple[int, int]:
    """The step's last COMMIT (sent, unanswered) and its return: the kills after which the
    whole step must be there."""
    last = stage.steps[name].kill_points
    return last - 1, last


def trial(stage: Stage, name: str, kill_at: int, seed: int | None = None) -> Outcome:
    """Kill ``name`` at kill point ``kill_at``, check, finish, check again."""
    step = stage.steps[name]
    drawn = "" if seed is None else f"seed {seed}, "
    where = f"{name} ({drawn}killed at {kill_at} of {step.kill_points})"
    url = stage.databases.copy(step.before)
    try:
        code = child(url, name, kill_at, recovering=False, statement=stage.statement)
        assert code == -signal.SIGKILL, f"{where}: not killed (exit code {code})"
        _wait_until_alone(url)
        killed = snapshot(url)
        if killed == step.before_snapshot:
            left = "before"
        elif killed == step.after_snapshot:
            left = "after"
        else:
            raise AssertionError(f"{where}: part of the step was left: {killed}")
        assert not ledger_problems(url), f"{where}: {ledger_problems(url)}"
        code = child(url, name, 0, recovering=True, statement=stage.statement)
        assert code == 0, f"{where}: finishing after the kill failed (exit code {code})"
        finished = snapshot(url)
        assert finished == step.after_snapshot, f"{where}: finished as {finished}"
        assert not ledger_problems(url), f"{where}: {ledger_problems(url)}"
        assert not job_problems(url), f"{where}: {job_problems(url)}"
        if name == "prepare":
            _approve(url)
            pain001 = _export(url)
        else:
            pain001 = stored_pain001(url)
        assert pain001 == stage.pain001, f"{where}: the pain.001 differs from the uninterrupted"
        return Outcome(name, seed, kill_at, left)
    finally:
        stage.databases.drop(url)


@contextmanager
def stage_for(backend: str, postgres_url: str = "") -> Iterator[Stage]:
    """The steps of ``backend`` in a temporary folder; everything dropped after."""
    with tempfile.TemporaryDirectory(prefix="ontzorgen-crash-") as folder:
        databases = Databases(backend, Path(folder), postgres_url)
        try:
            yield make_stage(databases)
        finally:
            databases.drop_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=30, help="kills per backend")
    parser.add_argument("--seed", type=int, default=0, help="the first seed")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    postgres_url = os.environ.get("ONTZORGEN_TEST_POSTGRES_URL", "")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not postgres_url:
        print("PostgreSQL: ONTZORGEN_TEST_POSTGRES_URL is not set; skipped", file=sys.stderr)
        backends.remove("postgresql")
    for backend in backends:
        with stage_for(backend, postgres_url) as stage:
            points = {name: step.kill_points for name, step in stage.steps.items()}
            print(f"{backend}: kill points per step {points}")
            left = {"before": 0, "after": 0}
            started = time.monotonic()
            for number in range(args.count):
                seed = args.seed + number
                name = STEPS[number % len(STEPS)]
                outcome = trial(stage, name, kill_point(stage, name, seed), seed)
                left[outcome.left] += 1
            print(
                f"{backend}: {args.count} kills survived ({left['before']} left nothing, "
                f"{left['after']} the whole step) in {time.monotonic() - started:.1f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
