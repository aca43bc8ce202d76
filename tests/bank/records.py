# SPDX-License-Identifier: EUPL-1.2
"""Bank records built by hand, for importer tests that need a case no bank file shows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ontzorgen.runs.models import Payment
from ontzorgen.sepa import feedback as fb

IBAN = "NL14BNGH0285001234"  # the example gemeente's account (tests.factories)


def camt(*entries: fb.Entry, msg_id: str = "CAMT-1", iban: str = IBAN) -> list[fb.Record]:
    return [
        fb.FileHeader(fb.CAMT053, "camt.053.001.02", "urn:test", msg_id, None, None),
        fb.Statement("STMT-1", iban, "EUR", None, None, 1),
        *entries,
    ]


def tx(
    payment: Payment | None = None, *, e2e: str | None = None, amount: int | None = None,
    direction: fb.Direction = "DBIT", reason: str | None = None,
    counterparty_iban: str | None = None, remittance: str | None = None,
) -> fb.EntryTransaction:  # fmt: skip
    return fb.EntryTransaction(
        end_to_end_id=e2e if payment is None else payment.end_to_end_id,
        instruction_id=None, msg_id=None,
        pmt_inf_id=None if payment is None else payment.pmt_inf_id, acct_svcr_ref=None,
        amount_cents=amount if payment is None or amount is not None else payment.amount_cents,
        direction=direction, return_reason=fb.Reason(reason) if reason else None,
        original_end_to_end_id=None, counterparty_name=None,
        counterparty_iban=counterparty_iban, remittance=remittance, line=1,
    )  # fmt: skip


def entry(
    transactions: Sequence[fb.EntryTransaction], ref: str | None, day: date, *,
    direction: fb.Direction = "DBIT", amount: int | None = None, status: str = "BOOK",
    batch: fb.BatchRef | None = None,
) -> fb.Entry:  # fmt: skip
    total = sum(t.amount_cents or 0 for t in transactions) if amount is None else amount
    return fb.Entry(
        statement_id="STMT-1", index=1, amount_cents=total, direction=direction, status=status,
        reversal=False, booking_date=day, value_date=day, acct_svcr_ref=ref,
        bank_transaction_code=None, batches=() if batch is None else (batch,),
        transactions=tuple(transactions), additional_info=None, line=1,
    )  # fmt: skip


def pain002(
    msg_id: str, rejects: Sequence[tuple[Payment, str]], *, group: str = "PART"
) -> list[fb.Record]:
    records: list[fb.Record] = [
        fb.FileHeader(fb.PAIN002, "pain.002.001.10", "urn:test", "STS-1", None, None),
        fb.GroupStatus(msg_id, "pain.001.001.09", group, (), None, None, 1),
    ]
    for payment, code in rejects:
        records.append(fb.TransactionStatus(
            msg_id, payment.pmt_inf_id, payment.end_to_end_id, None, "RJCT",
            (fb.Reason(code),), payment.amount_cents, 1,
        ))  # fmt: skip
    return records
