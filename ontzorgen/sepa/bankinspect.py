# SPDX-License-Identifier: EUPL-1.2
"""What a bank file holds, as plain JSON-ready data: for ``ontzorgen bank inspect``.

An accountant looks before importing. The shape is described in ``docs/bank-files.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ontzorgen.sepa.bankfile import read_bank_file
from ontzorgen.sepa.feedback import (
    PAIN002,
    BatchRef,
    BatchStatus,
    Entry,
    EntryTransaction,
    FileHeader,
    GroupStatus,
    Reason,
    Record,
    Statement,
    TransactionStatus,
)

__all__ = ["inspect_bank_file"]


def _codes(reasons: tuple[Reason, ...]) -> list[str]:
    return [code for reason in reasons if (code := reason.code or reason.proprietary)]


def _batch(batch: BatchRef) -> dict[str, Any]:
    return {
        "msg_id": batch.msg_id,
        "pmt_inf_id": batch.pmt_inf_id,
        "nb_of_txs": batch.nb_of_txs,
        "ttl_amt_cents": batch.ttl_amt_cents,
    }


def _transaction(tx: EntryTransaction) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "end_to_end_id": tx.end_to_end_id,
        "amount_cents": tx.amount_cents,
        "direction": tx.direction,
        "instruction_id": tx.instruction_id,
        "acct_svcr_ref": tx.acct_svcr_ref,
        "counterparty_iban": tx.counterparty_iban,
        "remittance": tx.remittance,
    }
    if tx.return_reason is not None:
        shown["reason_code"] = tx.return_reason.code or tx.return_reason.proprietary
        shown["original_end_to_end_id"] = tx.original_end_to_end_id
    return shown


def _entry(entry: Entry) -> dict[str, Any]:
    return {
        "statement_id": entry.statement_id,
        "index": entry.index,
        "amount_cents": entry.amount_cents,
        "direction": entry.direction,
        "status": entry.status,
        "reversal": entry.reversal,
        "booking_date": None if entry.booking_date is None else entry.booking_date.isoformat(),
        "value_date": None if entry.value_date is None else entry.value_date.isoformat(),
        "acct_svcr_ref": entry.acct_svcr_ref,
        "bank_transaction_code": entry.bank_transaction_code,
        "currency": entry.currency,
        # One Btch per NtryDtls; nearly always one.
        "batch": _batch(entry.batches[0]) if entry.batches else None,
        "batches": [_batch(batch) for batch in entry.batches],
        "transactions": [_transaction(tx) for tx in entry.transactions],
    }


def inspect_bank_file(data: bytes) -> dict[str, Any]:
    """The whole file as a dict (amounts in integer cents); raises BankFileError."""
    # Any currency: the accountant looks before importing, and the import refuses all but EUR.
    records = read_bank_file(data, euro_only=False)
    header = next(records)
    assert isinstance(header, FileHeader)
    result: dict[str, Any] = {
        "kind": header.kind,
        "version": header.version,
        "msg_id": header.msg_id,
        "created_at": header.created_at,
        "validated_against": header.validated_against,
    }
    if header.kind == PAIN002:
        result.update(_pain002(records))
    else:
        result.update(_camt(records))
    return result


def _camt(records: Iterator[Record]) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    credit = debit = 0
    for record in records:
        if isinstance(record, Statement):
            statements.append(
                {
                    "id": record.id,
                    "account_iban": record.account_iban,
                    "currency": record.currency,
                    "created_at": record.created_at,
                    "electronic_sequence": record.electronic_sequence,
                }
            )
        elif isinstance(record, Entry):
            entries.append(_entry(record))
            if record.direction == "CRDT":
                credit += record.amount_cents
            else:
                debit += record.amount_cents
    return {
        "statements": statements,
        "entries": entries,
        "entry_count": len(entries),
        "credit_cents": credit,
        "debit_cents": debit,
    }


def _pain002(records: Iterator[Record]) -> dict[str, Any]:
    result: dict[str, Any] = {"original_msg_id": None, "group_status": None, "batches": []}
    batches: list[dict[str, Any]] = result["batches"]
    for record in records:
        if isinstance(record, GroupStatus):
            result["original_msg_id"] = record.original_msg_id
            result["original_msg_name"] = record.original_msg_name
            result["group_status"] = {
                "status": record.status,
                "reason_codes": _codes(record.reasons),
                "original_nb_of_txs": record.original_nb_of_txs,
                "original_ctrl_sum_cents": record.original_ctrl_sum_cents,
            }
        elif isinstance(record, BatchStatus):
            batches.append(
                {
                    "pmt_inf_id": record.original_pmt_inf_id,
                    "status": record.status,
                    "reason_codes": _codes(record.reasons),
                    "original_nb_of_txs": record.original_nb_of_txs,
                    "original_ctrl_sum_cents": record.original_ctrl_sum_cents,
                    "transactions": [],
                }
            )
        elif isinstance(record, TransactionStatus):
            batches[-1]["transactions"].append(
                {
                    "end_to_end_id": record.original_end_to_end_id,
                    "status": record.status,
                    "reason_codes": _codes(record.reasons),
                    "amount_cents": record.amount_cents,
                }
            )
    return result
