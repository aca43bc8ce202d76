# SPDX-License-Identifier: EUPL-1.2
"""gemeente: the tenant

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "gemeente",
        sa.Column("id", Id, primary_key=True),
        sa.Column("code", sa.String(4), nullable=False),
        sa.Column("name", sa.String(70), nullable=False),
        sa.Column("debtor_name", sa.String(70), nullable=False),
        sa.Column("debtor_iban", sa.String(34), nullable=False),
        sa.Column("debtor_bic", sa.String(11), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gemeente")),
        sa.UniqueConstraint("code", name=op.f("uq_gemeente_code")),
    )


def downgrade() -> None:
    op.drop_table("gemeente")
