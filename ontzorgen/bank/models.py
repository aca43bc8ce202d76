# SPDX-License-Identifier: EUPL-1.2
"""Bank feedback tables: imported files, what each said, payment statuses, decisions.

Every row here is written once and never changed (migration ``0008`` makes the database refuse
it): a payment's status is the newest of its events, a decision that is taken back is followed
by a newer decision, and the history stays as it happened.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
)
from sqlalchemy.orm import Mapped, mapped_column

# The tables these rows point at, so that their foreign keys resolve in any process.
from ontzorgen.clients import models as _clients  # noqa: F401
from ontzorgen.db import Base, Cents, Id
from ontzorgen.gemeenten import models as _gemeenten  # noqa: F401
from ontzorgen.ledger import models as _ledger  # noqa: F401
from ontzorgen.runs import models as _runs  # noqa: F401

ITEM_KINDS = ("booked", "rejected", "returned", "accepted", "unidentified", "skipped")
PAYMENT_STATUSES = ("geaccepteerd", "uitgevoerd", "geweigerd", "teruggekomen")
DECISION_ACTIONS = ("herbetalen", "aan_huishouden", "vasthouden")


class BankFile(Base):
    """An imported bank file, stored whole with its SHA-256: imported once per gemeente."""

    __tablename__ = "bank_file"
    __table_args__ = (UniqueConstraint("gemeente_id", "sha256"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))  # CstmrPmtStsRpt, BkToCstmrStmt, …
    version: Mapped[str] = mapped_column(String(40))
    msg_id: Mapped[str] = mapped_column(String(35))
    filename: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankItem(Base):
    """One fact of a bank file that ontzorgen acted on: a booked payment, a reject, a return,
    an acceptance, or money nobody could match (``unidentified``, open until settled).

    ``item_key`` is unique per gemeente: the bank's reference (``AcctSvcrRef``) with the
    EndToEndId, or the original message with the EndToEndId and status for pain.002 — so the
    same booking in a camt.054 and the day's camt.053 is stored (and booked) once.
    """

    __tablename__ = "bank_item"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "item_key"),
        CheckConstraint(f"kind IN {ITEM_KINDS!r}", name="kind"),
        CheckConstraint("direction IS NULL OR direction IN ('CRDT', 'DBIT')", name="direction"),
        CheckConstraint("amount_cents >= 0", name="amount"),
        Index(None, "payment_id"),
        Index(None, "gemeente_id", "kind", "booking_date"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    bank_file_id: Mapped[int] = mapped_column(ForeignKey("bank_file.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    direction: Mapped[str | None] = mapped_column(String(4))
    amount_cents: Mapped[int] = mapped_column(Cents)
    booking_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date)
    status_code: Mapped[str | None] = mapped_column(String(8))  # BOOK, RJCT, ACCP, …
    reason_code: Mapped[str | None] = mapped_column(String(35))
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))
    pmt_inf_id: Mapped[str | None] = mapped_column(String(35))
    msg_id: Mapped[str | None] = mapped_column(String(35))
    acct_svcr_ref: Mapped[str | None] = mapped_column(String(35))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("payment_run.id"))
    ledger_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transaction.id"))
    note: Mapped[str | None] = mapped_column(String(500))  # why it could not be matched
    counterparty_name: Mapped[str | None] = mapped_column(String(140))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    remittance: Mapped[str | None] = mapped_column(String(500))
    line: Mapped[int | None] = mapped_column(Integer)


class PaymentEvent(Base):
    """A status the bank gave a payment, with the file and the item it came from.

    One event per payment and status: a payment is booked once, rejected once, returned once
    (a payment paid again is a new payment).
    """

    __tablename__ = "payment_event"
    __table_args__ = (
        UniqueConstraint("payment_id", "status"),
        CheckConstraint(f"status IN {PAYMENT_STATUSES!r}", name="status"),
        Index(None, "run_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"))
    status: Mapped[str] = mapped_column(String(12))
    reason_code: Mapped[str | None] = mapped_column(String(35))
    event_date: Mapped[date] = mapped_column(Date)
    bank_item_id: Mapped[int] = mapped_column(ForeignKey("bank_item.id"))
    bank_file_id: Mapped[int] = mapped_column(ForeignKey("bank_file.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankDecision(Base):
    """What the consulent or accountant decided for money in suspense: a rejected or returned
    payment (``payment_id``), or an unidentified credit (``bank_item_id``).

    ``herbetalen`` pays the payee again (after a corrected IBAN), ``aan_huishouden`` pays the
    household's own account, ``vasthouden`` keeps the money in suspense. Paying happens in the
    next correction run, with its four-eyes approval; the newest decision counts until one is
    carried out.
    """

    __tablename__ = "bank_decision"
    __table_args__ = (
        CheckConstraint(f"action IN {DECISION_ACTIONS!r}", name="action"),
        CheckConstraint("(payment_id IS NULL) <> (bank_item_id IS NULL)", name="payment_or_item"),
        CheckConstraint("bank_item_id IS NULL OR action <> 'herbetalen'", name="item_not_reissued"),
        CheckConstraint(
            "bank_item_id IS NULL OR action <> 'aan_huishouden' OR household_id IS NOT NULL",
            name="item_needs_household",
        ),
        Index(None, "payment_id"),
        Index(None, "bank_item_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    bank_item_id: Mapped[int | None] = mapped_column(ForeignKey("bank_item.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionApproval(Base):
    """The second pair of eyes on a re-issue or a refund: a different user than the one who
    decided (CHECK here, and a trigger that ``decided_by`` is the decision's own)."""

    __tablename__ = "decision_approval"
    __table_args__ = (CheckConstraint("approved_by <> decided_by", name="four_eyes"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("bank_decision.id"), unique=True)
    decided_by: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankReissue(Base):
    """The payment a correction run made to carry out a decision; the link from the new payment
    to the returned one. Only a link in an active (not cancelled) run counts."""

    __tablename__ = "bank_reissue"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("bank_decision.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class HouseholdEvent(Base):
    """Something that happened to a household that a budget coach should hear about, written
    by ontzorgen and read by others (budgetcoach): ontzorgen never calls them.

    ``kind`` is a stable name such as ``betaling_teruggekomen``; ``detail`` is JSON without
    personal data (payment id, contract id, category, amount, reason code).
    """

    __tablename__ = "household_event"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "event_key"),
        Index(None, "household_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    event_key: Mapped[str] = mapped_column(String(120))  # idempotency: one event per fact
    kind: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    detail: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
