# SPDX-License-Identifier: EUPL-1.2
"""Hardening of every response: security headers, a request body limit, login rate limiting.

Plain ASGI middleware (no per-request task switching), added last in the app factory so they
wrap everything else: a 404, a 401, a 413 and a 429 carry the same headers as a 200.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ontzorgen.api.problems import problem_response
from ontzorgen.errors import ProblemDetails

# No inline scripts or styles anywhere: pages link their CSS and JS from 'self'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Static files that carry no personal data and may be cached (Swagger UI's and ReDoc's assets,
# the pages' CSS and images).
CACHEABLE_PREFIXES = ("/docs-assets/", "/static/")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class SecurityHeaders:
    """Security headers on every response; a route may set its own Content-Security-Policy
    (/docs allows its one inline script by hash)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https" or (
            (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip().lower() == "https"
        )
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                wanted = [
                    (b"content-security-policy", CSP),
                    (b"x-content-type-options", "nosniff"),
                    (b"x-frame-options", "DENY"),
                    (b"referrer-policy", "no-referrer"),
                    (b"permissions-policy", PERMISSIONS_POLICY),
                    (b"cross-origin-opener-policy", "same-origin"),
                ]
                if not cacheable:
                    # API answers and pages carry personal data: no browser or proxy keeps them.
                    wanted.append((b"cache-control", "no-store"))
                if https:
                    wanted.append((b"strict-transport-security", "max-age=31536000"))
                for name, value in wanted:
                    if name not in present:
                        headers.append((name, value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def inline_hash_policy(html: bytes, *, extra: str = "") -> str:
    """A CSP for a page of a library with inline ``<script>`` blocks (Swagger UI): those exact
    blocks are allowed by their SHA-256, nothing else inline ("unsafe-inline" is never used)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in re.findall(rb"<script>(.*?)</script>", html, flags=re.DOTALL)
    ]
    script = " ".join(["'self'", *hashes])
    return (
        f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
        f"frame-ancestors 'none'; base-uri 'self'; form-action 'self'{extra}"
    )


async def _send_problem(
    scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str
) -> None:
    problem = ProblemDetails(type="about:blank", title=title, status=status, detail=detail)
    response = problem_response(problem, headers={"connection": "close"})
    await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request body above ``max_bytes``: by its Content-Length before reading, and a
    chunked body by counting its bytes as they arrive (413, problem+json, in Dutch)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _send_problem(
                    scope, receive, send, 400, "Ongeldig verzoek", "Content-Length is geen getal"
                )
                return
            if int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body cut short; the 413 below replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mib = self.max_bytes / (1024 * 1024)
        await _send_problem(
            scope,
            receive,
            send,
            413,
            "Verzoek te groot",
            f"de body is groter dan toegestaan ({mib:.0f} MiB)",
        )


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """A token bucket per key (client IP): ``per_minute`` requests, refilled evenly; at most
    ``max_keys`` buckets are kept (the least recently used go first), so a flood of addresses
    cannot exhaust memory.

    The clock is a monotonic clock, not business time (ontzorgen.clock): it measures how fast
    requests come, and must not jump when the wall clock is set or a day is pinned.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        max_keys: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_keys = max_keys
        self.monotonic = monotonic
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """Take one token for ``key``: 0 when allowed, else the seconds until one is free."""
        now = self.monotonic()
        bucket = self._buckets.pop(key, None) or _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate


TOO_MANY = (
    b'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Te veel pogingen'
    b"</title></head><body><h1>Te veel pogingen</h1><p>U heeft te vaak geprobeerd in te loggen. "
    b"Wacht even en probeer het daarna opnieuw.</p></body></html>"
)


class LoginRateLimit:
    """At most ``buckets.capacity`` requests a minute per client IP to the login routes; more
    is a Dutch 429 with Retry-After. Behind a proxy, run uvicorn with ``--proxy-headers`` (and
    ``--forwarded-allow-ips``) so the client IP is the person's, not the proxy's."""

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets, prefixes: Iterable[str]) -> None:
        self.app = app
        self.buckets = buckets
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not any(
            path == p or path.startswith(p + "/") for p in self.prefixes
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if not wait:
            await self.app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(TOO_MANY)).encode()),
                    (b"retry-after", str(max(1, math.ceil(wait))).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": TOO_MANY})
