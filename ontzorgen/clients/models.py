# SPDX-License-Identifier: EUPL-1.2
"""Households, persons, payees and vaste-last contracts as stored.

Every row belongs to one gemeente. Personal data (BSN, names, IBANs of people) is stored here
and nowhere else; nothing here is ever put in a URL
or a log line (URLs use ids and the gemeente's own references).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ontzorgen.db import Base, Cents, Id


class Household(Base):
    """A household under ontzorgen, known by the gemeente's own reference."""

    __tablename__ = "household"
    __table_args__ = (UniqueConstraint("gemeente_id", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35))
    leefvorm: Mapped[str] = mapped_column(String(24))
    kostendelende_medebewoners: Mapped[int] = mapped_column(Integer, default=0)
    vestigingsdatum: Mapped[date | None] = mapped_column(Date)
    iban: Mapped[str | None] = mapped_column(String(34))
    iban_name: Mapped[str | None] = mapped_column(String(70))
    # The household's address, for the creditor address of its leefgeld payments.
    street: Mapped[str | None] = mapped_column(String(70))
    building_number: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(16))
    town: Mapped[str | None] = mapped_column(String(35))
    opt_out_reason: Mapped[str | None] = mapped_column(String(500))
    opt_out_from: Mapped[date | None] = mapped_column(Date)
    # Set by ``ontzorgen retention apply`` (docs/privacy.md); the amounts stay.
    personal_data_removed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )

    persons: Mapped[list[Person]] = relationship(
        back_populates="household", lazy="raise", order_by="Person.id"
    )
    contracts: Mapped[list[Contract]] = relationship(
        back_populates="household", lazy="raise", order_by="Contract.id"
    )


class Person(Base):
    """A member of a household. The BSN is validated (elfproef) and unique per gemeente."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("gemeente_id", "bsn"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    bsn: Mapped[str] = mapped_column(String(9))
    name: Mapped[str] = mapped_column(String(140))  # as registered (BRP), Latin
    name_own_script: Mapped[str | None] = mapped_column(String(140))
    date_of_birth: Mapped[date] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(8), default="nl")
    doelgroep: Mapped[str] = mapped_column(String(24))
    permit_asiel_bepaalde_tijd: Mapped[bool] = mapped_column(Boolean)
    inburgeringsplichtig_wi2021: Mapped[bool] = mapped_column(Boolean)

    household: Mapped[Household] = relationship(back_populates="persons", lazy="raise")


class Payee(Base):
    """Who is paid: a woningcorporatie, energy supplier, water company, zorgverzekeraar."""

    __tablename__ = "payee"
    __table_args__ = (UniqueConstraint("gemeente_id", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(70))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    street: Mapped[str | None] = mapped_column(String(70))
    building_number: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(16))
    town: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str] = mapped_column(String(2))


class Contract(Base):
    """A vaste last of a household, paid to a payee. Amounts change by new versions only."""

    __tablename__ = "contract"
    __table_args__ = (UniqueConstraint("gemeente_id", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    payee_id: Mapped[int] = mapped_column(ForeignKey("payee.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35))
    category: Mapped[str] = mapped_column(String(24))
    payment_reference: Mapped[str] = mapped_column(String(140))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    handover_date: Mapped[date | None] = mapped_column(Date)
    consent_ground: Mapped[str | None] = mapped_column(String(24))
    consent_reason: Mapped[str | None] = mapped_column(String(500))

    household: Mapped[Household] = relationship(back_populates="contracts", lazy="raise")
    payee: Mapped[Payee] = relationship(lazy="raise")
    amounts: Mapped[list[ContractAmount]] = relationship(
        lazy="raise", order_by="ContractAmount.valid_from"
    )


class ContractAmount(Base):
    """The monthly amount of a contract from ``valid_from`` on: a rent increase is a new row."""

    __tablename__ = "contract_amount"
    __table_args__ = (UniqueConstraint("contract_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)


class BijstandRight(Base):
    """The right to bijstand of a household (the beschikking)."""

    __tablename__ = "bijstand_right"
    __table_args__ = (UniqueConstraint("gemeente_id", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    leefvorm: Mapped[str] = mapped_column(String(24))
    kostendelers: Mapped[int] = mapped_column(Integer)


class SuppliedAmount(Base):
    """A month's net bijstand computed by the gemeente's inkomen system, with its reference."""

    __tablename__ = "supplied_amount"
    __table_args__ = (UniqueConstraint("right_id", "period"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("bijstand_right.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    amount_cents: Mapped[int] = mapped_column(Cents)
    vt_accrual_cents: Mapped[int | None] = mapped_column(Cents)
    reference: Mapped[str] = mapped_column(String(70))


class Voorschot(Base):
    """A voorschot (Pw art. 52) paid before the right was fixed; settled against bijstand."""

    __tablename__ = "voorschot"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)


class Deduction(Base):
    """A monthly deduction with its reason (income, loan repayment), for a range of months."""

    __tablename__ = "deduction"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(140))
    amount_cents: Mapped[int] = mapped_column(Cents)
    first_period: Mapped[str] = mapped_column(String(7))
    last_period: Mapped[str | None] = mapped_column(String(7))


class WindowExtension(Base):
    """An extension of the ontzorgen window beyond six months, only with a recorded ground."""

    __tablename__ = "window_extension"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    ground: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500))
    end_date: Mapped[date] = mapped_column(Date)


class RetentionSwitch(Base):
    """On SQLite, a row here (only ever inside the retention's own transaction) lets the
    append-only tables' triggers accept the pseudonymisation of personal columns (migration
    0010). PostgreSQL uses the transaction-local setting ``ontzorgen.retention`` instead."""

    __tablename__ = "retention_switch"
    __table_args__ = (CheckConstraint("id = 1", name="one"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


LETTER_KINDS = ("start", "overdracht")


class PayeeLetter(Base):
    """A letter to a payee marked as sent: from ``effective_date`` the gemeente pays the
    contract (``start``) or the household pays it itself again (``overdracht``).

    Which letters are due is derived from the contracts (ontzorgen.clients.letters); this table
    only records that one was sent, once (unique per contract, kind and date) and for good: the
    database refuses UPDATE and DELETE (migration 0011). A new handover date is a new letter.
    No personal data here (the payment reference may hold an address; retention clears it on
    the contract), so nothing in this append-only table outlives the retention period.
    """

    __tablename__ = "payee_letter"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", "effective_date"),
        CheckConstraint(f"kind IN {LETTER_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    effective_date: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_by: Mapped[str] = mapped_column(String(64))
