# SPDX-License-Identifier: EUPL-1.2
"""Payment runs, their payments and their exported file.

A payment row is a snapshot of everything its SEPA transaction needs (creditor name, IBAN, BIC,
address, remittance), taken at prepare: the file can be rebuilt from the database alone, and
the approval digest covers exactly what will be paid. Payments are never deleted; a cancelled
run's payments become inactive, which frees their payment key for a new run.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ontzorgen.db import Base, Cents, Id

RUN_STATES = ("queued", "prepared", "approved", "exported", "cancelled", "failed")

# What a person reads: the database and the API's ``state`` keep the English values above.
RUN_STATE_LABELS = {
    "queued": "in de wachtrij",
    "prepared": "voorbereid",
    "approved": "geaccordeerd",
    "exported": "geëxporteerd",
    "cancelled": "geannuleerd",
    "failed": "mislukt",
}
RUN_KIND_LABELS = {"regular": "regulier", "correction": "correctie"}


def state_label(state: str) -> str:
    """The Dutch word for a run state, as the CLI, the API and messages show it."""
    return RUN_STATE_LABELS.get(state, state)


def kind_label(kind: str) -> str:
    """The Dutch word for a run kind."""
    return RUN_KIND_LABELS.get(kind, kind)


class PaymentRun(Base):
    """One run of a gemeente for a period: regular (one per period) or a correction."""

    __tablename__ = "payment_run"
    __table_args__ = (
        CheckConstraint(f"state IN {RUN_STATES!r}", name="state"),
        CheckConstraint("kind IN ('regular', 'correction')", name="kind"),
        CheckConstraint(
            "(kind = 'regular' AND corrects_run_id IS NULL AND correction_reason IS NULL) OR "
            "(kind = 'correction' AND corrects_run_id IS NOT NULL "
            "AND correction_reason IS NOT NULL)",
            name="correction_has_reason",
        ),
        CheckConstraint("approved_by IS NULL OR approved_by <> prepared_by", name="four_eyes"),
        # One regular run per gemeente and period (a cancelled one no longer counts).
        Index(
            "uq_payment_run_regular_period",
            "gemeente_id",
            "period",
            unique=True,
            sqlite_where=text("kind = 'regular' AND state <> 'cancelled'"),
            postgresql_where=text("kind = 'regular' AND state <> 'cancelled'"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(10))
    corrects_run_id: Mapped[int | None] = mapped_column(ForeignKey("payment_run.id"))
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(10))
    execution_date: Mapped[date | None] = mapped_column(Date)
    msg_id: Mapped[str | None] = mapped_column(String(35))
    digest: Mapped[str | None] = mapped_column(String(64))  # of the payments
    inputs_digest: Mapped[str | None] = mapped_column(String(64))  # of the facts behind them
    payment_count: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Cents, default=0)
    shortfall_cents: Mapped[int] = mapped_column(Cents, default=0)
    held_cents: Mapped[int] = mapped_column(Cents, default=0)
    household_count: Mapped[int] = mapped_column(Integer, default=0)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str | None] = mapped_column(Text)  # JSON: shortfalls, held, signals
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    prepared_by: Mapped[str | None] = mapped_column(String(64))
    prepared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exported_by: Mapped[str | None] = mapped_column(String(64))
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))


class Payment(Base):
    """One credit transfer: a vaste last to its payee, or leefgeld to the household."""

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "end_to_end_id"),
        CheckConstraint("amount_cents > 0", name="positive"),
        CheckConstraint("kind IN ('vaste_last', 'leefgeld')", name="kind"),
        CheckConstraint(
            "remittance_kind IN ('ustrd', 'betalingskenmerk', 'rf')", name="remittance_kind"
        ),
        # One payment per household, contract (or leefgeld slot) and period, among active ones.
        Index(
            "uq_payment_active_key",
            "gemeente_id",
            "payment_key",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    payee_id: Mapped[int | None] = mapped_column(ForeignKey("payee.id"))
    period: Mapped[str] = mapped_column(String(7))
    payment_key: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(24))
    amount_cents: Mapped[int] = mapped_column(Cents)
    execution_date: Mapped[date] = mapped_column(Date)
    end_to_end_id: Mapped[str] = mapped_column(String(35))
    pmt_inf_id: Mapped[str] = mapped_column(String(35))
    creditor_name: Mapped[str] = mapped_column(String(140))
    creditor_iban: Mapped[str] = mapped_column(String(34))
    creditor_bic: Mapped[str | None] = mapped_column(String(11))
    street: Mapped[str | None] = mapped_column(String(70))
    building_number: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(16))
    town: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str] = mapped_column(String(2))
    remittance_kind: Mapped[str] = mapped_column(String(16))
    remittance: Mapped[str] = mapped_column(String(140))
    purpose: Mapped[str | None] = mapped_column(String(4))
    rule: Mapped[str] = mapped_column(String(120))
    ledger_transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transaction.id"))


class RunFile(Base):
    """The exported pain.001 of a run: stored once, immutable, with its SHA-256."""

    __tablename__ = "run_file"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"), unique=True)
    message_version: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class RunLine(Base):
    """What one run booked for one plan line of one household: the record a correction
    compares against, and the origin that held leefgeld cites when it is released.

    ``line_key`` is stable across plans (``bijstand``, ``withholding:<contract id>``,
    ``share`` — the household's own part, leefgeld plus held — …); ``amount_cents`` is signed:
    a correction records its difference, negative when a line went down. Rows are never
    changed or removed (a cancelled run's rows stop counting with the run).
    """

    __tablename__ = "run_line"
    __table_args__ = (UniqueConstraint("run_id", "household_id", "line_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    line_key: Mapped[str] = mapped_column(String(80))
    amount_cents: Mapped[int] = mapped_column(Cents)
    ledger_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transaction.id"))
