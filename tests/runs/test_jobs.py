# SPDX-License-Identifier: EUPL-1.2
"""Runs as background jobs: procrastinate on PostgreSQL, in-process on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clients.models import BijstandRight
from ontzorgen.clients.service import import_households
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from ontzorgen.ledger.models import LedgerTransaction
from ontzorgen.runs.service import create_run, get_run
from tests.api_auth import api_app, bearer
from tests.factories import CLERK, example_import, make_gemeente


@pytest.fixture
def households(session_factory: sessionmaker[Session]) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())


@pytest.fixture
def client(database_url: str, households: None) -> Iterator[TestClient]:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        yield client


def _jobs(session: Session) -> list[tuple[str, str]]:
    return [
        (row.task_name, row.status)
        for row in session.execute(
            text("SELECT task_name, status FROM procrastinate.procrastinate_jobs ORDER BY id")
        )
    ]


def test_api_run_on_postgresql_is_a_job_done_by_a_worker(
    backend: str, client: TestClient, database_url: str, session: Session
) -> None:
    created = client.post(
        "/api/v1/betaalruns", json={"gemeente": "0439", "period": "2026-12"},
        headers=bearer("jan"),
    )  # fmt: skip
    assert created.status_code == 201, created.text
    run_id = created.json()["run_id"]
    if backend == "sqlite":
        assert created.json()["state"] == "prepared"  # in-process, in the request
        return
    assert created.json()["state"] == "queued"
    assert _jobs(session) == [("ontzorgen:prepare_run", "todo")]
    session.rollback()
    jobs.run_worker(database_url, wait=False)
    shown = client.get(f"/api/v1/betaalruns/{run_id}").json()
    assert shown["state"] == "prepared"
    assert shown["payments"] == 6
    assert shown["progress"] == {"done": 2, "total": 2}


@pytest.mark.usefixtures("households")
def test_a_queued_run_without_job_is_found_and_deferred_again(
    backend: str, database_url: str, session_factory: sessionmaker[Session]
) -> None:
    if backend == "sqlite":
        pytest.skip("the job queue is PostgreSQL's")
    with unit_of_work(session_factory) as session:  # crash after commit, before defer
        run_id = create_run(session, CLERK, "0439", "2026-12").id
    assert jobs.requeue_orphans(database_url, older_than=timedelta(0)) == [run_id]
    assert jobs.requeue_orphans(database_url, older_than=timedelta(0)) == []  # job waiting
    jobs.run_worker(database_url, wait=False)
    with unit_of_work(session_factory) as session:
        assert get_run(session, run_id).state == "prepared"


@pytest.mark.usefixtures("households")
def test_a_failing_prepare_leaves_nothing_but_the_failure(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    with unit_of_work(session_factory) as session:
        run_id = create_run(session, CLERK, "0439", "2026-12").id
        # Break a fact behind the import's back: a single person cannot be 'gehuwden'.
        session.execute(update(BijstandRight).values(leefvorm="gehuwden", kostendelers=2))
    with pytest.raises(Exception, match=r"leefvorm|partner|Household"):
        jobs.run_prepare(database_url, run_id, "jan")
    with unit_of_work(session_factory) as session:
        run = get_run(session, run_id)
        assert run.state == "failed"
        assert run.error
        assert session.scalars(select(LedgerTransaction.id)).all() == []
