# SPDX-License-Identifier: EUPL-1.2
"""Public-code hygiene: licence headers, publiccode.yml, and no float in money code."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
SPDX = "# SPDX-License-Identifier: EUPL-1.2"
# Code that computes or carries amounts: a float here could lose a cent.
MONEY_CODE = [
    "ontzorgen/money.py",
    "ontzorgen/ledger",
    "ontzorgen/bijstand",
    "ontzorgen/runs",
    "ontzorgen/sepa",
    "ontzorgen/clients",
    "ontzorgen/gemeenten",
]


def _tracked_python_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [ROOT / name for name in listed if (ROOT / name).exists()]


def test_every_python_file_carries_the_licence_header() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for path in _tracked_python_files()
        if path.stat().st_size and not path.read_text().startswith(SPDX)
    ]
    assert missing == []


def test_publiccode_names_the_licence() -> None:
    text = (ROOT / "publiccode.yml").read_text()
    assert "license: EUPL-1.2" in text
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in (ROOT / "LICENSE").read_text()


def _float_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"{name}:{node.lineno}: float literal {node.value}")
        if isinstance(node, ast.Name) and node.id == "float":
            found.append(f"{name}:{node.lineno}: float()")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            found.append(f"{name}:{node.lineno}: true division '/'")
    return found


def test_no_float_in_money_code() -> None:
    files: list[Path] = []
    for entry in MONEY_CODE:
        target = ROOT / entry
        files += [target] if target.is_file() else sorted(target.rglob("*.py"))
    found = [use for path in files for use in _float_uses(path)]
    assert found == []


def test_the_float_scan_finds_a_float(tmp_path: Path) -> None:
    sample = tmp_path / "probe.py"
    sample.write_text("x = 0.1\ny = float('2')\nz = 5 / 2\n")
    assert len(_float_uses(sample)) == 3
