# SPDX-License-Identifier: EUPL-1.2
"""``reports/features.md`` lists each feature with its source and the right counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.features.bdd_report import ScenarioResult, render, source_line, summarize

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: nl
Functionaliteit: Rekenen
  Rekenboek hoofdstuk 1 (rekenboek.txt): "twee plus twee is vier"
  en nog een regel.

  Scenario: optellen
    Gegeven het getal 2
    Dan is het dubbele 4

  Abstract Scenario: verdubbelen
    Gegeven het getal <n>
    Dan is het dubbele <d>

    Voorbeelden:
      | n | d  |
      | 3 | 6  |
      | 5 | 11 |
"""

TESTS = """\
from pytest_bdd import given, parsers, scenarios, then

scenarios("rekenen.feature")


@given(parsers.parse("het getal {n:d}"), target_fixture="getal")
def getal(n):
    return n


@then(parsers.parse("is het dubbele {d:d}"))
def dubbele(getal, d):
    assert getal * 2 == d
"""

CONFTEST = """\
from tests.features import bdd_report


def pytest_configure(config):
    bdd_report.register(config)
"""


def test_the_table_counts_per_feature_and_backend() -> None:
    def result(scenario: str, backend: str, outcome: str) -> ScenarioResult:
        return ScenarioResult("Rekenen", "Rekenboek", "a.feature", scenario, backend, outcome)

    results = [
        result("een", "sqlite", "passed"),
        result("twee", "sqlite", "failed"),
        result("een", "postgresql", "passed"),
        result("twee", "postgresql", "skipped"),
    ]
    rows = {row.backend: row for row in summarize(results)}
    assert (rows["sqlite"].scenarios, rows["sqlite"].passed, rows["sqlite"].failed) == (2, 1, 1)
    assert (rows["postgresql"].passed, rows["postgresql"].skipped) == (1, 1)
    text = render(results)
    assert "| Rekenen | Rekenboek | sqlite | 2 | 1 | 1 | 0 |" in text
    assert "- Rekenen — twee (sqlite)" in text


def test_the_source_is_the_first_line_up_to_the_quotation() -> None:
    assert source_line('\n  Pw art. 52 (wetten.overheid.nl), samengevat: "while"\n') == (
        "Pw art. 52 (wetten.overheid.nl), samengevat"
    )
    assert source_line('Ontwerp (docs/x.md), "Run": "a run"') == "Ontwerp (docs/x.md)"


def test_a_pytest_xdist_session_writes_the_table(tmp_path: Path) -> None:
    # The BDD tests live in a directory whose conftest the xdist controller never loads
    # (as tests/features under `make test`): the workers' fragments make the table.
    suite = tmp_path / "bdd"
    suite.mkdir()
    (suite / "rekenen.feature").write_text(FEATURE, encoding="utf-8")
    (suite / "test_rekenen.py").write_text(TESTS, encoding="utf-8")
    (suite / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = .\n", encoding="utf-8")
    report = tmp_path / "out" / "features.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env |= {"PYTHONPATH": str(ROOT), "ONTZORGEN_FEATURES_REPORT": str(report)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # one example fails on purpose
    assert "1 failed, 2 passed" in done.stdout
    text = report.read_text(encoding="utf-8")
    assert "| Rekenen | Rekenboek hoofdstuk 1 (rekenboek.txt) | - | 3 | 2 | 1 | 0 |" in text
    assert "- Rekenen — verdubbelen [5, 11] (-)" in text
