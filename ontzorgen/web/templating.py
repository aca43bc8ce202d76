# SPDX-License-Identifier: EUPL-1.2
"""Rendering a page: the Jinja2 environment, the page's language and what every page shows
(the gemeente's name and logo, the menu for the user's roles, the language switch).

Pages call :func:`render`; the language is ``?taal=`` (then remembered in a cookie), else that
cookie, else the household's preferred language, else Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ontzorgen.auth import Actor
from ontzorgen.auth.roles import Permission, Role
from ontzorgen.auth.sessions import CSRF_FIELD, Resumed
from ontzorgen.web import i18n
from ontzorgen.web.i18n import LANGUAGES, Language, gettext, language_of

LANGUAGE_PARAM = "taal"
LANGUAGE_COOKIE = "ontzorgen_taal"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str  # Dutch source; translated when shown
    href: str
    permission: Permission | None  # None: the inburgeraar's own pages
    inburgeraar: bool = False


# The menu; an item shows when the user has its permission in some gemeente. Pages register
# themselves with :func:`add_menu_item`; the menu follows the month's work, not import order.
MENU: list[MenuItem] = []
MENU_ORDER = ("/mijn-maand", "/betaalruns", "/bank", "/huishoudens", "/brieven", "/beheer")


def add_menu_item(item: MenuItem) -> None:
    if all(existing.href != item.href for existing in MENU):
        MENU.append(item)
        MENU.sort(
            key=lambda entry: (
                MENU_ORDER.index(entry.href) if entry.href in MENU_ORDER else len(MENU_ORDER)
            )
        )


def is_inburgeraar(actor: Actor | None) -> bool:
    """Logged in as an inburgeraar (through DigiD): own households and no staff role."""
    return (
        actor is not None
        and bool(actor.households)
        and all(roles <= {Role.INBURGERAAR} for roles in actor.roles.values())
    )


def menu_for(actor: Actor | None) -> list[MenuItem]:
    if actor is None:
        return []
    inburgeraar = is_inburgeraar(actor)
    return [
        item
        for item in MENU
        if (item.inburgeraar and inburgeraar)
        # Staff pages stay out of the inburgeraar's menu, even where a permission is shared
        # (an inburgeraar may read their own household, not the staff's household file).
        or (
            not inburgeraar
            and item.permission is not None
            and actor.gemeenten_with(item.permission)
        )
    ]


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ontzorgen.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
    )  # fmt: skip
    env.filters["money"] = i18n.money
    env.filters["day"] = i18n.day
    env.globals["month_name"] = i18n.month
    return env


def choose_language(request: Request, preferred: str | None = None) -> Language:
    """``?taal=``, else the remembered choice, else ``preferred`` (the household's), else Dutch."""
    for candidate in (
        request.query_params.get(LANGUAGE_PARAM),
        request.cookies.get(LANGUAGE_COOKIE),
        preferred,
    ):
        language = language_of(candidate)
        if language is not None:
            return language
    return i18n.SOURCE


def _switch_links(request: Request, chosen: Language) -> list[dict[str, Any]]:
    """The language switch: the same page (and its other query parameters) in each language."""
    others = [(k, v) for k, v in request.query_params.multi_items() if k != LANGUAGE_PARAM]
    return [
        {
            "language": language,
            "href": f"{request.url.path}?{urlencode([*others, (LANGUAGE_PARAM, language.code)])}",
            "current": language.code == chosen.code,
        }
        for language in LANGUAGES.values()
    ]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    title: str,
    resumed: Resumed | None = None,
    preferred_language: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The page ``template`` in the chosen language. ``title`` is Dutch source text (translated
    here). ``resumed`` is the login session, for the menu, the CSRF token and the logout form."""
    language = choose_language(request, preferred_language)
    actor = resumed.actor if resumed is not None else None
    with i18n.speaking(language):
        html = (
            environment()
            .get_template(template)
            .render(
                {
                    **(context or {}),
                    "request": request,
                    "title": gettext(title),
                    "language": language,
                    "languages": _switch_links(request, language),
                    "actor": actor,
                    "menu": menu_for(actor),
                    "inburgeraar": is_inburgeraar(actor),
                    "csrf_field": CSRF_FIELD,
                    "csrf_token": resumed.csrf_token if resumed is not None else None,
                    "brand": request.app.state.brand,
                    "path": request.url.path,
                }
            )
        )
    response = HTMLResponse(html, status_code=status)
    if language_of(request.query_params.get(LANGUAGE_PARAM)) is not None:
        response.set_cookie(
            LANGUAGE_COOKIE, language.code, max_age=LANGUAGE_COOKIE_SECONDS, path="/",
            httponly=True, samesite="lax", secure=request.app.state.web.cookie_secure,
        )  # fmt: skip
    return response
