# SPDX-License-Identifier: EUPL-1.2
"""The feature tests: the report ``reports/features.md`` (see ``bdd_report``).

The report plugin is registered here, so ``pytest tests/features`` and ``make test``
(``pytest -n auto``) both write it. For pytest-bdd's cucumber JSON under xdist, the controller
must load the plugin too: ``-p tests.features.bdd_report --cucumberjson=reports/cucumber.json``.
"""

from __future__ import annotations

import pytest

from tests.features import bdd_report


def pytest_configure(config: pytest.Config) -> None:
    bdd_report.register(config)
