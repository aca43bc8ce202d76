# SPDX-License-Identifier: EUPL-1.2
"""The bank-feedback features (``tests/features/bank/*.feature``) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.steps.bank import *  # noqa: F403  (the step definitions)
from tests.features.steps.betaalrun import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("session")

scenarios("bank")
