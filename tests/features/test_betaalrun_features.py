# SPDX-License-Identifier: EUPL-1.2
"""The payment-run features (``tests/features/betaalrun/*.feature``) on SQLite and PostgreSQL.

Every scenario uses the ``session`` fixture, so each runs once per database backend.
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.steps.betaalrun import *  # noqa: F403  (the step definitions)

pytestmark = pytest.mark.usefixtures("session")

scenarios("betaalrun")
