# SPDX-License-Identifier: EUPL-1.2
""" "Mijn maand" over HTTP on the demo installation: what the inburgeraar reads (the returned
payment of DEMO-0001 with its reason, the held leefgeld of a household without IBAN), in which
language, as PDF; and what others get (another household's month, staff, anonymous)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from ontzorgen.auth import Role, staff
from ontzorgen.auth.models import AuditEvent
from ontzorgen.clients.models import Household
from ontzorgen.errors import InvalidInput, NotFound
from ontzorgen.statements.month import month_statement
from tests.web.maand_world import DemoWorld, build_demo, demo_client

RETURNED = "DEMO-0001"  # the bank refused its huur (AC01) and returned its stroom (AC04)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> DemoWorld:
    return build_demo(tmp_path_factory.mktemp("maand"))


@pytest.fixture(scope="module")
def client(world: DemoWorld) -> Iterator[TestClient]:
    with demo_client(world) as client:
        yield client


def household_id(world: DemoWorld, reference: str) -> int:
    with world.factory() as session:
        return session.scalars(select(Household.id).where(Household.reference == reference)).one()


def held_household(world: DemoWorld) -> int:
    """A demo household without an IBAN: its leefgeld is held."""
    with world.factory() as session:
        return session.scalars(
            select(Household.id).where(Household.iban.is_(None)).order_by(Household.id)
        ).first() or pytest.fail("the demo has no household without IBAN")


def get(client: TestClient, cookie: dict[str, str], url: str) -> object:
    client.cookies.clear()
    client.cookies.update(cookie)
    return client.get(url, follow_redirects=False)


def main_of(html: str) -> str:
    return html.split('<main id="inhoud"', 1)[1].split("</main>", 1)[0]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


def test_the_month_with_a_returned_payment_in_dutch(world: DemoWorld, client: TestClient) -> None:
    cookie = world.cookie_for_household(household_id(world, RETURNED))
    response = get(client, cookie, "/mijn-maand?taal=nl")
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    main = text_of(main_of(html))
    assert "Mijn maand" in main
    assert "De gemeente gaf u € 1.331,43 bijstand voor januari 2027." in main
    # Each vaste last: to whom, how much, when, and its status; the returned ones say why.
    assert "Wooncoöperatie Beemsterhof € 676,00 24 december 2026 teruggekomen" in main
    assert "Het rekeningnummer van de ontvanger klopt niet, of bestaat niet meer." in main
    assert "De gemeente lost dit op. U hoeft niets te doen." in main
    assert "Zorgverzekeraar Polderzorg U.A. € 153,00 24 december 2026 betaald" in main
    assert "Op 22 januari 2027: € 325,43 – betaald" in main
    assert "Deze maand gespaard: € 70,07" in main
    assert "U krijgt het in juni 2027." in main
    assert "Dit is maand 1 van 6." in main
    assert "tot en met 30 juni 2027" in main
    assert "Volgende maand: februari 2027" in main
    # The picture comes first, is an image with a name and a description, and has a table.
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg
    assert 'aria-labelledby="grafiek-titel grafiek-uitleg"' in svg
    assert main.index("Waar ging uw geld naartoe") < main.index("Wat kwam er binnen?")
    assert "Dezelfde bedragen als tabel" in main
    assert "Huur € 676,00" in main
    # The CSP forbids style attributes and inline styles.
    assert "style=" not in html
    assert "<style" not in html
    assert 'href="/mijn-maand" aria-current="page"' in html


def test_held_money_in_dutch(world: DemoWorld, client: TestClient) -> None:
    response = get(client, world.cookie_for_household(held_household(world)), "/mijn-maand?taal=nl")
    main = text_of(main_of(response.text))  # type: ignore[attr-defined]
    assert re.search(r"De gemeente bewaart € [\d.]+,\d\d voor u\. Het geld is van u\.", main)
    assert "De gemeente heeft uw rekeningnummer (IBAN) nog niet." in main
    assert "Deze maand ging er geen geld naar uw eigen rekening." in main
    assert "Bewaard door de gemeente" in main  # in the picture's table too


def test_the_household_language_is_the_default_and_arabic_is_right_to_left(
    world: DemoWorld, client: TestClient
) -> None:
    cookie = world.cookie_for_household(household_id(world, "DEMO-0002"))  # prefers Arabic
    html = get(client, cookie, "/mijn-maand").text  # type: ignore[attr-defined]
    assert '<html lang="ar" dir="rtl"' in html
    assert "شهري" in html
    assert "الإيجار" in html
    assert "يناير 2027" in html
    assert 'direction="rtl"' in html  # the picture's labels mirror too
    english = get(client, cookie, "/mijn-maand?taal=en").text  # type: ignore[attr-defined]
    assert '<html lang="en" dir="ltr"' in english
    assert "My month" in english


def test_another_households_month_is_not_found(world: DemoWorld, client: TestClient) -> None:
    own, other = household_id(world, RETURNED), household_id(world, "DEMO-0002")
    cookie = world.cookie_for_household(own)
    for url in (f"/mijn-maand?huishouden={other}", f"/mijn-maand/pdf?huishouden={other}",
                "/mijn-maand?huishouden=999999", "/mijn-maand?huishouden=abc",
                "/mijn-maand/pdf?huishouden=-1", "/mijn-maand?huishouden=1e3"):  # fmt: skip
        response = get(client, cookie, url)
        assert response.status_code == 404, url  # type: ignore[attr-defined]
        assert "Beemsterhof" not in response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("periode", ["2030-01", "abc", "2027-13", "'; drop table payment"])
def test_a_month_without_overview_is_a_field_error(
    world: DemoWorld, client: TestClient, periode: str
) -> None:
    cookie = world.cookie_for_household(household_id(world, RETURNED))
    response = get(client, cookie, f"/mijn-maand?taal=nl&periode={periode}")
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert 'aria-invalid="true" aria-describedby="fout-periode"' in html
    assert 'href="#veld-periode"' in html  # the error summary links to the field
    assert "Voor deze maand is er geen overzicht." in html
    assert "€ 1.331,43" in text_of(html)  # the newest month is shown below
    pdf = get(client, cookie, f"/mijn-maand/pdf?periode={periode}")
    assert pdf.status_code == 422  # type: ignore[attr-defined]


@pytest.mark.parametrize("login", ["demo-inkomen", "demo-coach", "demo-beheerder"])
def test_staff_get_a_refusal_that_sends_them_on(
    world: DemoWorld, client: TestClient, login: str
) -> None:
    for url in ("/mijn-maand", "/mijn-maand/pdf"):
        response = get(client, world.cookie_for_user(login), url)
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "Alleen voor inburgeraars" in response.text  # type: ignore[attr-defined]


def test_anonymous_goes_to_the_login(client: TestClient) -> None:
    client.cookies.clear()
    for url in ("/mijn-maand", "/mijn-maand/pdf"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"


def test_every_view_is_logged(world: DemoWorld, client: TestClient) -> None:
    own = household_id(world, RETURNED)
    cookie = world.cookie_for_household(own)

    def views() -> int:
        with world.factory() as session:
            return (
                session.scalar(
                    select(func.count()).where(
                        AuditEvent.action == "maandoverzicht.bekeken",
                        AuditEvent.household_id == own,
                        AuditEvent.object_ref == "periode:2027-01",
                    )
                )
                or 0
            )

    before = views()
    get(client, cookie, "/mijn-maand")
    get(client, cookie, "/mijn-maand/pdf?taal=tr")
    assert views() == before + 2


def test_the_page_is_a_handful_of_queries(world: DemoWorld, client: TestClient) -> None:
    cookie = world.cookie_for_household(household_id(world, RETURNED))
    engine = client.app.state.session_factory.kw["bind"]  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert get(client, cookie, "/mijn-maand").status_code == 200  # type: ignore[attr-defined]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The login session, the scope check, the facts, payments, statuses, decisions, the
    # vakantiegeld and the audit row: fixed, however many lines the month has.
    assert len(statements) <= 30, "\n".join(statements)


pdftotext = shutil.which("pdftotext")


@pytest.mark.skipif(pdftotext is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize(
    ("taal", "expected"),
    [
        ("nl", ["Maandoverzicht: januari 2027", "€ 1.331,43", "€ 676,00", "teruggekomen"]),
        ("tr", ["Aylık özet", "€1.331,43", "Kira", "geri geldi"]),
        ("ar", ["1,331.43 €", "الكشف الشهري", "المبلغ"]),
        ("ti", ["ወርሓዊ ጸብጻብ", "€1,331.43", "ክራይ ገዛ"]),
    ],
)
def test_the_pdf_in_the_chosen_language(
    world: DemoWorld, client: TestClient, tmp_path: Path, taal: str, expected: list[str]
) -> None:
    cookie = world.cookie_for_household(household_id(world, RETURNED))
    response = get(client, cookie, f"/mijn-maand/pdf?periode=2027-01&taal={taal}")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/pdf"  # type: ignore[attr-defined]
    disposition = response.headers["content-disposition"]  # type: ignore[attr-defined]
    assert disposition == f'attachment; filename="maandoverzicht-2027-01-{taal}.pdf"'
    pdf = tmp_path / "maand.pdf"
    pdf.write_bytes(response.content)  # type: ignore[attr-defined]
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdftotext is not None
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout.replace("\xa0", " ")  # fmt: skip
    for piece in expected:
        assert piece in text, f"{piece!r} not in the {taal} PDF:\n{text[:2000]}"
    assert "Wooncoöperatie Beemsterhof" in text


def test_the_service_is_scoped(world: DemoWorld) -> None:
    own, other = household_id(world, RETURNED), household_id(world, "DEMO-0002")
    with world.factory() as session:
        from ontzorgen.auth.users import actor_for_household

        actor = actor_for_household(session, own, channel="web")
        assert month_statement(session, actor, own, None).period.label() == "2027-01"
        with pytest.raises(NotFound):
            month_statement(session, actor, other, None)
        with pytest.raises(InvalidInput):
            month_statement(session, actor, own, "2026-07")
        elsewhere = staff("vreemd", [Role.INKOMEN], ["0363"])
        with pytest.raises(NotFound):
            month_statement(session, elsewhere, own, None)
        session.rollback()


def test_a_handover_of_the_afbouwplan_shows_in_the_forecast(
    world: DemoWorld, client: TestClient
) -> None:
    """The coach's handover (water from 1 February) is what changes next month."""
    from ontzorgen.clients.models import Contract
    from ontzorgen.clients.schemas import HandoverIn
    from ontzorgen.clients.service import hand_over_contract
    from ontzorgen.db import unit_of_work

    household = household_id(world, "DEMO-0007")
    with unit_of_work(world.factory) as session:
        water = session.scalars(
            select(Contract.reference).where(
                Contract.household_id == household, Contract.category == "water"
            )
        ).one()
        inkomen = staff("demo-inkomen", [Role.INKOMEN], ["9999"])
        hand_over_contract(session, inkomen, "9999", water,
                           HandoverIn(handover_date=date(2027, 2, 1)))  # fmt: skip
    main = text_of(main_of(get(client, world.cookie_for_household(household),
                                "/mijn-maand?taal=nl").text))  # type: ignore[attr-defined]  # fmt: skip
    assert "Vanaf 1 februari 2027 betaalt u zelf: Water aan" in main
    assert "Let op: vanaf volgende maand betaalt u dit zelf: Water." in main


def test_what_could_not_be_paid_is_named(world: DemoWorld, client: TestClient) -> None:
    """DEMO-0003 starts mid-month: its pro rata bijstand does not cover every vaste last."""
    cookie = world.cookie_for_household(household_id(world, "DEMO-0003"))
    main = text_of(main_of(get(client, cookie, "/mijn-maand?taal=nl").text))  # type: ignore[attr-defined]
    assert "Niet betaald" in main
    assert "Er was niet genoeg geld voor deze rekeningen." in main
    assert "Water ( Waterbedrijf Noordkwartier N.V. ): € 29,00" in main.split("Volgende maand")[0]


def test_facts_without_a_plan_give_a_page_not_a_problem(
    world: DemoWorld, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules refuse the household's facts (say, a norm table that ends): a Dutch page."""
    from ontzorgen.web import maand

    def refused(*_args: object) -> None:
        raise InvalidInput("household", "geen normen voor deze maand")

    monkeypatch.setattr(maand, "month_statement", refused)
    cookie = world.cookie_for_household(household_id(world, RETURNED))
    for url in ("/mijn-maand?taal=en", "/mijn-maand/pdf?taal=en"):
        response = get(client, cookie, url)
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
        assert "cannot make an overview" in response.text  # type: ignore[attr-defined]
        assert "normen" not in response.text  # type: ignore[attr-defined]


def test_the_month_shows_what_was_booked_not_todays_plan(
    world: DemoWorld, client: TestClient
) -> None:
    """An IBAN recorded after the run: January's leefgeld was held, and stays shown as held."""
    from ontzorgen.clients.schemas import AccountIn
    from ontzorgen.clients.service import readable_household, set_household_account
    from ontzorgen.db import unit_of_work

    with world.factory() as session:
        household, reference = session.execute(
            select(Household.id, Household.reference)
            .where(Household.iban.is_(None))
            .order_by(Household.id.desc())
            .limit(1)
        ).one()
    cookie = world.cookie_for_household(household)
    before = text_of(main_of(get(client, cookie, "/mijn-maand?taal=nl").text))  # type: ignore[attr-defined]
    held = re.search(r"De gemeente bewaart (€ [\d.]+,\d\d) voor u", before)
    assert held is not None
    with unit_of_work(world.factory) as session:
        inkomen = staff("demo-inkomen", [Role.INKOMEN], ["9999"])
        found = readable_household(session, inkomen, reference, "9999")
        account = AccountIn(iban="NL91ABNA0417164300", iban_name="Y. Demo")
        set_household_account(session, inkomen, found, account)
    after = text_of(main_of(get(client, cookie, "/mijn-maand?taal=nl").text))  # type: ignore[attr-defined]
    assert f"De gemeente bewaart {held.group(1)} voor u" in after
    assert "Wilt u weten waarom? Vraag het uw budgetcoach." in after  # the IBAN is known now
    assert f"Naar uw eigen rekening: {held.group(1)}" in after  # next month: paid out
