# SPDX-License-Identifier: EUPL-1.2
"""The accountant's desk in a real browser: look at a bank file before importing it, import it,
settle an unknown credit to a household from the "nog te bepalen" list with its suggestion,
and close the month; every page accessible in Dutch and Arabic; the attacks refused in Dutch
with nothing stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
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
    SCREENSHOTS,
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
            "run": run_id,
            "item": item.id,
            "payment": rejected,
            "household": household,
            "payee": "DEMO-POLDERSTROOM",
        }


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
        assert response is not None
        assert response.status == 200, path
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
        pain001,
        booking_date=date(2026, 12, 1),
        booked=False,
        extra_credits=(
            testbank.Credit(
                2500, "Terugstorter", iban, f"Terugbetaling dubbel ontvangen {reference}"
            ),
        ),
    )
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
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
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
        run = create_run(
            session,
            INKOMEN,
            GEMEENTE,
            DEMO_MONTH,
            corrects=regular,
            reason="Terugbetaling van afgeletterde bijschrijvingen",
        )
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
    page.screenshot(path=str(SCREENSHOTS / "bank-guide-afletteren.png"))
    page.get_by_role("button", name="Afletteren").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()


def test_the_accountant_imports_settles_and_closes_the_month(
    page: Page, fresh_server: Callable[..., LiveServer], console_errors: ConsoleErrors
) -> None:
    server: LiveServer = fresh_server()
    reference, iban = _household_with_iban(server.session_factory, "DEMO-0003")
    statement = _unknown_credit_statement(server, iban, reference)
    files_before = _count(server.session_factory, BankFile)
    login_as(page, server, "demo-accountant")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Bank en grootboek"
    ).click()
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
    page.screenshot(path=str(SCREENSHOTS / "bank-guide-preview.png"))  # for the user guide

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
        items = list(
            session.scalars(
                select(BankItem.id).where(BankItem.kind == "unidentified").order_by(BankItem.id)
            )
        )
    assert len(items) == 2
    page.goto(server.url(f"/bank/{GEMEENTE}/nog-te-bepalen"))
    expect(
        page.get_by_text("IBAN van de tegenrekening is van dit huishouden").first
    ).to_be_visible()
    screenshot(page, "bank-flow-4-nog-te-bepalen")
    _settle(
        page,
        server,
        items[1],
        "Dubbel ontvangen bijstand, terug naar het huishouden",
        "bank-flow-5-afletteren",
    )
    _settle(
        page,
        server,
        items[0],
        "Eindafrekening energie van dit huishouden",
        "bank-flow-6-afletteren",
    )
    with unit_of_work(server.session_factory) as session:
        decided = {d.bank_item_id: d for d in session.scalars(select(BankDecision))}
        households = {
            i: session.get_one(Household, d.household_id).reference
            for i, d in decided.items()
            if d.household_id
        }
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
    assert (
        _scalar(
            server.session_factory,
            select(LedgerPeriod.closed_by).where(LedgerPeriod.period == REFUND_MONTH),
        )
        == "demo-accountant"
    )
    # The refused close is answered 409 on purpose; Chromium logs every 4xx page.
    assert [e for e in console_errors if "status of 409" not in e] == []


def _upload(page: Page, server: LiveServer, name: str, content: bytes) -> int:
    """Step 1 with ``content`` as the chosen file; the answer's status."""
    page.goto(server.url(f"/bank/{GEMEENTE}"))
    page.locator("#veld-bestand").set_input_files(
        {"name": name, "mimeType": "application/xml", "buffer": content}
    )
    with page.expect_response(lambda r: r.url.endswith("/bestanden/bekijken")) as answer:
        page.get_by_role("button", name="Bekijken").click()
    return answer.value.status


def _stored(server: LiveServer) -> tuple[int, int, int]:
    return (
        _count(server.session_factory, BankFile),
        _count(server.session_factory, BankItem),
        _count(server.session_factory, BankDecision),
    )


def test_hostile_invalid_and_oversized_files_are_refused_in_dutch_and_nothing_is_stored(
    page: Page, fresh_server: Callable[..., LiveServer]
) -> None:
    server: LiveServer = fresh_server(bank_upload_max_bytes=64 * 1024)
    login_as(page, server, "demo-accountant")
    before = _stored(server)
    too_big = b'<?xml version="1.0"?><Document>' + b"<X>1</X>" * 12_000 + b"</Document>"
    cases = [
        ("xxe.xml", XXE),
        ("lachsalvo.xml", LAUGHS),
        ("rommel.xml", b"dit is geen bankbestand"),
        ("pain001.xml", (server.folder / "demo" / "pain.001.xml").read_bytes()),
        ("leeg.xml", b""),
        ("groot.xml", too_big),
        ("heel-groot.xml", too_big * 3),  # refused on its Content-Length, before reading
    ]
    for name, content in cases:
        assert _upload(page, server, name, content) == 422, name
        field = page.locator("#veld-bestand")
        expect(field).to_have_attribute("aria-invalid", "true")
        error = page.locator("#fout-bestand")
        expect(error).to_contain_text("Dit bestand kan niet worden ingelezen:")
        expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier")
        assert "Traceback" not in page.content()
        if name.startswith("groot") or name.startswith("heel"):
            expect(error).to_contain_text("groter dan 64 KiB")
        if name in ("xxe.xml", "lachsalvo.xml"):
            expect(error).to_contain_text(re.compile("DOCTYPE|DTD|entit", re.IGNORECASE))
        if name == "leeg.xml":
            expect(error).to_contain_text("leeg")
    screenshot(page, "bank-attack-oversized")
    # Two files in one form: Starlette refuses to parse it; the page says so in Dutch.
    page.goto(server.url(f"/bank/{GEMEENTE}"))
    two = {"name": "a.xml", "mimeType": "text/xml", "buffer": b"<a/>"}
    answer = page.request.post(
        server.url(f"/bank/{GEMEENTE}/bestanden/bekijken"),
        multipart={"csrf_token": _csrf(page), "bestand": two, "tweede": two},
    )
    assert answer.status == 422
    assert "het formulier kan niet worden gelezen" in answer.text()
    assert _stored(server) == before


def _csrf(page: Page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value") or ""


def test_forged_csrf_and_another_sessions_upload_are_refused(
    page: Page, fresh_server: Callable[..., LiveServer], browser: Browser
) -> None:
    server: LiveServer = fresh_server()
    reference, iban = _household_with_iban(server.session_factory, "DEMO-0003")
    statement = _unknown_credit_statement(server, iban, reference).read_bytes()
    login_as(page, server, "demo-accountant")
    before = _stored(server)
    assert _upload(page, server, "camt.xml", statement) == 200
    key = page.locator("input[name=upload]").get_attribute("value") or ""
    assert len(key) == 43
    forged = {"csrf_token": "vervalst", "upload": key}
    g = f"/bank/{GEMEENTE}"
    answer = page.request.post(server.url(f"{g}/bestanden/inlezen"), form=forged)
    assert answer.status == 403
    assert "Verzoek geweigerd" in answer.text()
    answer = page.request.post(
        server.url(f"{g}/bestanden/bekijken"),
        multipart={
            "csrf_token": "vervalst",
            "bestand": {"name": "c.xml", "mimeType": "text/xml", "buffer": statement},
        },
    )
    assert answer.status == 403
    answer = page.request.post(
        server.url(f"{g}/perioden/{REFUND_MONTH}/afsluiting"), form={"csrf_token": "vervalst"}
    )
    assert answer.status == 403
    item = _scalar(
        server.session_factory, select(BankItem.id).where(BankItem.kind == "unidentified")
    )
    answer = page.request.post(
        server.url(f"{g}/afletteren"),
        form={
            "csrf_token": "vervalst",
            "bankpost": str(item),
            "huishouden": "DEMO-0001",
            "reden": "x",
        },
    )
    assert answer.status == 403
    assert _stored(server) == before

    # The same user in another browser (another session) cannot import this upload.
    other = browser.new_context(locale="nl-NL")
    try:
        second = other.new_page()
        login_as(second, server, "demo-accountant")
        second.goto(server.url(g))
        answer = second.request.post(
            server.url(f"{g}/bestanden/inlezen"), form={"csrf_token": _csrf(second), "upload": key}
        )
        assert answer.status == 422
        assert "niet van deze sessie" in answer.text()
    finally:
        other.close()
    assert _stored(server) == before

    # A forged field: afletteren to a household that does not exist, or without a reason.
    page.goto(server.url(f"{g}/afletteren?bankpost={item}"))
    page.get_by_label("Of een ander huishouden (referentie)").fill("DEMO-9999")
    page.get_by_role("button", name="Afletteren").click()
    expect(page.locator("#fout-huishouden")).to_contain_text("bestaat niet in deze gemeente")
    expect(page.locator("#fout-reden")).to_contain_text("waarom")
    assert_accessible(page)
    screenshot(page, "bank-attack-field-errors")
    assert _stored(server) == before
    # The month stays open.
    assert (
        _scalar(
            server.session_factory,
            select(LedgerPeriod.status).where(LedgerPeriod.period == REFUND_MONTH),
        )
        != "closed"
    )


@pytest.mark.parametrize("who", ["demo-inkomen", "demo-coach", "demo-beheerder", "inburgeraar"])
def test_other_roles_may_not_use_the_desk(page: Page, live_server: LiveServer, who: str) -> None:
    if who == "inburgeraar":
        login_as_household(page, live_server, "DEMO-0001")
    else:
        login_as(page, live_server, who)
    expect(page.get_by_role("link", name="Bank en grootboek")).to_have_count(0)
    g = f"/bank/{GEMEENTE}"
    for path in (
        "/bank",
        g,
        f"{g}/afstemming/{DEMO_MONTH}",
        f"{g}/nog-te-bepalen",
        f"{g}/proefbalans/{DEMO_MONTH}",
        f"{g}/proefbalans/{DEMO_MONTH}/csv",
        f"{g}/grootboek/huishoudens/DEMO-0001",
    ):
        response = page.goto(live_server.url(path))
        assert response is not None
        assert response.status in (403, 404), (path, response.status)
        assert "Traceback" not in page.content()


def test_another_gemeente_or_unknown_ids_are_not_found(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "demo-accountant")
    for path in (
        "/bank/0363",
        "/bank/0363/afstemming/2027-01",
        "/bank/0363/nog-te-bepalen",
        f"/bank/{GEMEENTE}/betalingen/999999",
        f"/bank/{GEMEENTE}/bestanden/999999",
        f"/bank/{GEMEENTE}/betaalruns/999999",
        f"/bank/{GEMEENTE}/afletteren?bankpost=1",
        f"/bank/{GEMEENTE}/grootboek/huishoudens/GEEN-HUISHOUDEN",
        f"/bank/{GEMEENTE}/afstemming/2027-13",
    ):
        response = page.goto(live_server.url(path))
        assert response is not None
        assert response.status == 404, (path, response.status)
        expect(page.locator("h1")).to_have_text("Niet gevonden")
    screenshot(page, "bank-attack-not-found")


def test_csv_downloads_hold_the_figures_of_the_page(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "demo-accountant")
    g = f"/bank/{GEMEENTE}"
    report = page.request.get(live_server.url(f"{g}/afstemming/{DEMO_MONTH}/csv"))
    assert report.status == 200
    assert report.headers["content-type"].startswith("text/csv")
    lines = report.text().splitlines()
    assert lines[0] == "onderdeel;bedrag_centen;bedrag"
    assert any(line.startswith("Verschil;0;") for line in lines)
    trial = page.request.get(live_server.url(f"{g}/proefbalans/{DEMO_MONTH}/csv")).text()
    rows = trial.splitlines()
    assert rows[0].startswith("rekening;naam;soort;debet_centen;credit_centen")
    total = rows[-1].split(";")
    assert total[0] == "totaal"
    assert total[3] == total[4]
    assert total[5] == "0"
    ledger = page.request.get(
        live_server.url(f"{g}/grootboek/huishoudens/DEMO-0001/csv?periode={DEMO_MONTH}")
    ).text()
    assert ledger.splitlines()[0].startswith("datum;transactie;rekening;omschrijving")
    assert "beginsaldo" in ledger
    assert "eindsaldo" in ledger


def test_the_accountant_decides_about_a_rejected_payment(
    page: Page, fresh_server: Callable[..., LiveServer]
) -> None:
    server: LiveServer = fresh_server()
    rejected = _scalar(
        server.session_factory, select(BankItem.payment_id).where(BankItem.kind == "rejected")
    )
    login_as(page, server, "demo-accountant")
    page.goto(server.url(f"/bank/{GEMEENTE}/nog-te-bepalen"))
    row = page.get_by_role("row", name=re.compile("AC01"))
    row.get_by_role("link", name=re.compile("^OZ")).click()
    expect(page).to_have_url(server.url(f"/bank/{GEMEENTE}/betalingen/{rejected}"))
    page.get_by_role("button", name="Besluit vastleggen").click()  # nothing chosen
    expect(page.locator("#fout-actie")).to_contain_text("Kies wat er met het geld gebeurt.")
    expect(page.locator("#fout-reden")).to_contain_text("Schrijf op waarom.")
    assert_accessible(page)
    screenshot(page, "bank-decision-errors")
    assert _count(server.session_factory, BankDecision) == 0
    page.get_by_label("opnieuw betalen aan de begunstigde").check()
    page.get_by_label("Reden").fill("Nieuw IBAN van de verhuurder ontvangen")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("opnieuw betalen aan de begunstigde: Nieuw IBAN")).to_be_visible()
    with unit_of_work(server.session_factory) as session:
        decision = session.scalars(select(BankDecision)).one()
        assert (decision.payment_id, decision.action) == (rejected, "herbetalen")
