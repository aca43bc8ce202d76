# SPDX-License-Identifier: EUPL-1.2
"""A run's payments → one SEPA message → a checked pain.001 file.

Batches: one ``PmtInf`` per execution date and kind (vaste lasten, leefgeld), so the bank
statement shows a few batch lines (``BtchBookg`` true) the accountant recognises.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, overload

from sqlalchemy import func, select
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

    def line(self) -> str:
        """One canonical line (unit separator between fields) for the digest."""
        return "\x1f".join(
            "" if v is None else str(v) for v in (getattr(self, n) for n in self.__slots__)
        )


# The columns a payment row is inserted with (prepare, and the reissues of a correction run).
PAYMENT_ROW_COLUMNS = (
    "gemeente_id", "run_id", "household_id", "contract_id", "payee_id", "period", "active",
    "category", "end_to_end_id", "pmt_inf_id", "rule", "ledger_transaction_id",
    *PaymentFields.__slots__,
)  # fmt: skip


def stored_payments_digest(session: Session, run_id: int) -> str:
    """SHA-256 over the canonical lines of a run's stored payments, in payment-key order.

    Streamed from the database in byte order of the key (``COLLATE "C"`` on PostgreSQL;
    SQLite compares bytes already), so the digest is the same on both and never needs all
    payments in memory.
    """
    key = Payment.payment_key
    if session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")  # type: ignore[assignment]
    columns = [getattr(Payment, name) for name in PaymentFields.__slots__]
    rows = session.execute(
        select(*columns)
        .where(Payment.run_id == run_id)
        .order_by(key)
        .execution_options(yield_per=10_000)
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(PaymentFields(*row).line().encode())
        digest.update(b"\n")
    return digest.hexdigest()


_TRANSFER_COLUMNS = (
    Payment.end_to_end_id, Payment.amount_cents, Payment.creditor_name, Payment.creditor_iban,
    Payment.creditor_bic, Payment.town, Payment.country, Payment.street, Payment.building_number,
    Payment.postcode, Payment.remittance_kind, Payment.remittance, Payment.purpose,
)  # fmt: skip


def _remittance(kind: str, text: str) -> Remittance:
    if kind == "betalingskenmerk":
        return Remittance.betalingskenmerk(text)
    if kind == "rf":
        return Remittance.rf(text)
    return Remittance.free_text(text)


def _transfer(row: Sequence[Any]) -> CreditTransfer:
    (e2e, cents, name, iban, bic, town, country, street, number, postcode, kind, text,
     purpose) = row  # fmt: skip
    address = (
        None
        if town is None
        else PostalAddress(town, country, street=street, building_number=number, postcode=postcode)
    )
    return CreditTransfer(
        end_to_end_id=e2e,
        amount=Money(cents),
        creditor=Party(name=name, iban=iban, bic=bic, address=address),
        remittance=_remittance(kind, text),
        purpose=purpose,
    )


class StoredTransfers(Sequence[CreditTransfer]):
    """The transfers of one batch, read from the database each time they are walked.

    A run of 100,000 households has half a million payments: the writer walks each batch a
    few times (checks, totals, writing), and streaming the rows each time keeps the export's
    memory flat instead of holding every payment as an object.
    """

    def __init__(self, session: Session, run_id: int, pmt_inf_id: str, count: int) -> None:
        self._session, self._run_id, self._pmt_inf_id, self._count = (
            session, run_id, pmt_inf_id, count,
        )  # fmt: skip

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CreditTransfer]:
        query = (
            select(*_TRANSFER_COLUMNS)
            .where(
                Payment.run_id == self._run_id,
                Payment.pmt_inf_id == self._pmt_inf_id,
                Payment.active.is_(True),
            )
            .order_by(Payment.id)
            .execution_options(yield_per=5_000)
        )
        for row in self._session.execute(query):
            yield _transfer(tuple(row))

    @overload
    def __getitem__(self, index: int) -> CreditTransfer: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CreditTransfer]: ...
    def __getitem__(self, index: int | slice) -> CreditTransfer | Sequence[CreditTransfer]:
        items = list(self)  # only for completeness: the writer walks, it does not index
        return items[index]


def build_message(
    session: Session,
    gemeente: Gemeente,
    run: PaymentRun,
    created_at: datetime,
    category_purpose: str | None,
) -> PaymentMessage:
    """The run as one SEPA message: batches by execution date and kind, payments in id order,
    streamed from the database."""
    assert run.msg_id is not None
    batches = session.execute(
        select(Payment.pmt_inf_id, Payment.execution_date, func.count())
        .where(Payment.run_id == run.id, Payment.active.is_(True))
        .group_by(Payment.pmt_inf_id, Payment.execution_date)
        .order_by(Payment.execution_date, Payment.pmt_inf_id)
    ).all()
    return PaymentMessage(
        msg_id=run.msg_id,
        created_at=created_at,
        initiating_party_name=gemeente.debtor_name,
        debtor=Party(name=gemeente.debtor_name, iban=gemeente.debtor_iban, bic=gemeente.debtor_bic),
        debtor_bic=gemeente.debtor_bic,
        batches=[
            PaymentBatch(
                pmt_inf_id=batch_id,
                execution_date=execution_date,
                transfers=StoredTransfers(session, run.id, batch_id, count),
                category_purpose=category_purpose,
            )
            for batch_id, execution_date, count in batches
        ],
    )
