# SPDX-License-Identifier: EUPL-1.2
"""The accountant's cycle from the command line, as a user runs it (real processes, both
databases): export → the bank's answers → import → status → decide → correction run →
import → reconcile to zero → close the period."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import unit_of_work
from tests.bank.testbank import Credit, camt053, camt054, pain002, read_pain001
from tests.factories import DATA, make_gemeente
from tests.skeleton.test_cli import run_cli

NOV_23 = date(2026, 11, 23)


def test_the_cycle_from_the_command_line(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)

    def cli(*args: str, today: date = NOV_23, code: int = 0) -> str:
        result = run_cli(*args, database_url=database_url, cwd=tmp_path, today=today)
        assert result.returncode == code, result.stdout + result.stderr
        return result.stdout + result.stderr

    cli("import", str(DATA / "import" / "purmerend-december-2026.json"))
    cli("run", "prepare", "--gemeente", "0439", "--period", "2026-12", "--as", "jan")
    cli("run", "approve", "1", "--as", "piet")
    pain001 = tmp_path / "pain.001.xml"
    cli("run", "export", "1", "--out", str(pain001), "--as", "jan")
    content = pain001.read_bytes()
    order = read_pain001(content)
    huur = next(p for p in order.payments if p.end_to_end_id.endswith("-H1-C1"))
    stroom = next(p for p in order.payments if p.end_to_end_id.endswith("-H1-C2"))
    vaste = [b.pmt_inf_id for b in order.batches if "-VL-" in b.pmt_inf_id]
    leefgeld = [b.pmt_inf_id for b in order.batches if "-LG-" in b.pmt_inf_id]
    day = order.batches[0].execution_date
    files = {
        "pain.002.xml": pain002(content, rejected={huur.end_to_end_id: "AC04"}, only_rejects=True),
        "camt.054.xml": camt054(content, booking_date=day, returned={stroom.end_to_end_id: "AC01"}),
        "camt.053.xml": camt053(content, booking_date=day, pmt_inf_ids=vaste,
                                rejected={huur.end_to_end_id: "AC04"},
                                returned={stroom.end_to_end_id: "AC01"},
                                extra_credits=[Credit(4312, "Energie B.V.", "NL91ABNA0417164300",
                                                      "Eindafrekening HH-2026-0001")]),
        "camt.053-lg.xml": camt053(content, booking_date=date(2026, 12, 24), pmt_inf_ids=leefgeld),
    }  # fmt: skip
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    inspected = json.loads(cli("bank", "inspect", str(tmp_path / "camt.053.xml")))
    assert inspected["kind"] == "BkToCstmrStmt"
    imported = cli("bank", "import", str(tmp_path / "pain.002.xml"), "--gemeente", "0439",
                   "--as", "carla")  # fmt: skip
    assert "geweigerd: 1, €\u00a0712,00" in imported
    for name in ("camt.054.xml", "camt.053.xml", "camt.053-lg.xml"):
        cli("bank", "import", str(tmp_path / name), "--gemeente", "0439", "--as", "carla")
    again = cli("bank", "import", str(tmp_path / "camt.053.xml"), "--gemeente", "0439")
    assert "al ingelezen" in again

    payments = json.loads(cli("run", "payments", "1", "--json"))["payments"]
    by_e2e = {p["end_to_end_id"]: p for p in payments}
    assert by_e2e[huur.end_to_end_id]["label"] == "geweigerd"
    assert by_e2e[stroom.end_to_end_id]["reason"] == "AC01: het rekeningnummer (IBAN) klopt niet"
    report = json.loads(cli("reconcile", "--gemeente", "0439", "--period", "2026-12", "--json"))
    assert (report["difference_cents"], report["open_cents"]) == (0, 71200 + 9500)
    assert {i["end_to_end_id"] for i in report["open_items"]} == {
        huur.end_to_end_id, stroom.end_to_end_id,
    }  # fmt: skip
    refused = cli("period", "close", "--gemeente", "0439", "--period", "2026-12", code=1)
    assert "open posten" in refused
    assert "Traceback" not in refused

    for e2e in (huur.end_to_end_id, stroom.end_to_end_id):
        payment_id = str(by_e2e[e2e]["payment_id"])
        decided = cli("bank", "decide", "--gemeente", "0439", "--payment", payment_id,
                      "--action", "herbetalen", "--reason", "rekening gecontroleerd",
                      "--as", "dirk")  # fmt: skip
        decision = decided.split()[1]  # "Besluit N vastgelegd: …"
        own = cli("bank", "approve", decision, "--gemeente", "0439", "--as", "dirk", code=1)
        assert "vier ogen" in own
        cli("bank", "approve", decision, "--gemeente", "0439", "--as", "piet")
    open_items = json.loads(cli("bank", "open", "--gemeente", "0439", "--json"))["open_items"]
    [credit] = [i for i in open_items if i["kind"] == "ter_controle"]
    assert credit["amount_cents"] == 4312
    assert {"kind": "huishouden", "id": 1} in [
        {"kind": s["kind"], "id": s["id"]} for s in credit["suggestions"]
    ]
    refund = cli("bank", "decide", "--gemeente", "0439", "--item", str(credit["bank_item_id"]),
                 "--action", "aan_huishouden", "--household", "1", "--reason", "eindafrekening",
                 "--as", "carla")  # fmt: skip
    cli("bank", "approve", refund.split()[1], "--gemeente", "0439", "--as", "piet")
    status = cli("bank", "status", str(by_e2e[huur.end_to_end_id]["payment_id"]), "--gemeente",
                 "0439")  # fmt: skip
    assert "opnieuw betalen aan de begunstigde" in status
    dec_2 = date(2026, 12, 2)
    cli("run", "prepare", "--gemeente", "0439", "--period", "2026-12", "--correction-of", "1",
        "--reason", "herbetaling", "--as", "jan", today=dec_2)  # fmt: skip
    cli("run", "approve", "2", "--as", "piet", today=dec_2)
    correction = tmp_path / "correctie.xml"
    cli("run", "export", "2", "--out", str(correction), "--as", "jan", today=dec_2)
    answer = camt053(correction.read_bytes(), booking_date=dec_2)
    (tmp_path / "camt.053-c.xml").write_bytes(answer)
    cli("bank", "import", str(tmp_path / "camt.053-c.xml"), "--gemeente", "0439", today=dec_2)

    text = cli("reconcile", "--gemeente", "0439", "--period", "2026-12", today=dec_2)
    assert "Verschil €\u00a00,00: sluit aan." in text
    november = json.loads(cli("reconcile", "--gemeente", "0439", "--period", "2026-11", "--json",
                              today=dec_2))  # fmt: skip
    assert (november["received_cents"], november["difference_cents"]) == (4312, 0)
    assert json.loads(cli("bank", "open", "--gemeente", "0439", "--json",
                          today=dec_2))["open_items"] == []  # fmt: skip
    csv_text = cli("reconcile", "--gemeente", "0439", "--run", "2", "--csv", today=dec_2)
    assert csv_text.splitlines()[0] == "onderdeel;bedrag_centen;bedrag"
    for period in ("2026-11", "2026-12"):
        closed = cli("period", "close", "--gemeente", "0439", "--period", period, "--as",
                     "carla", today=dec_2)  # fmt: skip
        assert f"Periode {period} van gemeente 0439 is gesloten." in closed


def test_a_file_that_is_not_a_bank_file_is_refused_clearly(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
    pain001 = DATA / "sepa" / "php-sepa-xml" / "pain.001.001.09.xml"
    result = run_cli("bank", "import", str(pain001), "--gemeente", "0439",
                     database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1
    assert "Fout:" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli("bank", "import", str(tmp_path / "nope.xml"), "--gemeente", "0439",
                      database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert missing.returncode == 2
    assert "bestand niet gevonden" in missing.stderr
