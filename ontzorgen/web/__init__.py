# SPDX-License-Identifier: EUPL-1.2
"""The browser side: the pages (Jinja2 templates, NL Design System CSS), the login (OIDC, DigiD,
the development login) and logout.

Later pages use :func:`ontzorgen.web.deps.page_actor` (anonymous: a redirect to /login) and
:func:`ontzorgen.web.deps.require_csrf_form` for their POST forms.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ontzorgen.config import Settings
from ontzorgen.errors import FieldProblem, InvalidInput
from ontzorgen.web import admin, bank_desk, households, letters, login, maand, runs, start
from ontzorgen.web.deps import WebConfig, install_page_handlers
from ontzorgen.web.oidc import configure_providers

STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True, slots=True)
class Brand:
    """The gemeente's name and logo on every page and letter (configuration)."""

    name: str
    logo_file: Path | None

    @property
    def logo_url(self) -> str:
        return "/huisstijl/logo" if self.logo_file is not None else "/static/logo.svg"


# The signed, short-lived cookie of one login (Authlib's state, nonce and PKCE verifier, the
# login forms' CSRF token); sent only to /login..., gone when the login completes.
LOGIN_COOKIE = "ontzorgen_login"
LOGIN_COOKIE_SECONDS = 10 * 60


def unsafe_settings(settings: Settings) -> list[FieldProblem]:
    """What a production installation must not have: development switches, a missing
    signing secret, a public address without TLS."""
    if settings.environment != "production":
        return []
    problems = []
    if settings.dev_login:
        problems.append(FieldProblem(
            "ONTZORGEN_DEV_LOGIN", "de ontwikkel-login kan niet aan in productie "
            "(ONTZORGEN_ENVIRONMENT=production); zet hem uit of kies development",
        ))  # fmt: skip
    if not settings.cookie_secure:
        problems.append(FieldProblem(
            "ONTZORGEN_COOKIE_SECURE", "in productie gaat het sessiecookie alleen over HTTPS",
        ))  # fmt: skip
    if (settings.oidc_issuer or settings.digid_issuer) and settings.session_secret is None:
        problems.append(FieldProblem(
            "ONTZORGEN_SESSION_SECRET", "nodig voor het inloggen; kies een lange willekeurige "
            "waarde (bijv. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)",
        ))  # fmt: skip
    if (settings.oidc_issuer or settings.digid_issuer) and not settings.public_url.startswith(
        "https://"
    ):
        problems.append(FieldProblem(
            "ONTZORGEN_PUBLIC_URL", "in productie begint het publieke adres met https://",
        ))  # fmt: skip
    return problems


def refuse_unsafe_settings(settings: Settings) -> None:
    """Refuse to start (a Dutch error naming each setting) with :func:`unsafe_settings`."""
    problems = unsafe_settings(settings)
    if problems:
        raise InvalidInput(problems=problems)


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the login and the start page to ``app`` (its factory has refused unsafe production
    settings with :func:`refuse_unsafe_settings` already)."""
    secret = (
        settings.session_secret.get_secret_value()
        if settings.session_secret is not None
        else secrets.token_urlsafe(48)  # development: logins do not survive a restart
    )
    app.state.web = WebConfig(
        providers=configure_providers(settings),
        public_url=settings.public_url.rstrip("/"),
        cookie_secure=settings.cookie_secure,
        dev_login=settings.dev_login_enabled(),
        bsn_claim=settings.digid_bsn_claim,
    )
    app.add_middleware(
        SessionMiddleware, secret_key=secret, session_cookie=LOGIN_COOKIE,
        max_age=LOGIN_COOKIE_SECONDS, path="/login", same_site="lax",
        https_only=settings.cookie_secure,
    )  # fmt: skip
    app.state.brand = Brand(name=settings.organisation_name, logo_file=settings.logo_file)
    # The NL Design System CSS is copied into static/vendor by `make install` (from npm).
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_page_handlers(app)
    app.include_router(login.router)
    app.include_router(start.router)
    app.include_router(runs.router)
    app.include_router(maand.router)
    app.include_router(households.router)
    app.include_router(letters.router)
    app.state.bank_upload_max_bytes = settings.bank_upload_max_bytes
    app.include_router(bank_desk.router)
    app.include_router(admin.router)
