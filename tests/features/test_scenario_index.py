# SPDX-License-Identifier: EUPL-1.2
"""docs/rules.md lists every scenario that proves a rule (kept in sync with the features)."""

from __future__ import annotations

from tests.features.scenario_index import current, render


def test_rules_document_lists_every_scenario() -> None:
    assert current() == render(), "run: python -m tests.features.scenario_index"
