# SPDX-License-Identifier: EUPL-1.2
"""pain.002 (``CstmrPmtStsRpt``): the bank's status report on one of our pain.001 files.

``.001.03``, ``.10``, ``.11`` and bank variants (Swiss ``.ch.02``) are read by element name.
The batch status is known when its first ``TxInfAndSts`` starts (the schema puts
``PmtInfSts`` and ``StsRsnInf`` before the transactions), so a :class:`BatchStatus` comes
before its :class:`TransactionStatus` records and each transaction is forgotten once read.

``OrgnlNbOfTxs`` and ``OrgnlCtrlSum`` describe the original message, not this report: banks
often report only the rejected payments, so they are not checked against ``TxInfAndSts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ontzorgen.sepa.feedback import (
    BatchStatus,
    FileHeader,
    GroupStatus,
    MessageKind,
    Reason,
    Record,
    TransactionStatus,
)
from ontzorgen.sepa.xmlstream import BankFileError, Xml, file_header, forget, line_of, local_name

__all__ = ["Pain002Handler"]

_NOT_PROVIDED = "NOTPROVIDED"


@dataclass
class Pain002Handler:
    """Turns start and end events of a pain.002 into records."""

    kind: MessageKind
    version: str
    xml: Xml
    validated_against: str | None
    header_seen: bool = False
    group: GroupStatus | None = None
    batches: int = 0
    transactions: int = 0
    batch: BatchStatus | None = None

    @property
    def base(self) -> str:
        return f"OrgnlPmtInfAndSts[{self.batches}]"

    @property
    def tags(self) -> tuple[str, ...]:
        """The elements this handler needs events for (by local name)."""
        return ("GrpHdr", "OrgnlGrpInfAndSts", "OrgnlPmtInfAndSts", "TxInfAndSts")

    def start(self, element: etree._Element, depth: int) -> Iterator[Record]:
        name = local_name(element)
        if depth == 2 and name == "OrgnlPmtInfAndSts":
            if self.group is None:
                raise BankFileError(
                    "OrgnlGrpInfAndSts ontbreekt vóór de eerste batch",
                    line=line_of(element),
                    element="OrgnlGrpInfAndSts",
                )
            self.batches += 1
            self.transactions = 0
            self.batch = None
        elif depth == 2 and name == "OrgnlGrpInfAndSts" and not self.header_seen:
            raise BankFileError("GrpHdr ontbreekt", line=line_of(element), element="GrpHdr")
        elif depth == 3 and name == "TxInfAndSts" and self.batch is None and self.batches:
            parent = element.getparent()
            assert parent is not None
            yield self._batch(parent)

    def end(self, element: etree._Element, depth: int) -> Iterator[Record]:
        name = local_name(element)
        if depth == 2:
            if name == "GrpHdr":
                yield self._header(element)
            elif name == "OrgnlGrpInfAndSts":
                yield self._group(element)
            elif name == "OrgnlPmtInfAndSts":
                if self.batch is None:
                    yield self._batch(element)
                forget(element)
        elif depth == 3 and name == "TxInfAndSts" and self.batches:
            self.transactions += 1
            parent = element.getparent()
            assert parent is not None
            yield self._transaction(element, parent)
            forget(element)

    def finish(self) -> None:
        if self.group is None:
            raise BankFileError(
                "OrgnlGrpInfAndSts ontbreekt: het rapport zegt niet over welk bestand het gaat",
                element="OrgnlGrpInfAndSts",
            )

    def _header(self, header: etree._Element) -> FileHeader:
        found = file_header(self.xml, header, self.kind, self.version, self.validated_against)
        self.header_seen = True
        return found

    def _reasons(self, holder: etree._Element) -> tuple[Reason, ...]:
        xml = self.xml
        return tuple(
            Reason(
                code=xml.text(info, "Rsn/Cd"),
                proprietary=xml.text(info, "Rsn/Prtry"),
                additional_info=xml.texts(info, "AddtlInf"),
            )
            for info in xml.findall(holder, "StsRsnInf")
        )

    def _group(self, group: etree._Element) -> GroupStatus:
        xml = self.xml
        if not self.header_seen:
            raise BankFileError("GrpHdr ontbreekt", line=line_of(group), element="GrpHdr")
        msg_id = xml.text(group, "OrgnlMsgId")
        if msg_id is None:
            raise BankFileError(
                "OrgnlMsgId ontbreekt",
                line=line_of(group),
                element="OrgnlGrpInfAndSts/OrgnlMsgId",
            )
        self.group = GroupStatus(
            original_msg_id=msg_id,
            original_msg_name=xml.text(group, "OrgnlMsgNmId"),
            status=xml.text(group, "GrpSts"),
            reasons=self._reasons(group),
            original_nb_of_txs=xml.count(group, "OrgnlNbOfTxs", group, "OrgnlGrpInfAndSts"),
            original_ctrl_sum_cents=self._ctrl_sum(group, group, "OrgnlGrpInfAndSts"),
            line=line_of(group) or 0,
        )
        return self.group

    def _ctrl_sum(self, holder: etree._Element, top: etree._Element, base: str) -> int | None:
        node = self.xml.find(holder, "OrgnlCtrlSum")
        return None if node is None else self.xml.decimal_cents(node, top, base, allow_zero=True)

    def _batch(self, batch: etree._Element) -> BatchStatus:
        xml, base = self.xml, self.base
        assert self.group is not None
        pmt_inf_id = xml.text(batch, "OrgnlPmtInfId")
        if pmt_inf_id is None:
            raise BankFileError(
                "OrgnlPmtInfId ontbreekt", line=line_of(batch), element=f"{base}/OrgnlPmtInfId"
            )
        self.batch = BatchStatus(
            original_msg_id=self.group.original_msg_id,
            original_pmt_inf_id=pmt_inf_id,
            status=xml.text(batch, "PmtInfSts"),
            reasons=self._reasons(batch),
            original_nb_of_txs=xml.count(batch, "OrgnlNbOfTxs", batch, base),
            original_ctrl_sum_cents=self._ctrl_sum(batch, batch, base),
            line=line_of(batch) or 0,
        )
        return self.batch

    def _transaction(self, tx: etree._Element, batch: etree._Element) -> TransactionStatus:
        xml, base = self.xml, self.base
        assert self.group is not None
        assert self.batch is not None
        end_to_end = xml.text(tx, "OrgnlEndToEndId")
        if end_to_end == _NOT_PROVIDED:
            end_to_end = None
        amount_node = xml.find(tx, "OrgnlTxRef/Amt/InstdAmt")
        return TransactionStatus(
            original_msg_id=self.group.original_msg_id,
            original_pmt_inf_id=self.batch.original_pmt_inf_id,
            original_end_to_end_id=end_to_end,
            original_instruction_id=xml.text(tx, "OrgnlInstrId"),
            status=xml.text(tx, "TxSts"),
            reasons=self._reasons(tx),
            amount_cents=None if amount_node is None else xml.amount(amount_node, batch, base),
            line=line_of(tx) or 0,
        )
