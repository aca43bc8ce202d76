# SPDX-License-Identifier: EUPL-1.2
"""The login tests' app: production settings, a real OIDC provider on loopback, a clock the
test moves, and a browser (TestClient over https, so the Secure cookie travels)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.api.app import create_app
from ontzorgen.auth import SYSTEM, Role
from ontzorgen.auth.users import add_user
from ontzorgen.clock import AMSTERDAM
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from tests.auth.oidc import Provider, running_provider
from tests.factories import make_gemeente

PUBLIC_URL = "https://testserver"
CLIENT_ID = "ontzorgen"
DIGID_CLIENT_ID = "ontzorgen-digid"


class MovableClock:
    """The app's clock, moved by the test (sessions time out on this clock)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.astimezone(AMSTERDAM).date()

    def advance(self, delta: timedelta) -> None:
        self.at += delta


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def login_settings(database_url: str, provider: Provider, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "production",
        "public_url": PUBLIC_URL,
        "session_secret": "test-secret-" + "x" * 40,
        "oidc_issuer": provider.url,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": "geheim",
        "digid_issuer": provider.url,
        "digid_client_id": DIGID_CLIENT_ID,
        "digid_client_secret": "ook-geheim",
        **overrides,
    }
    return Settings(**values)


@dataclass
class World:
    app: FastAPI
    client: TestClient
    provider: Provider
    clock: MovableClock
    factory: sessionmaker[Session]

    def session(self) -> Any:
        return unit_of_work(self.factory, now=self.clock.now())


AppMaker = Callable[..., World]


@pytest.fixture
def make_world(
    database_url: str,
    provider: Provider,
    clock: MovableClock,
    session_factory: sessionmaker[Session],
) -> Iterator[AppMaker]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> World:
        app = create_app(login_settings(database_url, provider, **overrides), clock=clock)
        client = TestClient(app, base_url=PUBLIC_URL)
        client.__enter__()
        clients.append(client)
        return World(app, client, provider, clock, session_factory)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def world(make_world: AppMaker) -> World:
    """The app with gemeente 0439 and user ``anna`` (inkomen-medewerker), whose account at
    the provider is ``sub-anna`` with preferred_username ``anna``."""
    made = make_world()
    with made.session() as session:
        make_gemeente(session, "0439")
        add_user(session, SYSTEM, "anna", display_name="Anna de Vries", gemeente="0439",
                 roles=[Role.INKOMEN])  # fmt: skip
    made.provider.set_user("sub-anna", {"preferred_username": "anna", "email": "anna@example.nl"})
    return made


def authorize_url(world: World, path: str = "/login/medewerker") -> str:
    started = world.client.get(path, follow_redirects=False)
    assert started.status_code == 302, started.text
    location: str = started.headers["location"]
    assert location.startswith(world.provider.url + "/oauth2/authorize?")
    return location


def consent(url: str, sub: str) -> str:
    """The person at the provider's form: log in as ``sub``; the redirect back to the app."""
    with httpx.Client() as browser:
        assert browser.get(url).status_code == 200
        back = browser.post(url, data={"sub": sub})
    assert back.status_code == 302, back.text
    location: str = back.headers["location"]
    return location


def login(
    world: World,
    sub: str,
    *,
    path: str = "/login/medewerker",
    tamper: Callable[[str], str] | None = None,
) -> httpx.Response:
    """The whole login in a browser; the app's answer to the provider's redirect."""
    url = authorize_url(world, path)
    callback = consent(tamper(url) if tamper else url, sub)
    assert callback.startswith(PUBLIC_URL + "/login/callback/")
    return world.client.get(callback, follow_redirects=False)
