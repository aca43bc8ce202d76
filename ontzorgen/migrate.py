# SPDX-License-Identifier: EUPL-1.2
"""Alembic, driven from code: migrations are the only way the schema is made or changed."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config

from ontzorgen.config import get_settings


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
