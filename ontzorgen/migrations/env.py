# SPDX-License-Identifier: EUPL-1.2
"""Alembic environment: one transaction per migration run, a lock timeout on PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from ontzorgen.db import make_engine
from ontzorgen.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run the migrations against the configured database."""
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url, create=True)  # the only place a SQLite file is made
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Never wait forever behind a running app: fail and retry the deploy instead.
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
