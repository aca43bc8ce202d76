# SPDX-License-Identifier: EUPL-1.2
"""ledger: accounts, periods, transactions, postings, balances, and the triggers that guard them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The database itself keeps the ledger's invariants, on PostgreSQL and on SQLite, so that no code
path (nor a person with a SQL prompt) can lose, invent or rewrite a cent. Every refusal raises a
message starting with ``ontzorgen:<reason>``; ``ontzorgen.ledger.errors`` turns those into typed
domain errors. See docs/ledger.md for the whole picture.

Write order differs per dialect, because only PostgreSQL has deferred triggers:
- PostgreSQL: transaction row first, then all its postings in ONE statement; a statement-level
  trigger checks the postings, and a deferred constraint trigger re-checks every new transaction
  at COMMIT (it catches a transaction row that never received postings).
- SQLite: postings first, then the transaction row, whose AFTER INSERT trigger checks them; a
  posting for an existing transaction row is refused, and the DEFERRABLE foreign key from
  posting to transaction refuses, at COMMIT, postings whose transaction row never came.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Cents = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

PERIOD_CHECK = (
    "length(period) = 7 AND substr(period, 5, 1) = '-' "
    "AND substr(period, 1, 4) BETWEEN '1900' AND '2999' "
    "AND substr(period, 6, 2) IN ('01','02','03','04','05','06','07','08','09','10','11','12')"
)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.current_timestamp(),
        nullable=False,
    )


def _tables() -> None:
    op.create_table(
        "ledger_account",
        sa.Column("id", Id, primary_key=True),
        sa.Column("gemeente_id", Id, nullable=False),
        sa.Column("code", sa.String(160), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(9), nullable=False),
        sa.Column("parent_id", Id, nullable=True),
        sa.Column("subject", sa.String(100), nullable=True),
        sa.Column("balance_limit", sa.String(12), server_default="none", nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
        sa.UniqueConstraint("gemeente_id", "code", name=op.f("uq_ledger_account_gemeente_id_code")),
        sa.UniqueConstraint("gemeente_id", "id", name=op.f("uq_ledger_account_gemeente_id_id")),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_ledger_account_gemeente_id_gemeente")
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id", "parent_id"],
            ["ledger_account.gemeente_id", "ledger_account.id"],
            name=op.f("fk_ledger_account_parent_id_ledger_account"),
        ),
        sa.CheckConstraint(
            "kind IN ('asset','liability','income','expense','equity')",
            name=op.f("ck_ledger_account_kind"),
        ),
        sa.CheckConstraint(
            "balance_limit IN ('none','non_negative','non_positive')",
            name=op.f("ck_ledger_account_balance_limit"),
        ),
        sa.CheckConstraint(
            "(parent_id IS NULL) = (subject IS NULL)",
            name=op.f("ck_ledger_account_subject_with_parent"),
        ),
    )
    op.create_table(
        "ledger_period",
        sa.Column("gemeente_id", Id, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("status", sa.String(6), server_default="open", nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("gemeente_id", "period", name=op.f("pk_ledger_period")),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_ledger_period_gemeente_id_gemeente")
        ),
        sa.CheckConstraint(PERIOD_CHECK, name=op.f("ck_ledger_period_period_format")),
        sa.CheckConstraint("status IN ('open','closed')", name=op.f("ck_ledger_period_status")),
        sa.CheckConstraint(
            "(status = 'open' AND closed_at IS NULL AND closed_by IS NULL) OR "
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name=op.f("ck_ledger_period_closed_by_whom"),
        ),
    )
    op.create_table(
        "ledger_transaction",
        sa.Column("id", Id, primary_key=True),
        sa.Column("gemeente_id", Id, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("reverses_id", Id, nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transaction")),
        sa.UniqueConstraint(
            "gemeente_id",
            "idempotency_key",
            name=op.f("uq_ledger_transaction_gemeente_id_idempotency_key"),
        ),
        sa.UniqueConstraint(
            "id", "gemeente_id", "period", name=op.f("uq_ledger_transaction_id_gemeente_id_period")
        ),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_ledger_transaction_reverses_id")),
        sa.ForeignKeyConstraint(
            ["gemeente_id"],
            ["gemeente.id"],
            name=op.f("fk_ledger_transaction_gemeente_id_gemeente"),
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id", "period"],
            ["ledger_period.gemeente_id", "ledger_period.period"],
            name=op.f("fk_ledger_transaction_gemeente_id_ledger_period"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_ledger_transaction_reverses_id_ledger_transaction"),
        ),
        sa.CheckConstraint(
            "reverses_id IS NULL OR reverses_id <> id",
            name=op.f("ck_ledger_transaction_not_self_reversal"),
        ),
    )
    op.create_table(
        "ledger_posting",
        sa.Column("transaction_id", Id, nullable=False, autoincrement=False),
        sa.Column("line", sa.SmallInteger(), nullable=False, autoincrement=False),
        sa.Column("gemeente_id", Id, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("amount", Cents, nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", "line", name=op.f("pk_ledger_posting")),
        sa.ForeignKeyConstraint(
            ["transaction_id", "gemeente_id", "period"],
            [
                "ledger_transaction.id",
                "ledger_transaction.gemeente_id",
                "ledger_transaction.period",
            ],
            name=op.f("fk_ledger_posting_transaction_id_ledger_transaction"),
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id", "account_id"],
            ["ledger_account.gemeente_id", "ledger_account.id"],
            name=op.f("fk_ledger_posting_gemeente_id_ledger_account"),
        ),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_posting_amount_not_zero")),
    )
    op.create_index(
        op.f("ix_ledger_posting_account_id"), "ledger_posting", ["account_id", "period"]
    )
    op.create_table(
        "ledger_balance",
        sa.Column("account_id", Id, nullable=False, autoincrement=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("gemeente_id", Id, nullable=False),
        sa.Column("debit", Cents, server_default="0", nullable=False),
        sa.Column("credit", Cents, server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("account_id", "period", name=op.f("pk_ledger_balance")),
        sa.ForeignKeyConstraint(
            ["gemeente_id", "account_id"],
            ["ledger_account.gemeente_id", "ledger_account.id"],
            name=op.f("fk_ledger_balance_gemeente_id_ledger_account"),
        ),
        sa.CheckConstraint(
            "debit >= 0 AND credit >= 0", name=op.f("ck_ledger_balance_totals_not_negative")
        ),
    )


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
# Every refusal uses SQLSTATE 23000 (integrity_constraint_violation), so drivers report it as an
# integrity error, and a message starting with "ontzorgen:<reason>".
POSTGRES_UP = [
    # Guards: postings and transactions are never updated or deleted; corrections are reversals.
    """
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ontzorgen:immutable % of % is not allowed', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """,
    """
    CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE OR DELETE ON ledger_posting
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_posting_no_truncate BEFORE TRUNCATE ON ledger_posting
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_transaction_immutable BEFORE UPDATE OR DELETE ON ledger_transaction
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_transaction_no_truncate BEFORE TRUNCATE ON ledger_transaction
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    # Guard: an account is never deleted, and only its name may change (its code, kind, parent,
    # subject, limit and gemeente are what its postings mean).
    """
    CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND (NEW.id, NEW.gemeente_id, NEW.code, NEW.kind, NEW.parent_id, NEW.subject,
                NEW.balance_limit)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.gemeente_id, OLD.code, OLD.kind, OLD.parent_id, OLD.subject,
                OLD.balance_limit) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'ontzorgen:immutable % of ledger_account is not allowed', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """,
    """
    CREATE TRIGGER ledger_account_guard BEFORE UPDATE OR DELETE ON ledger_account
        FOR EACH ROW EXECUTE FUNCTION ledger_account_guard()
    """,
    """
    CREATE TRIGGER ledger_account_no_truncate BEFORE TRUNCATE ON ledger_account
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    # Guard: a period only ever goes from open to closed, and only when its postings balance;
    # a closed period is never reopened, and no period is deleted.
    """
    CREATE FUNCTION ledger_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'ontzorgen:immutable DELETE of ledger_period is not allowed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.status = 'closed' THEN
            RAISE EXCEPTION 'ontzorgen:period-closed period % is closed for good', OLD.period
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (NEW.gemeente_id, NEW.period) IS DISTINCT FROM (OLD.gemeente_id, OLD.period) THEN
            RAISE EXCEPTION 'ontzorgen:immutable a period keeps its gemeente and month'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status = 'closed' AND EXISTS (
            SELECT 1 FROM ledger_balance b
            WHERE b.gemeente_id = NEW.gemeente_id AND b.period = NEW.period
            HAVING coalesce(sum(b.debit - b.credit), 0) <> 0
        ) THEN
            RAISE EXCEPTION 'ontzorgen:period-unbalanced period % does not balance', NEW.period
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER ledger_period_guard BEFORE UPDATE OR DELETE ON ledger_period
        FOR EACH ROW EXECUTE FUNCTION ledger_period_guard()
    """,
    """
    CREATE TRIGGER ledger_period_no_truncate BEFORE TRUNCATE ON ledger_period
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    # Guard: balances are written only by the posting trigger below (trigger depth > 1), never
    # by a statement of their own.
    """
    CREATE FUNCTION ledger_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF pg_trigger_depth() <= 1 THEN
            RAISE EXCEPTION 'ontzorgen:immutable balances are kept by the database only'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_balance_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_balance
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_balance_guard()
    """,
    """
    CREATE TRIGGER ledger_balance_no_truncate BEFORE TRUNCATE ON ledger_balance
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()
    """,
    # Guard: no transaction in a closed period (the period rows are locked FOR SHARE, so a
    # concurrent close waits for this unit of work), and its booking date lies in its period.
    """
    CREATE FUNCTION ledger_transaction_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bad text;
    BEGIN
        PERFORM 1 FROM ledger_period p
            WHERE (p.gemeente_id, p.period) IN (SELECT DISTINCT gemeente_id, period FROM new_rows)
            FOR SHARE OF p;
        SELECT n.idempotency_key INTO bad FROM new_rows n
            JOIN ledger_period p USING (gemeente_id, period)
            WHERE p.status <> 'open' LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:period-closed transaction % is in a closed period', bad
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        SELECT n.idempotency_key INTO bad FROM new_rows n
            WHERE to_char(n.booking_date, 'YYYY-MM') <> n.period LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:booking-date transaction % is booked outside its period',
                bad USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_transaction_inserted AFTER INSERT ON ledger_transaction
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_transaction_inserted()
    """,
    # Guard (deferred, checked at COMMIT): every new transaction has at least two postings that
    # sum to zero, and a reversal is the exact mirror image of the transaction it reverses.
    """
    CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        total bigint;
        lines integer;
    BEGIN
        SELECT coalesce(sum(amount), 0), count(*) INTO total, lines
            FROM ledger_posting WHERE transaction_id = NEW.id;
        IF lines < 2 OR total <> 0 THEN
            RAISE EXCEPTION 'ontzorgen:unbalanced transaction % has % postings summing to % cents',
                NEW.idempotency_key, lines, total
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.reverses_id IS NOT NULL AND EXISTS (
            (SELECT account_id, -amount FROM ledger_posting WHERE transaction_id = NEW.reverses_id
             EXCEPT ALL
             SELECT account_id, amount FROM ledger_posting WHERE transaction_id = NEW.id)
            UNION ALL
            (SELECT account_id, amount FROM ledger_posting WHERE transaction_id = NEW.id
             EXCEPT ALL
             SELECT account_id, -amount FROM ledger_posting WHERE transaction_id = NEW.reverses_id)
        ) THEN
            RAISE EXCEPTION 'ontzorgen:not-a-mirror transaction % does not mirror %',
                NEW.idempotency_key, NEW.reverses_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced()
    """,
    # Guards on new postings, once per statement (set-based, so a payment run of 100,000
    # transactions costs a few joins, not 400,000 trigger calls):
    # - their transaction row exists, is visible, and has the same gemeente and period;
    # - their transaction had no postings before this statement (all postings of a transaction
    #   arrive in one statement; nothing is ever added to an existing transaction);
    # - each transaction's postings sum to zero and number at least two;
    # - the balances are updated, and the limited accounts never breach their limit: those
    #   accounts are locked first (ordered, so concurrent writers queue instead of deadlocking)
    #   and their totals are read after the lock, so no concurrent update is lost.
    """
    CREATE FUNCTION ledger_posting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bad bigint;
    BEGIN
        SELECT n.transaction_id INTO bad FROM new_rows n
            WHERE NOT EXISTS (
                SELECT 1 FROM ledger_transaction t
                WHERE t.id = n.transaction_id AND t.gemeente_id = n.gemeente_id
                  AND t.period = n.period)
            LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:orphan-posting posting for transaction % has no '
                'matching transaction row', bad USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        SELECT q.transaction_id INTO bad
            FROM (SELECT transaction_id, count(*) AS lines, sum(amount) AS total
                  FROM new_rows GROUP BY transaction_id) q
            WHERE q.lines < 2 OR q.total <> 0 LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:unbalanced postings of transaction % do not balance', bad
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        SELECT q.transaction_id INTO bad
            FROM (SELECT transaction_id, count(*) AS lines FROM new_rows
                  GROUP BY transaction_id) q
            WHERE q.lines <> (SELECT count(*) FROM ledger_posting p
                              WHERE p.transaction_id = q.transaction_id)
            LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:posting-after-transaction transaction % already has '
                'postings', bad USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        PERFORM 1 FROM ledger_account a
            WHERE a.id IN (SELECT DISTINCT account_id FROM new_rows)
              AND a.balance_limit <> 'none'
            ORDER BY a.id FOR NO KEY UPDATE OF a;
        INSERT INTO ledger_balance AS b (account_id, period, gemeente_id, debit, credit)
            SELECT account_id, period, min(gemeente_id),
                   sum(greatest(amount, 0)), sum(greatest(-amount, 0))
            FROM new_rows GROUP BY account_id, period
            ON CONFLICT (account_id, period) DO UPDATE
            SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
        SELECT a.id INTO bad FROM ledger_account a
            JOIN ledger_balance b ON b.account_id = a.id
            WHERE a.id IN (SELECT DISTINCT account_id FROM new_rows)
              AND a.balance_limit <> 'none'
            GROUP BY a.id, a.balance_limit
            HAVING (a.balance_limit = 'non_negative' AND sum(b.debit - b.credit) < 0)
                OR (a.balance_limit = 'non_positive' AND sum(b.debit - b.credit) > 0)
            LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'ontzorgen:limit-exceeded account % would breach its limit', bad
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ledger_posting_inserted AFTER INSERT ON ledger_posting
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_inserted()
    """,
]

POSTGRES_FUNCTIONS = [
    "ledger_refuse_change",
    "ledger_account_guard",
    "ledger_period_guard",
    "ledger_balance_guard",
    "ledger_transaction_inserted",
    "ledger_transaction_balanced",
    "ledger_posting_inserted",
]

# ---------------------------------------------------------------------------------------------
# SQLite (no deferred triggers, no statement-level triggers: postings first, see the top)
# ---------------------------------------------------------------------------------------------
SQLITE_UP = [
    # Guards: postings and transactions are never updated or deleted.
    """
    CREATE TRIGGER ledger_posting_no_update BEFORE UPDATE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable UPDATE of ledger_posting is not allowed'); END
    """,
    """
    CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable DELETE of ledger_posting is not allowed'); END
    """,
    """
    CREATE TRIGGER ledger_transaction_no_update BEFORE UPDATE ON ledger_transaction
    BEGIN
        SELECT RAISE(ABORT, 'ontzorgen:immutable UPDATE of ledger_transaction is not allowed');
    END
    """,
    """
    CREATE TRIGGER ledger_transaction_no_delete BEFORE DELETE ON ledger_transaction
    BEGIN
        SELECT RAISE(ABORT, 'ontzorgen:immutable DELETE of ledger_transaction is not allowed');
    END
    """,
    # Guard: an account is never deleted, and only its name may change.
    """
    CREATE TRIGGER ledger_account_no_update BEFORE UPDATE ON ledger_account
    WHEN NEW.id IS NOT OLD.id OR NEW.gemeente_id IS NOT OLD.gemeente_id
      OR NEW.code IS NOT OLD.code OR NEW.kind IS NOT OLD.kind
      OR NEW.parent_id IS NOT OLD.parent_id OR NEW.subject IS NOT OLD.subject
      OR NEW.balance_limit IS NOT OLD.balance_limit
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable UPDATE of ledger_account is not allowed'); END
    """,
    """
    CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable DELETE of ledger_account is not allowed'); END
    """,
    # Guard: a period only goes from open to closed, only when it balances, and never back.
    """
    CREATE TRIGGER ledger_period_no_reopen BEFORE UPDATE ON ledger_period
    WHEN OLD.status = 'closed'
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:period-closed a closed period is closed for good'); END
    """,
    """
    CREATE TRIGGER ledger_period_keeps_key BEFORE UPDATE ON ledger_period
    WHEN NEW.gemeente_id IS NOT OLD.gemeente_id OR NEW.period IS NOT OLD.period
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable a period keeps its gemeente and month'); END
    """,
    """
    CREATE TRIGGER ledger_period_close_balanced BEFORE UPDATE ON ledger_period
    WHEN NEW.status = 'closed' AND coalesce((
        SELECT sum(debit - credit) FROM ledger_balance
        WHERE gemeente_id = NEW.gemeente_id AND period = NEW.period), 0) <> 0
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:period-unbalanced the period does not balance'); END
    """,
    """
    CREATE TRIGGER ledger_period_no_delete BEFORE DELETE ON ledger_period
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:immutable DELETE of ledger_period is not allowed'); END
    """,
    # Guard: a posting is written before its transaction row; once that row exists (committed or
    # not), nothing can be added to the transaction.
    """
    CREATE TRIGGER ledger_posting_before_transaction BEFORE INSERT ON ledger_posting
    WHEN EXISTS (SELECT 1 FROM ledger_transaction WHERE id = NEW.transaction_id)
    BEGIN
        SELECT RAISE(ABORT, 'ontzorgen:posting-after-transaction the transaction already exists');
    END
    """,
    # Balances: kept per account and period in the same transaction as the posting.
    """
    CREATE TRIGGER ledger_posting_balance AFTER INSERT ON ledger_posting
    BEGIN
        INSERT OR IGNORE INTO ledger_balance (account_id, period, gemeente_id, debit, credit)
            VALUES (NEW.account_id, NEW.period, NEW.gemeente_id, 0, 0);
        UPDATE ledger_balance
            SET debit = debit + max(NEW.amount, 0), credit = credit + max(-NEW.amount, 0)
            WHERE account_id = NEW.account_id AND period = NEW.period;
    END
    """,
    # Guard: the transaction row arrives after its postings; they must number at least two and
    # sum to zero.
    """
    CREATE TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
    WHEN (SELECT count(*) FROM ledger_posting WHERE transaction_id = NEW.id) < 2
      OR (SELECT coalesce(sum(amount), 0) FROM ledger_posting WHERE transaction_id = NEW.id) <> 0
    BEGIN
        SELECT RAISE(ABORT, 'ontzorgen:unbalanced a transaction needs 2+ postings summing to 0');
    END
    """,
    # Guard: nothing is posted into a closed period (SQLite has one writer at a time, so no
    # close can slip in between).
    """
    CREATE TRIGGER ledger_transaction_period_open AFTER INSERT ON ledger_transaction
    WHEN (SELECT status FROM ledger_period
          WHERE gemeente_id = NEW.gemeente_id AND period = NEW.period) IS NOT 'open'
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:period-closed the period is closed'); END
    """,
    # Guard: the booking date lies in the transaction's period (dates are stored as ISO text).
    """
    CREATE TRIGGER ledger_transaction_booking_date AFTER INSERT ON ledger_transaction
    WHEN substr(NEW.booking_date, 1, 7) <> NEW.period
    BEGIN
        SELECT RAISE(ABORT, 'ontzorgen:booking-date the booking date is outside the period');
    END
    """,
    # Guard: the limited accounts of this transaction's postings stay within their limit. Every
    # posting is followed by its transaction row, so the last check on an account sees all of
    # its postings.
    """
    CREATE TRIGGER ledger_transaction_limits AFTER INSERT ON ledger_transaction
    WHEN EXISTS (
        SELECT 1 FROM ledger_account a
        WHERE a.id IN (SELECT account_id FROM ledger_posting WHERE transaction_id = NEW.id)
          AND ((a.balance_limit = 'non_negative'
                AND (SELECT sum(debit - credit) FROM ledger_balance
                     WHERE account_id = a.id) < 0)
            OR (a.balance_limit = 'non_positive'
                AND (SELECT sum(debit - credit) FROM ledger_balance
                     WHERE account_id = a.id) > 0)))
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:limit-exceeded an account would breach its limit'); END
    """,
    # Guard: a reversal is the exact mirror image of the transaction it reverses.
    """
    CREATE TRIGGER ledger_transaction_mirror AFTER INSERT ON ledger_transaction
    WHEN NEW.reverses_id IS NOT NULL AND EXISTS (
        SELECT account_id, -amount FROM ledger_posting WHERE transaction_id = NEW.reverses_id
        EXCEPT
        SELECT account_id, amount FROM ledger_posting WHERE transaction_id = NEW.id
        UNION ALL
        SELECT account_id, amount FROM ledger_posting WHERE transaction_id = NEW.id
        EXCEPT
        SELECT account_id, -amount FROM ledger_posting WHERE transaction_id = NEW.reverses_id)
    BEGIN SELECT RAISE(ABORT, 'ontzorgen:not-a-mirror a reversal must mirror the original'); END
    """,
]


def upgrade() -> None:
    _tables()
    statements = POSTGRES_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    # Dropping a table drops its triggers; the PostgreSQL functions go afterwards.
    for table in [
        "ledger_balance",
        "ledger_posting",
        "ledger_transaction",
        "ledger_period",
        "ledger_account",
    ]:
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        for function in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
