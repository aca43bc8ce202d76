# SPDX-License-Identifier: EUPL-1.2
"""Ledger tables. The migration ``0003`` adds the triggers that make them tamper-proof.

Sign convention: a posting's ``amount`` is signed, **debit positive, credit negative**, in
eurocents. An account's balance is the sum of its postings, so assets and expenses normally
have a positive balance and liabilities, income and equity a negative one.

Every row carries ``gemeente_id``. Postings reach their gemeente through two composite foreign
keys (to their transaction and to their account), which also guarantee that a posting, its
transaction and its account belong to the same gemeente.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from ontzorgen.db import Base, Cents, Id

__all__ = [
    "AccountKind",
    "BalanceLimit",
    "LedgerAccount",
    "LedgerBalance",
    "LedgerPeriod",
    "LedgerPosting",
    "LedgerTransaction",
    "PeriodStatus",
]

# "YYYY-MM" with a real month; the service checks the same with a regex (portable SQL here).
PERIOD_CHECK = (
    "length(period) = 7 AND substr(period, 5, 1) = '-' "
    "AND substr(period, 1, 4) BETWEEN '1900' AND '2999' "
    "AND substr(period, 6, 2) IN ('01','02','03','04','05','06','07','08','09','10','11','12')"
)


class AccountKind(enum.StrEnum):
    """The five kinds of account of double-entry bookkeeping."""

    ASSET = "asset"
    LIABILITY = "liability"
    INCOME = "income"
    EXPENSE = "expense"
    EQUITY = "equity"


class BalanceLimit(enum.StrEnum):
    """A limit on an account's signed balance (debit positive), checked by the database."""

    NONE = "none"
    NON_NEGATIVE = "non_negative"  # e.g. an advance to settle: never more settled than lent
    NON_POSITIVE = "non_positive"  # e.g. a household's payable: never more paid than granted


class PeriodStatus(enum.StrEnum):
    """A period is open until it is closed, and closed for good."""

    OPEN = "open"
    CLOSED = "closed"


class LedgerAccount(Base):
    """An account of a gemeente's chart, or a sub-account of one (per household or payee)."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "code"),
        # Target of the composite foreign keys that keep postings inside their gemeente.
        UniqueConstraint("gemeente_id", "id"),
        ForeignKeyConstraint(
            ["gemeente_id", "parent_id"],
            ["ledger_account.gemeente_id", "ledger_account.id"],
            name="fk_ledger_account_parent_id_ledger_account",
        ),
        CheckConstraint("kind IN ('asset','liability','income','expense','equity')", name="kind"),
        CheckConstraint(
            "balance_limit IN ('none','non_negative','non_positive')", name="balance_limit"
        ),
        # A sub-account has both a parent and a subject; a chart account has neither.
        CheckConstraint("(parent_id IS NULL) = (subject IS NULL)", name="subject_with_parent"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(Id, ForeignKey("gemeente.id"))
    code: Mapped[str] = mapped_column(String(160))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(9))
    parent_id: Mapped[int | None] = mapped_column(Id)
    subject: Mapped[str | None] = mapped_column(String(100))
    balance_limit: Mapped[str] = mapped_column(String(12), server_default="none")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class LedgerPeriod(Base):
    """A month of a gemeente's books: open, or closed for good."""

    __tablename__ = "ledger_period"
    __table_args__ = (
        CheckConstraint(PERIOD_CHECK, name="period_format"),
        CheckConstraint("status IN ('open','closed')", name="status"),
        CheckConstraint(
            "(status = 'open' AND closed_at IS NULL AND closed_by IS NULL) OR "
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name="closed_by_whom",
        ),
    )

    gemeente_id: Mapped[int] = mapped_column(Id, ForeignKey("gemeente.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[str] = mapped_column(String(6), server_default="open")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class LedgerTransaction(Base):
    """A balanced set of postings: who, when, why (rule) and under which idempotency key."""

    __tablename__ = "ledger_transaction"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "idempotency_key"),
        # Target of the postings' composite foreign key: same gemeente, same period.
        UniqueConstraint("id", "gemeente_id", "period"),
        # A transaction is reversed at most once.
        UniqueConstraint("reverses_id"),
        ForeignKeyConstraint(
            ["gemeente_id", "period"], ["ledger_period.gemeente_id", "ledger_period.period"]
        ),
        CheckConstraint("reverses_id IS NULL OR reverses_id <> id", name="not_self_reversal"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(Id, ForeignKey("gemeente.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the content, for retries
    booking_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(200))
    reverses_id: Mapped[int | None] = mapped_column(Id, ForeignKey("ledger_transaction.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class LedgerPosting(Base):
    """One line of a transaction: a signed amount on one account (debit positive)."""

    __tablename__ = "ledger_posting"
    __table_args__ = (
        # Deferred: on SQLite postings are written before their transaction row, and a
        # posting whose transaction never arrives is refused at COMMIT.
        ForeignKeyConstraint(
            ["transaction_id", "gemeente_id", "period"],
            [
                "ledger_transaction.id",
                "ledger_transaction.gemeente_id",
                "ledger_transaction.period",
            ],
            deferrable=True,
            initially="DEFERRED",
        ),
        ForeignKeyConstraint(
            ["gemeente_id", "account_id"], ["ledger_account.gemeente_id", "ledger_account.id"]
        ),
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        Index(None, "account_id", "period"),
    )

    transaction_id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    line: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    gemeente_id: Mapped[int] = mapped_column(Id)
    period: Mapped[str] = mapped_column(String(7))
    account_id: Mapped[int] = mapped_column(Id)
    amount: Mapped[int] = mapped_column(Cents)


class LedgerBalance(Base):
    """Per account and period: the debit and credit totals of its postings.

    Written only by the database's own triggers, in the same transaction as the postings, so
    that a balance never needs to scan all history.
    """

    __tablename__ = "ledger_balance"
    __table_args__ = (
        ForeignKeyConstraint(
            ["gemeente_id", "account_id"], ["ledger_account.gemeente_id", "ledger_account.id"]
        ),
        CheckConstraint("debit >= 0 AND credit >= 0", name="totals_not_negative"),
    )

    account_id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(Id)
    debit: Mapped[int] = mapped_column(Cents, server_default="0")
    credit: Mapped[int] = mapped_column(Cents, server_default="0")
