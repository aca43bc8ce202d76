# SPDX-License-Identifier: EUPL-1.2
"""run guards: payments are immutable, a run's state moves only along its edges, and what the
approval binds stays fixed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

After prepare, the database itself (PostgreSQL and SQLite) keeps what the accordeerder approves
equal to what the bank receives, whatever the code does and whoever has a SQL prompt:

- ``payment``: a row is never changed once inserted. The one exception is what cancelling a
  run does: ``active`` from true to false, nothing else. (An UPDATE that changes nothing is
  harmless and let through.) Payments are added only to a queued run of the same gemeente.
  Bank feedback records a payment's status in its own table, never in this row.
- ``payment_run``: the state moves only along the edges of the lifecycle::

      queued → prepared → approved → exported
      queued → failed → queued
      queued, prepared, approved, failed → cancelled        (cancelled and exported are final)

  Once a run has left ``queued``, what its approval binds is fixed: digest, inputs digest,
  counts, totals, execution date, message id, progress and report; gemeente, period, kind and
  origin never change. Who prepared, approved, exported or cancelled (and when) is written
  once, by that transition, and each state has its signature (an exported run has its file).
  ``error`` changes only when preparing fails (queued → failed) or is retried.

Every refusal raises a message starting with ``ontzorgen:<reason>`` (PostgreSQL: SQLSTATE 23000,
an integrity error), like the ledger's. The services never meet these refusals: they check
the same rules first and answer with a Dutch message.

On SQLite the payment guard names its columns: a migration that adds a column to ``payment``
must add it to that trigger (PostgreSQL compares whole rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

# Every column of ``payment`` but ``active`` (for the SQLite guard; PostgreSQL compares rows).
PAYMENT_COLUMNS = (
    "id", "gemeente_id", "run_id", "household_id", "contract_id", "payee_id", "period",
    "payment_key", "kind", "category", "amount_cents", "execution_date", "end_to_end_id",
    "pmt_inf_id", "creditor_name", "creditor_iban", "creditor_bic", "street", "building_number",
    "postcode", "town", "country", "remittance_kind", "remittance", "purpose", "rule",
    "ledger_transaction_id",
)  # fmt: skip

# payment_run: never changed; fixed once the run leaves 'queued'; one signature per transition.
RUN_ORIGIN = (
    "id", "gemeente_id", "period", "kind", "corrects_run_id", "correction_reason", "created_by",
    "created_at",
)  # fmt: skip
RUN_BOUND = (
    "msg_id", "execution_date", "digest", "inputs_digest", "payment_count", "total_cents",
    "shortfall_cents", "held_cents", "household_count", "progress_done", "progress_total",
    "report",
)  # fmt: skip
EDGES = (
    ("queued", "prepared"),
    ("queued", "failed"),
    ("failed", "queued"),
    ("prepared", "approved"),
    ("approved", "exported"),
    ("queued", "cancelled"),
    ("prepared", "cancelled"),
    ("approved", "cancelled"),
    ("failed", "cancelled"),
)
# (columns, the one transition that writes them (from states, to state))
SIGNATURES = (
    (("prepared_by", "prepared_at"), (("queued",), "prepared")),
    (("approved_by", "approved_at"), (("prepared",), "approved")),
    (("exported_by", "exported_at"), (("approved",), "exported")),
    (
        ("cancelled_by", "cancelled_at", "cancel_reason"),
        (("queued", "prepared", "approved", "failed"), "cancelled"),
    ),
)
# What a run must carry on entering a state.
NEEDS = {
    "prepared": ("prepared_by", "prepared_at", "msg_id", "digest", "inputs_digest"),
    "approved": ("approved_by", "approved_at"),
    "exported": ("exported_by", "exported_at"),
    "cancelled": ("cancelled_by", "cancelled_at", "cancel_reason"),
}

MESSAGES = {
    "payment": "ontzorgen:immutable a payment is never changed; only cancelling its run makes "
    "it inactive",
    "payment-insert": "ontzorgen:run-bound payments are added only to a queued run of the same "
    "gemeente",
    "origin": "ontzorgen:immutable a payment run keeps its gemeente, period, kind and origin",
    "edge": "ontzorgen:run-state a payment run moves only queued→prepared→approved→exported, "
    "queued→failed→queued, or to cancelled before export",
    "bound": "ontzorgen:run-bound once prepared, what the approval binds (digest, counts, "
    "totals, dates, message id, report) is fixed",
    "signature": "ontzorgen:run-signature who prepared, approved, exported or cancelled a run is "
    "written once, by that step",
    "error": "ontzorgen:run-error the error of a run changes only when preparing fails or is retried",
    "needs": "ontzorgen:run-incomplete a run enters a state only with its signature (and an "
    "exported run with its file)",
}


def _edge_list() -> str:
    return ", ".join(f"'{a}>{b}'" for a, b in EDGES)


def _states(states: Sequence[str]) -> str:
    return ", ".join(f"'{s}'" for s in states)


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
def _pg_raise(key: str) -> str:
    return f"RAISE EXCEPTION '{MESSAGES[key]}' USING ERRCODE = 'integrity_constraint_violation';"


def _pg_row(prefix: str, columns: Sequence[str]) -> str:
    return "(" + ", ".join(f"{prefix}.{c}" for c in columns) + ")"


def _pg_changed(columns: Sequence[str]) -> str:
    return f"{_pg_row('NEW', columns)} IS DISTINCT FROM {_pg_row('OLD', columns)}"


def _pg_run_guard() -> str:
    signatures = "\n".join(
        f"""
        IF {_pg_changed(columns)} AND NOT (
            OLD.state IN ({_states(sources)}) AND NEW.state = '{target}'
            AND {" AND ".join(f"OLD.{c} IS NULL" for c in columns)}) THEN
            {_pg_raise("signature")}
        END IF;"""
        for columns, (sources, target) in SIGNATURES
    )
    needs = " OR ".join(
        f"(NEW.state = '{state}' AND ({' OR '.join(f'NEW.{c} IS NULL' for c in columns)}))"
        for state, columns in NEEDS.items()
    )
    return f"""
    CREATE FUNCTION payment_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {_pg_changed(RUN_ORIGIN)} THEN
            {_pg_raise("origin")}
        END IF;
        IF NEW.state IS DISTINCT FROM OLD.state
           AND OLD.state || '>' || NEW.state NOT IN ({_edge_list()}) THEN
            {_pg_raise("edge")}
        END IF;
        IF OLD.state <> 'queued' AND {_pg_changed(RUN_BOUND)} THEN
            {_pg_raise("bound")}
        END IF;{signatures}
        IF NEW.error IS DISTINCT FROM OLD.error
           AND OLD.state || '>' || NEW.state NOT IN ('queued>failed', 'failed>queued') THEN
            {_pg_raise("error")}
        END IF;
        IF NEW.state IS DISTINCT FROM OLD.state AND ({needs}
            OR (NEW.state = 'exported'
                AND NOT EXISTS (SELECT 1 FROM run_file f WHERE f.run_id = NEW.id))) THEN
            {_pg_raise("needs")}
        END IF;
        RETURN NEW;
    END $$
    """


def _postgres_up() -> list[str]:
    return [
        # A payment row is never changed, except active true → false (cancel). The function
        # compares whole rows, so a column added later is covered too.
        f"""
        CREATE FUNCTION payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            deactivated payment;
        BEGIN
            deactivated := OLD;
            deactivated.active := false;
            IF OLD.active AND NEW IS NOT DISTINCT FROM deactivated THEN
                RETURN NEW;
            END IF;
            {_pg_raise("payment")}
        END $$
        """,
        """
        CREATE TRIGGER payment_immutable BEFORE UPDATE ON payment
            FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
            EXECUTE FUNCTION payment_guard()
        """,
        # Payments are added only to a queued run of the same gemeente (once per statement: a
        # run's COPY of thousands of rows costs one join).
        f"""
        CREATE FUNCTION payment_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM new_rows n JOIN payment_run r ON r.id = n.run_id
                WHERE r.state IN ('prepared', 'approved', 'exported')
                   OR r.gemeente_id <> n.gemeente_id) THEN
                {_pg_raise("payment-insert")}
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER payment_inserted AFTER INSERT ON payment
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION payment_inserted()
        """,
        _pg_run_guard(),
        """
        CREATE TRIGGER payment_run_guard BEFORE UPDATE ON payment_run
            FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
            EXECUTE FUNCTION payment_run_guard()
        """,
        # TRUNCATE skips row triggers: refuse it (ontzorgen_refuse_change is from 0004).
        """
        CREATE TRIGGER payment_no_truncate BEFORE TRUNCATE ON payment
            FOR EACH STATEMENT EXECUTE FUNCTION ontzorgen_refuse_change()
        """,
        """
        CREATE TRIGGER payment_run_no_truncate BEFORE TRUNCATE ON payment_run
            FOR EACH STATEMENT EXECUTE FUNCTION ontzorgen_refuse_change()
        """,
    ]


POSTGRES_TRIGGERS = (
    ("payment_immutable", "payment"),
    ("payment_inserted", "payment"),
    ("payment_run_guard", "payment_run"),
    ("payment_no_truncate", "payment"),
    ("payment_run_no_truncate", "payment_run"),
)
POSTGRES_FUNCTIONS = ("payment_guard", "payment_inserted", "payment_run_guard")


# ---------------------------------------------------------------------------------------------
# SQLite (row triggers with WHEN; one trigger per rule)
# ---------------------------------------------------------------------------------------------
def _sqlite_changed(columns: Sequence[str]) -> str:
    return "(" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns) + ")"


def _sqlite_trigger(
    name: str, when: str, key: str, table: str = "payment_run", timing: str = "BEFORE UPDATE"
) -> str:
    return f"""
    CREATE TRIGGER {name} {timing} ON {table}
    WHEN {when}
    BEGIN SELECT RAISE(ABORT, '{MESSAGES[key]}'); END
    """


def _sqlite_up() -> list[str]:
    statements = [
        _sqlite_trigger(
            "payment_immutable",
            f"{_sqlite_changed(PAYMENT_COLUMNS)} "
            "OR (NEW.active IS NOT OLD.active AND NOT (OLD.active = 1 AND NEW.active = 0))",
            "payment",
            table="payment",
        ),
        _sqlite_trigger(
            "payment_insert_queued",
            "NOT EXISTS (SELECT 1 FROM payment_run r WHERE r.id = NEW.run_id "
            "AND r.gemeente_id = NEW.gemeente_id "
            "AND r.state NOT IN ('prepared', 'approved', 'exported'))",
            "payment-insert",
            table="payment",
            timing="AFTER INSERT",
        ),
    ]
    # One rule per trigger, each stepping aside where an earlier one refuses, so a refusal
    # names the same rule as on PostgreSQL (SQLite's firing order is not part of its contract).
    rules = [
        ("run_keeps_origin", _sqlite_changed(RUN_ORIGIN), "origin"),
        (
            "run_state_edges",
            f"NEW.state IS NOT OLD.state AND OLD.state || '>' || NEW.state NOT IN ({_edge_list()})",
            "edge",
        ),
        ("run_bound", f"OLD.state <> 'queued' AND {_sqlite_changed(RUN_BOUND)}", "bound"),
    ]
    rules += [
        (
            f"run_signature_{target}",
            f"{_sqlite_changed(columns)} AND NOT (OLD.state IN ({_states(sources)}) "
            f"AND NEW.state = '{target}' "
            f"AND {' AND '.join(f'OLD.{c} IS NULL' for c in columns)})",
            "signature",
        )
        for columns, (sources, target) in SIGNATURES
    ]
    needs = " OR ".join(
        f"(NEW.state = '{state}' AND ({' OR '.join(f'NEW.{c} IS NULL' for c in columns)}))"
        for state, columns in NEEDS.items()
    )
    rules += [
        (
            "run_error",
            "NEW.error IS NOT OLD.error "
            "AND OLD.state || '>' || NEW.state NOT IN ('queued>failed', 'failed>queued')",
            "error",
        ),
        (
            "run_state_needs",
            f"NEW.state IS NOT OLD.state AND ({needs} OR (NEW.state = 'exported' "
            "AND NOT EXISTS (SELECT 1 FROM run_file f WHERE f.run_id = NEW.id)))",
            "needs",
        ),
    ]
    for index, (name, condition, key) in enumerate(rules):
        earlier = "".join(f" AND NOT ({c})" for _, c, _ in rules[:index])
        statements.append(_sqlite_trigger(name, f"({condition}){earlier}", key))
    return statements


SQLITE_TRIGGERS = (
    "payment_immutable",
    "payment_insert_queued",
    "run_keeps_origin",
    "run_state_edges",
    "run_bound",
    *(f"run_signature_{target}" for _, (_, target) in SIGNATURES),
    "run_error",
    "run_state_needs",
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres_up() if postgres else _sqlite_up():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for function in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
