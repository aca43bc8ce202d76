# SPDX-License-Identifier: EUPL-1.2
"""Login and logout: the identity providers (OIDC), the development login, the session cookie.

The BSN of a DigiD login is used once, to find the inburgeraar's household, and is never
logged, stored in a session or shown; the session holds household ids only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Annotated

import httpx
from authlib.integrations.base_client import OAuthError
from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.api.deps import SessionDep, get_clock
from ontzorgen.auth import Actor
from ontzorgen.auth.audit import record
from ontzorgen.auth.models import AppUser, UserRole
from ontzorgen.auth.sessions import COOKIE, CSRF_FIELD, Started, end_session, start_session
from ontzorgen.auth.users import (
    actor_for_household,
    actor_for_inburgeraar,
    actor_for_staff_login,
    load_actor,
)
from ontzorgen.clients.models import Household
from ontzorgen.db import unit_of_work
from ontzorgen.errors import NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.logs import get_logger
from ontzorgen.validation import MAX_ID
from ontzorgen.web.deps import (
    CsrfForm,
    WebConfig,
    login_csrf_matches,
    login_csrf_token,
    web_config,
)
from ontzorgen.web.html import csrf_refused_page, error_page, not_found_page
from ontzorgen.web.i18n import N_
from ontzorgen.web.oidc import DIGID, STAFF, Provider
from ontzorgen.web.templating import render

log = get_logger(__name__)
router = APIRouter(include_in_schema=False)
Config = Annotated[WebConfig, Depends(web_config)]

NO_ACCESS = N_("Geen toegang")
# What can go wrong between the provider's redirect and a verified ID token: a refusal at the
# provider, a state that does not match, a bad token (signature, issuer, audience, nonce,
# expiry), the provider unreachable. Each is a 400 page, never a 500.
LOGIN_ERRORS = (OAuthError, JoseError, httpx.HTTPError, ValueError, KeyError, TypeError)


def _set_session_cookie(response: Response, started: Started, config: WebConfig) -> None:
    # No max-age: the cookie lives as long as the browser; the server ends the session on
    # logout or after the idle timeout.
    response.set_cookie(
        COOKIE, started.token, path="/", secure=config.cookie_secure, httponly=True,
        samesite="lax",
    )  # fmt: skip


def _logged_in(request: Request, started: Started, config: WebConfig) -> Response:
    request.session.clear()  # the login transaction is done: its cookie goes
    response = RedirectResponse("/", status_code=303)
    _set_session_cookie(response, started, config)
    return response


def _no_access(request: Request, message: str) -> Response:
    return error_page(request, NO_ACCESS, message, status=403)


def _unknown_provider(request: Request) -> Response:
    return error_page(
        request, N_("Niet gevonden"), N_("Deze inlogmethode is niet ingesteld."), status=404
    )


@router.get("/login")
def login_choice(request: Request, config: Config) -> Response:
    """Choose: staff through the gemeente's identity provider, inburgeraars through DigiD."""
    return render(
        request,
        "login.html",
        {
            "staff": STAFF in config.providers,
            "digid": DIGID in config.providers,
            "dev_login": config.dev_login,
        },
        title=N_("Inloggen"),
    )


async def _redirect_to(provider: Provider | None, request: Request, config: WebConfig) -> Response:
    if provider is None:
        return _unknown_provider(request)
    redirect_uri = f"{config.public_url}/login/callback/{provider.name}"
    try:
        response: Response = await provider.client.authorize_redirect(request, redirect_uri)
    except httpx.HTTPError as error:
        log.warning(
            "login.provider_unreachable", provider=provider.name, error=type(error).__name__
        )
        return error_page(
            request,
            N_("Inloggen niet mogelijk"),
            N_("De inlogdienst is nu niet bereikbaar. Probeer het later opnieuw."),
            status=502,
        )
    return response


@router.get("/login/medewerker")
async def login_staff(request: Request, config: Config) -> Response:
    """To the gemeente's identity provider (authorization code flow, PKCE, state, nonce)."""
    return await _redirect_to(config.providers.get(STAFF), request, config)


@router.get("/login/digid")
async def login_digid(request: Request, config: Config) -> Response:
    """To the DigiD broker."""
    return await _redirect_to(config.providers.get(DIGID), request, config)


def _start(
    request: Request, choose: Callable[[Session], Actor], *, old_token: str | None
) -> Started:
    """In one unit of work: the actor (or NotPermitted: nothing stored), then the session."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with unit_of_work(factory, now=get_clock(request).now()) as session:
        actor: Actor = choose(session)
        if old_token:
            end_session(session, old_token)  # a new login never keeps an old session's token
        return start_session(session, actor)


@router.get("/login/callback/{provider_name}")
async def login_callback(provider_name: str, request: Request, config: Config) -> Response:
    """The provider's redirect back: verify everything, find the user, start the session."""
    provider = config.providers.get(provider_name)
    if provider is None:
        return _unknown_provider(request)
    try:
        token = await provider.client.authorize_access_token(
            request, claims_options=provider.id_token_claims()
        )
        claims = token.get("userinfo")
        if not claims or not isinstance(claims.get("sub"), str):
            raise ValueError("no verified ID token")
        bsn = None
        if provider.name == DIGID:
            bsn = claims.get(config.bsn_claim)
            if bsn is None:  # some brokers give it only at the userinfo endpoint
                bsn = (await provider.client.userinfo(token=token)).get(config.bsn_claim)
    except LOGIN_ERRORS as error:
        request.session.clear()
        refused = isinstance(error, OAuthError) and error.error == "access_denied"
        # The error's code and description name a claim or a step, never a claim's value.
        log.warning("login.failed", provider=provider.name, reason=type(error).__name__,
                    error=getattr(error, "error", None),
                    description=getattr(error, "description", None))  # fmt: skip
        message = (
            N_("U heeft het inloggen afgebroken.")
            if refused
            else N_("Het inloggen is mislukt of verlopen. Probeer het opnieuw.")
        )
        return error_page(request, N_("Inloggen mislukt"), message, status=400)
    old_token = request.cookies.get(COOKIE)
    if provider.name == DIGID:
        if not isinstance(bsn, str) or not bsn.isdigit() or len(bsn) != 9:
            request.session.clear()
            log.warning("login.failed", provider=provider.name, reason="no-bsn-claim")
            return error_page(
                request, N_("Inloggen mislukt"), N_("De inlog gaf geen geldig BSN mee."),
                status=400,
            )  # fmt: skip
        number = bsn

        def choose(session: Session) -> Actor:
            return actor_for_inburgeraar(session, number, channel="web")
    else:
        hint = claims.get("preferred_username") or claims.get("email")

        def choose(session: Session) -> Actor:
            return actor_for_staff_login(
                session, issuer=provider.issuer, subject=claims["sub"],
                login_hint=hint if isinstance(hint, str) else None, channel="web",
            )  # fmt: skip

    try:
        started = await run_in_threadpool(_start, request, choose, old_token=old_token)
    except NotPermitted as error:
        request.session.clear()
        log.info("login.refused", provider=provider.name)
        return _no_access(request, error.detail)
    log.info("login.succeeded", provider=provider.name)
    return _logged_in(request, started, config)


@router.post("/logout")
def logout(request: Request, session: SessionDep, resumed: CsrfForm, config: Config) -> Response:
    """End the session in the database (a copied cookie is worthless after) and clear it."""
    token = request.cookies.get(COOKIE)
    if token:
        end_session(session, token)
    record(session, resumed.actor, "uitgelogd", gemeente_id=None)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        COOKIE, path="/", secure=config.cookie_secure, httponly=True, samesite="lax"
    )
    return response


@router.get("/login/ontwikkeling")
def dev_login_choice(request: Request, session: SessionDep, config: Config) -> Response:
    """Development only: the active users, by role, each with a button to log in as them."""
    if not config.dev_login:
        return not_found_page(request)
    rows = session.execute(
        select(UserRole.role, AppUser.login, AppUser.display_name, Gemeente.code)
        .join(AppUser, AppUser.id == UserRole.user_id)
        .join(Gemeente, Gemeente.id == UserRole.gemeente_id)
        .where(AppUser.active.is_(True))
        .order_by(UserRole.role, AppUser.login, Gemeente.code)
    )
    by_role: dict[str, list[dict[str, object]]] = defaultdict(list)
    for role, login, name, code in rows:
        by_role[role].append({"login": login, "name": name, "gemeente": code})
    # The inburgeraar has no user: a few households to log in as, by their reference only.
    for household_id, reference, code in session.execute(
        select(Household.id, Household.reference, Gemeente.code)
        .join(Gemeente, Gemeente.id == Household.gemeente_id)
        .order_by(Household.id)
        .limit(5)
    ):
        by_role["inburgeraar"].append(
            {"household": household_id, "reference": reference, "gemeente": code}
        )
    return render(
        request,
        "dev_login.html",
        {"by_role": by_role, "login_csrf": login_csrf_token(request)},
        title=N_("Ontwikkel-login"),
    )


@router.post("/login/ontwikkeling")
def dev_login(
    request: Request,
    config: Config,
    login: Annotated[str | None, Form(max_length=64)] = None,
    household: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    csrf_token: Annotated[str | None, Form(alias=CSRF_FIELD, max_length=100)] = None,
) -> Response:
    """Development only: log in as ``login`` (the form's CSRF token must match)."""
    if not config.dev_login:
        return not_found_page(request)
    if not login_csrf_matches(request, csrf_token):
        return csrf_refused_page(request)

    def choose(session: Session) -> Actor:
        if household is not None:
            return actor_for_household(session, household, channel="web")
        if login:
            return load_actor(session, login, channel="web")
        raise NotPermitted("kies een gebruiker of een huishouden")

    try:
        started = _start(request, choose, old_token=request.cookies.get(COOKIE))
    except NotPermitted as error:
        return _no_access(request, error.detail)
    log.info("login.succeeded", provider="ontwikkeling")
    return _logged_in(request, started, config)
