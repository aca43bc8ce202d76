# SPDX-License-Identifier: EUPL-1.2
"""A real OpenID provider on loopback for the login tests (oidc-provider-mock), wrapped in a
WSGI check that it does not do itself: PKCE. The authorization request's code_challenge is
recorded per issued code, and the token request is refused unless SHA-256(code_verifier)
matches, so a passing login proves that the app sends PKCE (S256)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import oidc_provider_mock
import werkzeug.serving
from joserfc.jwk import RSAKey

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class PkceCheck:
    """WSGI middleware: PKCE enforced, and (for the audience test) the token request's client
    swapped for another one, as if the provider issued the token to someone else."""

    app: Any
    challenges: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    verified: int = 0
    refused: int = 0
    swap_client_to: str | None = None
    forge_id_token_sub: str | None = None  # change the signed ID token's subject in transit

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/authorize" and environ["REQUEST_METHOD"] == "POST":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            challenge = (query.get("code_challenge") or [None])[0]
            method = (query.get("code_challenge_method") or [None])[0]

            def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                location = dict(headers).get("Location")
                if location:
                    code = (parse_qs(urlsplit(location).query).get("code") or [None])[0]
                    if code:
                        self.challenges[code] = (challenge, method)
                return start_response(status, headers, *rest)

            return self.app(environ, capture)  # type: ignore[no-any-return]
        if path == "/oauth2/token":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            form = parse_qs(body.decode())
            if form.get("grant_type") == ["authorization_code"]:
                challenge, method = self.challenges.pop((form.get("code") or [""])[0], (None, None))
                verifier = (form.get("code_verifier") or [None])[0]
                if method != "S256" or verifier is None or s256(verifier) != challenge:
                    self.refused += 1
                    answer = json.dumps(
                        {"error": "invalid_grant", "error_description": "PKCE check failed"}
                    ).encode()
                    start_response("400 Bad Request", [("Content-Type", "application/json")])
                    return [answer]
                self.verified += 1
            if self.swap_client_to:
                credentials = f"{self.swap_client_to}:whatever".encode()
                environ["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(credentials).decode()
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            if self.forge_id_token_sub:
                return self._forged(environ, start_response, self.forge_id_token_sub)
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    def _forged(self, environ: Environ, start_response: StartResponse, sub: str) -> list[bytes]:
        """The provider's token answer with the ID token's payload rewritten to another
        subject and its signature left as it was: a forged token."""
        captured: list[Any] = []
        chunks = self.app(
            environ, lambda status, headers, *rest: captured.append((status, headers))
        )
        answer = json.loads(b"".join(chunks))
        header, payload, signature = answer["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = sub
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        answer["id_token"] = f"{header}.{forged}.{signature}"
        body = json.dumps(answer).encode()
        status, headers = captured[0]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]


@dataclass
class Provider:
    url: str
    check: PkceCheck
    flask_app: Any

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        response = httpx.put(f"{self.url}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text

    def revoke(self, sub: str) -> None:
        response = httpx.post(f"{self.url}/users/{sub}/revoke-tokens")
        assert response.status_code == 204

    def signing_key(self) -> RSAKey:
        """The provider's own private signing key (to mint JWT access tokens it would sign)."""
        with self.flask_app.test_request_context():
            self.flask_app.preprocess_request()
            from oidc_provider_mock._storage import storage

            return RSAKey.import_key(storage.jwk.as_dict(is_private=True))

    def token_for(self, sub: str, *, client_id: str = "gemeente-systeem") -> dict[str, Any]:
        """An access token as the gemeente's own system gets one (code flow with PKCE)."""
        verifier = secrets.token_urlsafe(48)
        redirect = "https://systeem.example/terug"
        query = urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": redirect,
            "scope": "openid profile email", "state": "s", "nonce": "n",
            "code_challenge": s256(verifier), "code_challenge_method": "S256",
        })  # fmt: skip
        with httpx.Client() as browser:
            back = browser.post(f"{self.url}/oauth2/authorize?{query}", data={"sub": sub})
            assert back.status_code == 302, back.text
            code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
            token = browser.post(
                f"{self.url}/oauth2/token",
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                      "code_verifier": verifier},
                auth=(client_id, "geheim"),
            )  # fmt: skip
        assert token.status_code == 200, token.text
        found: dict[str, Any] = token.json()
        return found


@contextmanager
def running_provider() -> Iterator[Provider]:
    """The provider on an ephemeral loopback port, stopped afterwards."""
    flask_app = oidc_provider_mock.app(require_nonce=True)
    check = PkceCheck(flask_app)
    server = werkzeug.serving.make_server("localhost", 0, check, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Provider(f"http://localhost:{server.server_port}", check, flask_app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def with_query(url: str, **changes: str | None) -> str:
    """``url`` with query parameters replaced (None: removed), as a tampering party would."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(parts._replace(query=urlencode(query)))
