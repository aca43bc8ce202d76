# SPDX-License-Identifier: EUPL-1.2
"""Alembic, driven from code: migrations are the only way the schema is made or changed."""

from __future__ import annotations

import os
from importlib.resources import files
from typing import Literal, NamedTuple

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from ontzorgen.config import get_settings
from ontzorgen.db import make_engine, sqlite_file


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic config for ``database_url`` (default: the configured one)."""
    config = Config()
    config.set_main_option("script_location", str(files("ontzorgen") / "migrations"))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    url = database_url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "base") -> None:
    """Take the database schema down to ``revision`` (``base``: empty)."""
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str | None = None) -> None:
    """Print the revision the database is at."""
    command.current(alembic_config(database_url))


UPGRADE_HINT = "draai eerst `ontzorgen db upgrade`"


class SchemaProblem(NamedTuple):
    """Why the database cannot be used: ``code`` for machines, ``detail`` (Dutch) for people."""

    code: Literal["missing", "unreachable", "not-migrated", "unknown-revision"]
    detail: str


def schema_problem(database_url: str | None = None) -> SchemaProblem | None:
    """Why the database cannot be used yet, or None when it is at the newest schema.

    Never creates anything: a missing SQLite file stays missing (only ``db upgrade`` makes it).
    """
    url = database_url or get_settings().database_url
    path = sqlite_file(url)
    if path is not None:
        if os.path.isdir(path):
            return SchemaProblem("missing", f"de database {path} is een map, geen bestand")
        if not os.path.exists(path):
            return SchemaProblem("missing", f"de database {path} bestaat niet; {UPGRADE_HINT}")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # Read alembic_version directly (a MigrationContext would log to the terminal).
            current: set[str] = set()
            if inspect(connection).has_table("alembic_version"):
                current = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError as error:
        # Only the kind of error: the driver's message may name the host and the user.
        cause = getattr(error, "orig", None) or error
        return SchemaProblem(
            "unreachable", f"de database is niet bereikbaar ({type(cause).__name__})"
        )
    finally:
        engine.dispose()
    script = ScriptDirectory.from_config(alembic_config(url))
    heads = set(script.get_heads())
    if not current:
        return SchemaProblem(
            "not-migrated", f"de database is nog leeg (niet gemigreerd); {UPGRADE_HINT}"
        )
    if current == heads:
        return None
    known = {revision.revision for revision in script.walk_revisions()}
    shown = ", ".join(sorted(current))
    if current <= known:
        return SchemaProblem(
            "not-migrated",
            f"de database staat op revisie {shown}, niet op de nieuwste; {UPGRADE_HINT}",
        )
    return SchemaProblem(
        "unknown-revision",
        f"de database staat op revisie {shown}, die deze versie van ontzorgen niet kent",
    )
