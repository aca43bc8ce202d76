# SPDX-License-Identifier: EUPL-1.2
"""``inspect_bank_file`` and ``ontzorgen bank inspect``: the JSON an accountant looks at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ontzorgen import cli
from ontzorgen.sepa.bankinspect import inspect_bank_file
from tests.sepa.bank_builders import BANK_DATA

STATEMENT = BANK_DATA / "oca-bank-statement-import" / "test-camt053.xml"
PAIN002 = BANK_DATA / "oca-account-payment" / "test-sepa-pain-unpaid.xml"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def assert_clear_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = " ".join(result.output.split())
    assert "Traceback" not in output
    assert "Fout:" in output
    return output


def test_statement_as_json_by_hand() -> None:
    shown = inspect_bank_file(STATEMENT.read_bytes())
    assert (shown["kind"], shown["version"], shown["msg_id"], shown["validated_against"]) == (
        "BkToCstmrStmt",
        "camt.053.001.02",
        "TESTBANK/NL/1420561226673",
        "camt.053.001.02",
    )
    assert shown["statements"] == [
        {
            "id": "1234Test/1",
            "account_iban": "NL77ABNA0574908765",
            "currency": None,
            "created_at": "2014-01-06T16:20:26.673Z",
            "electronic_sequence": None,
        }
    ]
    # 3 Ntry: 754.25 DBIT, 664.05 DBIT (batch of 2, returned AC06), 1405.31 CRDT.
    assert shown["entry_count"] == 3
    assert (shown["credit_cents"], shown["debit_cents"]) == (140531, 75425 + 66405)
    batch_entry = shown["entries"][1]
    assert batch_entry["amount_cents"] == 66405
    assert batch_entry["direction"] == "DBIT"
    assert batch_entry["status"] == "BOOK"
    assert (batch_entry["booking_date"], batch_entry["value_date"]) == ("2014-01-05", "2014-01-05")
    assert batch_entry["batch"] == {
        "msg_id": "2014/125",
        "pmt_inf_id": "2018/125-20141229-NORM",
        "nb_of_txs": 2,
        "ttl_amt_cents": 66405,
    }
    first = batch_entry["transactions"][0]
    assert (first["end_to_end_id"], first["amount_cents"], first["reason_code"]) == (
        "TESTBANK/NL/20141229/01206408",
        56405,
        "AC06",
    )
    assert first["original_end_to_end_id"] == "TESTBANK/NL/20141229/01206408"
    # Not a return: no reason fields at all.
    assert "reason_code" not in shown["entries"][2]["transactions"][0]
    assert shown["entries"][0]["batch"] is None


def test_status_report_as_json_by_hand() -> None:
    shown = inspect_bank_file(PAIN002.read_bytes())
    assert (shown["kind"], shown["original_msg_id"]) == ("CstmrPmtStsRpt", "MSGID12345678912")
    assert shown["group_status"]["reason_codes"] == []
    assert [
        (
            b["pmt_inf_id"],
            [(t["end_to_end_id"], t["status"], t["reason_codes"]) for t in b["transactions"]],
        )
        for b in shown["batches"]
    ] == [
        ("PMTINFID1", [("E2EID1", "RJCT", ["AC01"]), ("E2EID2", "RJCT", ["MS02"])]),
        ("PMTINFID2", [("E2EID3", "RJCT", ["MD06"]), ("E2EID4", "RJCT", ["AM04"])]),
    ]
    assert {t["amount_cents"] for b in shown["batches"] for t in b["transactions"]} == {10000}


def test_cli_prints_the_json() -> None:
    result = invoke("bank", "inspect", str(STATEMENT))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == inspect_bank_file(STATEMENT.read_bytes())
    assert '\n  "kind": "BkToCstmrStmt"' in result.output  # indent 2


def test_cli_keeps_non_ascii_readable(tmp_path: Path) -> None:
    path = tmp_path / "stmt.xml"
    path.write_bytes(STATEMENT.read_bytes().replace(b"Direct Debit S14", "Huur café".encode()))
    result = invoke("bank", "inspect", str(path))
    assert result.exit_code == 0, result.output
    assert "Huur café" in result.output


def test_cli_missing_file() -> None:
    output = assert_clear_failure(invoke("bank", "inspect", "/nonexistent/camt.xml"))
    assert "bestand niet gevonden" in output


def test_cli_folder(tmp_path: Path) -> None:
    assert "is een map" in assert_clear_failure(invoke("bank", "inspect", str(tmp_path)))


def test_cli_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "camt.xml"
    path.write_bytes(STATEMENT.read_bytes())

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root may read any file: simulate it
    assert "geen leesrechten" in assert_clear_failure(invoke("bank", "inspect", str(path)))


def test_cli_refused_file_names_line_and_element() -> None:
    wrong = BANK_DATA / "genkgo-camt" / "camt053.v2.five.decimals.xml"
    output = assert_clear_failure(invoke("bank", "inspect", str(wrong)))
    assert "regel 43, Stmt[1]/Bal[1]/Amt: bedrag 18.150 heeft 3 decimalen" in output


def test_cli_error_never_shows_an_iban(tmp_path: Path) -> None:
    # The counterparty IBAN of the credit becomes invalid XML right behind it.
    data = STATEMENT.read_bytes().replace(b"NL69ABNA0522123643</IBAN>", b"NL69ABNA0522123643</IBAN")
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    output = assert_clear_failure(invoke("bank", "inspect", str(path)))
    assert "geen geldige XML" in output
    assert "NL69ABNA0522123643" not in output


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(0, len(STATEMENT.read_bytes().rstrip()) - 1),
    garbage=st.none() | st.binary(max_size=80),
)
def test_cli_any_broken_file_fails_clearly(tmp_path: Path, cut: int, garbage: bytes | None) -> None:
    path = tmp_path / "input.xml"
    path.write_bytes(STATEMENT.read_bytes()[:cut] if garbage is None else garbage)
    output = assert_clear_failure(invoke("bank", "inspect", str(path)))
    assert "NL77ABNA0574908765" not in output


# Every camt sample inspect reads: (entries, credit cents, debit cents, currency), counted from
# the XML's Ntry/Amt and Ntry/CdtDbtInd (e.g. the NVB example: CRDT 135678.50, DBIT 200000).
# Inspect shows any currency; the import refuses everything but EUR (tests/sepa/test_bankfile.py).
READ_BY_INSPECT = {
    "genkgo-camt/camt053.v2.minimal.ultimate.xml": (1, 885, 0, "EUR"),
    "genkgo-camt/camt053.v2.minimal.xml": (1, 885, 0, "EUR"),
    "genkgo-camt/camt053.v2.multi.statement.xml": (2, 885, 700, "EUR"),
    "genkgo-camt/camt053.v2.with-account-name.xml": (1, 885, 0, "EUR"),
    "genkgo-camt/camt053.v2.with-party-ids.xml": (1, 885, 0, "EUR"),
    "genkgo-camt/camt054.v2.with-account-name.xml": (1, 0, 20000000, "SEK"),
    "genkgo-camt/camt054.v2.xml": (1, 0, 20000000, "SEK"),
    "genkgo-camt/camt054.v8-with-UETR.xml": (1, 0, 20000000, "SEK"),
    "genkgo-camt/camt054.v8-with-financial-institution.xml": (1, 0, 20000000, "SEK"),
    "nl-banks-pain001/nvb-camt.053.001.02-example.xml": (3, 13567850, 20000000, "SEK"),
    "oca-account-payment/test-sepa-camt-unpaid.xml": (1, 0, 10000, "EUR"),
    "oca-bank-statement-import/test-camt053.xml": (3, 140531, 141830, "EUR"),
    "oca-bank-statement-import/test-camt054.xml": (1, 500, 0, "EUR"),
}


@pytest.mark.parametrize("relative", sorted(READ_BY_INSPECT))
def test_inspect_reads_every_camt_sample_in_any_currency(relative: str) -> None:
    shown = inspect_bank_file((BANK_DATA / relative).read_bytes())
    entries, credit, debit, currency = READ_BY_INSPECT[relative]
    assert (shown["entry_count"], shown["credit_cents"], shown["debit_cents"]) == (
        entries, credit, debit,
    )  # fmt: skip
    assert {entry["currency"] for entry in shown["entries"]} == {currency}
