# SPDX-License-Identifier: EUPL-1.2
"""corrections: run lines, what each run booked per household and plan line

A correction run pays only the difference between the plans now and what earlier runs of the
period booked; ``run_line`` is that record. Its rows are never changed or removed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_SQLITE_TRIGGERS = (
    """CREATE TRIGGER run_line_immutable_update BEFORE UPDATE ON run_line
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable UPDATE of run_line is not allowed'); END""",
    """CREATE TRIGGER run_line_immutable_delete BEFORE DELETE ON run_line
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable DELETE of run_line is not allowed'); END""",
)
# ontzorgen_refuse_change() comes from migration 0004.
_POSTGRES_TRIGGERS = (
    """CREATE TRIGGER run_line_immutable BEFORE UPDATE OR DELETE ON run_line
    FOR EACH ROW EXECUTE FUNCTION ontzorgen_refuse_change()""",
    """CREATE TRIGGER run_line_no_truncate BEFORE TRUNCATE ON run_line
    FOR EACH STATEMENT EXECUTE FUNCTION ontzorgen_refuse_change()""",
)


def upgrade() -> None:
    op.create_table(
        "run_line",
        sa.Column("id", _ID, nullable=False),
        sa.Column("gemeente_id", _ID, nullable=False),
        sa.Column("run_id", _ID, nullable=False),
        sa.Column("household_id", _ID, nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("line_key", sa.String(length=80), nullable=False),
        sa.Column("amount_cents", _ID, nullable=False),
        sa.Column("ledger_transaction_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_run_line_gemeente_id_gemeente")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_run_line_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["ledger_transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_run_line_ledger_transaction_id_ledger_transaction"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["payment_run.id"], name=op.f("fk_run_line_run_id_payment_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_line")),
        sa.UniqueConstraint(
            "run_id",
            "household_id",
            "line_key",
            name=op.f("uq_run_line_run_id_household_id_line_key"),
        ),
    )
    with op.batch_alter_table("run_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_line_household_id"), ["household_id"], unique=False
        )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_TRIGGERS if sqlite else _POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("run_line_immutable_update", "run_line_immutable_delete"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name in ("run_line_immutable", "run_line_no_truncate"):
            op.execute(f"DROP TRIGGER {name} ON run_line")
    with op.batch_alter_table("run_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_line_household_id"))
    op.drop_table("run_line")
