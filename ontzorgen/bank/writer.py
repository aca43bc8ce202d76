# SPDX-License-Identifier: EUPL-1.2
"""Writing what a bank file said: bank items, their balanced ledger transactions, payment
events and household events — new ones only, so nothing is stored or booked twice.

A line already stored (its key: the bank's ``AcctSvcrRef`` with the EndToEndId, or the
original message with the EndToEndId and status) is skipped whole, and counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.bank.matching import KnownPayment
from ontzorgen.bank.models import BankFile, BankItem, HouseholdEvent, PaymentEvent
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.money import Money
from ontzorgen.runs.booking import NOG_TE_BEPALEN, TUSSENREKENING

# Chart-of-accounts codes the bank feedback books on (see docs/reconciliation.md).
BANK: Final = "bank"
SUSPENSE: Final = TUSSENREKENING
UNIDENTIFIED: Final = NOG_TE_BEPALEN
CHUNK: Final = 2000  # bank lines matched and booked per step


@dataclass
class ImportSummary:
    """What an import did, as the CLI and the API show it."""

    bank_file_id: int
    already_imported: bool
    kind: str
    version: str
    msg_id: str
    counts: Counter[str] = field(default_factory=Counter)
    cents: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bank_file_id": self.bank_file_id,
            "already_imported": self.already_imported,
            "kind": self.kind,
            "version": self.version,
            "msg_id": self.msg_id,
            "counts": dict(sorted(self.counts.items())),
            "cents": dict(sorted(self.cents.items())),
        }


@dataclass
class Item:
    """A bank item to store, with the payment status it gives (if any)."""

    key: str
    kind: str
    amount_cents: int
    booking_date: date
    direction: str | None = None
    value_date: date | None = None
    status_code: str | None = None
    reason_code: str | None = None
    end_to_end_id: str | None = None
    pmt_inf_id: str | None = None
    msg_id: str | None = None
    acct_svcr_ref: str | None = None
    payment: KnownPayment | None = None
    note: str | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    remittance: str | None = None
    line: int | None = None
    status: str | None = None  # the payment event it records
    run_id: int | None = None  # the run an unmatched line is about, when known


@dataclass
class Booking:
    """One ledger transaction-to-be and the items it books."""

    key: str
    description: str
    rule: str
    booking_date: date
    value_date: date
    postings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    items: list[Item] = field(default_factory=list)


class BankWriter:
    """Stores what an import found, chunk by chunk, exactly once: new bank items, their
    ledger transactions and the payment statuses they give."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        gemeente: Gemeente,
        file: BankFile,
        summary: ImportSummary,
        today: date,
        now: datetime,
    ) -> None:
        self.session, self.actor, self.gemeente, self.file = session, actor, gemeente, file
        self.summary, self.today, self.now = summary, today, now
        self.seen: set[str] = set()  # item keys of this file, against repeats inside it
        self.pending: list[Booking] = []
        self.status_only: list[Item] = []

    def add(self, booking: Booking) -> None:
        self.pending.append(booking)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Store what is pending: new items only, their bookings, their payment events."""
        keys = [i.key for b in self.pending for i in b.items] + [i.key for i in self.status_only]
        existing = self._existing_keys(keys)
        bookings = [b for b in self.pending if self._new(b.items, existing)]
        ids = self._post(bookings)
        items: list[tuple[Item, int | None]] = [
            (item, tid)
            for booking, tid in zip(bookings, ids, strict=True)
            for item in booking.items
        ]
        items += [(item, None) for item in self.status_only if self._new([item], existing)]
        self._store(items)
        self.pending, self.status_only = [], []

    def _new(self, items: list[Item], existing: set[str]) -> bool:
        """Whether a line's items are new; a line stored before (or earlier in this file) is
        skipped whole, counted, and the statuses it would have set are taken back."""
        if not any(i.key in existing or i.key in self.seen for i in items):
            self.seen.update(i.key for i in items)
            return True
        self.summary.counts["al_ingelezen"] += len(items)
        for item in items:
            if item.payment is not None and item.status is not None:
                item.payment.statuses.discard(item.status)
        return False

    def _existing_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 5000):
            found.update(
                self.session.scalars(
                    select(BankItem.item_key).where(
                        BankItem.gemeente_id == self.gemeente.id,
                        BankItem.item_key.in_(keys[start : start + 5000]),
                    )
                )
            )
        return found

    def _post(self, bookings: list[Booking]) -> list[int]:
        if not bookings:
            return []
        chart = ledger.open_default_chart(self.session, self.gemeente.id)
        codes = sorted({c for b in bookings for c in b.postings} - set(chart))
        accounts = chart | ledger.account_ids(self.session, self.gemeente.id, codes)
        return ledger.post_batch(
            self.session,
            self.actor,
            self.gemeente.id,
            [
                ledger.NewTransaction(
                    idempotency_key=b.key,
                    booking_date=b.booking_date,
                    value_date=b.value_date,
                    period=ledger.period_of(b.booking_date),
                    description=b.description,
                    rule=b.rule,
                    postings=tuple(
                        (accounts[code], Money(cents))
                        for code, cents in sorted(b.postings.items())
                        if cents
                    ),
                )
                for b in bookings
            ],
        )

    def _store(self, items: list[tuple[Item, int | None]]) -> None:
        rows = []
        for item, tid in items:
            payment = item.payment
            rows.append(
                BankItem(
                    gemeente_id=self.gemeente.id,
                    bank_file_id=self.file.id,
                    item_key=item.key,
                    kind=item.kind,
                    direction=item.direction,
                    amount_cents=item.amount_cents,
                    booking_date=item.booking_date,
                    value_date=item.value_date,
                    status_code=item.status_code,
                    reason_code=item.reason_code,
                    end_to_end_id=item.end_to_end_id,
                    pmt_inf_id=item.pmt_inf_id,
                    msg_id=item.msg_id,
                    acct_svcr_ref=item.acct_svcr_ref,
                    payment_id=payment.id if payment else None,
                    run_id=payment.run_id if payment else item.run_id,
                    ledger_transaction_id=tid,
                    note=item.note,
                    counterparty_name=item.counterparty_name,
                    counterparty_iban=item.counterparty_iban,
                    remittance=item.remittance,
                    line=item.line,
                )
            )
            self.summary.counts[item.kind] += 1
            self.summary.cents[item.kind] += item.amount_cents
        self.session.add_all(rows)
        self.session.flush()
        events, household_events = [], []
        for (item, _), row in zip(items, rows, strict=True):
            payment = item.payment
            if payment is None or item.status is None:
                continue
            events.append(
                PaymentEvent(
                    gemeente_id=self.gemeente.id,
                    payment_id=payment.id,
                    run_id=payment.run_id,
                    status=item.status,
                    reason_code=item.reason_code,
                    event_date=item.booking_date,
                    bank_item_id=row.id,
                    bank_file_id=self.file.id,
                    recorded_at=self.now,
                )
            )
            if item.status in ("geweigerd", "teruggekomen"):
                household_events.append(
                    HouseholdEvent(
                        gemeente_id=self.gemeente.id,
                        household_id=payment.household_id,
                        event_key=f"payment:{payment.id}:{item.status}",
                        kind=f"betaling_{item.status}",
                        occurred_on=item.booking_date,
                        detail=json.dumps(
                            {
                                "payment_id": payment.id,
                                "run_id": payment.run_id,
                                "contract_id": payment.contract_id,
                                "kind": payment.kind,
                                "category": payment.category,
                                "amount_cents": payment.amount_cents,
                                "reason_code": item.reason_code,
                            }
                        ),
                        recorded_at=self.now,
                    )
                )
        self.session.add_all(events)
        self.session.add_all(household_events)
        self.session.flush()
