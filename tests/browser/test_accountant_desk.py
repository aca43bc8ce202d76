# SPDX-License-Identifier: EUPL-1.2
"""The accountant's desk in a real browser: look at a bank file before importing it, import it,
settle an unknown credit to a household from the "nog te bepalen" list with its suggestion,
and close the month; every page accessible in Dutch and Arabic; the attacks refused in Dutch
with nothing stored."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import Role, staff
from ontzorgen.bank.decisions import approve_decision
from ontzorgen.bank.models import BankDecision, BankFile, BankItem
from ontzorgen.clients.models import Household
from ontzorgen.clock import FixedClock
from ontzorgen.db import unit_of_work
from ontzorgen.ledger.models import LedgerPeriod
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from ontzorgen.sepa import testbank
from tests.browser.harness import (
    ConsoleErrors,
    LiveServer,
    assert_accessible,
    login_as,
    login_as_household,
    screenshot,
)

GEMEENTE = "9999"
DEMO_MONTH = "2027-01"  # the month the demo pays (the month after TEST_CLOCK)
REFUND_MONTH = "2026-12"  # the demo's unknown credit (an energy refund) is booked in december
INKOMEN = staff("demo-inkomen", [Role.INKOMEN], [GEMEENTE], channel="cli")
ACCORDEERDER = staff("demo-accordeerder", [Role.ACCORDEERDER], [GEMEENTE], channel="cli")

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
    b"<GrpHdr><MsgId>&x;</MsgId></GrpHdr></BkToCstmrStmt></Document>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol3;</Document>'
)


def _scalar(factory: sessionmaker[Session], query: object) -> object:
    with unit_of_work(factory) as session:
        return session.scalar(query)  # type: ignore[call-overload]


def _ids(server: LiveServer) -> dict[str, object]:
    """Ids of the demo to visit: the run, a rejected payment, the unknown credit, a household
    and a payee."""
    with unit_of_work(server.session_factory) as session:
        run_id = session.scalar(select(PaymentRun.id).order_by(PaymentRun.id))
        item = session.scalar(select(BankItem).where(BankItem.kind == "unidentified"))
        rejected = session.scalar(select(BankItem.payment_id).where(BankItem.kind == "rejected"))
        household = session.scalar(select(Household.reference).order_by(Household.id))
        assert item is not None
        return {
            "run": run_id, "item": item.id, "payment": rejected, "household": household,
            "payee": "DEMO-POLDERSTROOM",
        }  # fmt: skip


def _desk_pages(ids: dict[str, object]) -> list[str]:
    g = f"/bank/{GEMEENTE}"
    return [
        "/bank",
        g,
        f"{g}/afstemming/{DEMO_MONTH}",
        f"{g}/betaalruns/{ids['run']}",
        f"{g}/betalingen/{ids['payment']}",
        f"{g}/nog-te-bepalen",
        f"{g}/afletteren?bankpost={ids['item']}",
        f"{g}/grootboek",
        f"{g}/grootboek/huishoudens/{ids['household']}?periode={DEMO_MONTH}",
        f"{g}/grootboek/begunstigden/{ids['payee']}?periode={DEMO_MONTH}",
        f"{g}/proefbalans/{DEMO_MONTH}",
        f"{g}/bestanden/1",
    ]


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_every_page_of_the_desk_is_accessible(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, code: str
) -> None:
    login_as(page, live_server, "demo-accountant")
    for path in _desk_pages(_ids(live_server)):
        joiner = "&" if "?" in path else "?"
        response = page.goto(live_server.url(f"{path}{joiner}taal={code}"))
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
        assert_accessible(page)
        if code == "ar" or path.count("/") <= 3:
            screenshot(page, f"bank-{_name(path)}-{code}")
    # The look at a file before importing it (here: one the demo imported already).
    page.goto(live_server.url(f"/bank/{GEMEENTE}?taal={code}"))
    page.locator("#veld-bestand").set_input_files(
        str(live_server.folder / "demo" / "camt.053-1.xml")
    )
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("h1")).not_to_have_text("")
    assert_accessible(page)
    screenshot(page, f"bank-preview-{code}")
    assert console_errors == []


def _household_with_iban(factory: sessionmaker[Session], reference: str) -> tuple[str, str]:
    with unit_of_work(factory) as session:
        found = session.scalars(select(Household).where(Household.reference == reference)).one()
        assert found.iban is not None
        return found.reference, found.iban


def _unknown_credit_statement(server: LiveServer, iban: str, reference: str) -> Path:
    """A camt.053 of december with one credit nobody can match: a household pays back money
    it got twice, naming its reference."""
    pain001 = (server.folder / "demo" / "pain.001.xml").read_bytes()
    content = testbank.camt053(
        pain001, booking_date=date(2026, 12, 1), booked=False,
        extra_credits=(testbank.Credit(2500, "Terugstorter", iban,
                                       f"Terugbetaling dubbel ontvangen {reference}"),),
    )  # fmt: skip
    path = server.folder / "camt053-terugbetaling.xml"
    path.write_bytes(content)
    return path


def _count(factory: sessionmaker[Session], model: type) -> int:
    with unit_of_work(factory) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the control named ``name`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '')"
            ".trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def _pay_the_decisions(server: LiveServer, clock: FixedClock) -> None:
    """What other people do between settling and closing: a second person approves each
    decision, inkomen prepares the correction run that pays them, the accordeerder approves
    it and inkomen exports it."""
    today, now = clock.today(), clock.now()
    with unit_of_work(server.session_factory) as session:
        for decision in session.scalars(select(BankDecision)):
            approve_decision(session, ACCORDEERDER, GEMEENTE, decision.id, now=now)
        regular = session.scalar(select(PaymentRun.id).where(PaymentRun.kind == "regular"))
        run = create_run(session, INKOMEN, GEMEENTE, DEMO_MONTH, corrects=regular,
                         reason="Terugbetaling van afgeletterde bijschrijvingen")  # fmt: skip
        run_id = run.id
    with unit_of_work(server.session_factory) as session:
        prepare_run(session, INKOMEN, run_id, today=today, now=now)
    with unit_of_work(server.session_factory) as session:
        approve_run(session, ACCORDEERDER, run_id, today=today, now=now)
    with unit_of_work(server.session_factory) as session:
        export_run(session, INKOMEN, run_id, today=today, now=now)


def _settle(page: Page, server: LiveServer, item_id: int, reason: str, shot: str) -> None:
    page.goto(server.url(f"/bank/{GEMEENTE}/nog-te-bepalen"))
    page.get_by_role("link", name=f"Afletteren: bankpost {item_id}", exact=True).click()
    suggested = page.get_by_role("radio").first
    expect(suggested).to_be_checked()  # the best suggestion is chosen already
    page.get_by_label("Reden").fill(reason)
    assert_accessible(page)
    screenshot(page, shot)
    page.get_by_role("button", name="Afletteren").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()


def test_the_accountant_imports_settles_and_closes_the_month(
    page: Page, fresh_server: object, console_errors: ConsoleErrors
) -> None:
    server: LiveServer = fresh_server()  # type: ignore[operator]
    reference, iban = _household_with_iban(server.session_factory, "DEMO-0003")
    statement = _unknown_credit_statement(server, iban, reference)
    files_before = _count(server.session_factory, BankFile)
    login_as(page, server, "demo-accountant")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Bank en grootboek").click()
    expect(page).to_have_url(server.url(f"/bank/{GEMEENTE}"))

    # 1. Choose the file and look at it, with the keyboard only.
    page.locator("#veld-bestand").focus()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(statement))
    _tab_to(page, "Bekijken")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Bankbestand bekijken")
    expect(page.get_by_text("nog te bepalen (geen betaling gevonden): 1")).to_be_visible()
    expect(page.get_by_text("€ 25,00").first).to_be_visible()
    assert _count(server.session_factory, BankFile) == files_before  # nothing stored yet
    assert_accessible(page)
    screenshot(page, "bank-flow-1-preview")
    page.screenshot(path=str(server.folder / "preview.png"))

    # 2. Import it (keyboard: Tab to the button, Enter).
    _tab_to(page, "Inlezen")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Bankbestand")
    expect(page.get_by_role("row", name=re.compile("nog te bepalen 1 € 25,00"))).to_be_visible()
    assert _count(server.session_factory, BankFile) == files_before + 1
    screenshot(page, "bank-flow-2-imported")

    # 3. December does not close while the credits are open: the reasons, in Dutch.
    page.goto(server.url(f"/bank/{GEMEENTE}/afstemming/{REFUND_MONTH}"))
    page.get_by_role("button", name=re.compile("afsluiten")).click()
    expect(page.get_by_role("heading", name="De maand kan niet sluiten")).to_be_visible()
    expect(page.get_by_text(re.compile("kan niet sluiten: .*2 open posten"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "bank-flow-3-close-refused")

    # 4. Settle both unknown credits from the list, each with its suggestion.
    with unit_of_work(server.session_factory) as session:
        items = list(session.scalars(select(BankItem.id).where(BankItem.kind == "unidentified")
                                     .order_by(BankItem.id)))  # fmt: skip
    assert len(items) == 2
    page.goto(server.url(f"/bank/{GEMEENTE}/nog-te-bepalen"))
    expect(page.get_by_text("IBAN van de tegenrekening is van dit huishouden").first).to_be_visible()
    screenshot(page, "bank-flow-4-nog-te-bepalen")
    _settle(page, server, items[1], "Dubbel ontvangen bijstand, terug naar het huishouden",
            "bank-flow-5-afletteren")  # fmt: skip
    _settle(page, server, items[0], "Eindafrekening energie van dit huishouden",
            "bank-flow-6-afletteren")  # fmt: skip
    with unit_of_work(server.session_factory) as session:
        decided = {d.bank_item_id: d for d in session.scalars(select(BankDecision))}
        households = {i: session.get_one(Household, d.household_id).reference
                      for i, d in decided.items() if d.household_id}  # fmt: skip
    assert households == {items[1]: reference, items[0]: "DEMO-0001"}
    assert {d.decided_by for d in decided.values()} == {"demo-accountant"}

    # 5. Others approve and pay them (run desk); then december closes.
    _pay_the_decisions(server, server.clock)
    page.goto(server.url(f"/bank/{GEMEENTE}/afstemming/{REFUND_MONTH}"))
    expect(page.get_by_text("Niets open.")).to_be_visible()
    page.get_by_role("button", name=re.compile("afsluiten")).click()
    expect(page.get_by_text("De maand is gesloten.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "bank-flow-7-closed")
    assert _scalar(
        server.session_factory,
        select(LedgerPeriod.closed_by).where(LedgerPeriod.period == REFUND_MONTH),
    ) == "demo-accountant"
    # The refused close is answered 409 on purpose; Chromium logs every 4xx page.
    assert [e for e in console_errors if "status of 409" not in e] == []
