# SPDX-License-Identifier: EUPL-1.2
"""The bank file readers on the real sample files and on files written to break them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ontzorgen.sepa.bankfile import BankFileError, read_bank_file, sniff
from ontzorgen.sepa.feedback import (
    BatchStatus,
    Entry,
    FileHeader,
    GroupStatus,
    Record,
    Statement,
    TransactionStatus,
)
from tests.sepa.bank_builders import (
    BANK_DATA,
    ISO,
    btch_v08,
    camt053_v08,
    ntry_v08,
    pain002,
    pain002_batch,
    pain002_tx,
    summary_v08,
    tx_v08,
)

ALL_SAMPLES = sorted(str(path.relative_to(BANK_DATA)) for path in BANK_DATA.glob("*/*.xml"))


def read(relative: str) -> list[Record]:
    return list(read_bank_file((BANK_DATA / relative).read_bytes()))


def entries(records: list[Record]) -> list[Entry]:
    return [record for record in records if isinstance(record, Entry)]


def signed_total(records: list[Record]) -> int:
    return sum(
        e.amount_cents if e.direction == "CRDT" else -e.amount_cents for e in entries(records)
    )


def refused(data: bytes, **kwargs: int) -> BankFileError:
    with pytest.raises(BankFileError) as caught:
        list(read_bank_file(data, **kwargs))
    return caught.value


# -- every sample ----------------------------------------------------------------------------------
# What is wrong with each refused sample, found by reading it: (line, element, part of the message).
REFUSED = {
    # Ntry/Amt is 8.850: three decimals (the balances are fine, two decimals each).
    "genkgo-camt/camt053.v2.all-balance-types.xml": (153, "Stmt[1]/Ntry[1]/Amt", "3 decimalen"),
    # The opening balance already is 18.150.
    "genkgo-camt/camt053.v2.five.decimals.xml": (43, "Stmt[1]/Bal[1]/Amt", "3 decimalen"),
    # Balances in SEK, CHF and JPY: not a euro account.
    "genkgo-camt/camt053.v2.minimal.ultimate.xml": (60, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    "genkgo-camt/camt053.v2.minimal.xml": (60, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    "genkgo-camt/camt053.v2.with-account-name.xml": (23, "Stmt[1]/Bal[1]/Amt", "valuta JPY"),
    "genkgo-camt/camt053.v2.with-party-ids.xml": (60, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    # BkToCstmrStmt without any Stmt: the XSD says so.
    "genkgo-camt/camt053.v2.wrong.xml": (3, "BkToCstmrStmt", "XSD camt.053.001.02"),
    "genkgo-camt/camt053.v3.xml": (80, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    "genkgo-camt/camt053.v4.xml": (80, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    "genkgo-camt/camt053.v8.xml": (80, "Stmt[1]/Bal[2]/Amt", "valuta SEK"),
    "genkgo-camt/camt054.v2.with-account-name.xml": (18, "Ntfctn[1]/Ntry[1]/Amt", "valuta SEK"),
    "genkgo-camt/camt054.v2.xml": (59, "Ntfctn[1]/Ntry[1]/Amt", "valuta SEK"),
    "genkgo-camt/camt054.v4.xml": (64, "Ntfctn[1]/Ntry[1]/Amt", "valuta SEK"),
    "genkgo-camt/camt054.v8-with-UETR.xml": (17, "Ntfctn[1]/Ntry[1]/Amt", "valuta SEK"),
    "genkgo-camt/camt054.v8-with-financial-institution.xml": (
        17,
        "Ntfctn[1]/Ntry[1]/Amt",
        "valuta SEK",
    ),
    "genkgo-camt/camt054.v8.xml": (64, "Ntfctn[1]/Ntry[1]/Amt", "valuta SEK"),
    "genkgo-camt/camt53.only-Dt-with-DtTm.xml": (23, "Stmt[1]/Bal[1]/Amt", "valuta RON"),
    "nl-banks-pain001/nvb-camt.053.001.02-example.xml": (43, "Stmt[1]/Bal[1]/Amt", "valuta SEK"),
    # Same files as the valid ones, with the namespace other.054 / other.002.
    "oca-account-payment/test-sepa-camt-unpaid-invalid.xml": (6, "Document", "geen bankbestand"),
    "oca-account-payment/test-sepa-pain-unpaid-invalid.xml": (10, "Document", "geen bankbestand"),
    # Not XSD-valid (the XSD error comes first, before their CHF amounts):
    # .04 calls it BICFI, not BIC;
    "oca-bank-statement-import/test-camt053-no-ntry.xml": (
        22,
        "Stmt[1]/Acct/Svcr/FinInstnId/BIC",
        "XSD camt.053.001.04",
    ),
    # a country code "CH1";
    "oca-bank-statement-import/test-camt053-txdtls.xml": (
        106,
        "Stmt[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]/RltdPties/Dbtr/PstlAdr/Ctry",
        "XSD camt.053.001.04",
    ),
    # the second Ntry has no Amt.
    "oca-bank-statement-import/test-camt053-wrong-amount.xml": (
        95,
        "Stmt[1]/Ntry[2]/CdtDbtInd",
        "XSD camt.053.001.04",
    ),
}
VALID = {
    "genkgo-camt/camt053.v2.multi.statement.xml",
    "oca-account-payment/test-sepa-camt-unpaid.xml",
    "oca-account-payment/test-sepa-pain-unpaid.xml",
    "oca-bank-statement-import/test-camt053.xml",
    "oca-bank-statement-import/test-camt054.xml",
}


def test_every_sample_is_classified() -> None:
    assert set(ALL_SAMPLES) == set(REFUSED) | VALID
    assert len(ALL_SAMPLES) == 28


@pytest.mark.parametrize("relative", sorted(REFUSED))
def test_refused_samples_say_where_and_why(relative: str) -> None:
    line, element, reason = REFUSED[relative]
    error = refused((BANK_DATA / relative).read_bytes())
    assert (error.line, error.element) == (line, element), str(error)
    assert reason in error.message
    assert str(error).startswith(f"regel {line}, {element}: ")


def test_oca_statement_by_hand() -> None:
    # 3 Ntry: -754.25 DBIT (direct debit), -664.05 DBIT (RvslInd, Btch of 2 TxDtls
    # 564.05 + 100.00, both AC06), +1405.31 CRDT. Net 1405.31 - 754.25 - 664.05 = -12.99.
    records = read("oca-bank-statement-import/test-camt053.xml")
    header, statement = records[0], records[1]
    assert isinstance(header, FileHeader)
    assert (header.kind, header.version, header.msg_id) == (
        "BkToCstmrStmt",
        "camt.053.001.02",
        "TESTBANK/NL/1420561226673",
    )
    assert header.validated_against == "camt.053.001.02"
    assert isinstance(statement, Statement)
    assert (statement.id, statement.account_iban) == ("1234Test/1", "NL77ABNA0574908765")
    found = entries(records)
    assert [(e.amount_cents, e.direction) for e in found] == [
        (75425, "DBIT"),
        (66405, "DBIT"),
        (140531, "CRDT"),
    ]
    assert signed_total(records) == -1299
    reversal = found[1]
    assert reversal.reversal
    assert reversal.booking_date == date(2014, 1, 5)
    (batch,) = reversal.batches
    assert (batch.msg_id, batch.pmt_inf_id, batch.nb_of_txs, batch.ttl_amt_cents) == (
        "2014/125",
        "2018/125-20141229-NORM",
        2,
        66405,
    )
    assert [
        (t.amount_cents, t.return_reason and t.return_reason.code) for t in reversal.transactions
    ] == [
        (56405, "AC06"),
        (10000, "AC06"),
    ]
    assert reversal.transactions[0].original_end_to_end_id == "TESTBANK/NL/20141229/01206408"
    assert found[2].transactions[0].counterparty_iban == "NL69ABNA0522123643"  # the Dbtr of a CRDT


def test_oca_notification_by_hand() -> None:
    # camt.054.001.04: 1 Ntry +5.00 CRDT, Btch NbOfTxs 1 and one TxDtls of 5.00.
    records = read("oca-bank-statement-import/test-camt054.xml")
    (entry,) = entries(records)
    assert (entry.amount_cents, entry.direction, entry.acct_svcr_ref) == (500, "CRDT", "98888208N8")
    assert entry.batches[0].nb_of_txs == 1
    assert entry.transactions[0].end_to_end_id == "ENDTOENDID-01"
    assert entry.transactions[0].amount_cents == 500


def test_oca_return_notification_by_hand() -> None:
    # camt.054.001.02: TxsSummry says 0 credits and 1 debit of 100; 1 Ntry -100.00 DBIT with
    # RtrInf AC06 for E2EID1 (TxDtls gives only InstdAmt, no TxAmt: its amount is unknown).
    records = read("oca-account-payment/test-sepa-camt-unpaid.xml")
    (entry,) = entries(records)
    assert (entry.amount_cents, entry.direction) == (10000, "DBIT")
    (tx,) = entry.transactions
    assert tx.return_reason is not None
    assert (tx.return_reason.code, tx.original_end_to_end_id, tx.amount_cents) == (
        "AC06",
        "E2EID1",
        None,
    )


def test_multi_statement_by_hand() -> None:
    # Two Stmt: +8.85 CRDT in the first, -7.00 DBIT in the second.
    records = read("genkgo-camt/camt053.v2.multi.statement.xml")
    kinds = [type(r).__name__ for r in records]
    assert kinds == ["FileHeader", "Statement", "Entry", "Statement", "Entry"]
    assert [(e.statement_id, e.index, e.amount_cents) for e in entries(records)] == [
        ("253EURNL26VAYB8060476890", 1, 885),
        ("254EURNL26VAYB8060476890", 1, 700),
    ]
    assert signed_total(records) == 185


def test_pain002_sample_by_hand() -> None:
    # pain.002.001.03 (no packaged XSD): group MSGID12345678912 (4 txs, 400), two batches of
    # two rejected transactions of 100 each: AC01, MS02 | MD06, AM04. No PmtInfSts.
    records = read("oca-account-payment/test-sepa-pain-unpaid.xml")
    header = records[0]
    assert isinstance(header, FileHeader)
    assert (header.kind, header.version, header.validated_against) == (
        "CstmrPmtStsRpt",
        "pain.002.001.03",
        None,
    )
    group = records[1]
    assert isinstance(group, GroupStatus)
    assert (group.original_msg_id, group.original_nb_of_txs, group.original_ctrl_sum_cents) == (
        "MSGID12345678912",
        4,
        40000,
    )
    shape = [
        (r.original_pmt_inf_id, r.status)
        if isinstance(r, BatchStatus)
        else (r.original_end_to_end_id, r.status, r.reasons[0].code, r.amount_cents)
        for r in records[2:]
        if isinstance(r, BatchStatus | TransactionStatus)
    ]
    assert shape == [
        ("PMTINFID1", None),
        ("E2EID1", "RJCT", "AC01", 10000),
        ("E2EID2", "RJCT", "MS02", 10000),
        ("PMTINFID2", None),
        ("E2EID3", "RJCT", "MD06", 10000),
        ("E2EID4", "RJCT", "AM04", 10000),
    ]


# -- versions and element differences -------------------------------------------------------------
def test_camt_v08_forms_are_read() -> None:
    data = camt053_v08(
        ntry_v08(
            "150.00",
            batch=btch_v08(2, "150.00"),
            txs=tx_v08("E1", "100.00") + tx_v08("E2", "50.00"),
        ),
        summary=summary_v08(1, "150.00", "150.00", "DBIT"),
    )
    records = list(read_bank_file(data))
    assert isinstance(records[0], FileHeader)
    assert records[0].validated_against == "camt.053.001.08"
    (entry,) = entries(records)
    assert entry.status == "BOOK"  # Sts/Cd
    assert entry.booking_date == date(2026, 12, 1)  # BookgDt/DtTm
    assert entry.value_date == date(2026, 12, 2)
    assert entry.bank_transaction_code == "PMNT/ICDT/ESCT"
    assert [t.counterparty_name for t in entry.transactions] == ["Woonstichting Test"] * 2  # Pty/Nm
    assert [t.amount_cents for t in entry.transactions] == [10000, 5000]


def test_batch_without_details_carries_its_reference() -> None:
    records = list(read_bank_file(camt053_v08(ntry_v08("1234.56", batch=btch_v08(40, "1234.56")))))
    (entry,) = entries(records)
    assert entry.transactions == ()
    (batch,) = entry.batches
    assert (batch.pmt_inf_id, batch.nb_of_txs, batch.ttl_amt_cents) == ("RUN-7-1", 40, 123456)


def test_not_provided_end_to_end_id_is_none() -> None:
    records = list(read_bank_file(camt053_v08(ntry_v08("5.00", txs=tx_v08("NOTPROVIDED", "5.00")))))
    assert entries(records)[0].transactions[0].end_to_end_id is None


def test_a_returned_payment_in_camt053_v08() -> None:
    txs = tx_v08("RUN7-HH12-HUUR", "612.00", return_code="AC04", direction="CRDT")
    (entry,) = entries(list(read_bank_file(camt053_v08(ntry_v08("612.00", "CRDT", txs=txs)))))
    (tx,) = entry.transactions
    assert tx.return_reason is not None
    assert tx.return_reason.code == "AC04"
    assert tx.original_end_to_end_id == "RUN7-HH12-HUUR"


@pytest.mark.parametrize(
    "namespace",
    [
        f"{ISO}pain.002.001.03",
        f"{ISO}pain.002.001.10",
        f"{ISO}pain.002.001.11",
        f"{ISO}pain.002.001.03.ch.02",
        "http://www.six-interbank-clearing.com/de/pain.002.001.03.ch.02.xsd",
    ],
)
def test_pain002_versions_and_bank_variants(namespace: str) -> None:
    batches = pain002_batch(
        "RUN-7-1",
        "PART",
        pain002_tx("E1", "RJCT", "AC04", "612.00") + pain002_tx("E2", "ACSC", None),
    ) + pain002_batch("RUN-7-2", None, pain002_tx("E3", "RJCT", "MD07"))
    records = list(read_bank_file(pain002(namespace, batches)))
    header = records[0]
    assert isinstance(header, FileHeader)
    version = namespace.rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".xsd")
    assert header.version == version
    expected_xsd = version if namespace.startswith(ISO) and version.endswith(("10", "11")) else None
    assert header.validated_against == expected_xsd
    shape = [
        (type(r).__name__, getattr(r, "status", None), [x.code for x in getattr(r, "reasons", ())])
        for r in records[1:]
    ]
    assert shape == [
        ("GroupStatus", "PART", []),
        ("BatchStatus", "PART", []),
        ("TransactionStatus", "RJCT", ["AC04"]),
        ("TransactionStatus", "ACSC", []),
        ("BatchStatus", None, []),  # no PmtInfSts: still a batch record, before its transaction
        ("TransactionStatus", "RJCT", ["MD07"]),
    ]
    assert isinstance(records[3], TransactionStatus)
    assert records[3].amount_cents == 61200


def test_pain002_counts_of_the_original_are_not_checked() -> None:
    # OrgnlNbOfTxs says 3, the report lists one reject: normal, banks report only rejects.
    data = pain002(
        f"{ISO}pain.002.001.10", pain002_batch("B", "PART", pain002_tx("E1", "RJCT", "AC01"))
    )
    assert len(list(read_bank_file(data))) == 4


def test_pain002_wrong_structure_in_a_bank_namespace() -> None:
    data = (
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03.ch.02"><CstmrPmtStsRpt>'
        b"<OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId></OrgnlGrpInfAndSts>"
        b"</CstmrPmtStsRpt></Document>"
    )
    error = refused(data)
    assert "GrpHdr" in error.message
    assert error.line == 1


# -- totals ---------------------------------------------------------------------------------------
def test_batch_count_must_match_its_details() -> None:
    data = camt053_v08(
        ntry_v08(
            "150.00",
            batch=btch_v08(3, "150.00"),
            txs=tx_v08("E1", "100.00") + tx_v08("E2", "50.00"),
        )
    )
    error = refused(data)
    assert error.element == "Stmt[1]/Ntry[1]/NtryDtls[1]/Btch/NbOfTxs"
    assert "NbOfTxs zegt 3, de batch heeft 2" in error.message


def test_batch_total_must_match_its_details() -> None:
    data = camt053_v08(
        ntry_v08(
            "150.00",
            batch=btch_v08(2, "150.01"),
            txs=tx_v08("E1", "100.00") + tx_v08("E2", "50.00"),
        )
    )
    error = refused(data)
    assert error.element == "Stmt[1]/Ntry[1]/NtryDtls[1]/Btch/TtlAmt"
    assert "TtlAmt zegt 150.01" in error.message
    assert "150.00" in error.message


def test_entry_amount_must_match_its_details() -> None:
    data = camt053_v08(ntry_v08("150.00", txs=tx_v08("E1", "100.00") + tx_v08("E2", "49.99")))
    error = refused(data)
    assert error.element == "Stmt[1]/Ntry[1]/Amt"
    assert "149.99" in error.message


def test_details_without_amounts_are_not_summed() -> None:
    data = camt053_v08(ntry_v08("150.00", txs=tx_v08("E1", None) + tx_v08("E2", None)))
    (entry,) = entries(list(read_bank_file(data)))
    assert [t.amount_cents for t in entry.transactions] == [None, None]


@pytest.mark.parametrize(
    ("summary", "element"),
    [
        (summary_v08(2, "150.00", "150.00", "DBIT"), "Stmt[1]/TxsSummry/TtlNtries/NbOfNtries"),
        (summary_v08(1, "150.10", "150.00", "DBIT"), "Stmt[1]/TxsSummry/TtlNtries/Sum"),
        (summary_v08(1, "150.00", "150.00", "CRDT"), "Stmt[1]/TxsSummry/TtlNtries/TtlNetNtry/Amt"),
    ],
)
def test_statement_summary_must_match_the_entries(summary: str, element: str) -> None:
    error = refused(camt053_v08(ntry_v08("150.00"), summary=summary))
    assert error.element == element
    assert "TxsSummry zegt" in error.message


def test_net_summary_counts_credits_against_debits() -> None:
    # +200.00 CRDT and -150.00 DBIT: 2 entries, sum 350.00, net +50.00 CRDT.
    entries_xml = ntry_v08("200.00", "CRDT", ref="A") + ntry_v08("150.00", "DBIT", ref="B")
    records = list(
        read_bank_file(camt053_v08(entries_xml, summary=summary_v08(2, "350.00", "50.00", "CRDT")))
    )
    assert signed_total(records) == 5000


# -- amounts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("8.85000", "5 decimalen"),
        ("18.150", "3 decimalen"),
        ("0.00", "nul"),
        ("-5.00", "negatief"),
        ("1e3", "geen bedrag"),
        ("12,50", "geen bedrag"),
    ],
)
def test_bad_amounts_are_refused_with_their_element(amount: str, reason: str) -> None:
    # Built in a bank namespace without XSD, so the reader's own check is what refuses it.
    data = camt053_v08(ntry_v08(amount), namespace=f"{ISO}camt.053.001.13")
    error = refused(data)
    assert error.element == "Stmt[1]/Ntry[1]/Amt"
    assert reason in error.message


def test_five_decimals_refused_under_the_xsd_too() -> None:
    error = refused(camt053_v08(ntry_v08("8.85000")))
    assert error.element == "Stmt[1]/Ntry[1]/Amt"
    assert "5 decimalen" in error.message


def test_other_currency_is_refused() -> None:
    error = refused(camt053_v08(ntry_v08("5.00", ccy="USD")))
    assert (error.element, error.message) == (
        "Stmt[1]/Ntry[1]/Amt",
        "valuta USD: ontzorgen verwerkt alleen bedragen in EUR",
    )


# -- not a bank file, malformed, hostile ----------------------------------------------------------
def test_a_pain001_is_not_a_bank_file() -> None:
    pain001 = BANK_DATA.parent / "sepa" / "php-sepa-xml" / "pain.001.001.09.xml"
    error = refused(pain001.read_bytes())
    assert error.message.startswith("geen bankbestand: dit is een pain.001")


def test_non_xml_is_refused() -> None:
    error = refused(b"%PDF-1.7 this is not xml")
    assert error.message.startswith("geen geldige XML op regel 1")


def test_empty_file_is_refused() -> None:
    assert "geen geldige XML" in refused(b"").message


@pytest.mark.parametrize("cut", [200, 700, 1500, 3000, 6000, 11000])
def test_truncated_file_is_refused_with_its_line(cut: int) -> None:
    data = (BANK_DATA / "oca-bank-statement-import/test-camt053.xml").read_bytes()[:cut]
    error = refused(data)
    assert error.message.startswith("geen geldige XML op regel")
    assert error.line is not None


def test_wrong_structure_in_an_unknown_namespace() -> None:
    data = b'<Document xmlns="urn:example:bank"><Statement><Line>1</Line></Statement></Document>'
    error = refused(data)
    assert error.message.startswith("geen bankbestand: Statement is geen pain.002")


def test_right_structure_in_a_namespace_of_another_message() -> None:
    data = (BANK_DATA / "oca-bank-statement-import/test-camt053.xml").read_bytes()
    data = data.replace(b"camt.053.001.02", b"pain.001.001.09")
    assert "hoort niet bij een camt.053" in refused(data).message


def test_size_bound_is_checked_before_parsing() -> None:
    data = (BANK_DATA / "oca-bank-statement-import/test-camt053.xml").read_bytes()
    with pytest.raises(BankFileError, match="meer dan de grens van 1000 bytes"):
        read_bank_file(data, max_bytes=1000)  # at once, not on the first record


def test_sniff_reads_root_and_first_child() -> None:
    data = (BANK_DATA / "oca-account-payment/test-sepa-pain-unpaid.xml").read_bytes()
    assert sniff(data) == ("CstmrPmtStsRpt", "pain.002.001.03", f"{ISO}pain.002.001.03")
    # Garbage after the first child does not matter to sniff.
    end = data.index(b"<CstmrPmtStsRpt>") + len(b"<CstmrPmtStsRpt>")
    assert sniff(data[:end] + b"<<garbage")[0] == "CstmrPmtStsRpt"


def test_two_batches_in_one_entry() -> None:
    # Two NtryDtls, each with its Btch and one TxDtls: 100.00 + 50.00 = 150.00.
    details = (
        f"{btch_v08(1, '100.00', 'RUN-7-1')}{tx_v08('E1', '100.00')}</NtryDtls>"
        f"<NtryDtls>{btch_v08(1, '50.00', 'RUN-7-2')}{tx_v08('E2', '50.00')}"
    )
    (entry,) = entries(list(read_bank_file(camt053_v08(ntry_v08("150.00", batch=details)))))
    assert [b.pmt_inf_id for b in entry.batches] == ["RUN-7-1", "RUN-7-2"]
    assert [t.end_to_end_id for t in entry.transactions] == ["E1", "E2"]


def test_credit_and_debit_summary_of_a_v02_notification() -> None:
    # The sample's TxsSummry says 1 debit entry of 100; make it 100.01.
    data = (BANK_DATA / "oca-account-payment/test-sepa-camt-unpaid.xml").read_bytes()
    data = data.replace(b"<Sum>100</Sum>", b"<Sum>100.01</Sum>")
    error = refused(data)
    assert error.element == "Ntfctn[1]/TxsSummry/TtlDbtNtries/Sum"
    assert error.message == "TxsSummry zegt 100.01, de boekingen (Ntry) geven 100.00"


def test_pain002_rejecting_the_whole_file() -> None:
    data = pain002(f"{ISO}pain.002.001.10", "", group_status="RJCT")
    records = list(read_bank_file(data))
    assert [type(r).__name__ for r in records] == ["FileHeader", "GroupStatus"]
    assert isinstance(records[1], GroupStatus)
    assert records[1].status == "RJCT"


@settings(max_examples=60, deadline=None)
@given(
    position=st.integers(0, 11000),
    replacement=st.sampled_from([b"<", b">", b"&", b"x", b"/", b"\x00", b"9", b".", b"-", b""]),
)
def test_a_damaged_statement_is_read_or_refused_never_crashes(
    position: int, replacement: bytes
) -> None:
    data = (BANK_DATA / "oca-bank-statement-import/test-camt053.xml").read_bytes()
    damaged = data[:position] + replacement + data[position + 1 :]
    message = ""
    try:
        list(read_bank_file(damaged))
    except BankFileError as error:
        message = str(error)
    assert "NL77ABNA0574908765" not in message
    assert "NL46ABNA0499998748" not in message


def test_xsd_where_packaged_structure_check_otherwise() -> None:
    # An element the schema does not know, inside an entry: the .08 XSD refuses it; the same
    # file in the .03 namespace (no packaged XSD) is read by structure.
    entry = ntry_v08("5.00").replace("<AcctSvcrRef>", "<Onbekend>x</Onbekend><AcctSvcrRef>")
    error = refused(camt053_v08(entry))
    assert error.message.startswith("voldoet niet aan het XSD camt.053.001.08")
    assert error.element == "Stmt[1]/Ntry[1]/Onbekend"
    records = list(read_bank_file(camt053_v08(entry, namespace=f"{ISO}camt.053.001.03")))
    assert isinstance(records[0], FileHeader)
    assert records[0].validated_against is None
    assert entries(records)[0].amount_cents == 500


def test_error_text_without_a_place() -> None:
    assert str(BankFileError("geen geldige XML: het bestand is leeg")) == (
        "geen geldige XML: het bestand is leeg"
    )
    assert str(BankFileError("x", line=3)) == "regel 3: x"
    assert str(BankFileError("x", element="GrpHdr/MsgId")) == "GrpHdr/MsgId: x"
