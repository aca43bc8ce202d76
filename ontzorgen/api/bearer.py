# SPDX-License-Identifier: EUPL-1.2
"""API bearer tokens from the staff identity provider, for the gemeente's own systems.

A JWT access token (three dot-separated parts) is verified here against the provider's JWKS:
signature, ``iss``, ``aud`` (ONTZORGEN_OIDC_API_AUDIENCE, default the client id) and ``exp``.
Any other token is opaque: the provider's userinfo endpoint says whose it is. Its answer is kept
for a short while (60 s, bounded), so a revoked token still works until its entry expires.
The subject then maps to the linked user (:func:`actor_for_staff_login`), with the roles as
stored now.

Token expiry is judged by the real time (the wall clock and a monotonic clock for the cache),
not the app's business clock: a pinned demo day must not make tokens valid or invalid.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.auth.users import actor_for_staff_login
from ontzorgen.errors import NotPermitted
from ontzorgen.logs import get_logger
from ontzorgen.web.oidc import discovery_url

log = get_logger(__name__)

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class BearerTokens:
    """The ``bearer_verifier`` of the app: ``(session, token) -> Actor | None``."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        cache_seconds: float = 60.0,
        cache_size: int = 1000,
        http: httpx.Client | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self.monotonic = monotonic
        self._http = http or httpx.Client(timeout=10)
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._keys_at = float("-inf")
        self._cache: OrderedDict[str, tuple[float, dict[str, Any] | None]] = OrderedDict()
        self._lock = threading.Lock()  # routes run in a thread pool

    def __call__(self, session: Session, token: str) -> Actor | None:
        claims = self._jwt_claims(token) if token.count(".") == 2 else self._userinfo(token)
        subject = (claims or {}).get("sub")
        if not isinstance(subject, str) or not subject:
            return None
        hint = claims.get("preferred_username") or claims.get("email") if claims else None
        try:
            return actor_for_staff_login(
                session, issuer=self.issuer, subject=subject,
                login_hint=hint if isinstance(hint, str) else None, channel="api",
            )  # fmt: skip
        except NotPermitted:
            return None

    # The provider's discovery document and keys.

    def _metadata_of_provider(self) -> dict[str, Any]:
        if self._metadata is None:
            response = self._http.get(discovery_url(self.issuer))
            response.raise_for_status()
            metadata = response.json()
            if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
                raise ValueError("discovery document names another issuer")
            self._metadata = metadata
        return self._metadata

    def _key_set(self, *, refresh: bool) -> KeySet:
        # A key the set does not know may be a rotation: fetch again, at most once a minute.
        stale = refresh and self.monotonic() - self._keys_at > 60
        if self._keys is None or stale:
            response = self._http.get(self._metadata_of_provider()["jwks_uri"])
            response.raise_for_status()
            self._keys = KeySet.import_key_set(response.json())
            self._keys_at = self.monotonic()
        return self._keys

    def _jwt_claims(self, token: str) -> dict[str, Any] | None:
        try:
            with self._lock:
                keys = self._key_set(refresh=False)
            try:
                decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            except JoseError:
                with self._lock:
                    keys = self._key_set(refresh=True)
                decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                leeway=30,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience},
                exp={"essential": True},
                sub={"essential": True},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError, KeyError, httpx.HTTPError) as error:
            log.info("bearer.refused", kind="jwt", reason=type(error).__name__)
            return None
        claims: dict[str, Any] = decoded.claims
        if "nonce" in claims:
            # An ID token of a browser login (it carries the login's nonce) is not an API
            # access token, even though its audience is the client id.
            log.info("bearer.refused", kind="jwt", reason="id-token")
            return None
        return claims

    def _userinfo(self, token: str) -> dict[str, Any] | None:
        key = hashlib.sha256(token.encode()).hexdigest()  # never the token itself in memory
        now = self.monotonic()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] > now:
                return cached[1]
        try:
            endpoint = self._metadata_of_provider()["userinfo_endpoint"]
            response = self._http.get(endpoint, headers={"Authorization": f"Bearer {token}"})
        except (httpx.HTTPError, ValueError, KeyError) as error:
            log.warning("bearer.provider_unreachable", reason=type(error).__name__)
            return None  # not cached: the next request asks again
        claims: dict[str, Any] | None = None
        if response.status_code == 200:
            try:
                found = response.json()
            except ValueError:
                found = None
            claims = found if isinstance(found, dict) else None
        elif response.status_code >= 500:
            log.warning("bearer.provider_error", status=response.status_code)
            return None
        with self._lock:
            self._cache[key] = (now + self.cache_seconds, claims)
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return claims
