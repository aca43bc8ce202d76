# SPDX-License-Identifier: EUPL-1.2
"""The public pages and the login in a real browser: accessible in every language, the
language switch keeps the page, Arabic and Dari read right to left."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ontzorgen.web.i18n import LANGUAGES
from tests.browser.harness import (
    ConsoleErrors,
    LiveServer,
    assert_accessible,
    login_as,
    screenshot,
)

PUBLIC_PAGES = ["/", "/login", "/login/ontwikkeling", "/toegankelijkheid"]


@pytest.mark.parametrize("code", list(LANGUAGES))
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible_in_every_language(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, path: str, code: str
) -> None:
    page.goto(live_server.url(f"{path}?taal={code}"))
    language = LANGUAGES[code]
    expect(page.locator("html")).to_have_attribute("lang", language.html_lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language.rtl else "ltr")
    assert_accessible(page)
    assert console_errors == []
    if path in ("/", "/toegankelijkheid"):
        screenshot(page, f"public{path.replace('/', '-').rstrip('-')}-{code}")


def test_the_language_switch_keeps_the_page_and_is_remembered(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url("/toegankelijkheid"))
    page.get_by_role("navigation", name="Kies een taal").get_by_role("link", name="العربية").click()
    expect(page).to_have_url(live_server.url("/toegankelijkheid?taal=ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(live_server.url("/login"))  # the choice is remembered on the next page
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def test_the_pages_work_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url("/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # a skip link appears when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url("/#inhoud"))


def test_a_demo_user_logs_in_and_out(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "demo-accountant")
    expect(page.get_by_text("Ingelogd als demo-accountant")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen", exact=True)).to_be_visible()
