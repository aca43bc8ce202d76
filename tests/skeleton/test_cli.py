# SPDX-License-Identifier: EUPL-1.2
"""The installed ``ontzorgen`` command, run as a user runs it (a real process, a real database)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from ontzorgen.db import make_engine, make_session_factory
from ontzorgen.gemeenten.models import Gemeente
from tests.conftest import empty_database_url

ONTZORGEN = str(Path(sys.executable).with_name("ontzorgen"))


def run_cli(
    *args: str, database_url: str, cwd: Path, today: date | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI; ``today`` pins its clock (ONTZORGEN_TODAY), else it runs on the real day."""
    env = {**os.environ, "ONTZORGEN_DATABASE_URL": database_url, "ONTZORGEN_LOG_JSON": "true"}
    env.pop("ONTZORGEN_TODAY", None)
    env.setdefault("ONTZORGEN_USER", "tester")  # tests.factories.CLI_USERS
    if today is not None:
        env["ONTZORGEN_TODAY"] = today.isoformat()
    return subprocess.run(
        [ONTZORGEN, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    return empty_database_url(request, backend, tmp_path)


@pytest.mark.parametrize(
    "args", [(), ("db",), ("serve",), ("demo",), ("db", "upgrade"), ("db", "downgrade")]
)
def test_every_command_explains_itself(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*args, "--help", database_url="sqlite:///unused.sqlite3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert len(result.stdout.strip().splitlines()) > 3


def test_default_database_is_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ONTZORGEN_DATABASE_URL"}
    result = subprocess.run(
        [ONTZORGEN, "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ontzorgen.sqlite3").exists()


def test_upgrade_then_demo_creates_the_demo_gemeente_once(empty_url: str, tmp_path: Path) -> None:
    assert run_cli("db", "upgrade", database_url=empty_url, cwd=tmp_path).returncode == 0
    first = run_cli("demo", "--out", str(tmp_path / "out"), database_url=empty_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "aangemaakt" in first.stdout
    second = run_cli("demo", database_url=empty_url, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    engine = make_engine(empty_url)
    with make_session_factory(engine)() as session:
        assert len(list(session.scalars(select(Gemeente)))) == 1
    engine.dispose()
