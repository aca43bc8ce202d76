# SPDX-License-Identifier: EUPL-1.2
"""Crash safety in CI: a prepare, an export and a bank import killed at random and at their
COMMIT, then finished; see :mod:`tests.crash.kill_test` for what is checked after each kill
(``python -m tests.crash.kill_test --count 200`` runs many more)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import POSTGRES_URL
from tests.crash.harness import STEPS
from tests.crash.kill_test import Outcome, Stage, kill_point, last_kill_points, stage_for, trial

SEEDS = range(3)  # random kills per step and backend, besides the two at its COMMIT


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
    outcomes: list[Outcome] = [
        trial(stage, step, kill_point(stage, step, seed), seed) for seed in SEEDS
    ]
    outcomes += [trial(stage, step, kill_at) for kill_at in last_kill_points(stage, step)]
    # Killed with its COMMIT sent, or as it returns: the whole step is there.
    assert [o.left for o in outcomes[-2:]] == ["after", "after"], outcomes
    # Killed before its first statement: nothing of it is.
    assert trial(stage, step, 1).left == "before"
