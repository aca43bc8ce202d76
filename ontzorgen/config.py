# SPDX-License-Identifier: EUPL-1.2
"""Settings, read from the environment (prefix ``ONTZORGEN_``) with safe defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontzorgen.clock import Clock, clock_from_setting

DEFAULT_DATABASE_URL = "sqlite:///ontzorgen.sqlite3"
# A bank file (at most ontzorgen.sepa.bankfile.MAX_BANK_FILE_BYTES, 256 MiB) travels base64-encoded
# in JSON (4/3 of its size), plus room for the envelope; a test keeps the two in step (the
# settings do not import the XML readers).
DEFAULT_MAX_REQUEST_BYTES = 256 * 1024 * 1024 * 4 // 3 + 1024 * 1024
MAX_BANK_UPLOAD_BYTES = 256 * 1024 * 1024  # = MAX_BANK_FILE_BYTES, kept in step like the above


class Settings(BaseSettings):
    """Everything an installation can configure.

    ``database_url`` defaults to a SQLite file in the working directory, the embedded default a
    newcomer gets; production uses PostgreSQL (``postgresql+psycopg://user@host/db``). The same
    code and migrations run on both.
    """

    model_config = SettingsConfigDict(env_prefix="ONTZORGEN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"
    log_json: bool = True
    # Where the CLI writes its log lines (at log_level); unset: only warnings reach stderr.
    log_file: Path | None = None

    # "production" refuses the development login; `make run` sets "development".
    environment: Literal["development", "production"] = "production"
    # A login session ends after this many minutes without a request (DigiD portals: 15).
    idle_timeout_minutes: int = Field(default=15, ge=1, le=24 * 60)

    # Development-only switches: create_app refuses to start with them in production.
    # The development login (pick a demo user): on by default in development, never in production.
    dev_login: bool | None = None
    # The session cookie's Secure flag; only development over plain http may turn it off.
    cookie_secure: bool = True

    # Where the browser reaches this app (the OIDC redirect URIs are built from it).
    public_url: str = "http://127.0.0.1:8000"
    # Signs the short-lived login-transaction cookie (state, nonce, PKCE verifier); the login
    # session itself is server-side. Unset in development: a random one per process.
    session_secret: SecretStr | None = None
    # The staff identity provider (Entra ID, Keycloak, ...), found via its discovery document.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    # The `aud` a JWT access token for the API must carry; default: the client id.
    oidc_api_audience: str | None = None
    # The DigiD OIDC broker for inburgeraars; the BSN arrives in the claim named here.
    digid_issuer: str | None = None
    digid_client_id: str | None = None
    digid_client_secret: SecretStr | None = None
    digid_bsn_claim: str = "bsn"
    # Login attempts per client IP per minute (GET and POST on /login...).
    login_rate_per_minute: int = Field(default=10, ge=1, le=10_000)
    # The largest request body; default a bit above a base64-encoded bank file at its maximum.
    max_request_bytes: int = Field(default=DEFAULT_MAX_REQUEST_BYTES, ge=1024)
    # The largest bank file the accountant's desk takes as an upload (the page refuses larger
    # ones in Dutch); at most the importer's own limit.
    bank_upload_max_bytes: int = Field(
        default=MAX_BANK_UPLOAD_BYTES, ge=1024, le=MAX_BANK_UPLOAD_BYTES
    )

    # Who runs this installation, on every page and letter: the gemeente's (or the shared
    # service's) name and its logo (an SVG or PNG file; unset: ontzorgen's neutral mark).
    organisation_name: str = Field(default="Gemeente Voorbeeld", min_length=1, max_length=100)
    logo_file: Path | None = None

    # ONTZORGEN_TODAY=YYYY-MM-DD pins the day for demos and reproducible runs (ontzorgen.clock).
    today: str | None = None

    def clock(self) -> Clock:
        """The clock of this installation; a bad ONTZORGEN_TODAY is an InvalidInput."""
        return clock_from_setting(self.today)

    def dev_login_enabled(self) -> bool:
        """The development login: in development unless switched off; never in production."""
        return self.environment == "development" and self.dev_login is not False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
