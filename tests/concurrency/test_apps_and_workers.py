# SPDX-License-Identifier: EUPL-1.2
"""Two app processes and two worker processes on one PostgreSQL database during a run: every
run is created once, prepared once, by exactly one job.

The apps start their runs at the same moment (a barrier), for the same gemeenten in the same
order, and each also defers every run's job a second time (the orphan requeue, as each app and
worker may run it), so every run is asked for several times; the two workers are the real
``ontzorgen worker`` command, competing for the jobs from the start.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clients.service import import_households
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.ledger.models import LedgerTransaction
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.service import create_run
from tests.crash.harness import CLOCK, DAY, PERIOD, acting_user
from tests.crash.kill_test import CONTEXT
from tests.factories import TEST_CLOCK, example_import, make_gemeente

GEMEENTEN = ("0439", "0363", "0518", "0599", "0344", "0014")
ONTZORGEN = str(Path(sys.executable).with_name("ontzorgen"))
WAIT = 90.0


def app_process(url: str, start: Barrier, results: Path) -> None:
    """One app: start a run for every gemeente (what the create route does: register the run,
    defer its job after the commit), then requeue orphans; write what it got."""
    clerk = acting_user("clerk")
    engine = make_engine(url)
    factory = make_session_factory(engine, clock=TEST_CLOCK)
    outcomes: dict[str, str] = {}
    start.wait(WAIT)
    for code in GEMEENTEN:
        try:
            with unit_of_work(factory) as session:
                run = create_run(session, clerk, code, PERIOD)
                jobs.schedule_prepare(session, clerk, run, today=CLOCK.today(), now=CLOCK.now())
            outcomes[code] = f"run {run.id}"
        except Conflict:
            outcomes[code] = "conflict"
    jobs.requeue_orphans(url, older_than=timedelta(0))
    engine.dispose()
    results.write_text(json.dumps(outcomes))


def _worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ONTZORGEN_DATABASE_URL": url, "ONTZORGEN_TODAY": DAY.isoformat(),
           "ONTZORGEN_LOG_JSON": "true"}  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen([ONTZORGEN, "worker"], env=env, stdout=out, stderr=out)


def _events(log: Path, name: str) -> list[dict[str, Any]]:
    found = []
    for line in log.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("event") == name:
            found.append(record)
    return found


def _all_prepared(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        states = session.scalars(select(PaymentRun.state)).all()
    return len(states) == len(GEMEENTEN) and set(states) == {"prepared"}


def test_two_apps_and_two_workers_prepare_every_run_once(
    backend: str, database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("the job queue is PostgreSQL's")
    with unit_of_work(session_factory) as session:
        for code in GEMEENTEN:
            make_gemeente(session, code)
            import_households(session, acting_user("clerk"), {**example_import(), "gemeente": code})
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    workers = [_worker(database_url, log) for log in logs]
    try:
        start = CONTEXT.Barrier(2)
        results = [tmp_path / f"app{n}.json" for n in (1, 2)]
        apps = [CONTEXT.Process(target=app_process, args=(database_url, start, r))
                for r in results]  # fmt: skip
        for app in apps:
            app.start()
        for app in apps:
            app.join(WAIT)
            assert app.exitcode == 0, f"an app failed ({app.exitcode})"
        deadline = time.monotonic() + WAIT
        while not _all_prepared(session_factory):
            assert time.monotonic() < deadline, "the workers did not prepare every run"
            assert all(w.poll() is None for w in workers), "a worker stopped"
            time.sleep(0.2)
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            process.wait(WAIT)
    outcomes = [json.loads(r.read_text()) for r in results]
    for code in GEMEENTEN:  # one app started the gemeente's run, the other was refused
        assert sorted(o[code] == "conflict" for o in outcomes) == [False, True], outcomes
    prepared = [e for log in logs for e in _events(log, "run.prepared")]
    failed = [e for log in logs for e in _events(log, "run.prepare_failed")]
    with session_factory() as session:
        runs = session.execute(select(PaymentRun.id, PaymentRun.gemeente_id)).all()
        assert len({gemeente for _, gemeente in runs}) == len(GEMEENTEN)
        assert sorted(e["run_id"] for e in prepared) == sorted(run for run, _ in runs)
        assert failed == []
        for run_id, _ in runs:  # the same households everywhere: the same bookings
            assert (
                session.scalar(select(func.count()).where(Payment.run_id == run_id, Payment.active))
                == 6
            )
            assert session.scalar(
                select(func.count()).where(
                    LedgerTransaction.idempotency_key.startswith(f"run{run_id}:")
                )
            ) == _bookings_of_first(session, runs[0][0])
        left = session.execute(
            text("SELECT task_name, status FROM procrastinate.procrastinate_jobs "
                 "WHERE task_name = 'ontzorgen:prepare_run'")
        ).all()  # fmt: skip
        assert left == []  # every prepare job succeeded (and was removed); none failed or waits
    both = [len(_events(log, "run.prepared")) for log in logs]
    assert sum(both) == len(GEMEENTEN), both


def _bookings_of_first(session: Session, run_id: int) -> int:
    count = session.scalar(
        select(func.count()).where(LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"))
    )
    assert count
    return int(count)
