# SPDX-License-Identifier: EUPL-1.2
"""Background jobs: preparing a payment run.

On PostgreSQL a run is prepared by a worker through procrastinate (a PostgreSQL task queue:
workers on several machines share the database, and a job runs once). The job is deferred only
after the run row has committed; a run left ``queued`` without a job (a crash between the
commit and the defer) is found by :func:`requeue_orphans` and deferred again. With SQLite the
run is prepared in-process, in the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import Engine, func, literal, make_url, select, text, update
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, on_behalf_of
from ontzorgen.clock import Clock
from ontzorgen.config import get_settings
from ontzorgen.db import after_commit, is_sqlite, make_engine, make_session_factory, unit_of_work
from ontzorgen.logs import get_logger
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import Progress, mark_failed, prepare_run

log = get_logger(__name__)

QUEUE = "runs"
SCHEMA = "procrastinate"
ORPHAN_AFTER = timedelta(minutes=1)
# procrastinate's own stalled-worker timeout: a live worker beats every 10 seconds.
STALLED_AFTER = timedelta(seconds=30)

# One app per process (procrastinate binds tasks to their app); its connector is set per
# database for the duration of a defer or a worker run (:func:`using`).
app = procrastinate.App(connector=procrastinate.PsycopgConnector())
_database_url: str | None = None


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@contextmanager
def using(database_url: str) -> Iterator[procrastinate.App]:
    """The job app connected to ``database_url`` (jobs live in the ``procrastinate`` schema).

    The URL, which may hold a password, never goes into a job's arguments: a job works on the
    database its worker was started for.
    """
    global _database_url
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(database_url), kwargs={"options": f"-c search_path={SCHEMA}"}
    )
    previous, _database_url = _database_url, database_url
    try:
        with app.replace_connector(connector):
            yield app
    finally:
        _database_url = previous


def _database() -> str:
    return _database_url or get_settings().database_url


def _progress_writer(engine: Engine, run_id: int) -> Progress:
    """Progress written in its own short transactions, so others see it while the run's own
    unit of work is still open (PostgreSQL only: SQLite would wait for its own writer)."""

    def write(done: int, total: int) -> None:
        with engine.begin() as connection:
            connection.execute(
                update(PaymentRun)
                # Only while queued: once a run has moved on (a cancel won the race), its
                # counters are fixed and the prepare finds out when it locks the run.
                .where(PaymentRun.id == run_id, PaymentRun.state == "queued")
                .values(progress_done=done, progress_total=total)
            )

    return write


def run_prepare(
    database_url: str,
    run_id: int,
    user_id: str,
    progress: Progress | None = None,
    *,
    clock: Clock | None = None,
) -> None:
    """Prepare a queued run in its own unit of work; record a failure in another one.

    The job worker is an entry point: without ``clock`` it uses the installation's clock
    (``ONTZORGEN_TODAY`` or the system clock).
    """
    clock = clock or get_settings().clock()
    today, now = clock.today(), clock.now()
    engine = make_engine(database_url)
    factory = make_session_factory(engine, clock=clock)
    if progress is None and not is_sqlite(database_url):
        progress = _progress_writer(engine, run_id)
    try:
        with unit_of_work(factory) as session:
            prepare_run(
                session, on_behalf_of(user_id), run_id, today=today, now=now, progress=progress
            )
    except Exception as error:
        reason = getattr(error, "detail", None) or type(error).__name__
        with unit_of_work(factory) as session:
            mark_failed(session, run_id, str(reason))
        log.warning("run.prepare_failed", run_id=run_id, reason=str(reason)[:200])
        raise
    finally:
        engine.dispose()


@app.task(name="ontzorgen:prepare_run", queue=QUEUE)
def prepare_run_job(run_id: int, user_id: str) -> None:
    """The job: prepare one run (state and progress are on the run row).

    A job retried after its worker died may find its run no longer queued (the worker died
    after the commit, or the run was cancelled): then there is nothing left to do.
    """
    url = _database()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            state = connection.scalar(select(PaymentRun.state).where(PaymentRun.id == run_id))
    finally:
        engine.dispose()
    if state != "queued":
        log.info("run.prepare_skipped", run_id=run_id, state=state)
        return
    run_prepare(url, run_id, user_id)


def defer_prepare(database_url: str, run_id: int, user_id: str) -> bool:
    """Defer the prepare job of a run; False when one is already waiting for it."""
    with using(database_url) as jobs_app, jobs_app.open():
        try:
            prepare_run_job.configure(
                lock=f"run-{run_id}",
                queueing_lock=f"run-{run_id}",
            ).defer(run_id=run_id, user_id=user_id)
        except AlreadyEnqueued:
            return False
    log.info("run.deferred", run_id=run_id)
    return True


def schedule_prepare(
    session: Session, actor: Actor, run: PaymentRun, *, today: date, now: datetime
) -> None:
    """Prepare now (SQLite: in this unit of work) or defer a job after the commit (PostgreSQL).

    ``today`` and ``now`` are the caller's for a run prepared here; a deferred job takes them
    from the worker's clock when it runs.
    """
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    if is_sqlite(url):
        prepare_run(session, actor, run.id, today=today, now=now)
        return
    run_id, user_id = run.id, actor.user_id

    def defer() -> None:
        defer_prepare(url, run_id, user_id)

    after_commit(session, defer)


def _retry_stalled(database_url: str, stalled_after: timedelta) -> list[int]:
    """Put back in the queue every job of the runs queue left ``doing`` by a worker that died
    (killed, machine lost): no heartbeat for ``stalled_after``. Its lock would otherwise hold
    every later job of the run, and its run would stay queued with nothing to prepare it.
    Returns the job ids."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            stalled = connection.execute(
                text(
                    f"SELECT job.id, current_timestamp FROM {SCHEMA}.procrastinate_jobs job "
                    f"LEFT JOIN {SCHEMA}.procrastinate_workers worker "
                    "ON worker.id = job.worker_id "
                    "WHERE job.status = 'doing' AND job.queue_name = :queue "
                    "AND (worker.id IS NULL OR worker.last_heartbeat < current_timestamp - :age)"
                ),
                {"queue": QUEUE, "age": stalled_after},
            ).all()
    finally:
        engine.dispose()
    if stalled:
        with using(database_url) as jobs_app, jobs_app.open():
            for job_id, now in stalled:
                jobs_app.job_manager.retry_job_by_id(job_id, retry_at=now)
        log.info("run.jobs_retried", jobs=[job_id for job_id, _ in stalled])
    return [int(job_id) for job_id, _ in stalled]


def requeue_orphans(
    database_url: str,
    *,
    older_than: timedelta = ORPHAN_AFTER,
    stalled_after: timedelta = STALLED_AFTER,
) -> list[int]:
    """Defer again every run still ``queued`` with no job waiting (a crash between commit and
    defer), after retrying the jobs of dead workers (a crash while preparing). Returns the run
    ids that got a new job."""
    _retry_stalled(database_url, stalled_after)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            # The jobs first: a job that finishes after this read has committed its run
            # before, so the run is no longer queued when it is read next. (The other way
            # round, a run read as queued whose job then finished looked orphaned.)
            running = set(
                connection.execute(
                    text(
                        f"SELECT lock FROM {SCHEMA}.procrastinate_jobs "
                        "WHERE status IN ('todo', 'doing') AND lock IS NOT NULL"
                    )
                ).scalars()
            )
            # created_at is stamped by the database, so "how old" is judged on its clock too.
            cutoff = func.current_timestamp() - literal(older_than)
            queued = connection.execute(
                select(PaymentRun.id, PaymentRun.created_by).where(
                    PaymentRun.state == "queued", PaymentRun.created_at <= cutoff
                )
            ).all()
    finally:
        engine.dispose()
    deferred = [
        run_id
        for run_id, user_id in queued
        if f"run-{run_id}" not in running and defer_prepare(database_url, run_id, user_id)
    ]
    if deferred:
        log.info("run.requeued", runs=deferred)
    return deferred


@app.periodic(cron="* * * * *", periodic_id="requeue-orphaned-runs")
@app.task(name="ontzorgen:requeue_orphans", queue=QUEUE)
def requeue_orphans_job(timestamp: int) -> None:
    """Every minute: find queued runs without a job and defer them again."""
    del timestamp
    requeue_orphans(_database())


def run_worker(database_url: str, *, wait: bool) -> None:
    """Run a worker on the runs queue (``wait=False``: until no job is left)."""
    with using(database_url) as jobs_app:
        jobs_app.run_worker(
            queues=[QUEUE], wait=wait, install_signal_handlers=wait, delete_jobs="successful"
        )
