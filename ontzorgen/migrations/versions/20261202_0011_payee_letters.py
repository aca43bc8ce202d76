# SPDX-License-Identifier: EUPL-1.2
"""payee letters: which letters to landlords and suppliers were sent, once and for good

A row says that the letter telling a payee who pays a contract from ``effective_date`` on was
sent (``start``: the gemeente pays; ``overdracht``: the household pays itself again), by whom
and when. The database keeps it honest: a letter is marked sent once (unique per contract, kind
and date), the row is never changed or removed (UPDATE, DELETE and TRUNCATE are refused) and it
belongs to the contract's own gemeente (a trigger). It holds no personal data (the letter's
text is derived from the contract again), so retention (0010) has nothing to remove here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_SQLITE = (
    *(
        f"""CREATE TRIGGER payee_letter_immutable_{name.lower()} BEFORE {name} ON payee_letter
        BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable {name} of payee_letter is not allowed');
        END"""
        for name in ("UPDATE", "DELETE")
    ),
    """CREATE TRIGGER payee_letter_contract_gemeente BEFORE INSERT ON payee_letter
    WHEN NEW.gemeente_id IS NOT (SELECT gemeente_id FROM contract WHERE id = NEW.contract_id)
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:gemeente the letter is not of the contract''s gemeente');
    END""",
)
# ontzorgen_refuse_change() comes from migration 0004.
_POSTGRES = (
    """CREATE TRIGGER payee_letter_immutable BEFORE UPDATE OR DELETE ON payee_letter
    FOR EACH ROW EXECUTE FUNCTION ontzorgen_refuse_change()""",
    """CREATE TRIGGER payee_letter_no_truncate BEFORE TRUNCATE ON payee_letter
    FOR EACH STATEMENT EXECUTE FUNCTION ontzorgen_refuse_change()""",
    """CREATE FUNCTION ontzorgen_letter_gemeente() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.gemeente_id IS DISTINCT FROM
           (SELECT gemeente_id FROM contract WHERE id = NEW.contract_id) THEN
            RAISE EXCEPTION 'ontzorgen:gemeente the letter is not of the contract''s gemeente';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER payee_letter_contract_gemeente BEFORE INSERT ON payee_letter
    FOR EACH ROW EXECUTE FUNCTION ontzorgen_letter_gemeente()""",
)


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "payee_letter",
        sa.Column("id", big_id, nullable=False),
        sa.Column("gemeente_id", big_id, nullable=False),
        sa.Column("contract_id", big_id, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('start', 'overdracht')", name=op.f("ck_payee_letter_kind")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_payee_letter_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_payee_letter_gemeente_id_gemeente")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payee_letter")),
        sa.UniqueConstraint(
            "contract_id",
            "kind",
            "effective_date",
            name=op.f("uq_payee_letter_contract_id_kind_effective_date"),
        ),
    )
    with op.batch_alter_table("payee_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payee_letter_contract_id"), ["contract_id"])
        batch_op.create_index(batch_op.f("ix_payee_letter_gemeente_id"), ["gemeente_id"])
    for statement in _SQLITE if _is_sqlite() else _POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("payee_letter")
    if not _is_sqlite():
        op.execute("DROP FUNCTION ontzorgen_letter_gemeente()")
