# SPDX-License-Identifier: EUPL-1.2
"""A run's payments → one SEPA message → a checked pain.001 file.

Batches: one ``PmtInf`` per execution date and kind (vaste lasten, leefgeld), so the bank
statement shows a few batch lines (``BtchBookg`` true) the accountant recognises.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.sepa.model import (
    CreditTransfer,
    Party,
    PaymentBatch,
    PaymentMessage,
    PostalAddress,
    Remittance,
)

KIND_CODE = {"vaste_last": "VL", "leefgeld": "LG"}


def pmt_inf_id(msg_id: str, kind: str, execution_date: date) -> str:
    """``OZ-0439-202612-R7-VL-20261124``: message, kind and execution date."""
    return f"{msg_id}-{KIND_CODE[kind]}-{execution_date:%Y%m%d}"


def msg_id_for(gemeente: Gemeente, run: PaymentRun) -> str:
    """Unique per gemeente forever: the run id is never reused."""
    return f"OZ-{gemeente.code}-{run.period.replace('-', '')}-R{run.id}"


def end_to_end_id(period: str, run_id: int, household_id: int, slot: str) -> str:
    """Traceable to period, run, household and contract (``C…``) or leefgeld slot (``L…``).

    It comes back in every bank answer (pain.002, camt.053/054) and is the reconciliation key.
    """
    return f"OZ{period[2:4]}{period[5:7]}-R{run_id}-H{household_id}-{slot}"


@dataclass(frozen=True, slots=True)
class PaymentFields:
    """What the digest covers: exactly what the bank will be told to pay."""

    payment_key: str
    kind: str
    amount_cents: int
    execution_date: date
    creditor_name: str
    creditor_iban: str
    creditor_bic: str | None
    street: str | None
    building_number: str | None
    postcode: str | None
    town: str | None
    country: str
    remittance_kind: str
    remittance: str
    purpose: str | None

    @classmethod
    def of(cls, payment: Payment) -> PaymentFields:
        """The digest fields of a stored payment."""
        return cls(**{name: getattr(payment, name) for name in cls.__slots__})

    def line(self) -> str:
        """One canonical line (unit separator between fields) for the digest."""
        return "\x1f".join(
            "" if v is None else str(v) for v in (getattr(self, n) for n in self.__slots__)
        )


def payments_digest(payments: Iterable[PaymentFields]) -> str:
    """SHA-256 over the canonical lines of all payments, in payment-key order."""
    digest = hashlib.sha256()
    for fields in sorted(payments, key=lambda p: p.payment_key):
        digest.update(fields.line().encode())
        digest.update(b"\n")
    return digest.hexdigest()


def stored_payments_digest(session: Session, run_id: int) -> str:
    """The digest of a run's stored payments, read in payment-key order without ORM objects."""
    columns = [getattr(Payment, name) for name in PaymentFields.__slots__]
    rows = session.execute(
        select(*columns).where(Payment.run_id == run_id).order_by(Payment.payment_key)
    )
    return payments_digest(PaymentFields(*row) for row in rows)


def _remittance(payment: Payment) -> Remittance:
    if payment.remittance_kind == "betalingskenmerk":
        return Remittance.betalingskenmerk(payment.remittance)
    if payment.remittance_kind == "rf":
        return Remittance.rf(payment.remittance)
    return Remittance.free_text(payment.remittance)


def _transfer(payment: Payment) -> CreditTransfer:
    return CreditTransfer(
        end_to_end_id=payment.end_to_end_id,
        amount=Money(payment.amount_cents),
        creditor=Party(
            name=payment.creditor_name,
            iban=payment.creditor_iban,
            bic=payment.creditor_bic,
            address=None
            if payment.town is None
            else PostalAddress(
                town=payment.town,
                country=payment.country,
                street=payment.street,
                building_number=payment.building_number,
                postcode=payment.postcode,
            ),
        ),
        remittance=_remittance(payment),
        purpose=payment.purpose,
    )


def build_message(
    gemeente: Gemeente,
    run: PaymentRun,
    payments: Sequence[Payment],
    created_at: datetime,
    category_purpose: str | None,
) -> PaymentMessage:
    """The run as one SEPA message: batches by execution date and kind, in id order."""
    assert run.msg_id is not None
    batches: dict[str, list[Payment]] = {}
    for payment in sorted(payments, key=lambda p: p.id):
        batches.setdefault(payment.pmt_inf_id, []).append(payment)
    return PaymentMessage(
        msg_id=run.msg_id,
        created_at=created_at,
        initiating_party_name=gemeente.debtor_name,
        debtor=Party(name=gemeente.debtor_name, iban=gemeente.debtor_iban, bic=gemeente.debtor_bic),
        debtor_bic=gemeente.debtor_bic,
        batches=[
            PaymentBatch(
                pmt_inf_id=batch_id,
                execution_date=rows[0].execution_date,
                transfers=[_transfer(p) for p in rows],
                category_purpose=category_purpose,
            )
            for batch_id, rows in sorted(
                batches.items(), key=lambda kv: (kv[1][0].execution_date, kv[0])
            )
        ],
    )
