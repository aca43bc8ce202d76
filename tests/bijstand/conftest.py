# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the rules-engine tests: the packaged norm table and the default policy."""

from __future__ import annotations

import pytest

from ontzorgen.bijstand.facts import GemeentePolicy
from ontzorgen.bijstand.norms import NormTable, load_norms
from tests.bijstand.factories import POLICY


@pytest.fixture
def norms() -> NormTable:
    """The packaged norm table (data/normen.json)."""
    return load_norms()


@pytest.fixture
def policy() -> GemeentePolicy:
    """Minimum leefgeld € 250,00 + € 75,00 per extra member; all other defaults."""
    return POLICY
