# SPDX-License-Identifier: EUPL-1.2
"""Migrations are the only way the schema is made: they round-trip and agree with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from ontzorgen import migrate
from ontzorgen.db import make_engine
from ontzorgen.models import Base
from tests.conftest import empty_database_url


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    return empty_database_url(request, backend, tmp_path)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_round_trip(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    assert _tables(empty_url) == set(Base.metadata.tables)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    migrate.upgrade(empty_url)
    assert _tables(empty_url) == set(Base.metadata.tables)


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations: {diff}"
