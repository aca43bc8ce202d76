# SPDX-License-Identifier: EUPL-1.2
"""The README's walkthrough, from an empty database to a checked pain.001, works command for
command: the commands between its markers are run one by one as a user runs them (real
processes, an empty folder, a fresh database), on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ontzorgen.sepa.check import check_pain001
from tests.conftest import empty_database_url
from tests.skeleton.test_cli import ONTZORGEN

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(
    r"<!-- walkthrough:start -->\s*```sh\n(?P<body>.*?)```\s*<!-- walkthrough:end -->", re.S
)
# The steps the walkthrough must keep, in this order (issue: item 9).
STEPS = (
    "db upgrade", "gemeente add", "user add", "import", "plan", "run prepare", "run approve",
    "run export", "sepa check",
)  # fmt: skip
# A fixed day for the clock (ONTZORGEN_TODAY): the walkthrough must not depend on the calendar.
TODAY = "2026-12-01"


def walkthrough_commands() -> list[list[str]]:
    """The commands between the README's markers, each split as the shell splits it."""
    found = BLOCK.search(README.read_text(encoding="utf-8"))
    assert found is not None, "README.md lost its walkthrough markers"
    text = found.group("body").replace("\\\n", " ")
    commands = [
        shlex.split(line, comments=True)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return [c for c in commands if c]


def test_the_walkthrough_has_every_step_and_only_ontzorgen_commands() -> None:
    commands = walkthrough_commands()
    assert all(command[0] == "ontzorgen" for command in commands), commands
    spoken = [" ".join(command[1:3]) for command in commands]
    positions = [next(i for i, s in enumerate(spoken) if s.startswith(step)) for step in STEPS]
    assert positions == sorted(positions), spoken


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    # The database lives outside the walkthrough's folder, so that folder stays as the user's.
    (tmp_path / "database").mkdir()
    return empty_database_url(request, backend, tmp_path / "database")


def test_the_readme_walkthrough_runs_command_for_command(empty_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "walkthrough"
    (folder / "docs").mkdir(parents=True)
    # The walkthrough runs from the checkout; of it, only the example file is needed.
    shutil.copyfile(ROOT / "docs" / "import-example.json", folder / "docs" / "import-example.json")
    env = {
        **os.environ,
        "ONTZORGEN_DATABASE_URL": empty_url,
        "ONTZORGEN_TODAY": TODAY,
        "ONTZORGEN_LOG_JSON": "true",
    }
    for command in walkthrough_commands():
        done = subprocess.run(
            [ONTZORGEN, *command[1:]],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{shlex.join(command)}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, shlex.join(command)
    out = next(Path(c[c.index("--out") + 1]) for c in walkthrough_commands() if "--out" in c)
    report = check_pain001((folder / out).read_bytes(), today=None)
    assert report.ok, report.format()
    assert sorted(p.name for p in folder.iterdir()) == ["docs", out.name]  # nothing else left
