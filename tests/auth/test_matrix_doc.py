# SPDX-License-Identifier: EUPL-1.2
"""docs/security.md shows the same matrix as the one the matrix test checks."""

from __future__ import annotations

from tests.auth.matrix_doc import SECURITY_MD, documented_matrix, matrix_markdown


def test_the_documented_matrix_is_the_tested_one() -> None:
    assert documented_matrix(SECURITY_MD.read_text(encoding="utf-8")) == matrix_markdown(), (
        "docs/security.md is out of date: replace its table with `python -m tests.auth.matrix_doc`"
    )
