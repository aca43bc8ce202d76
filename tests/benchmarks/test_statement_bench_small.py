# SPDX-License-Identifier: EUPL-1.2
"""The statement benchmark runs end to end (a short history; not a timing assertion)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "statement_bench.py"


def test_statement_bench_small_run_prints_a_median_and_its_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--months", "2", "--repeat", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("history: 2 months") for line in lines)
    statements = int(next(x for x in lines if x.startswith("statements per page: ")).split()[-1])
    assert statements <= 30
    median = next(x for x in lines if x.startswith("median_ms: "))
    assert float(median.removeprefix("median_ms: ")) > 0
    assert lines[-1].startswith("ratio: ")
    assert float(lines[-1].removeprefix("ratio: ")) > 0
