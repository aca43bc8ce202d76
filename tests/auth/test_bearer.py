# SPDX-License-Identifier: EUPL-1.2
"""Bearer tokens of the staff provider on the API: opaque tokens through userinfo (cached for
a minute), JWT access tokens verified against the provider's JWKS."""

from __future__ import annotations

import time
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from ontzorgen.api.bearer import BearerTokens
from tests.auth.conftest import CLIENT_ID, World

API = "/api/v1/gemeenten"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_access_token_of_the_provider_is_accepted_until_revoked(world: World) -> None:
    token = world.provider.token_for("sub-anna")["access_token"]
    assert token.count(".") != 2  # the test provider's access tokens are opaque
    answer = world.client.get(API, headers=_bearer(token))
    assert answer.status_code == 200, answer.text
    assert [g["code"] for g in answer.json()] == ["0439"]
    verifier: BearerTokens = world.app.state.bearer_verifier
    moved = [time.monotonic()]
    verifier.monotonic = lambda: moved[0]
    world.provider.revoke("sub-anna")
    assert world.client.get(API, headers=_bearer(token)).status_code == 200  # still cached
    moved[0] += 61
    refused = world.client.get(API, headers=_bearer(token))
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


def test_a_garbage_token_and_a_wrong_scheme_are_401(world: World) -> None:
    assert world.client.get(API, headers=_bearer("onzin")).status_code == 401
    assert world.client.get(API, headers=_bearer("a.b.c")).status_code == 401
    assert world.client.get(API, headers={"Authorization": "Basic YTpi"}).status_code == 401


def test_a_token_of_an_unknown_user_is_401(world: World) -> None:
    world.provider.set_user("sub-vreemd", {"preferred_username": "vreemd"})
    token = world.provider.token_for("sub-vreemd")["access_token"]
    assert world.client.get(API, headers=_bearer(token)).status_code == 401


def test_an_id_token_is_not_an_access_token(world: World) -> None:
    tokens = world.provider.token_for("sub-anna", client_id=CLIENT_ID)
    assert world.client.get(API, headers=_bearer(tokens["id_token"])).status_code == 401


def _jwt(key: RSAKey, **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "sub-anna", "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, body, key)


def test_a_jwt_access_token_is_verified_against_the_providers_keys(world: World) -> None:
    key = world.provider.signing_key()
    issuer = world.provider.url
    good = _jwt(key, iss=issuer, preferred_username="anna")
    assert world.client.get(API, headers=_bearer(good)).status_code == 200
    for bad in (
        _jwt(key, iss=issuer, aud="een-andere-api"),
        _jwt(key, iss="https://elders.example", aud=CLIENT_ID),
        _jwt(key, iss=issuer, exp=int(time.time()) - 3600),
        _jwt(RSAKey.generate_key(2048, parameters={"kid": key.kid}), iss=issuer),
        good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
    ):
        assert world.client.get(API, headers=_bearer(bad)).status_code == 401
