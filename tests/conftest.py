# SPDX-License-Identifier: EUPL-1.2
"""Test databases: every database test runs on SQLite and on PostgreSQL.

Each xdist worker migrates one template database per backend once (through Alembic, the only
way the schema is made); each test then gets its own fresh copy (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL) that it may commit to, and that is dropped after.
So tests are isolated, can run in any order, and may test what happens at COMMIT (deferred
constraint triggers). PostgreSQL runs need ``ONTZORGEN_TEST_POSTGRES_URL``; without it they are
skipped and the summary says so in one line.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import migrate
from ontzorgen.clock import AMSTERDAM
from ontzorgen.db import make_engine, make_session_factory
from tests.factories import TEST_CLOCK

POSTGRES_URL = os.environ.get("ONTZORGEN_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"]

# The days the date-sensitive flows also run on: a month's start, the year's last day (New Year
# and the Christmas holidays in the execution dates), a half year's end (vakantietoeslag) and a
# leap day in a year past the first AOW-age step.
CALENDAR_DAYS = (date(2026, 12, 1), date(2026, 12, 31), date(2027, 6, 30), date(2028, 2, 29))


def _admin_engine() -> Engine:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


def _create_postgres_database(template: str | None = None) -> str:
    name = f"ontzorgen_t_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, once per worker."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head, once per worker; dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    url = _create_postgres_database()
    migrate.upgrade(url)
    yield str(make_url(url).database)
    _drop_postgres_database(url)


def fresh_database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """A new migrated database of ``backend`` for one test (dropped after it)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "ontzorgen.sqlite3"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    template_name: str = request.getfixturevalue("postgres_template")
    url = _create_postgres_database(template_name)
    request.addfinalizer(lambda: _drop_postgres_database(url))
    return url


def empty_database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """A new, empty (unmigrated) database of ``backend`` for one test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    url = _create_postgres_database()
    request.addfinalizer(lambda: _drop_postgres_database(url))
    return url


@pytest.fixture(params=CALENDAR_DAYS, ids=str)
def calendar_day(request: pytest.FixtureRequest) -> Iterator[date]:
    """Each of the fixed days, with the process's wall clock moved there (time-machine), so
    the system clock of every entry point reads that day."""
    day: date = request.param
    with time_machine.travel(datetime.combine(day, time(10, 0), AMSTERDAM), tick=True):
        yield day


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this test run: ``sqlite`` or ``postgresql``."""
    name: str = request.param
    if name == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured (ONTZORGEN_TEST_POSTGRES_URL)")
    return name


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """A fresh, migrated database for this test, on each backend."""
    return fresh_database_url(request, backend, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's own database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on this test's own database."""
    return make_session_factory(engine, clock=TEST_CLOCK)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session on this test's own database; the test commits where it means to."""
    with session_factory() as session:
        yield session


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not POSTGRES_URL:
        terminalreporter.write_line(
            "PostgreSQL: NOT TESTED — ONTZORGEN_TEST_POSTGRES_URL is not set, so every "
            "PostgreSQL run was skipped (CI sets it; see README).",
            yellow=True,
            bold=True,
        )
