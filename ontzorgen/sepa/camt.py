# SPDX-License-Identifier: EUPL-1.2
"""camt.053 (``BkToCstmrStmt``/``Stmt``) and camt.054 (``BkToCstmrDbtCdtNtfctn``/``Ntfctn``).

One reader for .001.02 up to .08 and newer: elements are found by name, and where versions
differ both forms are read (``Sts`` as text or ``Sts/Cd``; ``Dt`` or ``DtTm``; the party name
in ``Cdtr/Nm`` or ``Cdtr/Pty/Nm``; a transaction amount in ``Amt`` or ``AmtDtls/TxAmt/Amt``).
Each ``Ntry`` is turned into an :class:`Entry` when it ends and then forgotten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ontzorgen.sepa.feedback import (
    BatchRef,
    Direction,
    Entry,
    EntryTransaction,
    FileHeader,
    MessageKind,
    Reason,
    Record,
    Statement,
)
from ontzorgen.sepa.xmlstream import (
    BankFileError,
    Holder,
    Indexed,
    Xml,
    file_header,
    forget,
    format_cents,
    line_of,
    local_name,
)

__all__ = ["CamtHandler"]

_NOT_PROVIDED = "NOTPROVIDED"
# Children of Stmt that come after the statement's own data (Id … Acct … Intrst).
_AFTER_HEADER = frozenset({"Bal", "TxsSummry", "Ntry", "AddtlStmtInf"})
# The entry's own elements are indexed; its details are read per NtryDtls and TxDtls.
_NTRY_STOP = frozenset({"NtryDtls", "SplmtryData"})


@dataclass
class _Totals:
    count: int = 0
    credit_count: int = 0
    debit_count: int = 0
    credit_cents: int = 0
    debit_cents: int = 0

    def add(self, entry: Entry) -> None:
        self.count += 1
        if entry.direction == "CRDT":
            self.credit_count += 1
            self.credit_cents += entry.amount_cents
        else:
            self.debit_count += 1
            self.debit_cents += entry.amount_cents


@dataclass(frozen=True, slots=True)
class _Declared:
    """One figure of ``TxsSummry`` and where it was."""

    value: int
    line: int | None
    element: str


@dataclass
class CamtHandler:
    """Turns start and end events of a camt message into records."""

    kind: MessageKind
    version: str
    xml: Xml
    validated_against: str | None
    statement_tag: str = "Stmt"
    header_seen: bool = False
    statements: int = 0
    entries: int = 0
    statement: Statement | None = None
    totals: _Totals = field(default_factory=_Totals)
    declared: dict[str, _Declared] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"{self.statement_tag}[{self.statements}]"

    @property
    def tags(self) -> tuple[str, ...]:
        """The elements this handler needs events for (by local name)."""
        return ("GrpHdr", self.statement_tag, *_AFTER_HEADER)

    def start(self, element: etree._Element, depth: int) -> Iterator[Record]:
        name = local_name(element)
        if depth == 2 and name == self.statement_tag:
            if not self.header_seen:
                raise BankFileError(
                    "GrpHdr ontbreekt vóór het eerste afschrift",
                    line=line_of(element),
                    element="GrpHdr",
                )
            self.statements += 1
            self.entries = 0
            self.statement = None
            self.totals = _Totals()
            self.declared = {}
        elif depth == 3 and name in _AFTER_HEADER and self.statement is None:
            parent = element.getparent()
            assert parent is not None
            yield self._statement(parent)

    def end(self, element: etree._Element, depth: int) -> Iterator[Record]:
        name = local_name(element)
        if depth == 2:
            if name == "GrpHdr":
                yield self._header(element)
            elif name == self.statement_tag:
                if self.statement is None:
                    yield self._statement(element)
                self._check_summary(element)
                forget(element)
        elif depth == 3 and self.statements:
            stmt = element.getparent()
            assert stmt is not None
            if name == "Ntry":
                self.entries += 1
                entry = self._entry(element, stmt)
                self.totals.add(entry)
                yield entry
                forget(element)
            elif name == "Bal":
                amount = self.xml.required(element, "Amt", stmt, self.base)
                self.xml.amount(amount, stmt, self.base, allow_zero=True)
            elif name == "TxsSummry":
                self._read_summary(element, stmt)

    def finish(self) -> None:
        if not self.statements:
            raise BankFileError(
                f"het bestand heeft geen {self.statement_tag} (afschrift)",
                element=self.kind,
            )

    # -- header and statement ------------------------------------------------------------------
    def _header(self, header: etree._Element) -> FileHeader:
        found = file_header(self.xml, header, self.kind, self.version, self.validated_against)
        self.header_seen = True
        return found

    def _statement(self, stmt: etree._Element) -> Statement:
        xml, base = self.xml, self.base
        statement_id = xml.text(stmt, "Id")
        if statement_id is None:
            raise BankFileError("Id ontbreekt", line=line_of(stmt), element=f"{base}/Id")
        account = xml.required(stmt, "Acct", stmt, base)
        currency_node = xml.find(account, "Ccy")
        currency = xml.text(account, "Ccy")
        if currency_node is not None and currency != "EUR" and xml.euro_only:
            raise xml.error(
                "de rekening is geen EUR-rekening; ontzorgen verwerkt alleen EUR",
                currency_node,
                stmt,
                base,
            )
        self.statement = Statement(
            id=statement_id,
            account_iban=xml.text(account, "Id/IBAN"),
            currency=currency,
            created_at=xml.text(stmt, "CreDtTm"),
            electronic_sequence=xml.text(stmt, "ElctrncSeqNb"),
            line=line_of(stmt) or 0,
        )
        return self.statement

    # -- TxsSummry -----------------------------------------------------------------------------
    def _read_summary(self, summary: etree._Element, stmt: etree._Element) -> None:
        xml, base = self.xml, self.base
        figures = {
            "count": "TtlNtries/NbOfNtries",
            "sum": "TtlNtries/Sum",
            "credit_count": "TtlCdtNtries/NbOfNtries",
            "credit_sum": "TtlCdtNtries/Sum",
            "debit_count": "TtlDbtNtries/NbOfNtries",
            "debit_sum": "TtlDbtNtries/Sum",
        }
        for key, path in figures.items():
            node = xml.find(summary, path)
            if node is None:
                continue
            if key.endswith("count"):
                value = xml.count(summary, path, stmt, base)
                assert value is not None
            else:
                value = xml.decimal_cents(node, stmt, base, allow_zero=True)
            self.declared[key] = _Declared(value, line_of(node), xml.path(node, stmt, base))
        # .02: TtlNtries/TtlNetNtryAmt + CdtDbtInd; .04 and newer: TtlNtries/TtlNetNtry/Amt.
        for holder_path, amount_name in (
            ("TtlNtries", "TtlNetNtryAmt"),
            ("TtlNtries/TtlNetNtry", "Amt"),
        ):
            holder = xml.find(summary, holder_path)
            node = None if holder is None else xml.find(holder, amount_name)
            if holder is None or node is None:
                continue
            net = xml.decimal_cents(node, stmt, base, allow_zero=True)
            sign = -1 if xml.direction(holder, stmt, base) == "DBIT" else 1
            self.declared["net"] = _Declared(sign * net, line_of(node), xml.path(node, stmt, base))

    def _check_summary(self, stmt: etree._Element) -> None:
        totals = self.totals
        actual = {
            "count": (totals.count, False),
            "sum": (totals.credit_cents + totals.debit_cents, True),
            "credit_count": (totals.credit_count, False),
            "credit_sum": (totals.credit_cents, True),
            "debit_count": (totals.debit_count, False),
            "debit_sum": (totals.debit_cents, True),
            "net": (totals.credit_cents - totals.debit_cents, True),
        }
        for key, declared in self.declared.items():
            value, is_money = actual[key]
            if declared.value == value:
                continue
            shown = format_cents if is_money else str
            raise BankFileError(
                f"TxsSummry zegt {shown(declared.value)}, de boekingen (Ntry) geven {shown(value)}",
                line=declared.line,
                element=declared.element,
            )

    # -- Ntry ----------------------------------------------------------------------------------
    def _entry(self, element: etree._Element, stmt: etree._Element) -> Entry:
        xml = self.xml
        ntry = Indexed(element, _NTRY_STOP)
        base = self.base
        amount_node = xml.required(ntry, "Amt", stmt, base)
        amount = xml.amount(amount_node, stmt, base)
        direction = xml.direction(ntry, stmt, base)
        status_node = xml.find(ntry, "Sts")
        status = None
        if status_node is not None:
            status = xml.text(status_node, "Cd") or xml.text(status_node, "Prtry")
            if status is None and status_node.text:
                status = status_node.text.strip() or None
        batches: list[BatchRef] = []
        transactions: list[EntryTransaction] = []
        for details in xml.findall(ntry, "NtryDtls"):
            batch = self._batch(details, stmt)
            txs = [self._transaction(tx, stmt, direction) for tx in xml.findall(details, "TxDtls")]
            if batch is not None:
                batches.append(batch)
                self._check_batch(details, batch, txs, stmt, direction)
            transactions += txs
        self._check_entry_sum(amount_node, amount, direction, transactions, stmt)
        return Entry(
            statement_id=self.statement.id if self.statement else "",
            index=self.entries,
            amount_cents=amount,
            direction=direction,
            status=status,
            reversal=(xml.text(ntry, "RvslInd") or "").lower() in ("true", "1"),
            booking_date=xml.day(ntry, "BookgDt", stmt, base),
            value_date=xml.day(ntry, "ValDt", stmt, base),
            acct_svcr_ref=xml.text(ntry, "AcctSvcrRef"),
            bank_transaction_code=self._bank_code(ntry),
            batches=tuple(batches),
            transactions=tuple(transactions),
            additional_info=xml.text(ntry, "AddtlNtryInf"),
            line=line_of(element) or 0,
            currency=amount_node.get("Ccy") or "EUR",
        )

    def _bank_code(self, holder: Holder) -> str | None:
        xml = self.xml
        domain = xml.text(holder, "BkTxCd/Domn/Cd")
        family = xml.text(holder, "BkTxCd/Domn/Fmly/Cd")
        sub = xml.text(holder, "BkTxCd/Domn/Fmly/SubFmlyCd")
        if domain and family and sub:
            return f"{domain}/{family}/{sub}"
        return xml.text(holder, "BkTxCd/Prtry/Cd")

    def _batch(self, details: etree._Element, stmt: etree._Element) -> BatchRef | None:
        xml, base = self.xml, self.base
        batch = xml.find(details, "Btch")
        if batch is None:
            return None
        total = xml.find(batch, "TtlAmt")
        direction = (
            xml.direction(batch, stmt, base) if xml.find(batch, "CdtDbtInd") is not None else None
        )
        return BatchRef(
            msg_id=xml.text(batch, "MsgId"),
            pmt_inf_id=xml.text(batch, "PmtInfId"),
            nb_of_txs=xml.count(batch, "NbOfTxs", stmt, base),
            ttl_amt_cents=None if total is None else xml.amount(total, stmt, base),
            direction=direction,
        )

    def _check_batch(
        self,
        details: etree._Element,
        batch: BatchRef,
        txs: list[EntryTransaction],
        stmt: etree._Element,
        direction: Direction,
    ) -> None:
        if not txs:
            return  # a batch line without details: matched by PmtInfId, NbOfTxs and TtlAmt
        xml, base = self.xml, self.base
        node = xml.find(details, "Btch")
        assert node is not None
        if batch.nb_of_txs is not None and batch.nb_of_txs != len(txs):
            count_node = xml.find(node, "NbOfTxs")
            assert count_node is not None
            raise xml.error(
                f"NbOfTxs zegt {batch.nb_of_txs}, de batch heeft {len(txs)} transacties (TxDtls)",
                count_node,
                stmt,
                base,
            )
        amounts = [tx.amount_cents for tx in txs]
        if batch.ttl_amt_cents is not None and None not in amounts:
            total = sum(_signed(tx, batch.direction or direction) for tx in txs)
            if total != batch.ttl_amt_cents:
                total_node = xml.find(node, "TtlAmt")
                assert total_node is not None
                raise xml.error(
                    f"TtlAmt zegt {format_cents(batch.ttl_amt_cents)}, de transacties (TxDtls) "
                    f"tellen op tot {format_cents(total)}",
                    total_node,
                    stmt,
                    base,
                )

    def _check_entry_sum(
        self,
        amount_node: etree._Element,
        amount: int,
        direction: Direction,
        txs: list[EntryTransaction],
        stmt: etree._Element,
    ) -> None:
        if not txs or any(tx.amount_cents is None for tx in txs):
            return
        total = sum(_signed(tx, direction) for tx in txs)
        if total != amount:
            raise self.xml.error(
                f"de boeking is {format_cents(amount)}, de transacties (TxDtls) tellen op tot "
                f"{format_cents(total)}",
                amount_node,
                stmt,
                self.base,
            )

    # -- TxDtls --------------------------------------------------------------------------------
    def _transaction(
        self, element: etree._Element, stmt: etree._Element, entry_direction: Direction
    ) -> EntryTransaction:
        xml, base = self.xml, self.base
        tx = Indexed(element)
        amount_node = xml.find(tx, "Amt")
        if amount_node is None:
            amount_node = xml.find(tx, "AmtDtls/TxAmt/Amt")
        amount = None if amount_node is None else xml.amount(amount_node, stmt, base)
        direction = xml.direction(tx, stmt, base) if xml.find(tx, "CdtDbtInd") is not None else None
        end_to_end = xml.text(tx, "Refs/EndToEndId")
        if end_to_end == _NOT_PROVIDED:
            end_to_end = None
        return_info = xml.find(tx, "RtrInf")
        reason = None
        if return_info is not None:
            reason = Reason(
                code=xml.text(return_info, "Rsn/Cd"),
                proprietary=xml.text(return_info, "Rsn/Prtry"),
                additional_info=xml.texts(return_info, "AddtlInf"),
            )
        # The other party: who received a debit, who sent a credit.
        side = "Cdtr" if (direction or entry_direction) == "DBIT" else "Dbtr"
        name = xml.text(tx, f"RltdPties/{side}/Nm") or xml.text(tx, f"RltdPties/{side}/Pty/Nm")
        lines = xml.texts(tx, "RmtInf/Ustrd")
        remittance = " ".join(lines) if lines else xml.text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
        return EntryTransaction(
            end_to_end_id=end_to_end,
            instruction_id=xml.text(tx, "Refs/InstrId"),
            msg_id=xml.text(tx, "Refs/MsgId"),
            pmt_inf_id=xml.text(tx, "Refs/PmtInfId"),
            acct_svcr_ref=xml.text(tx, "Refs/AcctSvcrRef"),
            amount_cents=amount,
            direction=direction,
            return_reason=reason,
            # A return repeats the returned payment's references in Refs.
            original_end_to_end_id=end_to_end if reason is not None else None,
            counterparty_name=name,
            counterparty_iban=xml.text(tx, f"RltdPties/{side}Acct/Id/IBAN"),
            remittance=remittance,
            line=line_of(element) or 0,
        )


def _signed(tx: EntryTransaction, direction: Direction) -> int:
    amount = tx.amount_cents or 0
    return -amount if tx.direction is not None and tx.direction != direction else amount
