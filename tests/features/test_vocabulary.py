# SPDX-License-Identifier: EUPL-1.2
"""The Dutch feature files parse, quote their source, and use only the documented steps.

Each folder of features has a STAPPEN.md: every step sentence used, and nothing unused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

FEATURES = Path(__file__).resolve().parent
TEMPLATE_LINE = re.compile(r"^- `([^`]+)`", re.MULTILINE)
# folder → (minimum number of features, the sources its Functionaliteiten may quote)
FOLDERS = {
    "bijstand": (8, r"wetten\.overheid\.nl|Beleidsplan Integratie|Huishoudboekje"),
    "betaalrun": (3, r"wetten\.overheid\.nl|Beleidsplan Integratie|Betaalvereniging"),
    "bank": (1, r"wetten\.overheid\.nl|Beleidsplan Integratie|Betaalvereniging"),
}


def _templates(folder: str) -> list[re.Pattern[str]]:
    text = (FEATURES / folder / "STAPPEN.md").read_text("utf-8")
    patterns = []
    for template in TEMPLATE_LINE.findall(text):
        parts = re.split(r"<[^>]+>", template)
        patterns.append(re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$"))
    return patterns


def _feature_files(folder: str) -> list[Path]:
    return sorted((FEATURES / folder).glob("*.feature"))


def _all_feature_files() -> list[Path]:
    return [path for folder in FOLDERS for path in _feature_files(folder)]


def _steps(path: Path) -> list[str]:
    """Every step text of a feature, with Abstract Scenario rows filled in."""
    document: Any = Parser().parse(path.read_text("utf-8"))
    steps: list[str] = []
    for child in document["feature"]["children"]:
        block = child.get("background") or child.get("scenario")
        examples = block.get("examples", [])
        for step in block["steps"]:
            text = step["text"]
            if "<" in text and examples:
                header = [c["value"] for c in examples[0]["tableHeader"]["cells"]]
                for example in examples:
                    for row in example["tableBody"]:
                        filled = text
                        for name, cell in zip(header, row["cells"], strict=True):
                            filled = filled.replace(f"<{name}>", cell["value"])
                        steps.append(filled)
            else:
                steps.append(text)
    return steps


@pytest.mark.parametrize("folder", FOLDERS)
def test_there_are_features(folder: str) -> None:
    assert len(_feature_files(folder)) >= FOLDERS[folder][0]


@pytest.mark.parametrize("path", _all_feature_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_feature_is_dutch_and_quotes_its_source(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith("# language: nl\n")
    feature = Parser().parse(text)["feature"]
    assert feature["language"] == "nl"
    description = feature["description"]
    assert '"' in description, "each Functionaliteit quotes the passage it implements"
    assert re.search(FOLDERS[path.parent.name][1], description)
    assert "€" in text


@pytest.mark.parametrize("path", _all_feature_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_step_uses_the_documented_vocabulary(path: Path) -> None:
    templates = _templates(path.parent.name)
    for step in _steps(path):
        assert any(t.match(step) for t in templates), f"{path.name}: not in STAPPEN.md: {step!r}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_documented_step_is_used(folder: str) -> None:
    steps = [step for path in _feature_files(folder) for step in _steps(path)]
    for template in _templates(folder):
        assert any(template.match(step) for step in steps), f"unused step: {template.pattern}"
