# SPDX-License-Identifier: EUPL-1.2
"""Engine, sessions and the unit of work.

Service functions receive a :class:`~sqlalchemy.orm.Session`, ``flush()`` when they need ids,
and never commit. Exactly one place per entry point (the API request dependency, the CLI command
wrapper, the job wrapper) opens a :func:`unit_of_work`, which commits or rolls back as a whole.
Side effects (files to write, jobs to start) are registered with :func:`after_commit` and run only
once the commit has succeeded; on rollback they are dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    BigInteger,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
    insert,
    make_url,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from ontzorgen.clock import Clock

# Constraint names are part of the schema: migrations and models must produce the same ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL; on SQLite only "INTEGER PRIMARY KEY" autoincrements.
Id = BigInteger().with_variant(Integer(), "sqlite")
Cents = BigInteger().with_variant(Integer(), "sqlite")

_AFTER_COMMIT = "ontzorgen.after_commit"


class Base(DeclarativeBase):
    """The declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url: str) -> bool:
    """True for a SQLite database URL."""
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for an in-memory database or another backend)."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _open_existing_sqlite_file(
    _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
) -> None:
    # sqlite3 creates a missing file on connect; mode=rw opens only an existing one, so a
    # command run in the wrong folder never leaves an empty ontzorgen.sqlite3 behind.
    if cargs and isinstance(cargs[0], str):
        cargs[0] = f"file:{quote(os.path.abspath(cargs[0]))}?mode=rw"
        cparams["uri"] = True


def make_engine(url: str, *, create: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``, set up the same way everywhere (SQLite: foreign keys on).

    A SQLite file is only created with ``create=True`` (by the migrations: ``db upgrade``).
    """
    if is_sqlite(url):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if not create and sqlite_file(url) is not None:
            event.listen(engine, "do_connect", _open_existing_sqlite_file)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine, *, clock: Clock | None = None) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (values stay readable for the response).

    ``clock`` is the time source of what the sessions record themselves (the audit log); a
    unit of work may pin one instant with ``now=``."""
    info = {} if clock is None else {CLOCK: clock}
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False, info=info)


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows set-based: COPY on PostgreSQL, one executemany elsewhere.

    ``rows`` are tuples in the order of ``columns``; COPY applies only the database's own
    defaults, so every other column must be given.
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    driver: Any = session.connection().connection.driver_connection
    quote = session.get_bind().dialect.identifier_preparer.quote  # e.g. a column named "end"
    statement = f"COPY {quote(table.name)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` new primary keys for ``table`` in one statement, for set-based inserts that
    must know their ids beforehand (rows that other rows point to).

    PostgreSQL draws them from the table's sequence; SQLite has one writer at a time, so the
    ids after the highest one are free (the primary key refuses a clash all the same).
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": count},
        )
        return sorted(int(row[0]) for row in rows)
    start = int(
        session.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    )
    return list(range(start + 1, start + 1 + count))


def refresh_statistics(session: Session, tables: Sequence[str]) -> None:
    """Let PostgreSQL's planner see how big tables have grown inside this unit of work.

    A payment run writes hundreds of thousands of rows in one transaction; autovacuum cannot
    see them, so the planner keeps its old estimate (an empty table) and starts scanning whole
    tables for look-ups that should use an index. ANALYZE in the same transaction counts the
    rows it wrote. SQLite needs nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {', '.join(tables)}"))


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the unit of work of ``session`` has committed; drop it on rollback."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def discard(session: Session) -> None:
    """Undo what this unit of work did so far (and drop its after-commit actions): for a page
    that answers a refused step with a page of its own instead of an exception. The unit of
    work goes on; what it does next commits as usual."""
    session.rollback()
    session.info.pop(_AFTER_COMMIT, None)


NOW = "ontzorgen.now"
CLOCK = "ontzorgen.clock"


def set_now(session: Session, now: datetime) -> None:
    """The instant this unit of work happens at (from the injected clock): the audit log's time."""
    session.info[NOW] = now


def session_now(session: Session) -> datetime:
    """The instant set by :func:`set_now`, else the session factory's clock; never the wall
    clock itself."""
    now = session.info.get(NOW)
    if isinstance(now, datetime):
        return now
    clock = session.info.get(CLOCK)
    if clock is None:
        raise RuntimeError("session without a clock: make_session_factory(engine, clock=…)")
    found: datetime = clock.now()
    return found


@contextmanager
def unit_of_work(
    factory: sessionmaker[Session], *, now: datetime | None = None
) -> Iterator[Session]:
    """One unit of work: everything inside commits together or not at all."""
    session = factory()
    if now is not None:
        set_now(session, now)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(_AFTER_COMMIT, None)
        raise
    else:
        for action in session.info.pop(_AFTER_COMMIT, []):
            action()
    finally:
        session.close()
