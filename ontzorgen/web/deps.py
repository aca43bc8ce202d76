# SPDX-License-Identifier: EUPL-1.2
"""What every page needs: the logged-in actor (anonymous: a redirect to the login) and the CSRF
check of its POST forms."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ontzorgen.api.deps import SessionDep
from ontzorgen.auth import Actor
from ontzorgen.auth.sessions import COOKIE, CSRF_FIELD, Resumed, csrf_matches, resume_session
from ontzorgen.web.html import csrf_refused_page
from ontzorgen.web.oidc import Provider

LOGIN_CSRF = "csrf"  # the login-transaction cookie's CSRF token (before there is a session)


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The login settings the routes need (``app.state.web``)."""

    providers: dict[str, Provider]
    public_url: str
    cookie_secure: bool
    dev_login: bool
    bsn_claim: str


def web_config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.web
    return config


class LoginRequired(Exception):
    """An anonymous request for a page: answered with a redirect to the login."""


class CsrfRefused(Exception):
    """A POST form without the right CSRF token: refused, nothing changes."""


def current_session(request: Request, session: SessionDep) -> Resumed | None:
    """The live login session of this browser, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    idle: timedelta = request.app.state.idle_timeout
    return resume_session(session, token, idle_timeout=idle, channel="web")


CurrentSession = Annotated[Resumed | None, Depends(current_session)]


def page_session(resumed: CurrentSession) -> Resumed:
    """The login session of a page that needs one; anonymous: 303 to /login."""
    if resumed is None:
        raise LoginRequired
    return resumed


def page_actor(resumed: Annotated[Resumed, Depends(page_session)]) -> Actor:
    """The actor of a page (use as ``actor: PageActor``); anonymous: 303 to /login."""
    return resumed.actor


PageActor = Annotated[Actor, Depends(page_actor)]


async def require_csrf_form(
    request: Request, resumed: Annotated[Resumed, Depends(page_session)]
) -> Resumed:
    """For every page's POST form: the hidden ``csrf_token`` must be the session's."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not isinstance(given, str) or not csrf_matches(resumed.csrf_token, given):
        raise CsrfRefused
    return resumed


CsrfForm = Annotated[Resumed, Depends(require_csrf_form)]


def login_csrf_token(request: Request) -> str:
    """The CSRF token of login forms, kept in the signed login-transaction cookie."""
    token = request.session.get(LOGIN_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[LOGIN_CSRF] = token
    return token


def login_csrf_matches(request: Request, given: str | None) -> bool:
    expected = request.session.get(LOGIN_CSRF)
    return isinstance(expected, str) and csrf_matches(expected, given)


async def _login_required(_request: Request, _error: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def _csrf_refused(request: Request, _error: Exception) -> Response:
    return csrf_refused_page(request)


def install_page_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
