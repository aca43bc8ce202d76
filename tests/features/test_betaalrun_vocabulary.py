# SPDX-License-Identifier: EUPL-1.2
"""The payment-run features are Dutch, quote their source, and use only documented steps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

FEATURES = Path(__file__).resolve().parent / "betaalrun"
TEMPLATE_LINE = re.compile(r"^- `([^`]+)`", re.MULTILINE)


def _templates() -> list[re.Pattern[str]]:
    text = (FEATURES / "STAPPEN.md").read_text("utf-8")
    patterns = []
    for template in TEMPLATE_LINE.findall(text):
        parts = re.split(r"<[^>]+>", template)
        patterns.append(re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$"))
    return patterns


def _feature_files() -> list[Path]:
    return sorted(FEATURES.glob("*.feature"))


def _steps(document: Any) -> list[str]:
    steps: list[str] = []
    for child in document["feature"]["children"]:
        block = child.get("background") or child.get("scenario")
        examples = block.get("examples", [])
        for step in block["steps"]:
            if "<" in step["text"] and examples:
                header = [c["value"] for c in examples[0]["tableHeader"]["cells"]]
                for example in examples:
                    for row in example["tableBody"]:
                        filled = step["text"]
                        for name, cell in zip(header, row["cells"], strict=True):
                            filled = filled.replace(f"<{name}>", cell["value"])
                        steps.append(filled)
            else:
                steps.append(step["text"])
    return steps


def test_there_are_payment_run_features() -> None:
    assert len(_feature_files()) >= 3


@pytest.mark.parametrize("path", _feature_files(), ids=lambda p: p.name)
def test_feature_is_dutch_and_quotes_its_source(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith("# language: nl\n")
    feature = Parser().parse(text)["feature"]
    assert feature["language"] == "nl"
    assert '"' in feature["description"], "each Functionaliteit quotes the passage it implements"
    assert re.search(r"FACTS\.md|002_bdca29e5a19767e2\.txt|sepa/README\.md", feature["description"])
    assert "€" in text


@pytest.mark.parametrize("path", _feature_files(), ids=lambda p: p.name)
def test_every_step_uses_the_documented_vocabulary(path: Path) -> None:
    templates = _templates()
    for step in _steps(Parser().parse(path.read_text("utf-8"))):
        assert any(t.match(step) for t in templates), f"{path.name}: not in STAPPEN.md: {step!r}"


def test_every_documented_step_is_used() -> None:
    steps = [
        s for path in _feature_files() for s in _steps(Parser().parse(path.read_text("utf-8")))
    ]
    for template in _templates():
        assert any(template.match(step) for step in steps), f"unused step: {template.pattern}"
