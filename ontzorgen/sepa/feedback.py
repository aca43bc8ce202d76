# SPDX-License-Identifier: EUPL-1.2
"""What a bank answers, as plain records: pain.002 status reports and camt.053/054 statements.

The readers (:mod:`ontzorgen.sepa.bankfile`) stream a file and yield these records one at a
time, so a file of 100,000 entries never sits in memory as a tree. The first record is always
the :class:`FileHeader`; then, for camt, a :class:`Statement` before its :class:`Entry` records;
for pain.002, the :class:`GroupStatus`, then per batch a :class:`BatchStatus` before its
:class:`TransactionStatus` records.

Amounts are positive integer eurocents; ``direction`` says which way the money went, seen from
the gemeente's account (``DBIT``: it left, ``CRDT``: it came in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

__all__ = [
    "CAMT053",
    "CAMT054",
    "PAIN002",
    "BatchRef",
    "BatchStatus",
    "Direction",
    "Entry",
    "EntryTransaction",
    "FileHeader",
    "GroupStatus",
    "MessageKind",
    "Reason",
    "Record",
    "Statement",
    "TransactionStatus",
]

MessageKind = Literal["CstmrPmtStsRpt", "BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn"]
PAIN002: Final = "CstmrPmtStsRpt"
CAMT053: Final = "BkToCstmrStmt"
CAMT054: Final = "BkToCstmrDbtCdtNtfctn"

Direction = Literal["CRDT", "DBIT"]


@dataclass(frozen=True, slots=True)
class FileHeader:
    """The message: its ISO name, version (from the namespace) and group header."""

    kind: MessageKind
    version: str  # e.g. "camt.053.001.02", "pain.002.001.03.ch.02"
    namespace: str
    msg_id: str
    created_at: str | None  # CreDtTm as written (ISO 8601)
    validated_against: str | None  # the packaged XSD the file was checked with, if any


@dataclass(frozen=True, slots=True)
class Reason:
    """A status or return reason: an ISO code (``AC04``) or a bank's own (``Prtry``)."""

    code: str | None
    proprietary: str | None = None
    additional_info: tuple[str, ...] = ()  # AddtlInf: free text, may name a person: never log


# -- pain.002 ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GroupStatus:
    """``OrgnlGrpInfAndSts``: which message this reports on, and its status if given."""

    original_msg_id: str
    original_msg_name: str | None
    status: str | None  # GrpSts: ACCP, ACTC, ACSC, RJCT, PART, PDNG …
    reasons: tuple[Reason, ...]
    original_nb_of_txs: int | None
    original_ctrl_sum_cents: int | None
    line: int


@dataclass(frozen=True, slots=True)
class BatchStatus:
    """``OrgnlPmtInfAndSts``: one batch (``PmtInf``) of the original message."""

    original_msg_id: str
    original_pmt_inf_id: str
    status: str | None  # PmtInfSts
    reasons: tuple[Reason, ...]
    original_nb_of_txs: int | None
    original_ctrl_sum_cents: int | None
    line: int


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """``TxInfAndSts``: one payment of the original message."""

    original_msg_id: str
    original_pmt_inf_id: str | None
    original_end_to_end_id: str | None
    original_instruction_id: str | None
    status: str | None  # TxSts
    reasons: tuple[Reason, ...]
    amount_cents: int | None  # OrgnlTxRef/Amt/InstdAmt, when the bank repeats it
    line: int


# -- camt.053 / camt.054 -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Statement:
    """A ``Stmt`` (camt.053) or ``Ntfctn`` (camt.054): one account over a stretch of time."""

    id: str
    account_iban: str | None
    currency: str | None
    created_at: str | None
    electronic_sequence: str | None
    line: int


@dataclass(frozen=True, slots=True)
class BatchRef:
    """``NtryDtls/Btch``: the batch of our pain.001 this entry books."""

    msg_id: str | None
    pmt_inf_id: str | None
    nb_of_txs: int | None
    ttl_amt_cents: int | None
    direction: Direction | None


@dataclass(frozen=True, slots=True)
class EntryTransaction:
    """``NtryDtls/TxDtls``: one transaction inside an entry (one payment of a batch, or the
    single transaction of a plain entry)."""

    end_to_end_id: str | None  # "NOTPROVIDED" is read as None
    instruction_id: str | None
    msg_id: str | None
    pmt_inf_id: str | None
    acct_svcr_ref: str | None
    amount_cents: int | None  # the transaction's own amount, when given
    direction: Direction | None
    return_reason: Reason | None  # RtrInf/Rsn: set on a returned payment
    original_end_to_end_id: str | None  # of the returned payment (Refs or RtrInf)
    counterparty_name: str | None  # the other party: creditor of a DBIT, debtor of a CRDT
    counterparty_iban: str | None
    remittance: str | None  # Ustrd lines joined, or the structured reference
    line: int


@dataclass(frozen=True, slots=True)
class Entry:
    """``Ntry``: one line of the statement as the bank booked it."""

    statement_id: str
    index: int  # 1-based within its statement
    amount_cents: int
    direction: Direction
    status: str | None  # BOOK, PDNG, INFO (``Sts`` or ``Sts/Cd``)
    reversal: bool  # RvslInd
    booking_date: date | None
    value_date: date | None
    acct_svcr_ref: str | None
    bank_transaction_code: str | None  # Domn/Cd/Fmly/Cd/SubFmlyCd as "PMNT/ICDT/ESCT", or Prtry
    batches: tuple[BatchRef, ...]
    transactions: tuple[EntryTransaction, ...]
    additional_info: str | None  # AddtlNtryInf
    line: int
    currency: str = "EUR"  # Amt/@Ccy: always EUR for an import; bank inspect shows any


Record = FileHeader | GroupStatus | BatchStatus | TransactionStatus | Statement | Entry
