# SPDX-License-Identifier: EUPL-1.2
"""retention: a narrow, switched exception to the append-only tables for removing personal data

After the gemeente's retention period (docs/privacy.md), ``ontzorgen retention apply`` replaces
the personal data of a household whose ontzorgen ended. Some of it sits in rows the database
otherwise never lets change (migrations 0004, 0006, 0008). This migration lets exactly these
columns change, and only to a pseudonymised value, and only while the retention switch is on:

- ``payment``: creditor name, IBAN, address and remittance (to ``verwijderd`` or NULL);
- ``bank_item``: counterparty name, IBAN and remittance (to ``verwijderd`` or NULL);
- ``bank_decision``: the free-text reason (to ``verwijderd``);
- ``run_file`` and ``bank_file``: the stored XML (to its pseudonymised copy; ``sha256`` stays
  the hash of the original, as the record of what was sent or received).

Every other column of those rows, and every DELETE and TRUNCATE, is refused as before; so is
any UPDATE without the switch. The switch: on PostgreSQL the transaction-local setting
``ontzorgen.retention = 'on'`` (``set_config(..., true)``: gone at COMMIT or ROLLBACK); on
SQLite a row in ``retention_switch``, inserted and deleted again inside the same transaction
(SQLite has one writer at a time, so no other connection ever sees it; a main-schema table,
because a trigger cannot rely on a temporary table that a connection may not have).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

MARKER = "verwijderd"

# The columns retention may change, per table; ``content`` is XML (its value is not checked).
RETENTION_COLUMNS = {
    "payment": (
        "creditor_name", "creditor_iban", "street", "building_number", "postcode", "town",
        "remittance",
    ),
    "bank_item": ("counterparty_name", "counterparty_iban", "remittance"),
    "bank_decision": ("reason",),
    "run_file": ("content",),
    "bank_file": ("content",),
}  # fmt: skip

# Every other column (SQLite triggers name their columns; PostgreSQL compares whole rows).
_KEPT_COLUMNS = {
    "payment": (
        "id", "gemeente_id", "run_id", "household_id", "contract_id", "payee_id", "period",
        "payment_key", "kind", "category", "amount_cents", "execution_date", "end_to_end_id",
        "pmt_inf_id", "creditor_bic", "country", "remittance_kind", "purpose", "rule",
        "ledger_transaction_id",
    ),
    "bank_item": (
        "id", "gemeente_id", "bank_file_id", "item_key", "kind", "direction", "amount_cents",
        "booking_date", "value_date", "status_code", "reason_code", "end_to_end_id", "pmt_inf_id",
        "msg_id", "acct_svcr_ref", "payment_id", "run_id", "ledger_transaction_id", "note", "line",
    ),
    "bank_decision": (
        "id", "gemeente_id", "payment_id", "bank_item_id", "household_id", "action",
        "decided_by", "decided_at",
    ),
    "run_file": (
        "id", "gemeente_id", "run_id", "message_version", "filename", "sha256", "size",
        "created_by", "created_at",
    ),
    "bank_file": (
        "id", "gemeente_id", "sha256", "kind", "version", "msg_id", "filename", "size",
        "imported_by", "imported_at",
    ),
}  # fmt: skip

# The tables whose UPDATE trigger was "always refuse" (0004, 0008); payment has its own guard.
_REFUSING = ("run_file", "bank_file", "bank_item", "bank_decision")

_PAYMENT_MESSAGE = (
    "ontzorgen:immutable a payment is never changed; only cancelling its run makes it inactive"
)

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
_PG_ALLOWS = f"""
CREATE FUNCTION ontzorgen_retention_allows(old_row jsonb, new_row jsonb, columns text[])
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('ontzorgen.retention', true), '') = 'on'
       AND (new_row - columns) = (old_row - columns)
       AND NOT EXISTS (
           SELECT 1 FROM jsonb_each(new_row) AS e
           WHERE e.key = ANY(columns) AND e.key <> 'content'
             AND e.value <> 'null'::jsonb AND e.value <> '"{MARKER}"'::jsonb
             AND e.value IS DISTINCT FROM old_row -> e.key)
$$"""

_PG_RETENTION_UPDATE = """
CREATE FUNCTION ontzorgen_retention_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ontzorgen_retention_allows(to_jsonb(OLD), to_jsonb(NEW), TG_ARGV) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ontzorgen:immutable % of % is not allowed', TG_OP, TG_TABLE_NAME;
END $$"""


def _pg_payment_guard(retention: bool) -> str:
    allow = (
        f"""
    IF ontzorgen_retention_allows(to_jsonb(OLD), to_jsonb(NEW),
                                  ARRAY{list(RETENTION_COLUMNS["payment"])!r}) THEN
        RETURN NEW;
    END IF;"""
        if retention
        else ""
    )
    return f"""
    CREATE OR REPLACE FUNCTION payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        deactivated payment;
    BEGIN
        deactivated := OLD;
        deactivated.active := false;
        IF OLD.active AND NEW IS NOT DISTINCT FROM deactivated THEN
            RETURN NEW;
        END IF;{allow}
        RAISE EXCEPTION '{_PAYMENT_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """


def _pg_up() -> list[str]:
    statements = [_PG_ALLOWS, _PG_RETENTION_UPDATE, _pg_payment_guard(retention=True)]
    for table in _REFUSING:
        columns = ", ".join(f"'{c}'" for c in RETENTION_COLUMNS[table])
        statements += [
            f"DROP TRIGGER {table}_immutable ON {table}",
            f"""CREATE TRIGGER {table}_immutable BEFORE DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ontzorgen_refuse_change()""",
            f"""CREATE TRIGGER {table}_retention BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ontzorgen_retention_update({columns})""",
        ]
    return statements


def _pg_down() -> list[str]:
    statements = [_pg_payment_guard(retention=False)]
    for table in _REFUSING:
        statements += [
            f"DROP TRIGGER {table}_retention ON {table}",
            f"DROP TRIGGER {table}_immutable ON {table}",
            f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ontzorgen_refuse_change()""",
        ]
    return [
        *statements,
        "DROP FUNCTION ontzorgen_retention_update()",
        "DROP FUNCTION ontzorgen_retention_allows(jsonb, jsonb, text[])",
    ]


# ---------------------------------------------------------------------------------------------
# SQLite
# ---------------------------------------------------------------------------------------------
def _changed(columns: Sequence[str]) -> str:
    return "(" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns) + ")"


def _sqlite_retention_ok(table: str) -> str:
    """The switch is on, nothing but the retention columns changed, each to a marker (or
    NULL)."""
    values = [
        f"(NEW.{c} IS OLD.{c} OR NEW.{c} IS NULL OR NEW.{c} = '{MARKER}')"
        for c in RETENTION_COLUMNS[table]
        if c != "content"
    ]
    return " AND ".join(
        [
            "EXISTS (SELECT 1 FROM retention_switch)",
            f"NOT {_changed(_KEPT_COLUMNS[table])}",
            *values,
        ]
    )


def _sqlite_refusing(table: str, retention: bool) -> str:
    when = f"WHEN NOT ({_sqlite_retention_ok(table)})" if retention else ""
    return f"""CREATE TRIGGER {table}_immutable_update BEFORE UPDATE ON {table} {when}
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable UPDATE of {table} is not allowed'); END"""


def _sqlite_payment(retention: bool) -> str:
    kept = _changed(_KEPT_COLUMNS["payment"])
    personal = _changed(RETENTION_COLUMNS["payment"])
    if retention:
        personal = f"({personal} AND NOT ({_sqlite_retention_ok('payment')}))"
    return f"""CREATE TRIGGER payment_immutable BEFORE UPDATE ON payment
    WHEN {kept} OR {personal}
    OR (NEW.active IS NOT OLD.active AND NOT (OLD.active = 1 AND NEW.active = 0))
    BEGIN SELECT RAISE(ABORT, '{_PAYMENT_MESSAGE}'); END"""


def _sqlite(retention: bool) -> list[str]:
    statements = ["DROP TRIGGER payment_immutable", _sqlite_payment(retention)]
    for table in _REFUSING:
        statements += [f"DROP TRIGGER {table}_immutable_update", _sqlite_refusing(table, retention)]
    return statements


def upgrade() -> None:
    # On both backends, so the schema is the same (PostgreSQL's triggers read the setting).
    op.create_table(
        "retention_switch",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_retention_switch_one")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_switch")),
    )
    # The day a household's personal data was removed (so a second run passes it by).
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(sa.Column("personal_data_removed_on", sa.Date(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite(retention=True) if sqlite else _pg_up():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite(retention=False) if sqlite else _pg_down():
        op.execute(statement)
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_column("personal_data_removed_on")
    op.drop_table("retention_switch")
