# SPDX-License-Identifier: EUPL-1.2
"""The authorization matrix (tests/auth/test_matrix.py's EXPECTED) as a Markdown table for
docs/security.md. Print it with ``python -m tests.auth.matrix_doc``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.auth.test_matrix import EXPECTED, SUBJECTS

HEADING = "## Wie mag wat (de matrix)"
SECURITY_MD = Path(__file__).parents[2] / "docs" / "security.md"
CELLS = {"-": "—", "eigen": "eigen", "gemeente": "gemeente", "alle": "ja"}


def matrix_markdown() -> str:
    """One row per route (method and path), one column per role and anonymous."""
    lines = [
        "| Route | " + " | ".join(SUBJECTS) + " |",
        "|---|" + "---|" * len(SUBJECTS),
    ]
    for (method, path), levels in sorted(EXPECTED.items(), key=lambda item: item[0][::-1]):
        cells = " | ".join(CELLS[levels[subject]] for subject in SUBJECTS)
        lines.append(f"| `{method} {path}` | {cells} |")
    return "\n".join(lines) + "\n"


def documented_matrix(text: str) -> str:
    """The table lines of the matrix section of ``text`` (docs/security.md)."""
    start = text.index(HEADING + "\n")
    section = text[start + len(HEADING) :]
    following = re.search(r"^## ", section, flags=re.MULTILINE)
    section = section[: following.start()] if following else section
    return "".join(line + "\n" for line in section.splitlines() if line.startswith("|"))


if __name__ == "__main__":
    sys.stdout.write(matrix_markdown())
