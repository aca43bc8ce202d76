# SPDX-License-Identifier: EUPL-1.2
"""The test bank: schema-valid answers whose counts, totals and balances are right.

The pain.001 comes from the product's own writer: two batches, five transfers (free text, a
betalingskenmerk, an RF reference, a foreign IBAN). The figures below are worked out by hand:

    vaste lasten OZ-VL-2026-12-24: 712.45 (HUUR) + 154.00 (ENER) + 139.99 (INSU) = 1006.44
    leefgeld     OZ-LG-2026-12-28: 250.01 (LEEF) +  75.50 (ZORG)                 =  325.51
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from ontzorgen.money import Money
from ontzorgen.sepa.model import CreditTransfer, PaymentMessage, Remittance
from ontzorgen.sepa.schemas import validate_xsd
from ontzorgen.sepa.writer import write_pain001
from tests.bank.testbank import (
    Camt053Version,
    Camt054Version,
    Credit,
    amount_text,
    camt053,
    camt054,
    pain002,
    read_pain001,
)
from tests.sepa.builders import CLIENT, DATA, build_message

DAY = date(2026, 12, 24)
VL, LG = "OZ-VL-2026-12-24", "OZ-LG-2026-12-28"
HUUR, ENER, INSU = "HH0001-HUUR-202701", "HH0001-ENER-202701", "HH0002-INSU-202701"
LEEF, ZORG = "HH0001-LEEF-202701", "HH0002-ZORG-202701"
CAMT053: tuple[Camt053Version, ...] = ("camt.053.001.02", "camt.053.001.04", "camt.053.001.08")
CAMT054: tuple[Camt054Version, ...] = ("camt.054.001.02", "camt.054.001.04", "camt.054.001.08")
REFUND = Credit(
    amount_cents=23417,
    debtor_name="Energiebedrijf Zuidoost",
    debtor_iban="NL91ABNA0417164300",
    remittance="Teruggave jaarafrekening 2026 klant 778899",
)
DEPOSIT = Credit(
    amount_cents=95000,
    debtor_name="Woningcorporatie Mitros",
    debtor_iban="NL44RABO0123456789",
    remittance="Borg retour Kaap Hoorndreef 56",
    booking_date=date(2026, 12, 23),
    acct_svcr_ref="BANK-REF-DEPOSIT-1",
)


def _message() -> PaymentMessage:
    message = build_message()
    leefgeld = message.batches[1]
    zorg = CreditTransfer(
        end_to_end_id=ZORG,
        amount=Money(7550),
        creditor=CLIENT,
        remittance=Remittance.free_text("Eigen bijdrage zorg januari"),
    )
    batches = [
        message.batches[0],
        dataclasses.replace(leefgeld, transfers=[*leefgeld.transfers, zorg]),
    ]
    return dataclasses.replace(message, batches=batches)


@pytest.fixture(scope="module")
def pain001() -> bytes:
    return write_pain001(_message())


# -- reading the answers, independently of the test bank ---------------------------------------
def _root(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _cents(text: str | None) -> int:
    assert text is not None
    whole, _, fraction = text.partition(".")
    assert len(fraction) == 2, text
    return int(whole) * 100 + int(fraction)


def _entries(data: bytes) -> list[etree._Element]:
    return list(_root(data).iterfind(".//{*}Ntry"))


def _batch_entry(data: bytes, pmt_inf_id: str) -> etree._Element:
    [entry] = [e for e in _entries(data) if e.findtext(".//{*}Btch/{*}PmtInfId") == pmt_inf_id]
    return entry


def _return_entries(data: bytes) -> list[etree._Element]:
    return [e for e in _entries(data) if e.find(".//{*}RtrInf") is not None]


def _e2e_ids(entry: etree._Element) -> list[str]:
    return [t.findtext("{*}Refs/{*}EndToEndId") or "" for t in entry.iterfind(".//{*}TxDtls")]


def _signed(entry: etree._Element) -> int:
    cents = _cents(entry.findtext("{*}Amt"))
    return cents if entry.findtext("{*}CdtDbtInd") == "CRDT" else -cents


def _balance(data: bytes, code: str) -> int:
    for balance in _root(data).iterfind(".//{*}Bal"):
        if balance.findtext("{*}Tp/{*}CdOrPrtry/{*}Cd") == code:
            cents = _cents(balance.findtext("{*}Amt"))
            return cents if balance.findtext("{*}CdtDbtInd") == "CRDT" else -cents
    raise AssertionError(f"no {code} balance")


# -- schema validity: every version, every option ------------------------------------------------
CAMT053_OPTIONS = [
    {},
    {"rejected": {INSU: "AC01"}, "returned": {HUUR: "AC04"}},
    {"rejected": {LEEF: "AC01", ZORG: "MD07"}, "returned": {ENER: "AC06"}},
    {"with_tx_details": False, "returned": {INSU: "MS03"}},
    {"extra_credits": [REFUND, DEPOSIT], "opening_balance_cents": -1_000_00},
    {"rejected": {HUUR: "AC04", ENER: "AC01", INSU: "AC01", LEEF: "AC01", ZORG: "AC01"}},
    {"booked": False, "returned": {HUUR: "AC04"}, "statement_id": "STMT-2026-12-27"},
    {"pmt_inf_ids": [LG], "account_iban": "NL02ABNA0123456789"},
]


@pytest.mark.parametrize(("version", "options"), list(itertools.product(CAMT053, CAMT053_OPTIONS)))
def test_camt053_is_valid_against_its_xsd(
    pain001: bytes, version: Camt053Version, options: dict[str, object]
) -> None:
    data = camt053(pain001, version=version, booking_date=DAY, **options)  # type: ignore[arg-type]
    assert validate_xsd(data, version) == []
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


@pytest.mark.parametrize(
    ("version", "booked", "with_tx_details"),
    list(itertools.product(CAMT054, [False, True], [False, True])),
)
def test_camt054_is_valid_against_its_xsd(
    pain001: bytes, version: Camt054Version, booked: bool, with_tx_details: bool
) -> None:
    data = camt054(
        pain001,
        version=version,
        booking_date=DAY,
        returned={HUUR: "AC04", LEEF: "MD07"},
        rejected={INSU: "AC01"},
        booked=booked,
        with_tx_details=with_tx_details,
        extra_credits=[REFUND],
    )
    assert validate_xsd(data, version) == []


PAIN002_OPTIONS = [
    {},
    {"rejected": {INSU: "AC01"}},
    {"rejected": {INSU: "AC01", LEEF: "AC04"}, "only_rejects": True},
    {"rejected": {HUUR: "AC04", ENER: "AC01", INSU: "AC01", LEEF: "AC01", ZORG: "MD07"}},
    {"accepted": False},
    {"accepted_status": "ACSC", "group_status": "ACTC"},
]


@pytest.mark.parametrize(
    ("version", "options"),
    list(itertools.product(["pain.002.001.10", "pain.002.001.11"], PAIN002_OPTIONS)),
)
def test_pain002_is_valid_against_its_xsd(
    pain001: bytes, version: str, options: dict[str, object]
) -> None:
    data = pain002(pain001, version=version, **options)  # type: ignore[arg-type]
    assert validate_xsd(data, version) == []  # type: ignore[arg-type]


# -- camt.053: batch bookings, rejects, returns, balances ----------------------------------------
def test_one_booked_debit_per_batch_with_every_payment(pain001: bytes) -> None:
    data = camt053(pain001, booking_date=DAY)
    entries = _entries(data)
    assert len(entries) == 2
    vaste_lasten = _batch_entry(data, VL)
    assert vaste_lasten.findtext("{*}CdtDbtInd") == "DBIT"
    assert vaste_lasten.findtext("{*}Sts") == "BOOK"
    assert vaste_lasten.findtext("{*}BookgDt/{*}Dt") == "2026-12-24"
    assert vaste_lasten.findtext("{*}ValDt/{*}Dt") == "2026-12-24"
    assert _cents(vaste_lasten.findtext("{*}Amt")) == 1006_44
    batch = vaste_lasten.find("{*}NtryDtls/{*}Btch")
    assert batch is not None
    assert batch.findtext("{*}MsgId") == "OZ-2026-12-01-0001"
    assert batch.findtext("{*}NbOfTxs") == "3"
    assert batch.findtext("{*}TtlAmt") == "1006.44"
    assert batch.findtext("{*}CdtDbtInd") == "DBIT"
    code = vaste_lasten.find("{*}BkTxCd/{*}Domn")
    assert code is not None
    assert [code.findtext("{*}Cd"), code.findtext("{*}Fmly/{*}Cd")] == ["PMNT", "ICDT"]
    assert code.findtext("{*}Fmly/{*}SubFmlyCd") == "ESCT"
    assert _e2e_ids(vaste_lasten) == [HUUR, ENER, INSU]
    tx_amounts = [
        _cents(t.findtext("{*}AmtDtls/{*}TxAmt/{*}Amt")) for t in vaste_lasten.iter("{*}TxDtls")
    ]
    assert tx_amounts == [712_45, 154_00, 139_99]
    assert _e2e_ids(_batch_entry(data, LG)) == [LEEF, ZORG]
    assert _cents(_batch_entry(data, LG).findtext("{*}Amt")) == 325_51


def test_transaction_details_name_the_creditor_and_copy_the_remittance(pain001: bytes) -> None:
    entry = _batch_entry(camt053(pain001, booking_date=DAY), VL)
    huur, ener, _ = entry.iterfind(".//{*}TxDtls")
    assert huur.findtext("{*}Refs/{*}PmtInfId") == VL
    assert huur.findtext("{*}Refs/{*}MsgId") == "OZ-2026-12-01-0001"
    assert huur.findtext("{*}RltdPties/{*}Cdtr/{*}Nm") == "Woningcorporatie Mitros"
    assert huur.findtext("{*}RltdPties/{*}CdtrAcct/{*}Id/{*}IBAN") == "NL44RABO0123456789"
    assert huur.findtext("{*}RmtInf/{*}Ustrd") == "Huur januari 2027 contract 88-1234 - Zoe"
    reference = ener.find("{*}RmtInf/{*}Strd/{*}CdtrRefInf")
    assert reference is not None
    assert reference.findtext("{*}Ref") == "5000056789012345"
    assert reference.findtext("{*}Tp/{*}CdOrPrtry/{*}Cd") == "SCOR"
    assert reference.findtext("{*}Tp/{*}Issr") == "CUR"
    assert ener.find("{*}RmtInf/{*}Ustrd") is None


def test_version_differences(pain001: bytes) -> None:
    old = _batch_entry(camt053(pain001, version="camt.053.001.02", booking_date=DAY), VL)
    mid = _batch_entry(camt053(pain001, version="camt.053.001.04", booking_date=DAY), VL)
    new = _batch_entry(camt053(pain001, version="camt.053.001.08", booking_date=DAY), VL)
    old_tx, mid_tx, new_tx = (e.find(".//{*}TxDtls") for e in (old, mid, new))
    assert old_tx is not None
    assert mid_tx is not None
    assert new_tx is not None
    assert old_tx.find("{*}Amt") is None  # .02 has the amount only in AmtDtls
    assert mid_tx.findtext("{*}Amt") == "712.45"
    assert mid_tx.findtext("{*}CdtDbtInd") == "DBIT"
    assert new_tx.findtext("{*}AmtDtls/{*}TxAmt/{*}Amt") == "712.45"
    assert new.findtext("{*}Sts/{*}Cd") == "BOOK"
    assert new_tx.findtext("{*}RltdPties/{*}Cdtr/{*}Pty/{*}Nm") == "Woningcorporatie Mitros"
    assert new_tx.findtext("{*}Refs/{*}UETR") == "235d1eb5-8dd7-4c1a-8ece-559df8c67da1"
    assert old_tx.find("{*}Refs/{*}UETR") is None


def test_rejected_payments_are_not_in_the_batch_booking(pain001: bytes) -> None:
    data = camt053(pain001, booking_date=DAY, rejected={INSU: "AC01", ZORG: "AC04"})
    vaste_lasten = _batch_entry(data, VL)
    assert vaste_lasten.findtext(".//{*}Btch/{*}NbOfTxs") == "2"
    assert vaste_lasten.findtext(".//{*}Btch/{*}TtlAmt") == "866.45"  # 1006.44 - 139.99
    assert vaste_lasten.findtext("{*}Amt") == "866.45"
    assert _e2e_ids(vaste_lasten) == [HUUR, ENER]
    leefgeld = _batch_entry(data, LG)
    assert leefgeld.findtext(".//{*}Btch/{*}TtlAmt") == "250.01"
    assert _e2e_ids(leefgeld) == [LEEF]
    assert _return_entries(data) == []  # a reject is never booked, so never returned
    assert _balance(data, "CLBD") == -(866_45 + 250_01)


def test_a_batch_of_only_rejected_payments_is_not_booked(pain001: bytes) -> None:
    data = camt053(pain001, booking_date=DAY, rejected={LEEF: "AC01", ZORG: "AC01"})
    assert [e.findtext(".//{*}Btch/{*}PmtInfId") for e in _entries(data)] == [VL]
    nothing = camt053(
        pain001, booking_date=DAY, rejected=dict.fromkeys([HUUR, ENER, INSU, LEEF, ZORG], "AC01")
    )
    assert _entries(nothing) == []
    assert _balance(nothing, "CLBD") == 0


def test_a_return_is_booked_with_its_batch_and_comes_back_as_a_credit(pain001: bytes) -> None:
    data = camt053(pain001, booking_date=DAY, returned={HUUR: "AC04"})
    vaste_lasten = _batch_entry(data, VL)
    assert vaste_lasten.findtext(".//{*}Btch/{*}TtlAmt") == "1006.44"
    assert HUUR in _e2e_ids(vaste_lasten)
    [back] = _return_entries(data)
    assert back.findtext("{*}CdtDbtInd") == "CRDT"
    assert back.findtext("{*}Amt") == "712.45"
    assert back.findtext("{*}BkTxCd/{*}Domn/{*}Fmly/{*}SubFmlyCd") == "RRTN"
    assert back.findtext("{*}BkTxCd/{*}Domn/{*}Fmly/{*}Cd") == "ICDT"
    [tx] = back.iterfind(".//{*}TxDtls")
    assert tx.findtext("{*}Refs/{*}EndToEndId") == HUUR
    assert tx.findtext("{*}RtrInf/{*}Rsn/{*}Cd") == "AC04"
    assert tx.findtext("{*}RltdPties/{*}Cdtr/{*}Nm") == "Woningcorporatie Mitros"
    assert tx.findtext("{*}RltdPties/{*}CdtrAcct/{*}Id/{*}IBAN") == "NL44RABO0123456789"
    assert tx.findtext("{*}AmtDtls/{*}TxAmt/{*}Amt") == "712.45"
    assert back.findtext("{*}AcctSvcrRef") != vaste_lasten.findtext("{*}AcctSvcrRef")
    # Debited 1006.44 + 325.51, 712.45 came back.
    assert _balance(data, "CLBD") == -1006_44 - 325_51 + 712_45


def test_returns_carry_each_their_own_reason(pain001: bytes) -> None:
    data = camt053(
        pain001, version="camt.053.001.08", booking_date=DAY, returned={INSU: "MD07", ZORG: "AC06"}
    )
    reasons = {
        tx.findtext("{*}Refs/{*}EndToEndId"): tx.findtext("{*}RtrInf/{*}Rsn/{*}Cd")
        for entry in _return_entries(data)
        for tx in entry.iterfind(".//{*}TxDtls")
    }
    assert reasons == {INSU: "MD07", ZORG: "AC06"}
    amounts = sorted(_cents(e.findtext("{*}Amt")) for e in _return_entries(data))
    assert amounts == [75_50, 139_99]


def test_extra_credits_come_in_from_their_debtor(pain001: bytes) -> None:
    data = camt053(pain001, version="camt.053.001.08", booking_date=DAY, extra_credits=[REFUND])
    [refund] = [e for e in _entries(data) if e.findtext("{*}CdtDbtInd") == "CRDT"]
    assert refund.findtext("{*}Amt") == "234.17"
    assert refund.findtext("{*}BkTxCd/{*}Domn/{*}Fmly/{*}Cd") == "RCDT"
    assert refund.findtext("{*}BkTxCd/{*}Domn/{*}Fmly/{*}SubFmlyCd") == "ESCT"
    tx = refund.find(".//{*}TxDtls")
    assert tx is not None
    assert tx.findtext("{*}RltdPties/{*}Dbtr/{*}Pty/{*}Nm") == "Energiebedrijf Zuidoost"
    assert tx.findtext("{*}RltdPties/{*}DbtrAcct/{*}Id/{*}IBAN") == "NL91ABNA0417164300"
    assert tx.findtext("{*}RmtInf/{*}Ustrd") == "Teruggave jaarafrekening 2026 klant 778899"
    assert tx.find("{*}RtrInf") is None
    old = camt053(pain001, version="camt.053.001.02", booking_date=DAY, extra_credits=[DEPOSIT])
    [deposit] = [e for e in _entries(old) if e.findtext("{*}CdtDbtInd") == "CRDT"]
    assert deposit.findtext(".//{*}RltdPties/{*}Dbtr/{*}Nm") == "Woningcorporatie Mitros"
    assert deposit.findtext("{*}BookgDt/{*}Dt") == "2026-12-23"
    assert deposit.findtext("{*}AcctSvcrRef") == "BANK-REF-DEPOSIT-1"


@pytest.mark.parametrize("version", CAMT053)
def test_closing_balance_and_summary_add_up(pain001: bytes, version: Camt053Version) -> None:
    data = camt053(
        pain001,
        version=version,
        booking_date=DAY,
        rejected={INSU: "AC01"},
        returned={LEEF: "AC04"},
        extra_credits=[REFUND, DEPOSIT],
        opening_balance_cents=5_000_00,
    )
    debits = 866_45 + 325_51
    credits = 250_01 + 234_17 + 950_00
    assert _balance(data, "OPBD") == 5_000_00
    assert _balance(data, "CLBD") == 5_000_00 - debits + credits
    assert sum(_signed(e) for e in _entries(data)) == credits - debits
    summary = _root(data).find(".//{*}TxsSummry")
    assert summary is not None
    assert summary.findtext("{*}TtlNtries/{*}NbOfNtries") == "5"
    assert _cents(summary.findtext("{*}TtlNtries/{*}Sum")) == debits + credits
    net = "TtlNetNtryAmt" if version.endswith(".02") else "TtlNetNtry/{*}Amt"
    assert _cents(summary.findtext(f"{{*}}TtlNtries/{{*}}{net}")) == credits - debits
    direction = "CdtDbtInd" if version.endswith(".02") else "TtlNetNtry/{*}CdtDbtInd"
    assert summary.findtext(f"{{*}}TtlNtries/{{*}}{direction}") == "CRDT"
    assert summary.findtext("{*}TtlCdtNtries/{*}NbOfNtries") == "3"
    assert _cents(summary.findtext("{*}TtlCdtNtries/{*}Sum")) == credits
    assert summary.findtext("{*}TtlDbtNtries/{*}NbOfNtries") == "2"
    assert _cents(summary.findtext("{*}TtlDbtNtries/{*}Sum")) == debits


@pytest.mark.parametrize("version", CAMT053)
def test_an_overdrawn_account_has_positive_balance_amounts_marked_debit(
    pain001: bytes, version: Camt053Version
) -> None:
    data = camt053(pain001, version=version, booking_date=DAY, opening_balance_cents=-12_34)
    amounts = [b.findtext("{*}Amt") for b in _root(data).iterfind(".//{*}Bal")]
    directions = [b.findtext("{*}CdtDbtInd") for b in _root(data).iterfind(".//{*}Bal")]
    assert amounts == ["12.34", "1344.29"]  # 12.34 + 1006.44 + 325.51
    assert directions == ["DBIT", "DBIT"]
    total = _root(data).find(".//{*}TxsSummry/{*}TtlNtries")
    assert total is not None
    net = total if version.endswith(".02") else total.find("{*}TtlNetNtry")
    assert net is not None
    amount = "TtlNetNtryAmt" if version.endswith(".02") else "Amt"
    assert net.findtext(f"{{*}}{amount}") == "1331.95"
    assert net.findtext("{*}CdtDbtInd") == "DBIT"


def test_without_transaction_details_only_the_batch_line(pain001: bytes) -> None:
    data = camt053(pain001, booking_date=DAY, with_tx_details=False, rejected={INSU: "AC01"})
    vaste_lasten = _batch_entry(data, VL)
    assert vaste_lasten.find(".//{*}TxDtls") is None
    assert vaste_lasten.findtext(".//{*}Btch/{*}NbOfTxs") == "2"
    assert vaste_lasten.findtext(".//{*}Btch/{*}TtlAmt") == "866.45"


def test_a_later_statement_with_only_the_return(pain001: bytes) -> None:
    later = camt053(pain001, booking_date=date(2026, 12, 29), booked=False, returned={HUUR: "AC04"})
    [entry] = _entries(later)
    assert entry.findtext("{*}BookgDt/{*}Dt") == "2026-12-29"
    assert _balance(later, "CLBD") == 712_45
    only_leefgeld = camt053(pain001, booking_date=date(2026, 12, 28), pmt_inf_ids=[LG])
    assert [e.findtext(".//{*}Btch/{*}PmtInfId") for e in _entries(only_leefgeld)] == [LG]


def test_the_statement_is_for_the_debtor_account(pain001: bytes) -> None:
    root = _root(camt053(pain001, booking_date=DAY))
    assert root.findtext(".//{*}Stmt/{*}Acct/{*}Id/{*}IBAN") == "NL02ABNA0123456789"
    assert root.findtext(".//{*}Stmt/{*}Acct/{*}Ccy") == "EUR"
    other = _root(camt053(pain001, booking_date=DAY, account_iban="NL14BNGH0285001234"))
    assert other.findtext(".//{*}Stmt/{*}Acct/{*}Id/{*}IBAN") == "NL14BNGH0285001234"
    named = _root(camt053(pain001, booking_date=DAY, statement_id="AFSCHRIFT-359"))
    assert named.findtext(".//{*}Stmt/{*}Id") == "AFSCHRIFT-359"


def test_a_batch_without_batch_booking_is_booked_per_payment() -> None:
    message = _message()
    single = dataclasses.replace(message.batches[1], batch_booking=False)
    data = camt053(
        write_pain001(dataclasses.replace(message, batches=[message.batches[0], single])),
        booking_date=DAY,
    )
    singles = [e for e in _entries(data) if e.find(".//{*}Btch") is None]
    assert [_e2e_ids(e) for e in singles] == [[LEEF], [ZORG]]
    assert [e.findtext("{*}Amt") for e in singles] == ["250.01", "75.50"]
    assert len({e.findtext("{*}AcctSvcrRef") for e in _entries(data)}) == 3
    assert validate_xsd(data, "camt.053.001.02") == []


# -- camt.054 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", CAMT054)
def test_camt054_holds_the_returns_and_if_booked_the_batches(
    pain001: bytes, version: Camt054Version
) -> None:
    returns_only = camt054(pain001, version=version, booking_date=DAY, returned={HUUR: "AC04"})
    root = _root(returns_only)
    assert root.find("{*}BkToCstmrDbtCdtNtfctn/{*}Ntfctn") is not None
    [back] = _entries(returns_only)
    assert back.findtext(".//{*}RtrInf/{*}Rsn/{*}Cd") == "AC04"
    assert _e2e_ids(back) == [HUUR]
    booked = camt054(
        pain001, version=version, booking_date=DAY, returned={HUUR: "AC04"}, booked=True
    )
    assert [e.findtext(".//{*}Btch/{*}PmtInfId") for e in _entries(booked)] == [VL, LG, None]


@pytest.mark.parametrize(("v053", "v054"), list(zip(CAMT053, CAMT054, strict=True)))
def test_a_booking_has_the_same_bank_reference_in_camt054_and_camt053(
    pain001: bytes, v053: Camt053Version, v054: Camt054Version
) -> None:
    options = {"booking_date": DAY, "returned": {ENER: "AC01"}, "extra_credits": [REFUND]}
    statement = camt053(pain001, version=v053, **options)  # type: ignore[arg-type]
    notification = camt054(pain001, version=v054, booked=True, **options)  # type: ignore[arg-type]
    refs_053 = [e.findtext("{*}AcctSvcrRef") for e in _entries(statement)]
    refs_054 = [e.findtext("{*}AcctSvcrRef") for e in _entries(notification)]
    assert refs_053 == refs_054
    assert len(set(refs_053)) == 4
    other_day = camt053(pain001, version=v053, booking_date=date(2026, 12, 28))
    assert [e.findtext("{*}AcctSvcrRef") for e in _entries(other_day)] == refs_053[:2]
    assert all(ref is not None and len(ref) <= 35 for ref in refs_053)


# -- deterministic ------------------------------------------------------------------------------
def test_the_same_input_gives_the_same_bytes(pain001: bytes) -> None:
    def statement(version: Camt053Version) -> bytes:
        return camt053(
            pain001,
            version=version,
            booking_date=DAY,
            rejected={INSU: "AC01"},
            returned={HUUR: "AC04"},
            extra_credits=[REFUND],
        )

    for version in CAMT053:
        assert statement(version) == statement(version)
    assert camt054(pain001, booking_date=DAY, returned={HUUR: "AC04"}) == camt054(
        pain001, booking_date=DAY, returned={HUUR: "AC04"}
    )
    assert pain002(pain001, rejected={INSU: "AC01"}) == pain002(pain001, rejected={INSU: "AC01"})


def test_different_answers_get_different_file_ids(pain001: bytes) -> None:
    def ids(data: bytes) -> tuple[str | None, str | None]:
        root = _root(data)
        return root.findtext(".//{*}GrpHdr/{*}MsgId"), root.findtext(".//{*}Stmt/{*}Id")

    plain = ids(camt053(pain001, booking_date=DAY))
    variants = [
        ids(camt053(pain001, booking_date=date(2026, 12, 28))),
        ids(camt053(pain001, booking_date=DAY, rejected={INSU: "AC01"})),
        ids(camt053(pain001, booking_date=DAY, returned={INSU: "AC01"})),
        ids(camt053(pain001, booking_date=DAY, extra_credits=[REFUND])),
    ]
    assert len({plain, *variants}) == 5
    first = _root(pain002(pain001)).findtext(".//{*}GrpHdr/{*}MsgId")
    second = _root(pain002(pain001, rejected={INSU: "AC01"})).findtext(".//{*}GrpHdr/{*}MsgId")
    assert first != second


# -- mistakes in a test are errors ---------------------------------------------------------------
def test_an_unknown_end_to_end_id_is_an_error(pain001: bytes) -> None:
    with pytest.raises(ValueError, match=r"rejected: EndToEndId not in the pain\.001: HH0001-HUUR"):
        camt053(pain001, booking_date=DAY, rejected={"HH0001-HUUR": "AC01"})
    with pytest.raises(ValueError, match=r"returned: EndToEndId not in the pain\.001"):
        camt053(pain001, booking_date=DAY, returned={"HH0001-HUUR-202702": "AC04"})
    with pytest.raises(ValueError, match=r"returned: EndToEndId not in the pain\.001"):
        camt054(pain001, booking_date=DAY, returned={"typo": "AC04"})
    with pytest.raises(ValueError, match=r"rejected: EndToEndId not in the pain\.001"):
        camt054(pain001, booking_date=DAY, booked=True, rejected={"typo": "AC04"})
    with pytest.raises(ValueError, match=r"rejected: EndToEndId not in the pain\.001"):
        pain002(pain001, rejected={"typo": "AC01"})


def test_other_mistakes_are_errors(pain001: bytes) -> None:
    with pytest.raises(ValueError, match="both in rejected and in returned"):
        camt053(pain001, booking_date=DAY, rejected={HUUR: "AC01"}, returned={HUUR: "AC04"})
    with pytest.raises(ValueError, match="not a 4-character code"):
        camt053(pain001, booking_date=DAY, returned={HUUR: "account closed"})
    with pytest.raises(ValueError, match=r"PmtInfId not in the pain\.001"):
        camt053(pain001, booking_date=DAY, pmt_inf_ids=["OZ-VL-2026-12"])
    with pytest.raises(ValueError, match="unsupported version"):
        camt053(pain001, booking_date=DAY, version="camt.053.001.05")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"camt053 writes camt\.053"):
        camt053(pain001, booking_date=DAY, version="camt.054.001.02")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a refused file"):
        pain002(pain001, accepted=False, rejected={HUUR: "AC01"})
    with pytest.raises(ValueError, match="same AcctSvcrRef"):
        camt053(pain001, booking_date=DAY, extra_credits=[REFUND, REFUND])
    with pytest.raises(ValueError, match="positive"):
        Credit(0, "Iemand", "NL91ABNA0417164300", "Niets")
    with pytest.raises(TypeError, match="integer cents"):
        Credit(12.5, "Iemand", "NL91ABNA0417164300", "Niets")  # type: ignore[arg-type]


def test_a_fraction_of_a_cent_in_the_pain001_is_an_error(pain001: bytes) -> None:
    broken = pain001.replace(b">712.45<", b">712.455<", 1)
    assert broken != pain001
    with pytest.raises(ValueError, match="EndToEndId HH0001-HUUR-202701: not a whole number"):
        camt053(broken, booking_date=DAY)
    with pytest.raises(ValueError, match=r"not a pain\.001"):
        camt053(camt053(pain001, booking_date=DAY), booking_date=DAY)


def test_amount_text_is_exact() -> None:
    assert amount_text(0) == "0.00"
    assert amount_text(5) == "0.05"
    assert amount_text(71245) == "712.45"
    assert amount_text(99_999_999_999) == "999999999.99"
    with pytest.raises(ValueError, match="never negative"):
        amount_text(-1)


# -- pain.002 ------------------------------------------------------------------------------------
def _statuses(data: bytes) -> dict[str, tuple[str | None, str | None]]:
    return {
        tx.findtext("{*}OrgnlEndToEndId") or "": (
            tx.findtext("{*}TxSts"),
            tx.findtext("{*}StsRsnInf/{*}Rsn/{*}Cd"),
        )
        for tx in _root(data).iterfind(".//{*}TxInfAndSts")
    }


def _batch_statuses(data: bytes) -> dict[str, str | None]:
    return {
        batch.findtext("{*}OrgnlPmtInfId") or "": batch.findtext("{*}PmtInfSts")
        for batch in _root(data).iterfind(".//{*}OrgnlPmtInfAndSts")
    }


@pytest.mark.parametrize("version", ["pain.002.001.10", "pain.002.001.11", "pain.002.001.03"])
def test_pain002_reports_every_payment_and_the_rejects_with_reason(
    pain001: bytes, version: str
) -> None:
    data = pain002(pain001, version=version, rejected={INSU: "AC01"})  # type: ignore[arg-type]
    root = _root(data)
    assert etree.QName(root).namespace == f"urn:iso:std:iso:20022:tech:xsd:{version}"
    report = root.find("{*}CstmrPmtStsRpt")
    assert report is not None
    assert [etree.QName(child).localname for child in report] == [
        "GrpHdr",
        "OrgnlGrpInfAndSts",
        "OrgnlPmtInfAndSts",
        "OrgnlPmtInfAndSts",
    ]
    assert report.findtext("{*}GrpHdr/{*}CreDtTm") == "2026-12-01T10:30:00"
    group = report.find("{*}OrgnlGrpInfAndSts")
    assert group is not None
    assert group.findtext("{*}OrgnlMsgId") == "OZ-2026-12-01-0001"
    assert group.findtext("{*}OrgnlMsgNmId") == "pain.001.001.09"
    assert group.findtext("{*}OrgnlNbOfTxs") == "5"
    assert group.findtext("{*}OrgnlCtrlSum") == "1331.95"
    assert group.findtext("{*}GrpSts") == "PART"
    assert _batch_statuses(data) == {VL: "PART", LG: "ACCP"}
    assert _statuses(data) == {
        HUUR: ("ACCP", None),
        ENER: ("ACCP", None),
        INSU: ("RJCT", "AC01"),
        LEEF: ("ACCP", None),
        ZORG: ("ACCP", None),
    }
    [reject] = [
        tx
        for tx in report.iterfind(".//{*}TxInfAndSts")
        if tx.findtext("{*}OrgnlEndToEndId") == INSU
    ]
    assert reject.findtext("{*}OrgnlTxRef/{*}Amt/{*}InstdAmt") == "139.99"
    assert reject.findtext("{*}OrgnlTxRef/{*}CdtrAcct/{*}Id/{*}IBAN") == "NL91ABNA0417164300"
    if version == "pain.002.001.03":
        assert reject.findtext("{*}OrgnlTxRef/{*}ReqdExctnDt") == "2026-12-24"
        assert reject.findtext("{*}OrgnlTxRef/{*}Cdtr/{*}Nm") == "Energiebedrijf Zuidoost"
    else:
        assert reject.findtext("{*}OrgnlTxRef/{*}ReqdExctnDt/{*}Dt") == "2026-12-24"
        assert reject.findtext("{*}OrgnlTxRef/{*}Cdtr/{*}Pty/{*}Nm") == "Energiebedrijf Zuidoost"


def test_pain002_group_status_follows_the_rejects(pain001: bytes) -> None:
    def group(data: bytes) -> str | None:
        return _root(data).findtext(".//{*}OrgnlGrpInfAndSts/{*}GrpSts")

    everything = dict.fromkeys([HUUR, ENER, INSU, LEEF, ZORG], "AC01")
    assert group(pain002(pain001)) == "ACCP"
    assert group(pain002(pain001, rejected={LEEF: "AC04", ZORG: "AC04"})) == "PART"
    assert _batch_statuses(pain002(pain001, rejected={LEEF: "AC04", ZORG: "AC04"})) == {
        VL: "ACCP",
        LG: "RJCT",
    }
    assert group(pain002(pain001, rejected=everything)) == "RJCT"
    assert group(pain002(pain001, group_status="ACTC")) == "ACTC"
    settled = pain002(pain001, accepted_status="ACSC")
    assert group(settled) == "ACSC"
    assert {status for status, _ in _statuses(settled).values()} == {"ACSC"}


def test_pain002_only_rejects(pain001: bytes) -> None:
    data = pain002(pain001, rejected={INSU: "AC01", ZORG: "MD07"}, only_rejects=True)
    assert _statuses(data) == {INSU: ("RJCT", "AC01"), ZORG: ("RJCT", "MD07")}
    assert _batch_statuses(data) == {VL: "PART", LG: "PART"}
    assert _statuses(pain002(pain001, only_rejects=True)) == {}


def test_pain002_of_a_refused_file(pain001: bytes) -> None:
    root = _root(pain002(pain001, accepted=False, file_reason="FF01"))
    assert root.findtext(".//{*}OrgnlGrpInfAndSts/{*}GrpSts") == "RJCT"
    assert root.findtext(".//{*}OrgnlGrpInfAndSts/{*}StsRsnInf/{*}Rsn/{*}Cd") == "FF01"
    assert root.find(".//{*}OrgnlPmtInfAndSts") is None


def test_pain002_names_the_instruction_and_uetr_where_the_version_has_them(
    pain001: bytes,
) -> None:
    def huur(version: str) -> etree._Element:
        data = pain002(pain001, version=version, rejected={HUUR: "AC04"})  # type: ignore[arg-type]
        [tx] = [
            t
            for t in _root(data).iterfind(".//{*}TxInfAndSts")
            if t.findtext("{*}OrgnlEndToEndId") == HUUR
        ]
        return tx

    assert huur("pain.002.001.10").findtext("{*}OrgnlInstrId") == "I-0001"
    assert huur("pain.002.001.11").findtext("{*}OrgnlUETR") == (
        "235d1eb5-8dd7-4c1a-8ece-559df8c67da1"
    )
    assert huur("pain.002.001.03").find("{*}OrgnlUETR") is None


# -- a pain.001.001.03 ---------------------------------------------------------------------------
def test_answers_to_a_pain001_version_03_sample() -> None:
    sample = (DATA / "php-sepa-xml" / "pain.001.001.03.xml").read_bytes()
    order = read_pain001(sample)
    assert order.version == "pain.001.001.03"
    assert [p.end_to_end_id for p in order.payments] == ["SomethingUnique"]
    statement = camt053(
        sample, booking_date=date(2025, 8, 19), returned={"SomethingUnique": "AC04"}
    )
    assert validate_xsd(statement, "camt.053.001.02") == []
    assert _root(statement).findtext(".//{*}Stmt/{*}Acct/{*}Id/{*}IBAN") == (
        "BG87200500001234567890"
    )
    assert _balance(statement, "CLBD") == 0  # debited 12.34, returned 12.34
    reference = _root(statement).find(".//{*}Btch/../{*}TxDtls/{*}RmtInf/{*}Strd/{*}CdtrRefInf")
    assert reference is not None
    assert reference.findtext("{*}Tp/{*}Issr") == "CdtrRefInf-Tp-Issr"
    report = pain002(sample, version="pain.002.001.03", rejected={"SomethingUnique": "AC01"})
    group = _root(report).find(".//{*}OrgnlGrpInfAndSts")
    assert group is not None
    assert group.findtext("{*}OrgnlMsgNmId") == "pain.001.001.03"
    assert group.findtext("{*}GrpSts") == "RJCT"
    assert _root(report).findtext(".//{*}OrgnlTxRef/{*}ReqdExctnDt") == "2025-08-19"
    assert validate_xsd(pain002(sample, version="pain.002.001.10"), "pain.002.001.10") == []


@pytest.mark.parametrize("version", CAMT053)
def test_answers_to_our_own_pain001_version_03(version: Camt053Version) -> None:
    old = write_pain001(_message(), version="pain.001.001.03")
    data = camt053(old, version=version, booking_date=DAY, rejected={INSU: "AC01"})
    assert validate_xsd(data, version) == []
    assert _batch_entry(data, VL).findtext(".//{*}Btch/{*}TtlAmt") == "866.45"
    report = pain002(old, version="pain.002.001.10", rejected={INSU: "AC01"})
    assert validate_xsd(report, "pain.002.001.10") == []
    assert _root(report).findtext(".//{*}OrgnlMsgNmId") == "pain.001.001.03"


@pytest.mark.parametrize(
    "relative",
    [
        "nl-banks-pain001/abn-amro-pain.001.001.03-voorbeeldbestand.xml",
        "nl-banks-pain001/ing-pain.001.001.03-voorbeeldbestand.xml",
    ],
)
def test_answers_to_the_dutch_banks_sample_files(relative: str) -> None:
    sample = Path(DATA / relative).read_bytes()
    order = read_pain001(sample)
    [payment] = order.payments
    for version in CAMT053:
        data = camt053(sample, version=version, booking_date=DAY)
        assert validate_xsd(data, version) == []
        assert _balance(data, "CLBD") == -payment.amount_cents
