# SPDX-License-Identifier: EUPL-1.2
"""What each line of a bank file means: matched to its payment, turned into a booking.

Debit positive; a payment's clearing account is its payee's crediteur account (vaste last) or
*betalingen onderweg* (leefgeld):

=====================================  ===================================  ====================
what the bank said                      debit                                credit
=====================================  ===================================  ====================
a batch (or payment) booked (camt)      the payments' clearing accounts      bank
a payment rejected (pain.002 RJCT)      the payment's clearing account       tussenrekening
a payment returned (camt, RtrInf)       bank                                 tussenrekening
money nobody can match, coming in       bank                                 nog te bepalen
money nobody can match, going out       nog te bepalen                       bank
=====================================  ===================================  ====================

A line that matches nothing, or only in part, or books a payment a second time, is booked as
unidentified — never dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Final

from ontzorgen.bank import matching
from ontzorgen.bank.matching import KnownPayment
from ontzorgen.bank.reasons import describe
from ontzorgen.bank.writer import BANK, SUSPENSE, UNIDENTIFIED, BankWriter, Booking, Item
from ontzorgen.errors import InvalidInput
from ontzorgen.money import Money
from ontzorgen.sepa import feedback as fb

_ACCEPTED: Final = frozenset({"ACCP", "ACSC", "ACTC", "ACWC", "ACSP"})
_NOT_ADDING_UP: Final = "de transacties tellen niet op tot het bedrag van de regel"


def _adds_up(entry: fb.Entry) -> bool:
    """One transaction, or several whose amounts are all given and sum to the line."""
    if len(entry.transactions) == 1:
        amount = entry.transactions[0].amount_cents
        return amount is None or amount == entry.amount_cents
    amounts = [t.amount_cents for t in entry.transactions]
    return None not in amounts and sum(a or 0 for a in amounts) == entry.amount_cents


def _first_code(reasons: Sequence[fb.Reason]) -> str | None:
    """The first ISO reason code of a status (a bank may add proprietary ones)."""
    return next((r.code for r in reasons if r.code), None)


class LineBooker(BankWriter):
    """One import's lines: matched, booked and handed to the writer chunk by chunk."""

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

    def _booking(self, entry: fb.Entry, what: str) -> Booking:
        day = entry.booking_date or self.today
        return Booking(
            key=f"bank:{self._entry_key(entry)}",
            description=f"Bankafschrift {self.file.msg_id}: {what}"[:500],
            rule=f"{self.file.version}: {what}"[:200],
            booking_date=day,
            value_date=entry.value_date or day,
        )

    def _item(self, entry: fb.Entry, suffix: str, kind: str, amount: int, **kw: Any) -> Item:
        return Item(
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
        booking: Booking,
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
        self.add(booking)

    def _debit_transaction(
        self,
        entry: fb.Entry,
        booking: Booking,
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
        self, entry: fb.Entry, booking: Booking, batches: dict[str, list[KnownPayment]]
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
            self.add(booking)
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
        self.add(booking)

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
        reason = _first_code(record.reasons)
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
            reason = _first_code(record.reasons)
            self._status(payment, status, reason, record.line, record.original_msg_id, "TxSts")
        self.flush()

    def _store_status_only(self, record: fb.TransactionStatus, status: str) -> None:
        """A status for a payment ontzorgen does not know: kept for the record, books nothing."""
        key = f"pain002:{record.original_msg_id}:{record.original_end_to_end_id}:{status}"
        self.status_only.append(
            Item(
                key=key,
                kind="skipped",
                amount_cents=record.amount_cents or 0,
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
                    Item(**common, kind="skipped", note="al afgeschreven of geweigerd")
                )
                return
            payment.statuses.add("geweigerd")
            booking = Booking(
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
                Item(**common, kind="rejected", status="geweigerd", note=describe(reason))
            )
            self.add(booking)
        elif status in _ACCEPTED and "geaccepteerd" not in payment.statuses:
            payment.statuses.add("geaccepteerd")
            self.status_only.append(Item(**common, kind="accepted", status="geaccepteerd"))
        else:
            self.summary.counts["status_zonder_gevolg"] += 1  # PDNG, or a repeat
