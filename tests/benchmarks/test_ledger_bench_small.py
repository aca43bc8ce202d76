# SPDX-License-Identifier: EUPL-1.2
"""The ledger benchmark runs end to end (a tiny run; not a timing assertion)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "ledger_bench.py"


def test_ledger_bench_small_run_prints_a_ratio() -> None:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--postgres", POSTGRES_URL, "--transactions", "500"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "(2000 postings)" in lines[0]
    assert lines[-1].startswith("ratio: ")
    assert float(lines[-1].removeprefix("ratio: ")) > 0
