# SPDX-License-Identifier: EUPL-1.2
"""Races that must end with one result (PostgreSQL: concurrent writers): two runs for one
period, two approvals of one run, the orphan requeue against a job that is just finishing.

The overlap is made certain, not left to timing: a first transaction holds what the second
needs (an uncommitted row with the same unique key, the run's row lock) until the second is
seen waiting for it; or a statement hook runs the other side exactly between two reads.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import approve_run, create_run, get_run, prepare_run
from tests.crash.harness import CLOCK, GEMEENTE, PERIOD, acting_user
from tests.factories import example_import, make_gemeente
from tests.runs.test_concurrency import WAIT, _race, _until_waiting


@pytest.fixture
def postgres(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("concurrent writers and the job queue: PostgreSQL")


@pytest.fixture
def households(postgres: None, session_factory: sessionmaker[Session]) -> None:
    del postgres
    with unit_of_work(session_factory) as session:
        make_gemeente(session, GEMEENTE)
        import_households(session, acting_user("clerk"), example_import())


def _create(factory: sessionmaker[Session]) -> int | Conflict:
    try:
        with unit_of_work(factory) as session:
            return create_run(session, acting_user("clerk"), GEMEENTE, PERIOD).id
    except Conflict as conflict:
        return conflict


@pytest.mark.usefixtures("households")
def test_two_runs_started_at_once_for_one_period_make_one_run(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    """Both see no run of the period yet; the second waits on the first's unique key and,
    once the first commits, is told in Dutch that the period has its run (a 409, not a 500)."""
    first = session_factory()
    try:
        run_id = create_run(first, acting_user("clerk"), GEMEENTE, PERIOD).id
        with ThreadPoolExecutor(1) as pool:
            second = pool.submit(_create, session_factory)
            _until_waiting(engine, 1)
            first.commit()
            outcome = second.result(timeout=WAIT)
    finally:
        first.close()
    assert isinstance(outcome, Conflict), outcome
    assert outcome.status == 409
    assert f"al een reguliere betaalrun ({run_id}) voor {PERIOD}" in outcome.detail
    with session_factory() as session:
        assert session.scalars(select(PaymentRun.id)).all() == [run_id]


def _prepared(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory) as session:
        run_id = create_run(session, acting_user("clerk"), GEMEENTE, PERIOD).id
    with unit_of_work(factory) as session:
        prepare_run(session, acting_user("clerk"), run_id, today=CLOCK.today(), now=CLOCK.now())
    return run_id


@pytest.mark.usefixtures("households")
def test_two_approvals_at_once_approve_once(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    """Two accordeerders approve the same run at the same moment (both wait on the run's
    lock): the first approves it, the second is told it is already approved."""
    run_id = _prepared(session_factory)
    first, second = acting_user("approver"), acting_user("approver2")

    def approve(actor: Any) -> Any:
        return lambda s: approve_run(s, actor, run_id, today=CLOCK.today(), now=CLOCK.now())

    outcomes = _race(session_factory, engine, run_id, approve(first), approve(second))
    assert outcomes[0] == "won"
    assert isinstance(outcomes[1], Conflict), outcomes
    assert f"betaalrun {run_id} is geaccordeerd" in outcomes[1].detail
    with session_factory() as session:
        run = get_run(session, run_id)
        assert (run.state, run.approved_by) == ("approved", first.user_id)


def _jobs(session: Session) -> list[tuple[str, str]]:
    return [
        (str(row.lock), str(row.status))
        for row in session.execute(
            text("SELECT lock, status FROM procrastinate.procrastinate_jobs ORDER BY id")
        )
    ]


@pytest.mark.usefixtures("households")
def test_the_orphan_requeue_never_defers_a_run_whose_job_is_just_finishing(
    session_factory: sessionmaker[Session], database_url: str
) -> None:
    """The requeue reads the queued runs and the waiting jobs in two statements; a worker
    that finishes the run's job in between (the run prepared and committed, then the job
    done and removed) must not make it look orphaned: no second job, the run prepared once."""
    with unit_of_work(session_factory) as session:
        run_id = create_run(session, acting_user("clerk"), GEMEENTE, PERIOD).id
    assert jobs.defer_prepare(database_url, run_id, acting_user("clerk").user_id)
    read: set[str] = set()
    finished: list[bool] = []

    def worker_finishes_between_the_reads(*args: Any) -> None:
        statement: str = args[2]
        if statement.startswith("SELECT lock FROM procrastinate.procrastinate_jobs"):
            read.add("jobs")
        elif "FROM payment_run" in statement:
            read.add("runs")
        if len(read) == 2 and not finished:  # the second read is about to run
            finished.append(True)
            jobs.run_worker(database_url, wait=False)  # prepares the run; the job is removed

    event.listen(Engine, "before_cursor_execute", worker_finishes_between_the_reads)
    try:
        assert jobs.requeue_orphans(database_url, older_than=timedelta(0)) == []
    finally:
        event.remove(Engine, "before_cursor_execute", worker_finishes_between_the_reads)
    assert finished, "the worker did not run between the two reads"
    with session_factory() as session:
        assert get_run(session, run_id).state == "prepared"
        assert _jobs(session) == []  # no second job waiting to prepare it again
        assert session.scalar(select(func.count()).select_from(PaymentRun)) == 1
