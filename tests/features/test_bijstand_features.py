# SPDX-License-Identifier: EUPL-1.2
"""The bijstand features (``tests/features/bijstand/*.feature``) on SQLite and PostgreSQL.

Every scenario uses the ``session`` fixture, so each runs once per database backend.
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.steps.bijstand import *  # noqa: F403  (the step definitions)

pytestmark = pytest.mark.usefixtures("session")

scenarios("bijstand")
