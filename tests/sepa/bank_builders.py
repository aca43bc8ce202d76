# SPDX-License-Identifier: EUPL-1.2
"""Small bank files written as text, for the reader tests (camt.053 .02/.08, pain.002)."""

from __future__ import annotations

from pathlib import Path

BANK_DATA = Path(__file__).resolve().parent.parent / "data" / "bank"
ISO = "urn:iso:std:iso:20022:tech:xsd:"


def tx_v08(
    e2e: str,
    amount: str | None,
    *,
    name: str = "Woonstichting Test",
    iban: str = "NL91ABNA0417164300",
    return_code: str | None = None,
    direction: str = "DBIT",
) -> str:
    """One camt.053.001.08 ``TxDtls`` (a payment to a creditor)."""
    amount_xml = (
        "" if amount is None else f'<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>'
    )
    rtr = "" if return_code is None else f"<RtrInf><Rsn><Cd>{return_code}</Cd></Rsn></RtrInf>"
    return (
        f"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>{amount_xml}"
        f"<RltdPties><Cdtr><Pty><Nm>{name}</Nm></Pty></Cdtr>"
        f"<CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct></RltdPties>"
        f"<RmtInf><Ustrd>Huur december</Ustrd></RmtInf>{rtr}</TxDtls>"
    )


def ntry_v08(
    amount: str,
    direction: str = "DBIT",
    *,
    ref: str = "REF1",
    batch: str = "",
    txs: str = "",
    ccy: str = "EUR",
) -> str:
    """One camt.053.001.08 ``Ntry``: ``Sts/Cd``, booking date in ``DtTm``, value date in ``Dt``."""
    details = f"<NtryDtls>{batch}{txs}</NtryDtls>" if batch or txs else ""
    return (
        f'<Ntry><Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-12-01T10:00:00+01:00</DtTm></BookgDt>"
        f"<ValDt><Dt>2026-12-02</Dt></ValDt><AcctSvcrRef>{ref}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        f"</BkTxCd>{details}</Ntry>"
    )


def btch_v08(nb: int | None, total: str | None, pmt_inf_id: str = "RUN-7-1") -> str:
    parts = ["<Btch><MsgId>ONTZ-RUN-7</MsgId>", f"<PmtInfId>{pmt_inf_id}</PmtInfId>"]
    if nb is not None:
        parts.append(f"<NbOfTxs>{nb}</NbOfTxs>")
    if total is not None:
        parts.append(f'<TtlAmt Ccy="EUR">{total}</TtlAmt><CdtDbtInd>DBIT</CdtDbtInd>')
    return "".join([*parts, "</Btch>"])


def camt053_v08(entries: str, *, summary: str = "", namespace: str | None = None) -> bytes:
    """A camt.053.001.08 with one statement of the gemeente's account."""
    ns = namespace or f"{ISO}camt.053.001.08"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{ns}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>BNG-STMT-1</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>STMT-1</Id><ElctrncSeqNb>12</ElctrncSeqNb><CreDtTm>2026-12-02T06:00:00</CreDtTm>"
        "<Acct><Id><IBAN>NL02BNGH0285014502</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100000.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>"
        f"{summary}{entries}</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()


def summary_v08(count: int, total: str, net: str, direction: str) -> str:
    return (
        f"<TxsSummry><TtlNtries><NbOfNtries>{count}</NbOfNtries><Sum>{total}</Sum>"
        f"<TtlNetNtry><Amt>{net}</Amt><CdtDbtInd>{direction}</CdtDbtInd></TtlNetNtry>"
        "</TtlNtries></TxsSummry>"
    )


def pain002(namespace: str, batches: str, *, group_status: str = "PART") -> bytes:
    """A pain.002 (.03-style elements, also valid for .10/.11) with the given batches."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace}"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>BNG-STS-1</MsgId><CreDtTm>2026-12-01T12:00:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>ONTZ-RUN-7</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><OrgnlNbOfTxs>3</OrgnlNbOfTxs>"
        f"<OrgnlCtrlSum>1234.56</OrgnlCtrlSum><GrpSts>{group_status}</GrpSts></OrgnlGrpInfAndSts>"
        f"{batches}</CstmrPmtStsRpt></Document>\n"
    ).encode()


def pain002_batch(pmt_inf_id: str, status: str | None, txs: str) -> str:
    status_xml = "" if status is None else f"<PmtInfSts>{status}</PmtInfSts>"
    return (
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{pmt_inf_id}</OrgnlPmtInfId>{status_xml}{txs}"
        "</OrgnlPmtInfAndSts>"
    )


def pain002_tx(e2e: str, status: str, reason: str | None, amount: str | None = None) -> str:
    reason_xml = "" if reason is None else f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>"
    amount_xml = (
        ""
        if amount is None
        else f'<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">{amount}</InstdAmt></Amt></OrgnlTxRef>'
    )
    return (
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        f"{reason_xml}{amount_xml}</TxInfAndSts>"
    )
