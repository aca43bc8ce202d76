# SPDX-License-Identifier: EUPL-1.2
"""The beheerder's page in a real browser: the gemeente's users and roles, the audit log of
one household (an AVG inzageverzoek) on the page and as CSV; reading the log is itself logged;
other roles are refused."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Page, expect
from sqlalchemy import select

from ontzorgen.auth.models import AuditEvent
from tests.browser.harness import LiveServer, assert_accessible, login_as, screenshot


def test_the_beheerder_reads_who_saw_a_household(page: Page, live_server: LiveServer) -> None:
    # Someone looks at DEMO-0001's file first, so the log has a line about it.
    login_as(page, live_server, "demo-inkomen")
    page.get_by_role("link", name="Huishoudens").first.click()
    page.get_by_role("button", name="Uitloggen").click()

    login_as(page, live_server, "demo-beheerder")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Beheer").click()
    users = page.get_by_role("table", name="Gebruikers met een rol in deze gemeente")
    expect(users).to_contain_text("demo-accordeerder")
    expect(users).to_contain_text("accordeerder")
    assert_accessible(page)

    # Keyboard only: the filter field, then Enter.
    page.get_by_label("Alleen van huishouden (referentie)").focus()
    page.keyboard.type("DEMO-0001")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url("/beheer/9999?huishouden=DEMO-0001"))
    log = page.get_by_role(
        "table", name="De nieuwste 200 regels (het CSV-bestand heeft ze allemaal)"
    )
    expect(log).to_contain_text("DEMO-0001")
    assert_accessible(page)
    screenshot(page, "beheer-auditlog-nl")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV").click()
    download = download_info.value
    assert download.suggested_filename == "auditlog-9999-DEMO-0001.csv"
    rows = list(csv.reader(io.StringIO(download.path().read_text("utf-8")), delimiter=";"))
    assert rows[0][0] == "tijdstip"
    assert all(row[5] == "DEMO-0001" for row in rows[1:])
    assert len(rows) > 1

    with live_server.session_factory() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.user_id == "demo-beheerder")
        ).all()
    assert actions.count("auditlog.bekeken") >= 3  # the page twice and the CSV


def test_an_unknown_household_is_not_found_and_other_roles_are_refused(
    page: Page, live_server: LiveServer
) -> None:
    login_as(page, live_server, "demo-beheerder")
    response = page.goto(live_server.url("/beheer/9999?huishouden=GEEN-HUISHOUDEN"))
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    response = page.goto(live_server.url("/beheer/9999?huishouden=%3Cscript%3E"))
    assert response is not None
    assert response.status == 404
    page.get_by_role("button", name="Uitloggen").click()

    login_as(page, live_server, "demo-accountant")
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Beheer")
    ).to_have_count(0)
    response = page.goto(live_server.url("/beheer/9999"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet toegestaan")
    expect(page.get_by_role("main")).to_contain_text("beheren")  # names the permission
    response = page.goto(live_server.url("/beheer/9999/auditlog.csv"))
    assert response is not None
    assert response.status == 403
