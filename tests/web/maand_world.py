# SPDX-License-Identifier: EUPL-1.2
"""The demo installation (48 households, a paid run answered by the bank) in one SQLite file,
served through TestClient, with a login session per household or staff user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import migrate
from ontzorgen.api.app import create_app
from ontzorgen.auth.sessions import COOKIE, start_session
from ontzorgen.auth.users import actor_for_household, load_actor
from ontzorgen.config import Settings
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.demo import run_demo
from tests.factories import TEST_CLOCK


@dataclass(frozen=True)
class DemoWorld:
    url: str
    factory: sessionmaker[Session]

    def cookie_for_household(self, household_id: int) -> dict[str, str]:
        with unit_of_work(self.factory) as session:
            started = start_session(session, actor_for_household(session, household_id,
                                                                 channel="web"))  # fmt: skip
        return {COOKIE: started.token}

    def cookie_for_user(self, login: str) -> dict[str, str]:
        with unit_of_work(self.factory) as session:
            started = start_session(session, load_actor(session, login, channel="web"))
        return {COOKIE: started.token}


def build_demo(folder: Path) -> DemoWorld:
    url = f"sqlite:///{folder / 'ontzorgen.sqlite3'}"
    migrate.upgrade(url)
    factory = make_session_factory(make_engine(url), clock=TEST_CLOCK)
    run_demo(factory, out=folder / "demo", today=TEST_CLOCK.today(), now=TEST_CLOCK.now())
    return DemoWorld(url, factory)


@contextmanager
def demo_client(world: DemoWorld) -> Iterator[TestClient]:
    settings = Settings(database_url=world.url, environment="development", cookie_secure=False,
                        login_rate_per_minute=10_000, log_json=False)  # fmt: skip
    with TestClient(create_app(settings, clock=TEST_CLOCK)) as client:
        yield client
