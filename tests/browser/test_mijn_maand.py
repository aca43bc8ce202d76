# SPDX-License-Identifier: EUPL-1.2
""" "Mijn maand" in a real browser: the inburgeraar of DEMO-0001 (a refused huur, a returned
stroom payment) reads their month in every language (Arabic right to left), downloads the
PDF, and uses the month chooser and the language switch with the keyboard alone; another
household's month and the staff roles are refused."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ontzorgen.web.i18n import LANGUAGES
from tests.browser.harness import (
    ConsoleErrors,
    LiveServer,
    assert_accessible,
    login_as,
    login_as_household,
    screenshot,
)

HOUSEHOLD = "DEMO-0001"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_my_month_is_accessible_in_every_language(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, code: str
) -> None:
    login_as_household(page, live_server, HOUSEHOLD)
    page.goto(live_server.url(f"/mijn-maand?taal={code}"))
    language = LANGUAGES[code]
    expect(page.locator("html")).to_have_attribute("lang", language.html_lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language.rtl else "ltr")
    expect(page.get_by_role("img", name=re.compile(".+"))).to_be_visible()
    assert_accessible(page)
    assert console_errors == []
    screenshot(page, f"mijn-maand-{code}")


def test_the_inburgeraar_reads_their_month_in_arabic_and_downloads_the_pdf(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    login_as_household(page, live_server, HOUSEHOLD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Mijn maand").click()
    expect(page).to_have_url(re.compile(r"/mijn-maand$"))
    page.get_by_role("navigation", name=re.compile(".+")).get_by_role(
        "link", name="العربية"
    ).first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("شهري")
    expect(page.get_by_role("heading", name="مصاريفك الثابتة")).to_be_visible()
    expect(page.get_by_text("رقم حساب المستلم غير صحيح، أو لم يعد موجودًا.").first).to_be_visible()
    # Right to left: the picture's first label sits at the right-hand side.
    label = page.locator("svg.ontzorgen-chart text").first.bounding_box()
    chart = page.locator("svg.ontzorgen-chart").bounding_box()
    assert label is not None
    assert chart is not None
    assert label["x"] > chart["x"] + chart["width"] / 2
    screenshot(page, "mijn-maand-ar-rtl")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="نزّل هذا الكشف بصيغة PDF").click()
    download = download_info.value
    assert download.suggested_filename == "maandoverzicht-2027-01-ar.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(saved),
                    str(png)], check=True)  # fmt: skip
    rendered = sorted(tmp_path.glob("page*.png"))
    assert rendered, "pdftoppm rendered no page"
    (Path("reports/screenshots")).mkdir(parents=True, exist_ok=True)
    Path("reports/screenshots/mijn-maand-pdf-ar.png").write_bytes(rendered[0].read_bytes())
    assert console_errors == []


def test_the_month_chooser_and_the_language_switch_work_with_the_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    login_as_household(page, live_server, HOUSEHOLD)
    page.goto(live_server.url("/mijn-maand?taal=nl"))
    chooser = page.get_by_label("Kies een maand")
    for _ in range(40):
        page.keyboard.press("Tab")
        if chooser.evaluate("el => el === document.activeElement"):
            break
    expect(chooser).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Toon deze maand")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/mijn-maand\?periode=2027-01$"))
    # The language switch keeps the page and the chosen month.
    turkish = page.get_by_role("link", name="Türkçe")
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if turkish.evaluate("el => el === document.activeElement"):
            break
    expect(turkish).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/mijn-maand\?periode=2027-01&taal=tr$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Benim ayım")


def test_another_households_month_cannot_be_opened(page: Page, live_server: LiveServer) -> None:
    login_as_household(page, live_server, HOUSEHOLD)
    for url in ("/mijn-maand?huishouden=2", "/mijn-maand/pdf?huishouden=2&taal=nl"):
        response = page.goto(live_server.url(url))
        assert response is not None
        assert response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


@pytest.mark.parametrize("login", ["demo-inkomen", "demo-accordeerder", "demo-coach",
                                   "demo-accountant", "demo-beheerder"])  # fmt: skip
def test_staff_are_sent_on(page: Page, live_server: LiveServer, login: str) -> None:
    login_as(page, live_server, login)
    expect(page.get_by_role("link", name="Mijn maand")).to_have_count(0)  # not in their menu
    response = page.goto(live_server.url("/mijn-maand"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Alleen voor inburgeraars")
    assert_accessible(page)
