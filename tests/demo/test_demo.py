# SPDX-License-Identifier: EUPL-1.2
"""The demo month: a valid import, an idempotent run, a file that matches the ledger."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from schwifty import IBAN
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.nl import bsn

from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as cm
from ontzorgen.clients.schemas import ImportFile
from ontzorgen.clients.service import import_households
from ontzorgen.demo import (
    DEMO_GEMEENTE,
    DemoSummary,
    build_demo_import,
    demo_scenarios,
    run_demo,
)
from ontzorgen.gemeenten.service import create_gemeente
from ontzorgen.ledger.models import LedgerPosting, LedgerTransaction
from ontzorgen.runs.models import Payment, PaymentRun, RunFile
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.references import (
    Betalingskenmerk,
    FreeText,
    RfReference,
    parse_payment_reference,
)
from ontzorgen.sepa.schemas import validate_xsd
from tests.factories import CLERK, at_noon

TODAY = date(2026, 11, 23)
DECEMBER = Period(2026, 12)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _households(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {h["reference"]: h for h in data["households"]}


def test_import_is_deterministic_valid_and_varied() -> None:
    data = build_demo_import("9999", DECEMBER)
    assert data == build_demo_import("9999", DECEMBER)
    assert data != build_demo_import("9999", DECEMBER, seed=7)
    parsed = ImportFile.model_validate(data)
    assert len(parsed.households) >= 40
    persons = [p for h in parsed.households for p in h.persons]
    assert all(bsn.is_valid(p.bsn) for p in persons)
    assert len({p.bsn for p in persons}) == len(persons)
    names = " ".join(p.name for p in persons)
    for needed in ("Çelik", "Ğül", "Øystein", "Ñúñez"):
        assert needed in names
    scripts = " ".join(p.name_own_script or "" for p in persons)
    assert any("\u1200" <= c <= "\u137f" for c in scripts)  # Ethiopic (Tigrinya)
    assert any("\u0600" <= c <= "\u06ff" for c in scripts)  # Arabic
    for payee in parsed.payees:
        assert IBAN(payee.iban).country_code == "NL"
        assert payee.town
        assert payee.street
        assert payee.postcode
    kinds: dict[str, set[type]] = {}
    for h in parsed.households:
        for c in h.contracts:
            kinds.setdefault(c.category.value, set()).add(
                type(parse_payment_reference(c.payment_reference))
            )
            for a in c.amounts:
                low, high = {
                    "huur": (55000, 90000), "stroom": (6000, 14000), "gas": (4000, 12000),
                    "water": (1800, 3500), "zorgverzekering": (14000, 33000),
                }[c.category.value]  # fmt: skip
                if c.category.value == "huur":  # a kostendeler pays a share of the rent
                    low = 55000 // (h.kostendelende_medebewoners + 1)
                assert low <= a.amount_cents <= high, (h.reference, c.reference)
    assert kinds["huur"] == {FreeText}
    assert kinds["stroom"] == kinds["gas"] == kinds["zorgverzekering"] == {Betalingskenmerk}
    assert kinds["water"] == {RfReference}


def test_import_holds_the_situations_relative_to_the_period() -> None:
    households = _households(build_demo_import("9999", DECEMBER))
    starts = Counter(h["right"]["start"] for h in households.values())
    assert starts["2026-12-01"] >= 2  # new this month, from the 1st
    assert any(s.startswith("2026-12-") and s != "2026-12-01" for s in starts)  # mid-month
    assert any(h["right"]["kostendelers"] == 2 and h["leefvorm"] == "alleenstaande"
               for h in households.values())  # fmt: skip
    assert any(h["right"]["kostendelers"] == 3 for h in households.values())
    assert any("iban" not in h for h in households.values())
    assert any(h["leefvorm"] == "gehuwden" and any(p["role"] == "kind" for p in h["persons"])
               for h in households.values())  # fmt: skip
    assert any(h["leefvorm"] == "alleenstaande_ouder" for h in households.values())
    assert any(h.get("voorschotten") for h in households.values())
    deduction_kinds = {d["kind"] for h in households.values() for d in h.get("deductions", [])}
    assert deduction_kinds == {"inkomsten", "aflossing"}
    assert any(h.get("extensions") for h in households.values())
    assert any(p["doelgroep"] == "gezinsmigrant" for h in households.values()
               for p in h["persons"])  # fmt: skip
    # A later month moves every situation with it.
    january = _households(build_demo_import("9999", Period(2027, 1)))
    assert Counter(h["right"]["start"] for h in january.values())["2027-01-01"] >= 2


def test_too_few_households_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        build_demo_import("9999", DECEMBER, households=5)


def test_import_stores_every_household(session: Session) -> None:
    create_gemeente(session, CLERK, DEMO_GEMEENTE)
    summary = import_households(session, CLERK, build_demo_import("9999", DECEMBER))
    session.commit()
    assert summary.households == 48
    stored = session.scalar(select(func.count()).select_from(cm.Household))
    assert stored == 48
    names = set(session.scalars(select(cm.Person.name)))
    assert "Mehmet Çelik" in names


@pytest.fixture
def demo(session_factory: sessionmaker[Session], tmp_path: Path) -> DemoSummary:
    return run_demo(session_factory, out=tmp_path / "out", today=TODAY, now=at_noon(TODAY))


def _counts(session: Session) -> dict[str, int]:
    models = (cm.Household, cm.Payee, cm.Person, PaymentRun, Payment, RunFile, LedgerTransaction)
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in models
    } | {"postings": session.scalar(select(func.count()).select_from(LedgerPosting)) or 0}


def test_run_demo_twice_gives_the_same_file_and_nothing_twice(
    demo: DemoSummary, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    assert demo.period == "2026-12"
    assert demo.gemeente_created
    assert demo.households_imported
    assert demo.run_created
    with session_factory() as session:
        before = _counts(session)
    again = run_demo(session_factory, out=tmp_path / "again", today=TODAY, now=at_noon(TODAY))
    assert not (again.gemeente_created)
    assert not (again.households_imported)
    assert not (again.run_created)
    assert again.sha256 == demo.sha256
    assert again.run_id == demo.run_id
    assert again.file_path is not None
    assert demo.file_path is not None
    assert again.file_path.read_bytes() == demo.file_path.read_bytes()
    with session_factory() as session:
        assert _counts(session) == before
        assert before["PaymentRun"] == 1
        assert before["RunFile"] == 1
        assert before["Household"] == 48
        stored = session.scalars(select(RunFile.content)).one()
    assert hashlib.sha256(stored).hexdigest() == demo.sha256
    assert demo.file_path.read_bytes() == stored


def test_summary_matches_the_run(demo: DemoSummary, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        run = session.get_one(PaymentRun, demo.run_id)
        payments = session.scalars(select(Payment).where(Payment.run_id == run.id)).all()
    assert run.state == "exported"
    assert run.prepared_by == "demo-inkomen"
    assert run.approved_by == "demo-accordeerder"
    assert demo.households == run.household_count >= 40
    assert demo.payments == len(payments) > 150
    assert demo.total_cents == sum(p.amount_cents for p in payments)
    assert demo.shortfall_cents > 0
    assert demo.held_cents > 0
    assert demo.execution_date == date(2026, 11, 24)


def test_file_validates_and_passes_the_bank_checks(demo: DemoSummary) -> None:
    assert demo.file_path is not None
    assert demo.file_path.name == "pain.001.xml"
    content = demo.file_path.read_bytes()
    assert validate_xsd(content, "pain.001.001.09") == []
    report = check_pain001(content, today=TODAY)
    assert report.errors == (), report.format()
    tree = etree.fromstring(content)
    assert tree.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == str(
        demo.payments
    )


def test_every_payment_in_the_file_matches_the_ledger(
    demo: DemoSummary, session_factory: sessionmaker[Session]
) -> None:
    assert demo.file_path is not None
    tree = etree.fromstring(demo.file_path.read_bytes())
    transactions = tree.findall(".//p:CdtTrfTxInf", namespaces=NS)
    assert len(transactions) == demo.payments
    seen: set[str] = set()
    total = 0
    with session_factory() as session:
        for tx in transactions:
            e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS)
            assert e2e is not None
            assert e2e not in seen
            seen.add(e2e)
            amount_text = tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)
            assert amount_text is not None
            euros, cents = amount_text.split(".")
            assert len(cents) == 2
            cents_in_file = int(euros) * 100 + int(cents)
            payment = session.scalars(
                select(Payment).where(Payment.end_to_end_id == e2e, Payment.run_id == demo.run_id)
            ).one()
            assert payment.amount_cents == cents_in_file
            assert tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == payment.creditor_iban
            postings = session.scalars(
                select(LedgerPosting.amount).where(
                    LedgerPosting.transaction_id == payment.ledger_transaction_id
                )
            ).all()
            assert sorted(postings) == [-cents_in_file, cents_in_file], e2e
            total += cents_in_file
    assert total == demo.total_cents


def test_the_situations_occur_in_the_run(
    demo: DemoSummary, session_factory: sessionmaker[Session]
) -> None:
    scenarios = demo_scenarios()
    with session_factory() as session:
        run = session.get_one(PaymentRun, demo.run_id)
        report = json.loads(run.report or "{}")
        households = {h.reference: h for h in session.scalars(select(cm.Household))}
        rights = {r.household_id: r for r in session.scalars(select(cm.BijstandRight))}
        persons = session.scalars(select(cm.Person)).all()
        payments = session.scalars(select(Payment).where(Payment.run_id == run.id)).all()
        amounts: dict[int, list[cm.ContractAmount]] = {}
        for a in session.scalars(select(cm.ContractAmount).order_by(cm.ContractAmount.valid_from)):
            amounts.setdefault(a.contract_id, []).append(a)
    paid: dict[str, list[Payment]] = {}
    by_id = {h.id: ref for ref, h in households.items()}
    for p in payments:
        paid.setdefault(by_id[p.household_id], []).append(p)
    signals: dict[str, set[str]] = {}
    for s in report["signals"]:
        signals.setdefault(s["code"], set()).add(s["household"])

    def vaste_lasten(ref: str) -> list[Payment]:
        return [p for p in paid.get(ref, []) if p.kind == "vaste_last"]

    # New this month (from the 1st and mid-month): rent paid for December.
    new = [ref for ref, h in households.items() if rights[h.id].start >= DECEMBER.first_day]
    assert any(rights[households[r].id].start.day == 1 for r in new)
    assert any(rights[households[r].id].start.day > 1 for r in new)
    assert all(any(p.category == "huur" for p in vaste_lasten(r)) for r in new
               if households[r].iban is not None or vaste_lasten(r))  # fmt: skip
    # Month 6: the window ends in December, vaste lasten still paid.
    assert signals["window_ends_this_month"]
    assert all(vaste_lasten(r) for r in signals["window_ends_this_month"])
    # Shortfall and held leefgeld (no IBAN), reported and in the totals.
    assert report["shortfalls"]
    assert signals["shortfall"]
    assert sum(s["amount_cents"] for s in report["shortfalls"]) == demo.shortfall_cents
    assert report["held"]
    assert signals["held_no_iban"]
    for ref in signals["held_no_iban"]:
        assert households[ref].iban is None
        assert not [p for p in paid.get(ref, []) if p.kind == "leefgeld"]
    # Kostendelers A=2 and A=3, paid.
    shared = {rights[households[r].id].kostendelers for r in paid
              if households[r].kostendelende_medebewoners}  # fmt: skip
    assert {2, 3} <= shared
    # Rent increase: the December rent is the later version.
    increased = [
        p for p in payments if p.category == "huur" and len(amounts[p.contract_id or 0]) > 1
        and amounts[p.contract_id or 0][1].valid_from <= DECEMBER.first_day
    ]  # fmt: skip
    assert increased
    for p in increased:
        versions = amounts[p.contract_id or 0]
        assert p.amount_cents == versions[1].amount_cents != versions[0].amount_cents
    # Window over and gezinsmigrant: leefgeld only; extension with consent: still withheld.
    assert signals["outside_window"]
    assert signals["not_eligible"]
    assert signals["extended"]
    for ref in signals["outside_window"] | signals["not_eligible"]:
        assert {p.kind for p in paid[ref]} == {"leefgeld"}
    migrants = {by_id[p.household_id] for p in persons if p.doelgroep == "gezinsmigrant"}
    assert migrants <= signals["not_eligible"]
    assert all(vaste_lasten(r) for r in signals["extended"])
    # The named situations are where the demo says they are.
    assert scenarios["DEMO-0009"].startswith("nog geen eigen IBAN")
    assert "DEMO-0009" in signals["held_no_iban"]
    assert "DEMO-0004" in signals["window_ends_this_month"]
    # Diacritics reach the file transliterated, never raw.
    assert demo.file_path is not None
    content = demo.file_path.read_text("utf-8")
    assert "Celik" in content
    assert "Çelik" not in content
