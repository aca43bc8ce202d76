# SPDX-License-Identifier: EUPL-1.2
"""The payment-run benchmark at 1,000 households: it runs, reports, and cleans up.

No timing assertion: timings depend on the machine. The figures are in docs/performance.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "run_bench.py"
POSTGRES_URL = os.environ.get("ONTZORGEN_TEST_POSTGRES_URL", "")
PHASES = ("generate", "create", "prepare", "approve", "export", "import", "cancel")


def _run(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--households", "1000", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


def _check_report(lines: list[str]) -> str:
    for phase in PHASES:
        assert any(line.startswith(f"phase {phase}: ") for line in lines), phase
    assert any(line.startswith("baseline copy ledger rows: ") for line in lines)
    assert any(line.startswith("baseline sepaxml build: ") for line in lines)
    assert any(line.startswith("peak memory: ") for line in lines)
    for phase in ("import", "cancel"):
        assert any(line.startswith(f"statements {phase}: ") for line in lines), phase
        assert any(line.startswith(f"{phase}: ") and "statements" in line for line in lines)
    summary = next(line for line in lines if line.startswith("size 1000 households"))
    assert "5000 payments" in summary  # four vaste lasten and leefgeld per household
    last = lines[-1]
    assert last.startswith("ratio: ")
    assert float(last.removeprefix("ratio: ")) > 0
    database = next(line for line in lines if line.startswith("database "))
    return database.split()[1]


def test_small_run_on_sqlite() -> None:
    folder = _check_report(_run("--sqlite"))
    assert not Path(folder).exists()  # the temporary database is gone


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL not configured")
def test_small_run_on_postgresql() -> None:
    name = _check_report(_run("--postgres", POSTGRES_URL))
    assert name.startswith("ontzorgen_bench_")
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            left = connection.execute(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar_one()
    finally:
        engine.dispose()
    assert left == 0  # dropped at the end
