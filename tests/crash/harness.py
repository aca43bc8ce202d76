# SPDX-License-Identifier: EUPL-1.2
"""The child side of the crash test: one step of the real product code, killed (SIGKILL) at
a chosen point.

A step runs in a process of its own (forked from a preloaded fork server, see
:mod:`tests.crash.kill_test`), so the kill takes everything with it: open transactions,
connections, the worker's job. Kill points are counted in that process: every statement
SQLAlchemy sends (``before_cursor_execute``) and every COMMIT. At a statement the process dies
before sending it; at a COMMIT it dies with the COMMIT sent and unanswered (PostgreSQL) or just
after it returned (SQLite, whose commit is one C call). Past the last point it dies as the step
returns, before anyone is told. Nothing here is product code.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from ontzorgen import jobs
from ontzorgen.auth import Actor
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.clock import FixedClock
from ontzorgen.db import is_sqlite, make_engine, make_session_factory, unit_of_work
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import queued_regular_run
from tests.factories import TEST_CLOCK, actor_for

DAY = date(2026, 11, 23)  # the day the run is prepared, approved and exported
BANK_DAY = date(2026, 11, 24)  # the day the bank's statement is imported
CLOCK = FixedClock(DAY)
BANK_CLOCK = FixedClock(BANK_DAY)
GEMEENTE = "0439"
PERIOD = "2026-12"
STEPS = ("prepare", "export", "import")


def acting_user(role: str) -> Actor:
    """The acting user of each role: the one place the crash and race tests make users."""
    logins = {"clerk": "medewerker.inkomen", "approver": "accordeerder",
              "approver2": "accordeerder.twee", "accountant": "accountant"}  # fmt: skip
    return actor_for(logins[role])


class _KillPoints:
    """Counts the kill points of this process and dies at number ``kill_at`` (0: never)."""

    def __init__(self, kill_at: int, kill_on: str = "", *, active: bool = True) -> None:
        self.kill_at, self.seen, self.kill_on, self.active = kill_at, 0, kill_on, active

    def reached(self) -> bool:
        if not self.active:
            return False
        self.seen += 1
        return self.seen == self.kill_at


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _install(points: _KillPoints) -> None:
    def before_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if points.reached() or (points.kill_on and points.kill_on in statement):
            _die()

    event.listen(Engine, "before_cursor_execute", before_execute)
    pg_commit: Callable[[Any, Any], None] = PGDialect_psycopg.do_commit
    sqlite_commit: Callable[[Any, Any], None] = SQLiteDialect_pysqlite.do_commit

    def commit_pg(dialect: Any, connection: Any) -> None:
        if not points.reached():
            pg_commit(dialect, connection)
            return
        pgconn = connection.pgconn  # the COMMIT goes out; its answer is never read
        pgconn.send_query(b"COMMIT")
        while pgconn.flush():
            pass
        _die()

    def commit_sqlite(dialect: Any, connection: Any) -> None:
        sqlite_commit(dialect, connection)
        if points.reached():
            _die()

    PGDialect_psycopg.do_commit = commit_pg  # type: ignore[method-assign]
    SQLiteDialect_pysqlite.do_commit = commit_sqlite  # type: ignore[method-assign]


def _run_id(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(PaymentRun.id)) or 0)
    finally:
        engine.dispose()


def _prepare(url: str, *, recovering: bool) -> None:
    """Prepare as the product does: the worker's job on PostgreSQL; on SQLite ``run prepare``
    in the process (which, started again, prepares the run a crash left queued)."""
    clerk = acting_user("clerk")
    if not is_sqlite(url):
        if recovering:  # what `ontzorgen worker` does when it starts
            jobs.requeue_orphans(url, older_than=timedelta(0), stalled_after=timedelta(0))
        jobs.run_worker(url, wait=False)
        return
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        run = queued_regular_run(session, clerk, GEMEENTE, PERIOD)
    engine.dispose()
    if run is not None:
        jobs.run_prepare(url, run.id, clerk.user_id, clock=CLOCK)


def _export(url: str) -> None:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        export_run(session, acting_user("clerk"), _run_id(url), today=CLOCK.today(),
                   now=CLOCK.now())  # fmt: skip
    engine.dispose()


def _import(url: str, statement: Path) -> None:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
        import_bank_file(session, acting_user("accountant"), GEMEENTE, statement.read_bytes(),
                         filename=statement.name, today=BANK_CLOCK.today(),
                         now=BANK_CLOCK.now())  # fmt: skip
    engine.dispose()


def run_step(
    url: str, step: str, kill_at: int, *, recovering: bool, statement: Path, count_to: Path | None
) -> None:
    """The child's work: ``step`` on ``url``, killed at kill point ``kill_at`` (0: none; past
    the last point: as it returns). ``count_to`` receives the number of kill points seen."""
    # The worker's job reads the installation's clock: pinned, like the rest of the step.
    os.environ["ONTZORGEN_TODAY"] = DAY.isoformat()
    os.environ["ONTZORGEN_DATABASE_URL"] = url
    from ontzorgen.config import get_settings

    get_settings.cache_clear()
    # A prepare counts only inside the job's work (a worker also runs its periodic requeue);
    # its last point is the job's return, before the worker records the job as done.
    points = _KillPoints(kill_at, active=step != "prepare")
    _install(points)
    if step == "prepare":
        _count_inside_run_prepare(points)
    steps: dict[str, Callable[[], None]] = {
        "prepare": lambda: _prepare(url, recovering=recovering),
        "export": lambda: _export(url),
        "import": lambda: _import(url, statement),
    }
    steps[step]()
    if count_to is not None:
        count_to.write_text(str(points.seen if step == "prepare" else points.seen + 1))
    if points.reached():
        _die()


def _count_inside_run_prepare(points: _KillPoints) -> None:
    prepare = jobs.run_prepare

    def counted(*args: Any, **kwargs: Any) -> None:
        points.active = True
        try:
            prepare(*args, **kwargs)
            if points.reached():
                _die()
        finally:
            points.active = False

    jobs.run_prepare = counted


def cli_killed_at() -> None:
    """``python -c 'from tests.crash.harness import cli_killed_at; cli_killed_at()' KILL_ON
    ARGS…``: the real ``ontzorgen`` command, killed before the first statement that contains
    KILL_ON (empty: never)."""
    import sys

    from ontzorgen.cli import app

    kill_on, *argv = sys.argv[1:]
    _install(_KillPoints(0, kill_on))
    app(argv, prog_name="ontzorgen")  # exits with the command's exit code
