# SPDX-License-Identifier: EUPL-1.2
"""Crash safety in CI: a prepare, an export and a bank import killed at random and at their
COMMIT, then finished; see :mod:`tests.crash.kill_test` for what is checked after each kill
(``python -m tests.crash.kill_test --count 200`` runs many more)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ontzorgen.clients.service import import_households
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.runs.models import PaymentRun
from tests.conftest import POSTGRES_URL
from tests.crash.harness import DAY, GEMEENTE, PERIOD, STEPS, acting_user
from tests.crash.kill_test import Stage, kill_point, last_kill_points, stage_for, trial
from tests.factories import TEST_CLOCK, example_import, make_gemeente

SEEDS = range(2)  # random kills per step and backend, besides its first point and its COMMIT


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def stage(request: pytest.FixtureRequest) -> Iterator[Stage]:
    """The three steps of one backend, each measured once by an uninterrupted run."""
    backend: str = request.param
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    with stage_for(backend, POSTGRES_URL) as made:
        yield made


@pytest.mark.parametrize("step", STEPS)
def test_a_killed_step_leaves_all_or_nothing_and_finishes_as_if_never_killed(
    stage: Stage, step: str
) -> None:
    # Killed before its first statement: nothing of it is there.
    assert trial(stage, step, 1).left == "before"
    for seed in SEEDS:
        trial(stage, step, kill_point(stage, step, seed), seed)
    # Killed with its COMMIT sent and unanswered, or as it returns: the whole step is there.
    assert [trial(stage, step, at).left for at in last_kill_points(stage, step)] == [
        "after",
        "after",
    ]


def _cli(url: str, cwd: Path, kill_on: str, *argv: str) -> int:
    env = {**os.environ, "ONTZORGEN_DATABASE_URL": url, "ONTZORGEN_TODAY": DAY.isoformat(),
           "PYTHONPATH": str(Path(__file__).parents[2])}  # fmt: skip
    command = "from tests.crash.harness import cli_killed_at; cli_killed_at()"
    return subprocess.run(
        [sys.executable, "-c", command, kill_on, *argv],
        env=env, cwd=cwd, capture_output=True, timeout=120, check=False,
    ).returncode  # fmt: skip


def test_run_prepare_killed_on_sqlite_is_finished_by_running_it_again(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """SQLite prepares in the command's own process: one killed after it registered the run
    leaves the run queued, and `run prepare` again prepares that run (no second run, no
    refusal because the period already has one)."""
    prepare = ("run", "prepare", "--gemeente", GEMEENTE, "--period", PERIOD,
               "--as", acting_user("clerk").user_id)  # fmt: skip
    urls = []
    for name in ("measured", "killed"):
        shutil.copyfile(sqlite_template, tmp_path / f"{name}.sqlite3")
        urls.append(f"sqlite:///{tmp_path / name}.sqlite3")
        engine = make_engine(urls[-1])
        with unit_of_work(make_session_factory(engine, clock=TEST_CLOCK)) as session:
            make_gemeente(session, GEMEENTE)
            import_households(session, acting_user("clerk"), example_import())
        engine.dispose()
    measured, killed = urls
    assert _cli(measured, tmp_path, "", *prepare) == 0
    # Killed as the prepare books its first payment, long after the run was registered.
    assert _cli(killed, tmp_path, "INSERT INTO payment ", *prepare) == -signal.SIGKILL
    assert [(run.id, run.state) for run in _runs(killed)] == [(1, "queued")]
    assert _cli(killed, tmp_path, "", *prepare) == 0
    assert _runs(killed) == _runs(measured)
    assert [(run.id, run.state, run.payment_count) for run in _runs(killed)] == [(1, "prepared", 6)]


def _runs(url: str) -> list[Any]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(PaymentRun.id, PaymentRun.state, PaymentRun.payment_count, PaymentRun.digest)
        ).all()
    engine.dispose()
    return list(rows)
