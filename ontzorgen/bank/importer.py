# SPDX-License-Identifier: EUPL-1.2
"""Import a bank file: match every line to its payment and book what it means, exactly once.

Ledger effects, each a balanced transaction (debit positive):

=====================================  ===================================  ====================
what the bank said                      debit                                credit
=====================================  ===================================  ====================
a batch (or payment) booked (camt)      the payments' clearing accounts      bank
a payment rejected (pain.002 RJCT)      the payment's clearing account       tussenrekening
a payment returned (camt, RtrInf)       bank                                 tussenrekening
money nobody can match, coming in       bank                                 nog te bepalen
money nobody can match, going out       nog te bepalen                       bank
=====================================  ===================================  ====================

A payment's clearing account is the payee's crediteur account (vaste last) or *betalingen
onderweg* (leefgeld). Exactly once: a file is imported once per gemeente (its SHA-256), a bank
line once (its ``AcctSvcrRef`` with the EndToEndId), a status once per payment — each backed by
a unique key in the database. The whole file is one unit of work: a malformed file, or one
line that cannot be booked, stores nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.bank import matching
from ontzorgen.bank.matching import KnownPayment
from ontzorgen.bank.models import BankFile, BankItem, HouseholdEvent, PaymentEvent
from ontzorgen.bank.reasons import describe
from ontzorgen.errors import Conflict, InvalidInput
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.logs import get_logger
from ontzorgen.money import Money
from ontzorgen.sepa import feedback as fb

log = get_logger(__name__)

BANK: Final = "bank"
SUSPENSE: Final = "tussenrekening"
UNIDENTIFIED: Final = "nog-te-bepalen-ontvangsten"
MAX_FILE_BYTES: Final = 256 * 1024 * 1024  # a month of camt.053 for 100,000 households fits
CHUNK: Final = 2000  # bank lines matched and booked per step
_ACCEPTED: Final = frozenset({"ACCP", "ACSC", "ACTC", "ACWC", "ACSP"})
_NOT_ADDING_UP: Final = "de transacties tellen niet op tot het bedrag van de regel"
_SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]+")


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
class _Item:
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
class _Booking:
    """One ledger transaction-to-be and the items it books."""

    key: str
    description: str
    rule: str
    booking_date: date
    value_date: date
    postings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    items: list[_Item] = field(default_factory=list)


def _adds_up(entry: fb.Entry) -> bool:
    """One transaction, or several whose amounts are all given and sum to the line."""
    if len(entry.transactions) == 1:
        amount = entry.transactions[0].amount_cents
        return amount is None or amount == entry.amount_cents
    amounts = [t.amount_cents for t in entry.transactions]
    return None not in amounts and sum(a or 0 for a in amounts) == entry.amount_cents


def _cents(value: int | None) -> int:
    return 0 if value is None else value


class _Importer:
    """One import: holds the file row and books chunk by chunk."""

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
        self.pending: list[_Booking] = []
        self.status_only: list[_Item] = []

    # -- camt ------------------------------------------------------------------------------------
    def statement(self, record: fb.Statement) -> None:
        iban = (record.account_iban or "").replace(" ", "").upper()
        if iban and iban != self.gemeente.debtor_iban.replace(" ", "").upper():
            raise InvalidInput(
                f"Stmt[{record.id}]/Acct/Id/IBAN",
                "dit afschrift is van een andere rekening dan de betaalrekening van de gemeente",
            )

    def entries(self, entries: Sequence[fb.Entry]) -> None:
        ids = {t.original_end_to_end_id or t.end_to_end_id for e in entries for t in e.transactions}
        payments = matching.by_end_to_end_id(self.session, self.gemeente.id, ids - {None})  # type: ignore[arg-type]
        batch_ids = {b.pmt_inf_id for e in entries if not e.transactions for b in e.batches}
        batches = matching.by_batch(self.session, self.gemeente.id, batch_ids - {None})  # type: ignore[arg-type]
        for entry in entries:
            if (entry.status or "BOOK").upper() != "BOOK":
                self.summary.counts["niet_geboekt"] += 1  # pending or informational: later
                continue
            if entry.direction == "DBIT" and not entry.reversal:
                self._debit(entry, payments, batches)
            else:
                self._credit(entry, payments)
        self.flush()

    def _entry_key(self, entry: fb.Entry) -> str:
        if entry.acct_svcr_ref:
            return f"camt:{entry.acct_svcr_ref}"
        # Without the bank's reference: what the line says, so the same line in a camt.054
        # and a camt.053 still gets the same key.
        refs = ",".join(sorted(t.end_to_end_id or "" for t in entry.transactions))
        batch = ",".join(b.pmt_inf_id or "" for b in entry.batches)
        text = f"{entry.direction}|{entry.amount_cents}|{entry.booking_date}|{refs}|{batch}"
        return f"camt:h{hashlib.sha256(text.encode()).hexdigest()[:32]}"

    def _booking(self, entry: fb.Entry, what: str) -> _Booking:
        day = entry.booking_date or self.today
        return _Booking(
            key=f"bank:{self._entry_key(entry)}",
            description=f"Bankafschrift {self.file.msg_id}: {what}"[:500],
            rule=f"{self.file.version}: {what}"[:200],
            booking_date=day,
            value_date=entry.value_date or day,
        )

    def _item(self, entry: fb.Entry, suffix: str, kind: str, amount: int, **kw: Any) -> _Item:
        return _Item(
            key=f"{self._entry_key(entry)}:{suffix}",
            kind=kind,
            amount_cents=amount,
            booking_date=entry.booking_date or self.today,
            direction=entry.direction,
            value_date=entry.value_date,
            status_code=entry.status,
            acct_svcr_ref=entry.acct_svcr_ref,
            line=entry.line,
            **kw,
        )

    def _unidentified(
        self,
        entry: fb.Entry,
        booking: _Booking,
        amount: int,
        suffix: str,
        note: str,
        tx: fb.EntryTransaction | None = None,
        run_id: int | None = None,
    ) -> None:
        item = self._item(
            entry,
            suffix,
            "unidentified",
            amount,
            note=note[:500],
            end_to_end_id=tx.end_to_end_id if tx else None,
            pmt_inf_id=(tx.pmt_inf_id if tx else None)
            or next((b.pmt_inf_id for b in entry.batches), None),
            counterparty_name=tx.counterparty_name if tx else None,
            counterparty_iban=tx.counterparty_iban if tx else None,
            remittance=(tx.remittance if tx else None) or entry.additional_info,
            run_id=run_id,
        )
        sign = 1 if entry.direction == "CRDT" else -1
        booking.postings[UNIDENTIFIED] -= sign * amount
        booking.items.append(item)

    def _debit(
        self,
        entry: fb.Entry,
        payments: dict[str, KnownPayment],
        batches: dict[str, list[KnownPayment]],
    ) -> None:
        booking = self._booking(entry, "afschrijving betaalopdrachten")
        booking.postings[BANK] -= entry.amount_cents
        if entry.transactions and not _adds_up(entry):
            # Details that do not add up to the line: the whole line is unidentified.
            self._unidentified(entry, booking, entry.amount_cents, "regel", _NOT_ADDING_UP)
        elif entry.transactions:
            for n, tx in enumerate(entry.transactions, 1):
                self._debit_transaction(entry, booking, tx, payments, n)
        else:
            self._debit_batch(entry, booking, batches)
        self._add(booking)

    def _debit_transaction(
        self,
        entry: fb.Entry,
        booking: _Booking,
        tx: fb.EntryTransaction,
        payments: dict[str, KnownPayment],
        n: int,
    ) -> None:
        # _adds_up: a missing amount means the single transaction of the line.
        amount = entry.amount_cents if tx.amount_cents is None else tx.amount_cents
        payment = payments.get(tx.end_to_end_id or "")
        suffix = tx.end_to_end_id or f"t{n}"
        why = None
        if payment is None:
            why = "geen geëxporteerde betaling met deze EndToEndId"
        elif amount != payment.amount_cents:
            why = f"bedrag wijkt af van de betaling ({Money(payment.amount_cents)})"
        elif payment.settled:
            why = "deze betaling is al afgeschreven of geweigerd volgens een eerder bankbestand"
        if why is not None or payment is None:
            run = payment.run_id if payment else None
            self._unidentified(entry, booking, amount, suffix, why or "", tx, run)
            return
        payment.statuses.add("uitgevoerd")
        booking.postings[payment.clearing_account] += amount
        booking.items.append(
            self._item(
                entry,
                suffix,
                "booked",
                amount,
                payment=payment,
                status="uitgevoerd",
                end_to_end_id=payment.end_to_end_id,
                pmt_inf_id=payment.pmt_inf_id,
                msg_id=payment.msg_id,
            )
        )

    def _debit_batch(
        self, entry: fb.Entry, booking: _Booking, batches: dict[str, list[KnownPayment]]
    ) -> None:
        batch = entry.batches[0] if entry.batches else None
        found = batches.get(batch.pmt_inf_id or "", []) if batch else []
        open_ = [p for p in found if "geweigerd" not in p.statuses]
        total = sum(p.amount_cents for p in open_)
        why = None
        if batch is None:
            why = "geen batch en geen transactiedetails: bij geen betaling te herleiden"
        elif not found:
            why = "geen geëxporteerde batch met deze PmtInfId"
        elif any(p.settled for p in open_):
            why = "een betaling van deze batch is al afgeschreven volgens een eerder bankbestand"
        elif batch.nb_of_txs is not None and batch.nb_of_txs != len(open_):
            why = f"batch telt {batch.nb_of_txs} betalingen, ontzorgen verwacht {len(open_)}"
        elif total != entry.amount_cents or (
            batch.ttl_amt_cents is not None and batch.ttl_amt_cents != total
        ):
            why = f"batchbedrag wijkt af: ontzorgen verwacht {Money(total)}"
        if why is not None:
            run = found[0].run_id if found else None
            self._unidentified(entry, booking, entry.amount_cents, "batch", why, run_id=run)
            return
        for payment in open_:
            payment.statuses.add("uitgevoerd")
            booking.postings[payment.clearing_account] += payment.amount_cents
            booking.items.append(
                self._item(
                    entry,
                    payment.end_to_end_id,
                    "booked",
                    payment.amount_cents,
                    payment=payment,
                    status="uitgevoerd",
                    end_to_end_id=payment.end_to_end_id,
                    pmt_inf_id=payment.pmt_inf_id,
                    msg_id=payment.msg_id,
                )
            )

    def _credit(self, entry: fb.Entry, payments: dict[str, KnownPayment]) -> None:
        booking = self._booking(entry, "bijschrijving")
        sign = 1 if entry.direction == "CRDT" else -1
        booking.postings[BANK] += sign * entry.amount_cents
        if entry.transactions and not _adds_up(entry):
            self._unidentified(entry, booking, entry.amount_cents, "regel", _NOT_ADDING_UP)
            self._add(booking)
            return
        transactions = entry.transactions or (None,)
        for n, tx in enumerate(transactions, 1):
            amount = entry.amount_cents if tx is None or len(transactions) == 1 else tx.amount_cents
            assert amount is not None  # _adds_up: every amount is given when there are several
            original = tx and (tx.original_end_to_end_id or tx.end_to_end_id)
            payment = payments.get(original or "") if entry.direction == "CRDT" else None
            suffix = (tx and tx.end_to_end_id) or f"t{n}"
            why = None
            if payment is None:
                why = "bij geen betaling te herleiden"
            elif amount != payment.amount_cents:
                why = f"bedrag wijkt af van de betaling ({Money(payment.amount_cents)})"
            elif "teruggekomen" in payment.statuses or "geweigerd" in payment.statuses:
                why = "deze betaling is al teruggekomen of geweigerd"
            if why is not None or payment is None or tx is None:
                run = payment.run_id if payment else None
                self._unidentified(entry, booking, amount, suffix, why or "", tx, run)
                continue
            reason = tx.return_reason.code if tx.return_reason else None
            payment.statuses.add("teruggekomen")
            booking.postings[SUSPENSE] -= amount
            booking.items.append(
                self._item(
                    entry,
                    suffix,
                    "returned",
                    amount,
                    payment=payment,
                    status="teruggekomen",
                    reason_code=reason,
                    end_to_end_id=payment.end_to_end_id,
                    pmt_inf_id=payment.pmt_inf_id,
                    msg_id=payment.msg_id,
                    note=describe(reason),
                )
            )
        self._add(booking)

    # -- pain.002 ----------------------------------------------------------------------------
    def group(self, record: fb.GroupStatus) -> None:
        run = matching.exported_run(self.session, self.gemeente.id, record.original_msg_id)
        if run is None:
            raise InvalidInput(
                "OrgnlGrpInfAndSts/OrgnlMsgId",
                "dit statusrapport hoort bij geen geëxporteerde betaalrun van deze gemeente",
            )
        if (record.status or "").upper() == "RJCT":
            self._reject_all(matching.of_run(self.session, run.id), record, "GrpSts")

    def batch(self, record: fb.BatchStatus) -> None:
        if (record.status or "").upper() == "RJCT":
            found = matching.by_batch(self.session, self.gemeente.id, [record.original_pmt_inf_id])
            self._reject_all(found.get(record.original_pmt_inf_id, []), record, "PmtInfSts")

    def _reject_all(
        self, payments: list[KnownPayment], record: fb.GroupStatus | fb.BatchStatus, level: str
    ) -> None:
        reason = next((r.code for r in record.reasons if r.code), None)
        for payment in payments:
            self._status(payment, "RJCT", reason, record.line, record.original_msg_id, level)
        self.flush()

    def transactions(self, records: Sequence[fb.TransactionStatus]) -> None:
        ids = {r.original_end_to_end_id for r in records if r.original_end_to_end_id}
        payments = matching.by_end_to_end_id(self.session, self.gemeente.id, ids)
        for record in records:
            status = (record.status or "").upper()
            payment = payments.get(record.original_end_to_end_id or "")
            if payment is None or payment.msg_id != record.original_msg_id:
                self.summary.counts["onbekend_in_statusrapport"] += 1
                self._store_status_only(record, status)
                continue
            reason = next((r.code for r in record.reasons if r.code), None)
            self._status(payment, status, reason, record.line, record.original_msg_id, "TxSts")
        self.flush()

    def _store_status_only(self, record: fb.TransactionStatus, status: str) -> None:
        """A status for a payment ontzorgen does not know: kept for the record, books nothing."""
        key = f"pain002:{record.original_msg_id}:{record.original_end_to_end_id}:{status}"
        self.status_only.append(
            _Item(
                key=key,
                kind="skipped",
                amount_cents=_cents(record.amount_cents),
                booking_date=self.today,
                status_code=status or None,
                end_to_end_id=record.original_end_to_end_id,
                msg_id=record.original_msg_id,
                note="geen geëxporteerde betaling met deze EndToEndId in deze run",
                line=record.line,
            )
        )

    def _status(
        self,
        payment: KnownPayment,
        status: str,
        reason: str | None,
        line: int,
        msg_id: str,
        level: str,
    ) -> None:
        key = f"pain002:{msg_id}:{payment.end_to_end_id}:{status}"
        common: dict[str, Any] = {
            "key": key,
            "amount_cents": payment.amount_cents,
            "booking_date": self.today,
            "status_code": status,
            "reason_code": reason,
            "payment": payment,
            "line": line,
            "end_to_end_id": payment.end_to_end_id,
            "pmt_inf_id": payment.pmt_inf_id,
            "msg_id": msg_id,
        }
        if status == "RJCT":
            if payment.settled:
                self.status_only.append(
                    _Item(**common, kind="skipped", note="al afgeschreven of geweigerd")
                )
                return
            payment.statuses.add("geweigerd")
            booking = _Booking(
                key=f"bank:reject:{payment.id}",
                description=f"Statusrapport {self.file.msg_id}: betaling {payment.end_to_end_id}"
                f" geweigerd ({describe(reason)})"[:500],
                rule=f"{self.file.version} {level} RJCT: naar de tussenrekening"[:200],
                booking_date=self.today,
                value_date=self.today,
            )
            booking.postings[payment.clearing_account] += payment.amount_cents
            booking.postings[SUSPENSE] -= payment.amount_cents
            booking.items.append(
                _Item(**common, kind="rejected", status="geweigerd", note=describe(reason))
            )
            self._add(booking)
        elif status in _ACCEPTED and "geaccepteerd" not in payment.statuses:
            payment.statuses.add("geaccepteerd")
            self.status_only.append(_Item(**common, kind="accepted", status="geaccepteerd"))
        else:
            self.summary.counts["status_zonder_gevolg"] += 1  # PDNG, or a repeat

    # -- writing -----------------------------------------------------------------------------
    def _add(self, booking: _Booking) -> None:
        self.pending.append(booking)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Store what is pending: new items only, their bookings, their payment events."""
        keys = [i.key for b in self.pending for i in b.items] + [i.key for i in self.status_only]
        existing = self._existing_keys(keys)
        bookings = []
        for booking in self.pending:
            if any(i.key in existing or i.key in self.seen for i in booking.items):
                self.summary.counts["al_ingelezen"] += len(booking.items)
                for item in booking.items:  # undo what this line would have set
                    if item.payment is not None and item.status is not None:
                        item.payment.statuses.discard(item.status)
                continue
            self.seen.update(i.key for i in booking.items)
            bookings.append(booking)
        ids = self._post(bookings)
        items: list[tuple[_Item, int | None]] = [
            (item, tid)
            for booking, tid in zip(bookings, ids, strict=True)
            for item in booking.items
        ]
        for item in self.status_only:
            if item.key in existing or item.key in self.seen:
                self.summary.counts["al_ingelezen"] += 1
                if item.payment is not None and item.status is not None:
                    item.payment.statuses.discard(item.status)
                continue
            self.seen.add(item.key)
            items.append((item, None))
        self._store(items)
        self.pending, self.status_only = [], []

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

    def _post(self, bookings: list[_Booking]) -> list[int]:
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

    def _store(self, items: list[tuple[_Item, int | None]]) -> None:
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


def _feed(importer: _Importer, records: Iterable[fb.Record]) -> None:
    entries: list[fb.Entry] = []
    statuses: list[fb.TransactionStatus] = []

    def drain() -> None:
        if entries:
            importer.entries(entries)
            entries.clear()
        if statuses:
            importer.transactions(statuses)
            statuses.clear()

    for record in records:
        match record:
            case fb.Entry():
                entries.append(record)
                if len(entries) >= CHUNK:
                    drain()
            case fb.TransactionStatus():
                statuses.append(record)
                if len(statuses) >= CHUNK:
                    drain()
            case fb.Statement():
                drain()
                importer.statement(record)
            case fb.GroupStatus():
                drain()
                importer.group(record)
            case fb.BatchStatus():
                drain()
                importer.batch(record)
            case fb.FileHeader():
                pass
    drain()
    importer.flush()


def _safe_filename(name: str) -> str:
    cleaned = _SAFE_NAME.sub("_", name.rsplit("/", 1)[-1])[:100]
    return cleaned or "bankbestand.xml"


def import_records(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    data: bytes,
    records: Iterable[fb.Record],
    *,
    filename: str,
    today: date,
    now: datetime,
) -> ImportSummary:
    """Import a bank file read into ``records`` (the first is its FileHeader). See
    :func:`import_bank_file`."""
    gemeente = get_gemeente(session, gemeente_ref)
    stream = iter(records)
    header = next(stream, None)
    if not isinstance(header, fb.FileHeader):
        raise InvalidInput("bestand", "geen bankbestand: de kop van het bericht ontbreekt")
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _earlier(session, gemeente.id, sha256)
    if earlier is not None:
        return earlier
    file = BankFile(
        gemeente_id=gemeente.id,
        sha256=sha256,
        kind=header.kind,
        version=header.version[:40],
        msg_id=header.msg_id[:35],
        filename=_safe_filename(filename),
        size=len(data),
        content=data,
        imported_by=actor.user_id,
        imported_at=now,
    )
    if session.get_bind().dialect.name == "postgresql":
        try:
            # Written first: a second import of the same file waits here until the first
            # commits, then finds it (PostgreSQL's unique index) and books nothing.
            with session.begin_nested():
                session.add(file)
                session.flush()
        except IntegrityError:
            again = _earlier(session, gemeente.id, sha256)
            if again is None:
                raise Conflict("dit bankbestand wordt op dit moment al ingelezen") from None
            return again
    else:
        # SQLite has one writer at a time (and pysqlite's SAVEPOINT would commit here).
        session.add(file)
        session.flush()
    summary = ImportSummary(file.id, False, header.kind, header.version, header.msg_id)
    _feed(_Importer(session, actor, gemeente, file, summary, today, now), stream)
    log.info(
        "bank.imported",
        bank_file_id=file.id,
        kind=header.kind,
        **{k: v for k, v in summary.counts.items()},
    )
    return summary


def _earlier(session: Session, gemeente_id: int, sha256: str) -> ImportSummary | None:
    found = session.scalar(
        select(BankFile).where(BankFile.gemeente_id == gemeente_id, BankFile.sha256 == sha256)
    )
    if found is None:
        return None
    summary = import_summary(session, found)
    summary.already_imported = True
    return summary


def import_summary(session: Session, file: BankFile) -> ImportSummary:
    """What a stored import booked, counted from its items."""
    summary = ImportSummary(file.id, False, file.kind, file.version, file.msg_id)
    rows = session.execute(
        select(BankItem.kind, BankItem.amount_cents).where(BankItem.bank_file_id == file.id)
    )
    for kind, cents in rows:
        summary.counts[kind] += 1
        summary.cents[kind] += cents
    return summary


def import_bank_file(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    data: bytes,
    *,
    filename: str,
    today: date,
    now: datetime,
) -> ImportSummary:
    """Read a pain.002, camt.053 or camt.054 and book what it says, all or nothing.

    Importing the same file again changes nothing and returns what the first import booked.
    """
    from ontzorgen.sepa.bankfile import BankFileError, read_bank_file

    try:
        return import_records(
            session,
            actor,
            gemeente_ref,
            data,
            read_bank_file(data),
            filename=filename,
            today=today,
            now=now,
        )
    except BankFileError as error:
        where = f"regel {error.line}: " if error.line else ""
        raise InvalidInput(error.element or "bestand", f"{where}{error.message}") from None
