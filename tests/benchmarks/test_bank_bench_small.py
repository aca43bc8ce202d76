# SPDX-License-Identifier: EUPL-1.2
"""The bank-import benchmark runs end to end at 1,000 households (not a timing assertion)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bank_bench.py"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_bank_bench_small_run_prints_a_ratio(backend: str) -> None:
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    where = ["--sqlite"] if backend == "sqlite" else ["--postgres", POSTGRES_URL]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *where, "--households", "1000"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("import: ") and "5000 bank items" in line for line in lines)
    assert lines[-1].startswith("ratio: ")
    assert float(lines[-1].removeprefix("ratio: ")) > 0
