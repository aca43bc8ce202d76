# SPDX-License-Identifier: EUPL-1.2
"""Product text cites the law and public sources only: no internal notes, no build-machine paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gherkin.parser import Parser

from tests.features.bdd_report import ScenarioResult, render, source_line

ROOT = Path(__file__).parents[2]
# The team's own fact sheet and data folders are notes for engineers, not sources for people.
INTERNAL = re.compile(r"FACTS(?:\.md| §)|/work/|\[[VS?]\]|ARCHITECTURE\.md|_[0-9a-f]{16}\.txt")
# A path from the root of a machine ("/home/…", "/work/…"), not a URL or a repository path.
ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[\w.-]+/)+[\w.-]*")
TEXT = {".py", ".md", ".json", ".feature", ".yml", ".txt", ".html"}


def _product_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "publiccode.yml"]
    for folder in ("ontzorgen", "docs", "tests/features"):
        files += [
            path
            for path in sorted((ROOT / folder).rglob("*"))
            if path.suffix in TEXT and "__pycache__" not in path.parts
        ]
    return [path for path in files if path.name != Path(__file__).name]


@pytest.mark.parametrize("path", _product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_product_text_cites_no_internal_notes(path: Path) -> None:
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if INTERNAL.search(line)
    ]
    assert found == []


def test_the_features_report_names_no_path_of_the_build_machine() -> None:
    results = []
    for path in sorted((ROOT / "tests" / "features").rglob("*.feature")):
        feature = Parser().parse(path.read_text("utf-8"))["feature"]
        results.append(
            ScenarioResult(
                feature["name"],
                source_line(feature["description"]),
                str(path.relative_to(ROOT)),
                "scenario",
                "sqlite",
                "passed",
            )
        )
    report = render(results)
    assert "Pw art. 56a lid 2 (https://wetten.overheid.nl/BWBR0015703/2026-01-01)" in report
    assert ABSOLUTE_PATH.findall(report) == []
    assert str(ROOT) not in report
