# SPDX-License-Identifier: EUPL-1.2
"""What a person running the CLI sees: its output, each error once, no log lines or colour codes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import unit_of_work
from tests.factories import DATA, make_gemeente
from tests.skeleton.test_cli import ONTZORGEN, run_cli

IMPORT = DATA / "import" / "purmerend-december-2026.json"
ANSI = "\x1b["


@pytest.fixture
def gemeente(session_factory: sessionmaker[Session]) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)


@pytest.mark.usefixtures("gemeente")
def test_the_cli_keeps_log_lines_off_its_output(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported = run_cli("import", str(IMPORT), database_url=database_url, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    prepared = run_cli("run", "prepare", "--gemeente", "0439", "--period", "2026-12",
                       "--as", "jan", database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert prepared.returncode == 0, prepared.stderr
    for result in (imported, prepared):
        assert '"event"' not in result.stderr  # e.g. procrastinate's "Adding tasks from ..."
        assert '"event"' not in result.stdout
        assert ANSI not in result.stderr + result.stdout
    assert "Geïmporteerd" in imported.stdout

    shown = run_cli("-v", "run", "show", "1", database_url=database_url, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    verbose = run_cli("--verbose", "db", "upgrade", database_url=database_url, cwd=tmp_path)
    assert any(json.loads(line)["level"] == "info" for line in verbose.stderr.splitlines())

    log_file = tmp_path / "ontzorgen.log"
    monkeypatch.setenv("ONTZORGEN_LOG_FILE", str(log_file))
    cancelled = run_cli("run", "cancel", "1", "--reason", "test", "--as", "jan",
                        database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert cancelled.returncode == 0, cancelled.stderr
    assert '"event"' not in cancelled.stderr
    events = [json.loads(line)["event"] for line in log_file.read_text().splitlines()]
    assert "run.cancelled" in events


@pytest.mark.usefixtures("gemeente")
def test_plain_log_lines_in_a_pipe_have_no_colour_codes(database_url: str, tmp_path: Path) -> None:
    # run_cli pins JSON; the plain renderer is what an operator may choose instead.
    env = {**os.environ, "ONTZORGEN_DATABASE_URL": database_url, "ONTZORGEN_LOG_JSON": "false",
           "ONTZORGEN_USER": "tester"}  # fmt: skip
    result = subprocess.run(
        [ONTZORGEN, "-v", "import", str(IMPORT)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "import.stored" in result.stderr
    assert ANSI not in result.stderr


@pytest.mark.usefixtures("gemeente")
def test_an_error_is_printed_once(database_url: str, tmp_path: Path) -> None:
    assert run_cli("import", str(IMPORT), database_url=database_url, cwd=tmp_path).returncode == 0
    again = run_cli("import", str(IMPORT), database_url=database_url, cwd=tmp_path)
    assert again.returncode == 1
    lines = again.stderr.splitlines()
    assert lines[0] == "Fout: ongeldige invoer:"
    problems = [line.removeprefix("  - ") for line in lines[1:]]
    assert all(line.startswith("  - ") for line in lines[1:]), "one line per problem, unwrapped"
    assert "households[0]: persons[0].bsn: een persoon met dit BSN bestaat al in deze gemeente" in (
        problems
    )
    for problem in problems:
        assert again.stderr.count(problem) == 1, problem
