# SPDX-License-Identifier: EUPL-1.2
"""The identity providers, from the settings: staff (the gemeente's Entra ID, Keycloak, ...) and
inburgeraars (a DigiD OIDC broker). Authlib does the protocol: discovery, the authorization
code flow with PKCE (S256), state and nonce, and the ID token's signature (JWKS), issuer,
audience and expiry."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

with warnings.catch_warnings():
    # Authlib announces a move to the httpx2 package; httpx works, and an operator's log is
    # no place for a library's deprecation notice.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.starlette_client import OAuth

from ontzorgen.config import Settings

STAFF = "medewerker"
DIGID = "digid"
DISCOVERY = "/.well-known/openid-configuration"


@dataclass(frozen=True, slots=True)
class Provider:
    """One configured identity provider and its Authlib client."""

    name: str
    issuer: str
    client_id: str
    client: Any  # authlib's StarletteOAuth2App (untyped)

    def id_token_claims(self) -> dict[str, Any]:
        """What the ID token must say beyond Authlib's own checks (signature, nonce, expiry):
        our provider as ``iss`` (no mix-up), our client among ``aud``."""
        return {
            "iss": {"essential": True, "values": [self.issuer]},
            "aud": {"essential": True, "values": [self.client_id]},
        }


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY


def _secret(value: Any) -> str | None:
    return None if value is None else str(value.get_secret_value())


def configure_providers(settings: Settings) -> dict[str, Provider]:
    """The providers that are fully configured (issuer and client id), by route name."""
    oauth = OAuth()
    found: dict[str, Provider] = {}
    wanted = (
        (STAFF, settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret,
         "openid profile email"),
        (DIGID, settings.digid_issuer, settings.digid_client_id, settings.digid_client_secret,
         "openid"),
    )  # fmt: skip
    for name, issuer, client_id, secret, scope in wanted:
        if not issuer or not client_id:
            continue
        client = oauth.register(
            name=name,
            client_id=client_id,
            client_secret=_secret(secret),
            server_metadata_url=discovery_url(issuer),
            client_kwargs={"scope": scope, "code_challenge_method": "S256", "timeout": 10},
        )
        found[name] = Provider(name, issuer.rstrip("/"), client_id, client)
    return found
