# SPDX-License-Identifier: EUPL-1.2
"""Which payment a bank line is about: by EndToEndId first, then by batch (``PmtInfId`` with
``NbOfTxs`` and ``TtlAmt``) for a batch booking without details. Read-only.

Only payments the bank can have seen are candidates: active payments of exported runs of the
gemeente. A line that matches nothing, or matches in part, is never dropped: the importer books
it as unidentified, to be settled by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ontzorgen.bank.models import PaymentEvent
from ontzorgen.ledger.service import subaccount_code
from ontzorgen.runs.booking import BETALINGEN_ONDERWEG, CREDITEUREN
from ontzorgen.runs.models import Payment, PaymentRun

_CHUNK = 5000


@dataclass(slots=True)
class KnownPayment:
    """What matching and booking need of a payment, and the statuses it has so far."""

    id: int
    run_id: int
    household_id: int
    contract_id: int | None
    payee_id: int | None
    kind: str
    category: str
    amount_cents: int
    end_to_end_id: str
    pmt_inf_id: str
    msg_id: str
    statuses: set[str] = field(default_factory=set)

    @property
    def clearing_account(self) -> str:
        """The account the payment waits on until the bank books it (see runs/booking.py)."""
        if self.kind == "leefgeld":
            return BETALINGEN_ONDERWEG
        return subaccount_code(CREDITEUREN, f"payee:{self.payee_id}")

    @property
    def settled(self) -> bool:
        """Booked or rejected by the bank: its outgoing leg has an answer."""
        return bool(self.statuses & {"uitgevoerd", "geweigerd"})


_COLUMNS = (
    Payment.id, Payment.run_id, Payment.household_id, Payment.contract_id, Payment.payee_id,
    Payment.kind, Payment.category, Payment.amount_cents, Payment.end_to_end_id,
    Payment.pmt_inf_id, PaymentRun.msg_id,
)  # fmt: skip


def _with_statuses(session: Session, found: list[KnownPayment]) -> list[KnownPayment]:
    by_id = {p.id: p for p in found}
    ids = list(by_id)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(PaymentEvent.payment_id, PaymentEvent.status).where(
                PaymentEvent.payment_id.in_(ids[start : start + _CHUNK])
            )
        )
        for payment_id, status in rows:
            by_id[payment_id].statuses.add(status)
    return found


def _exported_where(
    session: Session, gemeente_id: int, column: InstrumentedAttribute[str], values: Iterable[str]
) -> list[KnownPayment]:
    """The exported payments whose ``column`` is one of ``values``, with their statuses."""
    wanted = sorted(set(values))
    found: list[KnownPayment] = []
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(*_COLUMNS)
            .join(PaymentRun, PaymentRun.id == Payment.run_id)
            .where(
                Payment.gemeente_id == gemeente_id,
                Payment.active.is_(True),
                PaymentRun.state == "exported",
                column.in_(wanted[start : start + _CHUNK]),
            )
            .order_by(Payment.id)
        )
        found.extend(KnownPayment(*row) for row in rows)
    return _with_statuses(session, found)


def by_end_to_end_id(
    session: Session, gemeente_id: int, ids: Iterable[str]
) -> dict[str, KnownPayment]:
    """The exported payments with these EndToEndIds (unique per gemeente)."""
    found = _exported_where(session, gemeente_id, Payment.end_to_end_id, ids)
    return {p.end_to_end_id: p for p in found}


def by_batch(
    session: Session, gemeente_id: int, pmt_inf_ids: Iterable[str]
) -> dict[str, list[KnownPayment]]:
    """The exported payments of each batch (``PmtInfId``), in id order."""
    batches: dict[str, list[KnownPayment]] = defaultdict(list)
    for payment in _exported_where(session, gemeente_id, Payment.pmt_inf_id, pmt_inf_ids):
        batches[payment.pmt_inf_id].append(payment)
    return dict(batches)


def exported_run(session: Session, gemeente_id: int, msg_id: str) -> PaymentRun | None:
    """The exported run whose pain.001 had this ``MsgId``."""
    return session.scalar(
        select(PaymentRun).where(
            PaymentRun.gemeente_id == gemeente_id,
            PaymentRun.msg_id == msg_id,
            PaymentRun.state == "exported",
        )
    )


def of_run(session: Session, run_id: int) -> list[KnownPayment]:
    """Every active payment of a run, with its statuses."""
    rows = session.execute(
        select(*_COLUMNS)
        .join(PaymentRun, PaymentRun.id == Payment.run_id)
        .where(Payment.run_id == run_id, Payment.active.is_(True))
        .order_by(Payment.id)
    )
    return _with_statuses(session, [KnownPayment(*row) for row in rows])
