# SPDX-License-Identifier: EUPL-1.2
"""One transition at a time: conflicting transitions started at once, on separate connections.

Exactly one wins; the other gets a Conflict (HTTP 409 through the API, a Dutch message on the
CLI), never a 500 and never a silent overwrite. The overlap is made certain, not left to
timing: a third connection holds the run's row lock until both transitions are seen waiting
for it (PostgreSQL's ``pg_locks``), or a prepare is held at a barrier in its progress callback.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.ledger.models import LedgerTransaction
from ontzorgen.runs.files import export_run, stored_file
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.service import (
    approve_run,
    cancel_run,
    create_run,
    get_run,
    prepare_run,
)
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

# A lost race is told the run's state in Dutch ("betaalrun 7 is geaccordeerd; …").
STATE_SAYS = (
    r"betaalrun \d+ is (in de wachtrij|voorbereid|geaccordeerd|geëxporteerd|geannuleerd|mislukt)"
)
TODAY = date(2026, 11, 23)
APPROVER = actor_for("accordeerder")
WAIT = 30.0  # seconds: generous, only reached when something is wrong

Step = Callable[[Session], object]


@pytest.fixture
def postgres(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL")


def _queued(factory: sessionmaker[Session]) -> int:
    with unit_of_work(factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        return create_run(session, CLERK, "0439", "2026-12").id


def _prepared(factory: sessionmaker[Session], *, approved: bool = False) -> int:
    run_id = _queued(factory)
    with unit_of_work(factory) as session:
        prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    if approved:
        with unit_of_work(factory) as session:
            approve_run(session, APPROVER, run_id, today=TODAY, now=at_noon(TODAY))
    return run_id


def _waiting_for_locks(engine: Engine) -> int:
    """Backends of this database waiting for a lock (read in autocommit: pg_stat_activity is
    a snapshot per transaction)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            or 0
        )


def _until_waiting(engine: Engine, backends: int) -> None:
    """Return once ``backends`` connections wait for a lock."""
    deadline = time.monotonic() + WAIT
    while _waiting_for_locks(engine) < backends:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: fewer than {backends} waiting for the run's lock")
        time.sleep(0.05)


@contextmanager
def _run_row_locked(factory: sessionmaker[Session], run_id: int) -> Iterator[None]:
    """Hold the run's row lock in a connection of its own until the block ends."""
    with factory() as session:
        session.execute(  # the lock the transitions take
            select(PaymentRun.id).where(PaymentRun.id == run_id).with_for_update(key_share=True)
        )
        try:
            yield
        finally:
            session.rollback()


def _in_unit_of_work(factory: sessionmaker[Session], step: Step) -> Callable[[], str]:
    def work() -> str:
        with unit_of_work(factory) as session:
            step(session)
        return "won"

    return work


def _race(
    factory: sessionmaker[Session], engine: Engine, run_id: int, first: Step, second: Step
) -> list[str | Conflict]:
    """Start both steps while the run is locked, ``first`` first; release once both wait for
    that lock. PostgreSQL then grants it in that order: ``first`` wins."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures: list[Future[str]] = []
        with _run_row_locked(factory, run_id):
            for waiting, step in enumerate((first, second), start=1):
                futures.append(pool.submit(_in_unit_of_work(factory, step)))
                _until_waiting(engine, waiting)
        outcomes: list[str | Conflict] = []
        for future in futures:
            try:
                outcomes.append(future.result(timeout=WAIT))
            except Conflict as conflict:
                outcomes.append(conflict)
    return outcomes


def _one_won(outcomes: list[str | Conflict]) -> Conflict:
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "str"], outcomes
    conflict = next(o for o in outcomes if isinstance(o, Conflict))
    assert conflict.status == 409
    assert "betaalrun" in conflict.detail  # Dutch, and says why
    assert re.search(STATE_SAYS, conflict.detail), conflict.detail
    return conflict


def _reversals(session: Session, run_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"),
                LedgerTransaction.reverses_id.is_not(None),
            )
        )
        or 0
    )


def _active_payments(session: Session, run_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(Payment.run_id == run_id, Payment.active.is_(True))
        )
        or 0
    )


@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize("winner", ["export", "cancel"])
def test_cancel_racing_export_one_wins(
    session_factory: sessionmaker[Session], engine: Engine, winner: str
) -> None:
    run_id = _prepared(session_factory, approved=True)
    steps: dict[str, Step] = {
        "export": lambda s: export_run(s, CLERK, run_id, today=TODAY, now=at_noon(TODAY)),
        "cancel": lambda s: cancel_run(
            s, CLERK, run_id, "huur gewijzigd", today=TODAY, now=at_noon(TODAY)
        ),
    }
    loser = next(name for name in steps if name != winner)
    outcomes = _race(session_factory, engine, run_id, steps[winner], steps[loser])
    assert outcomes[0] == "won"
    _one_won(outcomes)
    with session_factory() as session:
        run = get_run(session, run_id)
        if winner == "export":  # never an exported run whose bookings were reversed
            assert run.state == "exported"
            assert stored_file(session, run) is not None
            assert _reversals(session, run_id) == 0
            assert _active_payments(session, run_id) == run.payment_count
            assert run.cancelled_by is None
        else:
            assert run.state == "cancelled"
            assert stored_file(session, run) is None
            assert _reversals(session, run_id) > 0
            assert _active_payments(session, run_id) == 0
            assert run.exported_by is None


@pytest.mark.usefixtures("postgres")
def test_approve_racing_cancel_one_wins(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    run_id = _prepared(session_factory)
    outcomes = _race(
        session_factory,
        engine,
        run_id,
        lambda s: cancel_run(s, CLERK, run_id, "huur gewijzigd", today=TODAY, now=at_noon(TODAY)),
        lambda s: approve_run(s, APPROVER, run_id, today=TODAY, now=at_noon(TODAY)),
    )
    assert outcomes[0] == "won"
    _one_won(outcomes)
    with session_factory() as session:
        run = get_run(session, run_id)
        assert (run.state, run.approved_by) == ("cancelled", None)
        assert _active_payments(session, run_id) == 0


@pytest.mark.usefixtures("postgres")
def test_a_cancel_waiting_for_an_approval_cancels_the_approved_run(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    """The other order is no race lost: cancelling an approved run is allowed, and the cancel
    sees the approval (nothing is overwritten, everything is reversed)."""
    run_id = _prepared(session_factory)
    outcomes = _race(
        session_factory,
        engine,
        run_id,
        lambda s: approve_run(s, APPROVER, run_id, today=TODAY, now=at_noon(TODAY)),
        lambda s: cancel_run(s, CLERK, run_id, "huur gewijzigd", today=TODAY, now=at_noon(TODAY)),
    )
    assert outcomes == ["won", "won"]
    with session_factory() as session:
        run = get_run(session, run_id)
        assert (run.state, run.approved_by) == ("cancelled", APPROVER.user_id)
        assert _active_payments(session, run_id) == 0
        assert _reversals(session, run_id) > 0


@pytest.mark.usefixtures("postgres")
def test_two_exports_at_once_make_one_file(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    run_id = _prepared(session_factory, approved=True)
    outcomes = _race(
        session_factory,
        engine,
        run_id,
        lambda s: export_run(s, CLERK, run_id, today=TODAY, now=at_noon(TODAY)),
        lambda s: export_run(s, CLERK, run_id, today=TODAY, now=at_noon(TODAY)),
    )
    assert outcomes == ["won", "won"]  # the second returns the file the first stored
    with session_factory() as session:
        assert get_run(session, run_id).state == "exported"


class _HeldPrepare:
    """A worker's prepare (``jobs.run_prepare``, its own connections) held at a barrier after
    it has planned and booked everything, before it records the run as prepared."""

    def __init__(self, database_url: str, run_id: int) -> None:
        self.planned, self.go_on = threading.Event(), threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1)

        def progress(done: int, total: int) -> None:
            if done == total:
                self.planned.set()
                assert self.go_on.wait(WAIT)

        self.future = self._pool.submit(
            jobs.run_prepare, database_url, run_id, CLERK.user_id, progress
        )
        assert self.planned.wait(WAIT), "the prepare did not reach its barrier"

    def finish(self) -> BaseException | None:
        self.go_on.set()
        try:
            return self.future.exception(timeout=WAIT)
        finally:
            self._pool.shutdown()


@pytest.mark.usefixtures("postgres")
def test_approve_racing_a_workers_prepare(
    session_factory: sessionmaker[Session], engine: Engine, database_url: str
) -> None:
    run_id = _queued(session_factory)
    prepare = _HeldPrepare(database_url, run_id)
    with _run_row_locked(session_factory, run_id):
        prepare.go_on.set()  # the prepare now waits for the run's lock to record its result
        _until_waiting(engine, 1)  # the prepare waits for the run
        # The approval comes while the prepare is under way: it never waits to approve a run
        # nobody has seen.
        with pytest.raises(Conflict, match=STATE_SAYS), unit_of_work(session_factory) as s:
            approve_run(s, APPROVER, run_id, today=TODAY, now=at_noon(TODAY))
    assert prepare.finish() is None  # the prepare won
    with session_factory() as session:
        run = get_run(session, run_id)
        assert (run.state, run.approved_by) == ("prepared", None)
        assert _active_payments(session, run_id) == run.payment_count == 6
    with unit_of_work(session_factory) as session:  # now it has been seen, it can be approved
        assert (
            approve_run(session, APPROVER, run_id, today=TODAY, now=at_noon(TODAY)).state
            == "approved"
        )


@pytest.mark.usefixtures("postgres")
def test_cancel_racing_a_workers_prepare(
    session_factory: sessionmaker[Session], database_url: str
) -> None:
    run_id = _queued(session_factory)
    prepare = _HeldPrepare(database_url, run_id)
    # Everything is booked, not yet committed: the cancel of the queued run goes first.
    with unit_of_work(session_factory) as session:
        cancel_run(session, CLERK, run_id, "verkeerde maand", today=TODAY, now=at_noon(TODAY))
    error = prepare.finish()
    assert isinstance(error, Conflict), error
    assert re.search(STATE_SAYS, error.detail), error.detail
    with session_factory() as session:
        run = get_run(session, run_id)
        assert run.state == "cancelled"
        assert run.prepared_by is None
        assert session.scalar(select(func.count()).where(Payment.run_id == run_id)) == 0
        booked = select(func.count()).where(
            LedgerTransaction.idempotency_key.startswith(f"run{run_id}:")
        )
        assert session.scalar(booked) == 0  # the prepare's bookings were rolled back


def test_a_transition_reads_the_run_afresh_under_its_lock(
    session_factory: sessionmaker[Session],
) -> None:
    """A session that read the run before another one cancelled it sees the cancel (both
    databases), instead of exporting from its stale copy."""
    run_id = _prepared(session_factory, approved=True)
    with session_factory() as stale:
        assert get_run(stale, run_id).state == "approved"  # kept in its identity map
        with unit_of_work(session_factory) as other:
            cancel_run(other, CLERK, run_id, "huur gewijzigd", today=TODAY, now=at_noon(TODAY))
        with pytest.raises(Conflict, match=STATE_SAYS):
            export_run(stale, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
        stale.rollback()
    with session_factory() as session:
        run = get_run(session, run_id)
        assert run.state == "cancelled"
        assert stored_file(session, run) is None
