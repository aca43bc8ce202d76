# SPDX-License-Identifier: EUPL-1.2
"""The test bank answers the file a real payment run exports, on both databases."""

from __future__ import annotations

from datetime import date

from lxml import etree
from sqlalchemy.orm import Session

from ontzorgen.clients.service import import_households
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import approve_run, create_run, get_run, prepare_run, run_payments
from ontzorgen.sepa.schemas import validate_xsd
from tests.bank.testbank import camt053, camt054, pain002, read_pain001
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)
APPROVER = actor_for("accordeerder")


def _exported(session: Session) -> tuple[bytes, dict[str, int]]:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    run = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    approve_run(session, APPROVER, run.id, today=TODAY, now=at_noon(TODAY))
    exported = export_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    session.commit()
    payments = run_payments(session, get_run(session, run.id))
    return exported.content, {p.end_to_end_id: p.amount_cents for p in payments}


def test_answers_to_an_exported_run_are_valid_and_add_up(session: Session) -> None:
    content, amounts = _exported(session)
    order = read_pain001(content)
    assert {p.end_to_end_id: p.amount_cents for p in order.payments} == amounts
    first, second, *_ = sorted(amounts)
    day = order.batches[0].execution_date
    statement = camt053(
        content,
        version="camt.053.001.08",
        booking_date=day,
        rejected={first: "AC01"},
        returned={second: "AC04"},
    )
    assert validate_xsd(statement, "camt.053.001.08") == []
    root = etree.fromstring(statement)
    booked = [
        tx.findtext("{*}Refs/{*}EndToEndId") or ""
        for tx in root.iterfind(".//{*}Btch/../{*}TxDtls")
    ]
    assert sorted(booked) == sorted(set(amounts) - {first})
    [closing] = [
        bal
        for bal in root.iterfind(".//{*}Bal")
        if bal.findtext("{*}Tp/{*}CdOrPrtry/{*}Cd") == "CLBD"
    ]
    assert closing.findtext("{*}CdtDbtInd") == "DBIT"
    whole, cents = (closing.findtext("{*}Amt") or "").split(".")
    assert int(whole) * 100 + int(cents) == sum(amounts.values()) - amounts[first] - amounts[second]
    notification = camt054(
        content, version="camt.054.001.04", booking_date=day, returned={second: "AC04"}
    )
    assert validate_xsd(notification, "camt.054.001.04") == []
    report = pain002(content, version="pain.002.001.11", rejected={first: "AC01"})
    assert validate_xsd(report, "pain.002.001.11") == []
