# SPDX-License-Identifier: EUPL-1.2
"""The development login: in development only, CSRF-protected; production refuses it (404,
and create_app refuses to start when it is switched on)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ontzorgen.api.app import create_app
from ontzorgen.auth import SYSTEM
from ontzorgen.auth.models import LoginSession
from ontzorgen.auth.sessions import COOKIE
from ontzorgen.clients.service import import_households
from ontzorgen.config import Settings
from ontzorgen.demo import DEMO_GEMEENTE, DEMO_USERS, _ensure_gemeente, _ensure_users
from ontzorgen.errors import InvalidInput
from tests.auth.conftest import AppMaker, World
from tests.factories import example_import


@pytest.fixture
def dev(make_world: AppMaker) -> World:
    made = make_world(environment="development", oidc_issuer=None, digid_issuer=None)
    with made.session() as session:
        _ensure_gemeente(session)
        _ensure_users(session)
    return made


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _sessions(world: World) -> int:
    with world.session() as session:
        return len(session.scalars(select(LoginSession)).all())


def test_the_dev_login_lists_a_demo_user_per_role_and_logs_in(dev: World) -> None:
    assert "/login/ontwikkeling" in dev.client.get("/login").text
    page = dev.client.get("/login/ontwikkeling")
    assert page.status_code == 200
    for login, (_name, role) in DEMO_USERS.items():
        assert f'value="{login}"' in page.text
        assert f'<h2 class="utrecht-heading-2">{role.value}</h2>' in page.text
    answer = dev.client.post(
        "/login/ontwikkeling",
        data={"login": "demo-accountant", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert COOKIE in dev.client.cookies
    codes = [g["code"] for g in dev.client.get("/api/v1/gemeenten").json()]
    assert codes == [DEMO_GEMEENTE.code]
    assert "demo-accountant" in dev.client.get("/").text


def test_the_dev_login_offers_an_inburgeraar_who_sees_only_their_household(
    dev: World,
) -> None:
    with dev.session() as session:
        import_households(session, SYSTEM, {**example_import(), "gemeente": DEMO_GEMEENTE.code})
        session.commit()
    page = dev.client.get("/login/ontwikkeling")
    assert '<h2 class="utrecht-heading-2">inburgeraar</h2>' in page.text
    assert "Inloggen als inburgeraar van HH-2026-0001" in page.text
    household = re.search(r'name="household" value="(\d+)"', page.text)
    assert household is not None
    answer = dev.client.post(
        "/login/ontwikkeling",
        data={"household": household.group(1), "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    own = dev.client.get(
        f"/api/v1/gemeenten/{DEMO_GEMEENTE.code}/huishoudens/HH-2026-0001/maandplannen/2026-12"
    )
    assert own.status_code == 200, own.text
    other = dev.client.get(
        f"/api/v1/gemeenten/{DEMO_GEMEENTE.code}/huishoudens/HH-2026-0002/maandplannen/2026-12"
    )
    assert other.status_code == 404
    for person in example_import()["households"][0]["persons"]:
        assert person["bsn"] not in dev.client.get("/").text


@pytest.mark.parametrize("token", [None, "fout"])
def test_the_dev_login_without_the_right_csrf_token_is_refused(
    dev: World, token: str | None
) -> None:
    dev.client.get("/login/ontwikkeling")  # the transaction cookie has a token
    data = {"login": "demo-beheerder"} | ({"csrf_token": token} if token else {})
    answer = dev.client.post("/login/ontwikkeling", data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert COOKIE not in dev.client.cookies
    assert _sessions(dev) == 0


def test_in_production_the_dev_login_is_404(make_world: AppMaker) -> None:
    prod = make_world()
    assert prod.client.get("/login/ontwikkeling").status_code == 404
    answer = prod.client.post("/login/ontwikkeling", data={"login": "x", "csrf_token": "y"})
    assert answer.status_code == 404
    assert "/login/ontwikkeling" not in prod.client.get("/login").text


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("dev_login", True),
        ("cookie_secure", False),
        ("session_secret", None),
        ("public_url", "http://x.example"),
    ],
)
def test_create_app_refuses_unsafe_production_settings(
    database_url: str, setting: str, value: object
) -> None:
    values: dict[str, object] = {
        "database_url": database_url, "environment": "production",
        "public_url": "https://x.example", "session_secret": "s" * 40,
        "oidc_issuer": "https://idp.example", "oidc_client_id": "c", setting: value,
    }  # fmt: skip
    settings = Settings(**values)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        create_app(settings)
    assert f"ONTZORGEN_{setting.upper()}" in str(refused.value)


def test_development_may_switch_the_dev_login_off(make_world: AppMaker) -> None:
    world = make_world(environment="development", dev_login=False)
    assert world.client.get("/login/ontwikkeling").status_code == 404
