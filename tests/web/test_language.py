# SPDX-License-Identifier: EUPL-1.2
"""The page's language: ``?taal=`` wins and is remembered, then the remembered choice, then the
household's preference, then Dutch; a string without a translation falls back to Dutch; amounts
are euros in every locale; nothing from the address is reflected unescaped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from ontzorgen.api.app import create_app
from ontzorgen.config import Settings
from ontzorgen.web import i18n
from ontzorgen.web.i18n import LANGUAGES, language_of, speaking
from ontzorgen.web.templating import LANGUAGE_COOKIE, choose_language


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(
        Settings(
            database_url="sqlite:///unused.sqlite3", environment="development", cookie_secure=False
        )
    )
    with TestClient(app) as test_client:
        yield test_client


def _request(query: str = "", cookie: str | None = None) -> Request:
    headers = [(b"cookie", f"{LANGUAGE_COOKIE}={cookie}".encode())] if cookie else []
    return Request(
        {"type": "http", "method": "GET", "path": "/", "query_string": query.encode(),
         "headers": headers}
    )  # fmt: skip


def test_the_choice_goes_parameter_then_cookie_then_preference_then_dutch() -> None:
    assert choose_language(_request("taal=ar", cookie="tr"), "en").code == "ar"
    assert choose_language(_request(cookie="tr"), "en").code == "tr"
    assert choose_language(_request(), "ti").code == "ti"
    assert choose_language(_request(), "fa-AF").code == "fa"  # a region does not matter
    assert choose_language(_request(), None).code == "nl"
    # Unknown or hostile values are ignored, never an error.
    assert choose_language(_request("taal=xx", cookie="<script>"), "klingon").code == "nl"


def test_language_of_accepts_only_the_six_languages() -> None:
    assert {language_of(code) for code in ("nl", "EN", "ar_SY", "ti-ER", "fa", "tr-TR")} == set(
        LANGUAGES.values()
    )
    assert language_of("de") is None
    assert language_of("") is None


def test_a_chosen_language_is_remembered_in_a_cookie(client: TestClient) -> None:
    first = client.get("/toegankelijkheid?taal=ar")
    assert '<html lang="ar" dir="rtl"' in first.text
    assert first.cookies.get(LANGUAGE_COOKIE) == "ar"
    again = client.get("/login")
    assert '<html lang="ar" dir="rtl"' in again.text


def test_an_unknown_language_is_dutch_and_not_remembered(client: TestClient) -> None:
    page = client.get("/toegankelijkheid?taal=de")
    assert '<html lang="nl" dir="ltr"' in page.text
    assert LANGUAGE_COOKIE not in page.cookies


def test_the_switch_keeps_the_page_and_its_query_and_escapes_it(client: TestClient) -> None:
    page = client.get('/toegankelijkheid?x="><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in page.text
    assert (
        'href="/toegankelijkheid?x=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;taal=ar"'
        in (page.text)
    )


def test_an_untranslated_string_falls_back_to_dutch() -> None:
    with speaking(LANGUAGES["ar"]):
        assert (
            i18n.gettext("Een zin die nergens vertaald is.") == "Een zin die nergens vertaald is."
        )


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_amounts_are_euros_with_their_cents_in_every_language(code: str) -> None:
    with speaking(LANGUAGES[code]):
        text = i18n.money(71200)
        assert "€" in text
        assert "712" in text
        assert "00" in text
        assert i18n.day(date(2026, 12, 1))  # Babel knows every locale's long date


def test_dutch_amounts_and_dates_read_as_people_expect() -> None:
    with speaking(LANGUAGES["nl"]):
        # A no-break space: an amount never wraps between the sign and the figure.
        assert i18n.money(71200) == "€\u00a0712,00"
        assert i18n.money(-150) == "€\u00a0-1,50"
        assert i18n.day(date(2026, 12, 1)) == "1 december 2026"
        assert i18n.month(2027, 1) == "januari 2027"
