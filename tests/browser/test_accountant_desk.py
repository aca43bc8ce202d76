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
