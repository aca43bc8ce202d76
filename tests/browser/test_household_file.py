# SPDX-License-Identifier: EUPL-1.2
"""The household file in a real browser: accessible (nl, ar), the BSN never unmasked, a change
form that ties its errors to the field and stores nothing on bad input, keyboard only, the
coach's caseload, letters to payees marked sent; and the attacks: a forged CSRF token, another
gemeente's household, a role that may not change."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.clients import models as m
from ontzorgen.clients.service import import_households
from ontzorgen.clock import FixedClock
from ontzorgen.db import unit_of_work
from ontzorgen.demo import run_demo
from tests.browser.harness import (
    ConsoleErrors,
    LiveServer,
    assert_accessible,
    login_as,
    screenshot,
)
from tests.factories import CLERK, example_import, make_gemeente


def _household_id(server: LiveServer, reference: str) -> int:
    with server.session_factory() as session:
        return session.scalars(
            select(m.Household.id).where(m.Household.reference == reference)
        ).one()


def _bsns(server: LiveServer) -> list[str]:
    with server.session_factory() as session:
        return list(session.scalars(select(m.Person.bsn)))


def _assert_no_bsn(page: Page, server: LiveServer) -> None:
    html = page.content()
    leaked = [bsn for bsn in _bsns(server) if bsn in html]
    assert leaked == [], "an unmasked BSN is in the page"


def _with_other_gemeente(factory: sessionmaker[Session], clock: FixedClock) -> None:
    """The demo, and gemeente 0439 with the example households (nobody of the demo works there)."""
    run_demo(factory, today=clock.today(), now=clock.now())
    with unit_of_work(factory, now=clock.now()) as session:
        make_gemeente(session, "0439")
        import_households(session, CLERK, example_import())


@pytest.mark.parametrize("code", ["nl", "ar"])
def test_staff_read_the_household_file_accessibly(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, code: str
) -> None:
    login_as(page, live_server, "demo-inkomen")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Huishoudens").click()
    expect(page.get_by_role("link", name="DEMO-0001", exact=True)).to_be_visible()
    assert_accessible(page)
    # Searching is a POST: what is typed (a BSN by mistake) never lands in the URL.
    bsn = _bsns(live_server)[0]
    page.get_by_label("Referentie van het huishouden").fill(bsn)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Geen huishoudens gevonden.")).to_be_visible()
    assert page.url == live_server.url("/huishoudens")
    page.get_by_label("Referentie van het huishouden").fill("DEMO-0001")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="DEMO-0001", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="DEMO-0002", exact=True)).to_have_count(0)
    page.get_by_role("link", name="DEMO-0001", exact=True).click()
    page.goto(page.url + f"?taal={code}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
    expect(page.get_by_text(re.compile(r"\*{5}\d{4}")).first).to_be_visible()  # masked BSN
    expect(page.get_by_text("OZ2701-R1-H1-C1")).to_be_visible()  # a payment with its status
    assert_accessible(page)
    _assert_no_bsn(page, live_server)
    assert console_errors == []
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"huishouden-{code}")


def test_a_change_form_refuses_bad_input_and_stores_a_good_one(
    page: Page, fresh_server: Callable[..., LiveServer], console_errors: ConsoleErrors
) -> None:
    server = fresh_server()
    household = _household_id(server, "DEMO-0001")
    with server.session_factory() as session:
        contract = session.scalars(
            select(m.Contract).where(m.Contract.reference == "DEMO-0001-HUUR")
        ).one()
        contract_id = contract.id

    def amounts() -> int:
        with server.session_factory() as session:
            query = select(func.count()).where(m.ContractAmount.contract_id == contract_id)
            return int(session.scalar(query) or 0)

    before = amounts()
    login_as(page, server, "demo-inkomen")
    page.goto(server.url(f"/huishoudens/{household}"))
    page.get_by_role("link", name="Nieuw bedrag (DEMO-0001-HUUR)").click()
    page.get_by_label("Geldig vanaf").fill("2027-03-01")
    page.get_by_label("Bedrag per maand in euro").fill("zeven honderd")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Bedrag opslaan").click()
    assert answer.value.status == 422
    amount = page.get_by_label("Bedrag per maand in euro")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_attribute("aria-describedby", re.compile(r"\bfout-amount\b"))
    expect(page.locator("#fout-amount")).to_have_text(re.compile("bedrag in euro"))
    expect(
        page.get_by_role("alert").get_by_role("link", name=re.compile("bedrag in euro"))
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "huishouden-wijziging-fout")
    assert amounts() == before

    # A date the service refuses (not after the last change): the error is the service's.
    page.get_by_label("Geldig vanaf").fill("2026-12-01")
    page.get_by_label("Bedrag per maand in euro").fill("700,00")
    page.get_by_role("button", name="Bedrag opslaan").click()
    expect(page.locator("#fout-valid_from")).to_have_text(re.compile("na de laatste wijziging"))
    expect(page.get_by_label("Geldig vanaf")).to_have_attribute(
        "aria-describedby", re.compile(r"\bfout-valid_from\b")
    )
    assert amounts() == before

    page.get_by_label("Geldig vanaf").fill("2027-03-01")
    page.get_by_role("button", name="Bedrag opslaan").click()
    expect(page).to_have_url(re.compile(rf"/huishoudens/{household}\?gewijzigd=bedrag"))
    expect(page.get_by_text("Het nieuwe maandbedrag is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="1 maart 2027")).to_be_visible()
    expect(page.get_by_role("cell", name="€ 700,00").first).to_be_visible()
    assert amounts() == before + 1
    assert_accessible(page)
    # The browser logs the refused form's 422 itself; nothing else (a CSP refusal) may show.
    assert [error for error in console_errors if "status of 422" not in error] == []


def test_a_change_is_made_with_the_keyboard_alone(
    page: Page, fresh_server: Callable[..., LiveServer]
) -> None:
    server = fresh_server()
    household = _household_id(server, "DEMO-0002")
    login_as(page, server, "demo-inkomen")
    page.goto(server.url(f"/huishoudens/{household}/rekening"))
    for _ in range(40):  # Tab through the page to the first field
        page.keyboard.press("Tab")
        if (
            page.evaluate("() => document.activeElement && document.activeElement.id")
            == "veld-iban"
        ):
            break
    expect(page.get_by_label("IBAN")).to_be_focused()
    page.keyboard.type("NL91ABNA0417164300")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Naam van de rekeninghouder")).to_be_focused()
    page.keyboard.type("A. Haile")
    page.keyboard.press("Enter")
    expect(page.get_by_text("De rekening van het huishouden is opgeslagen.")).to_be_visible()
    with server.session_factory() as session:
        stored = session.get_one(m.Household, household)
        assert (stored.iban, stored.iban_name) == ("NL91ABNA0417164300", "A. Haile")


def test_the_coach_sees_the_caseload_only_and_no_bank_data(
    page: Page, live_server: LiveServer
) -> None:
    own, other = _household_id(live_server, "DEMO-0001"), _household_id(live_server, "DEMO-0002")
    login_as(page, live_server, "demo-coach")
    page.goto(live_server.url("/huishoudens"))
    expect(page.get_by_role("link", name="DEMO-0001", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="DEMO-0002", exact=True)).to_have_count(0)
    page.goto(live_server.url(f"/huishoudens/{own}"))
    expect(page.get_by_role("heading", name="Huishouden", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Nieuw bedrag"))).to_have_count(0)
    with live_server.session_factory() as session:
        iban = session.get_one(m.Household, own).iban
    assert iban is not None
    assert iban not in page.content()  # masked for the coach
    _assert_no_bsn(page, live_server)
    assert_accessible(page)
    response = page.goto(live_server.url(f"/huishoudens/{other}"))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    response = page.goto(live_server.url(f"/huishoudens/{own}/rekening"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_text("huishoudens en contracten wijzigen")).to_be_visible()


def test_letters_to_payees_are_listed_downloaded_and_marked_sent(
    page: Page, fresh_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    server = fresh_server()
    login_as(page, server, "demo-inkomen")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Brieven").click()
    expect(page.get_by_role("heading", name="Te versturen")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "brieven")
    first = page.get_by_role("link", name=re.compile(r"^Brief \(PDF\)")).first
    pdf = page.request.get(server.url(str(first.get_attribute("href"))))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    rows = page.get_by_role("button", name=re.compile("^Markeer als verstuurd"))
    before = rows.count()
    rows.first.click()
    expect(page.get_by_text("De brief is als verstuurd gemarkeerd.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Markeer als verstuurd"))).to_have_count(
        before - 1
    )
    with server.session_factory() as session:
        sent = list(session.scalars(select(m.PayeeLetter)))
    assert [row.sent_by for row in sent] == ["demo-inkomen"]


def _csrf(page: Page) -> str:
    return str(page.locator("input[name=csrf_token]").first.get_attribute("value"))


def test_attacks_are_refused_in_dutch_and_change_nothing(
    page: Page, fresh_server: Callable[..., LiveServer]
) -> None:
    server = fresh_server(prepare=_with_other_gemeente)
    own = _household_id(server, "DEMO-0001")
    foreign = _household_id(server, "HH-2026-0001")  # gemeente 0439
    login_as(page, server, "demo-inkomen")
    page.goto(server.url(f"/huishoudens/{own}"))
    token = _csrf(page)
    body = {"iban": "NL91ABNA0417164300", "iban_name": "Aanvaller"}

    forged = page.request.post(server.url(f"/huishoudens/{own}/rekening"),
                               form={"csrf_token": "vervalst", **body})  # fmt: skip
    assert forged.status == 403
    assert "Verzoek geweigerd" in forged.text()
    missing = page.request.post(server.url(f"/huishoudens/{own}/rekening"), form=body)
    assert missing.status == 403

    for path in (
        f"/huishoudens/{foreign}", f"/huishoudens/{foreign}/rekening", "/huishoudens/abc",
        "/huishoudens/99999999999999999999999", f"/huishoudens/{own}/contracten/x/bedrag",
        "/brieven/abc/start", "/huishoudens/-1",
    ):  # fmt: skip
        answer = page.request.get(server.url(path))
        assert answer.status == 404, path
        assert "Niet gevonden" in answer.text(), path
    other_gemeente = page.request.post(server.url(f"/huishoudens/{foreign}/rekening"),
                                       form={"csrf_token": token, **body})  # fmt: skip
    assert other_gemeente.status == 404
    assert "huishouden niet gevonden" in other_gemeente.text()
    with server.session_factory() as session:
        contract = session.scalars(
            select(m.Contract).where(m.Contract.reference == "C-0001-HUUR")
        ).one()
    letter = page.request.get(server.url(f"/brieven/{contract.id}/start"))
    assert letter.status == 404
    # A contract of another household, under this household's id.
    with server.session_factory() as session:
        not_its = session.scalars(
            select(m.Contract.id).where(m.Contract.reference == "DEMO-0002-HUUR")
        ).one()
    crossed = page.request.get(server.url(f"/huishoudens/{own}/contracten/{not_its}/bedrag"))
    assert crossed.status == 404

    # The accountant reads households but may not change them, nor see the letters.
    page.context.clear_cookies()
    login_as(page, server, "demo-accountant")
    page.goto(server.url(f"/huishoudens/{own}"))
    expect(page.get_by_role("link", name=re.compile("^Rekening wijzigen"))).to_have_count(0)
    token = _csrf(page)
    refused = page.request.post(server.url(f"/huishoudens/{own}/rekening"),
                                form={"csrf_token": token, **body})  # fmt: skip
    assert refused.status == 403
    assert "Niet toegestaan" in refused.text()
    assert "huishoudens en contracten wijzigen" in refused.text()
    assert page.request.get(server.url("/brieven")).status == 403
    with server.session_factory() as session:
        for household_id in (own, foreign):
            assert session.get_one(m.Household, household_id).iban_name != "Aanvaller"
        assert list(session.scalars(select(m.PayeeLetter))) == []


def test_every_change_form_is_accessible_also_with_its_errors(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors
) -> None:
    household = _household_id(live_server, "DEMO-0003")
    with live_server.session_factory() as session:
        contract = session.scalars(
            select(m.Contract.id).where(m.Contract.household_id == household).limit(1)
        ).one()
    login_as(page, live_server, "demo-inkomen")
    paths = [f"/huishoudens/{household}/{slug}" for slug in ("rekening", "bijstand-einde",
                                                           "verlenging")]  # fmt: skip
    paths += [f"/huishoudens/{household}/contracten/{contract}/{slug}"
              for slug in ("bedrag", "overdracht", "betaalontvanger")]  # fmt: skip
    for path in paths:
        page.goto(live_server.url(path))
        assert_accessible(page)
        # Sent empty: every required field says so, tied to the field; nothing is stored.
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
        invalid = page.locator("[aria-invalid=true]")
        assert invalid.count() >= 1, path
        for i in range(invalid.count()):
            described = str(invalid.nth(i).get_attribute("aria-describedby"))
            assert "fout-" in described, path
        assert_accessible(page)
    assert [error for error in console_errors if "status of 422" not in error] == []
    page.goto(live_server.url(f"/huishoudens/{household}/verlenging"))
    page.locator("main form button[type=submit]").click()
    screenshot(page, "huishouden-verlenging-fout")
