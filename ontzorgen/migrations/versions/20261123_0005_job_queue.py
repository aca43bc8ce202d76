# SPDX-License-Identifier: EUPL-1.2
"""job queue: procrastinate's tables in their own schema (PostgreSQL only)

Large payment runs are prepared by workers through procrastinate, a PostgreSQL task queue.
Its schema is installed here, in a schema of its own (``procrastinate``) so that the
downgrade is one ``DROP SCHEMA``. SQLite runs jobs in-process and needs nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

SCHEMA = "procrastinate"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(f"CREATE SCHEMA {SCHEMA}")
    # The raw driver: procrastinate's SQL is not a SQLAlchemy text() with bind parameters.
    cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"SET LOCAL search_path TO {SCHEMA}")
    cursor.execute(SchemaManager.get_schema())
    cursor.execute("SET LOCAL search_path TO DEFAULT")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
