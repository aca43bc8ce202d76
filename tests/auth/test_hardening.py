# SPDX-License-Identifier: EUPL-1.2
"""Security headers on every response, the request body limit, login rate limiting, the
pages' login redirect and CSRF check."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from ontzorgen.auth.models import LoginSession
from ontzorgen.auth.sessions import CSRF_FIELD
from ontzorgen.config import DEFAULT_MAX_REQUEST_BYTES
from ontzorgen.sepa.bankfile import MAX_BANK_FILE_BYTES
from ontzorgen.web.deps import CsrfForm, PageActor
from tests.auth.conftest import AppMaker, World, login

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def _assert_hardened(headers: object, *, csp: str | None = CSP) -> None:
    assert isinstance(headers, dict) or hasattr(headers, "get")
    get = headers.get  # type: ignore[attr-defined]
    if csp is not None:
        assert get("content-security-policy") == csp
    assert get("x-content-type-options") == "nosniff"
    assert get("x-frame-options") == "DENY"
    assert get("referrer-policy") == "no-referrer"
    assert "camera=()" in get("permissions-policy")
    assert get("strict-transport-security") == "max-age=31536000"  # the test client is https
    assert get("cache-control") == "no-store"


def test_security_headers_on_api_page_404_and_401(world: World) -> None:
    anonymous_api = world.client.get("/api/v1/gemeenten")
    assert anonymous_api.status_code == 401
    missing = world.client.get("/bestaat-niet")
    assert missing.status_code == 404
    for response in (anonymous_api, missing, world.client.get("/"), world.client.get("/login")):
        _assert_hardened(response.headers)
    assert login(world, "sub-anna").status_code == 303
    api = world.client.get("/api/v1/gemeenten")
    assert api.status_code == 200
    _assert_hardened(api.headers)


def test_hsts_only_over_tls(world: World) -> None:
    plain = world.client.get("http://testserver/healthz")
    assert "strict-transport-security" not in plain.headers
    assert plain.headers["x-frame-options"] == "DENY"
    proxied = world.client.get("http://testserver/healthz", headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["strict-transport-security"] == "max-age=31536000"


def test_docs_allow_only_their_own_inline_script_by_hash(world: World) -> None:
    docs = world.client.get("/docs")
    assert docs.status_code == 200
    policy = docs.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    inline = re.findall(r"<script>(.*?)</script>", docs.text, flags=re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "frame-ancestors 'none'" in policy
    asset = world.client.get("/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert "cache-control" not in asset.headers  # static, no personal data
    script = docs.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'unsafe-eval'" not in script


def test_the_default_body_limit_fits_the_largest_base64_bank_file() -> None:
    assert DEFAULT_MAX_REQUEST_BYTES >= MAX_BANK_FILE_BYTES * 4 // 3 + 4
    assert DEFAULT_MAX_REQUEST_BYTES <= MAX_BANK_FILE_BYTES * 2


@pytest.fixture
def small(make_world: AppMaker) -> World:
    return make_world(max_request_bytes=2048)


def test_an_oversize_body_is_413_before_it_is_read(small: World) -> None:
    answer = small.client.post(
        "/api/v1/imports", content=b"{" + b" " * 4096 + b"}",
        headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
    )  # fmt: skip
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert "groter dan toegestaan" in answer.json()["detail"]
    _assert_hardened(answer.headers)


def test_a_chunked_body_is_counted_as_it_streams(small: World) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"format": "'
        for _ in range(10):
            yield b"x" * 512
        yield b'"}'

    answer = small.client.post(
        "/login/ontwikkeling", content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert "content-length" not in answer.request.headers  # really chunked
    assert answer.status_code == 413
    assert answer.json()["status"] == 413


def test_a_small_body_passes_the_limit(small: World) -> None:
    answer = small.client.post("/api/v1/imports", json={"format": "x"})
    assert answer.status_code == 401  # through the limit, to the login check


def test_too_many_login_attempts_are_429(make_world: AppMaker) -> None:
    world = make_world(login_rate_per_minute=3)
    for _ in range(3):
        assert world.client.get("/login").status_code == 200
    refused = world.client.get("/login/medewerker", follow_redirects=False)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Te veel pogingen" in refused.text
    _assert_hardened(refused.headers)
    assert world.client.get("/healthz").status_code == 200  # other routes are not limited


def _with_test_pages(world: World) -> None:
    pages = APIRouter()

    @pages.get("/proef")
    def proef(actor: PageActor) -> PlainTextResponse:
        return PlainTextResponse(actor.user_id)

    @pages.post("/proef")
    def proef_post(resumed: CsrfForm) -> PlainTextResponse:
        return PlainTextResponse("gedaan " + resumed.actor.user_id)

    world.app.include_router(pages)


def test_pages_redirect_anonymous_visitors_to_the_login(world: World) -> None:
    _with_test_pages(world)
    anonymous = world.client.get("/proef", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login"
    assert login(world, "sub-anna").status_code == 303
    assert world.client.get("/proef").text == "anna"


def test_a_page_form_needs_the_sessions_csrf_token(world: World) -> None:
    _with_test_pages(world)
    assert login(world, "sub-anna").status_code == 303
    with world.session() as session:
        csrf = session.scalars(select(LoginSession.csrf_token)).one()
    assert world.client.post("/proef").status_code == 403
    assert world.client.post("/proef", data={CSRF_FIELD: "fout"}).status_code == 403
    assert world.client.post("/proef", data={CSRF_FIELD: csrf}).text == "gedaan anna"
