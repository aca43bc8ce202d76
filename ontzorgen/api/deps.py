# SPDX-License-Identifier: EUPL-1.2
"""Dependencies shared by the routers: the unit of work per request and the acting user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import Actor
from ontzorgen.auth.sessions import COOKIE, CSRF_HEADER, csrf_matches, resume_session
from ontzorgen.clock import Clock
from ontzorgen.db import unit_of_work
from ontzorgen.errors import DomainError, NotPermitted

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotAuthenticated(DomainError):
    """No valid login: the API answers 401 (pages redirect to the login)."""

    status = 401
    code = "not-authenticated"
    title = "Niet ingelogd"


def get_clock(request: Request) -> Clock:
    """The app's clock: every route takes "today" and "now" from here, never the wall clock."""
    clock: Clock = request.app.state.clock
    return clock


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back on error.
    Its time (the audit log's) is the clock's."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with unit_of_work(factory, now=get_clock(request).now()) as session:
        yield session


# scope="function": the unit of work closes (commits) before the response is sent, so a failed
# commit is an error response, never a 200 for something that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ClockDep = Annotated[Clock, Depends(get_clock)]

# Verifies an API bearer token with the identity provider; set by the OIDC setup.
BearerVerifier = Callable[[Session, str], Actor | None]


def get_actor(request: Request, session: SessionDep) -> Actor:
    """The logged-in actor: a bearer token from the gemeente's identity provider (the gemeente's
    own systems) or a session cookie (people in a browser). Anything else is a 401.

    A cookie-authenticated request that changes something must carry the session's CSRF token
    (header ``X-CSRF-Token``), so another site cannot make a logged-in browser act.
    """
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        verifier: BearerVerifier | None = getattr(request.app.state, "bearer_verifier", None)
        if scheme.lower() != "bearer" or not token.strip() or verifier is None:
            raise NotAuthenticated("ongeldige of onbekende Authorization-header")
        actor = verifier(session, token.strip())
        if actor is None:
            raise NotAuthenticated("het token is ongeldig of verlopen")
        request.state.actor = actor
        return actor
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise NotAuthenticated("log eerst in")
    idle: timedelta = request.app.state.idle_timeout
    resumed = resume_session(session, cookie, idle_timeout=idle, channel="api")
    if resumed is None:
        raise NotAuthenticated("uw sessie is verlopen of beëindigd; log opnieuw in")
    if request.method not in SAFE_METHODS and not csrf_matches(
        resumed.csrf_token, request.headers.get(CSRF_HEADER)
    ):
        raise NotPermitted("de CSRF-controle is mislukt: ververs de pagina en probeer opnieuw")
    request.state.actor = resumed.actor
    return resumed.actor


ActorDep = Annotated[Actor, Depends(get_actor)]
