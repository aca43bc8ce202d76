# SPDX-License-Identifier: EUPL-1.2
"""Login through a real OpenID provider on loopback: code flow with PKCE, state, nonce, the ID
token's signature and audience; the session cookie; logout; the idle timeout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ontzorgen.auth.models import AppUser, LoginSession
from ontzorgen.auth.sessions import COOKIE
from tests.auth.conftest import PUBLIC_URL, World, authorize_url, consent, login
from tests.auth.oidc import with_query


def _sessions(world: World) -> int:
    with world.session() as session:
        return int(session.scalar(select(func.count()).select_from(LoginSession)) or 0)


def test_staff_login_with_pkce_gives_a_session_the_api_accepts(world: World) -> None:
    answer = login(world, "sub-anna")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(COOKIE))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags
    assert world.provider.check.verified == 1  # the token request carried a matching verifier
    gemeenten = world.client.get("/api/v1/gemeenten")
    assert gemeenten.status_code == 200, gemeenten.text
    assert [g["code"] for g in gemeenten.json()] == ["0439"]
    start = world.client.get("/")
    assert "anna" in start.text
    assert "inkomen-medewerker" in start.text
    assert 'name="csrf_token"' in start.text
    with world.session() as session:
        user = session.scalars(select(AppUser).where(AppUser.login == "anna")).one()
        assert (user.oidc_issuer, user.oidc_subject) == (world.provider.url, "sub-anna")


def test_without_pkce_the_provider_check_refuses_and_the_login_fails(world: World) -> None:
    # The check is real: an authorization request without a challenge gets no token.
    answer = login(world, "sub-anna", tamper=lambda url: with_query(url, code_challenge=None))
    assert answer.status_code == 400
    assert world.provider.check.refused == 1
    assert _sessions(world) == 0


def test_a_tampered_state_is_refused(world: World) -> None:
    callback = consent(authorize_url(world), "sub-anna")
    answer = world.client.get(with_query(callback, state="aangepast"), follow_redirects=False)
    assert answer.status_code == 400
    assert "Inloggen mislukt" in answer.text
    assert COOKIE not in answer.headers.get("set-cookie", "")
    assert _sessions(world) == 0


def test_a_replayed_callback_is_refused(world: World) -> None:
    url = authorize_url(world)
    transaction = dict(world.client.cookies)
    callback = consent(url, "sub-anna")
    assert world.client.get(callback, follow_redirects=False).status_code == 303
    world.client.cookies.clear()
    again = world.client.get(callback, follow_redirects=False)  # the state is used up
    assert again.status_code == 400
    for name, value in transaction.items():  # even with the old transaction cookie back
        world.client.cookies.set(name, value, path="/login")
    replayed = world.client.get(callback, follow_redirects=False)  # the code is used up
    assert replayed.status_code == 400
    assert _sessions(world) == 1


def test_an_id_token_for_another_client_is_refused(world: World) -> None:
    world.provider.check.swap_client_to = "iemand-anders"
    answer = login(world, "sub-anna", tamper=lambda url: with_query(url, client_id="iemand-anders"))
    assert answer.status_code == 400  # aud is iemand-anders, not ontzorgen
    assert _sessions(world) == 0


def test_an_id_token_with_a_broken_signature_is_refused(world: World) -> None:
    world.provider.set_user("sub-boris", {"preferred_username": "boris"})
    world.provider.check.forge_id_token_sub = "sub-anna"  # boris tries to become anna
    answer = login(world, "sub-boris")
    assert answer.status_code == 400
    assert _sessions(world) == 0


def test_a_nonce_mismatch_is_refused(world: World) -> None:
    answer = login(world, "sub-anna", tamper=lambda url: with_query(url, nonce="ander-nonce"))
    assert answer.status_code == 400
    assert _sessions(world) == 0


def test_denied_at_the_provider_is_a_dutch_400(world: World) -> None:
    import httpx

    url = authorize_url(world)
    with httpx.Client() as browser:
        back = browser.post(url, data={"action": "deny"})
    assert back.status_code == 302
    answer = world.client.get(back.headers["location"], follow_redirects=False)
    assert answer.status_code == 400
    assert "afgebroken" in answer.text


def test_an_unknown_user_gets_a_dutch_403_and_nothing_is_stored(world: World) -> None:
    world.provider.set_user("sub-onbekend", {"preferred_username": "niemand"})
    answer = login(world, "sub-onbekend")
    assert answer.status_code == 403
    assert "geen toegang" in answer.text
    assert _sessions(world) == 0
    assert world.client.get("/api/v1/gemeenten").status_code == 401


def test_logout_ends_the_session_and_the_old_cookie_is_refused(world: World) -> None:
    assert login(world, "sub-anna").status_code == 303
    token = world.client.cookies[COOKIE]
    with world.session() as session:
        csrf = session.scalars(select(LoginSession.csrf_token)).one()
    wrong = world.client.post("/logout", data={"csrf_token": "fout"}, follow_redirects=False)
    assert wrong.status_code == 403
    missing = world.client.post("/logout", follow_redirects=False)
    assert missing.status_code == 403
    assert world.client.get("/api/v1/gemeenten").status_code == 200  # nothing changed
    out = world.client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert f'{COOKIE}=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
    world.client.cookies.clear()
    world.client.cookies.set(COOKIE, token)
    refused = world.client.get("/api/v1/gemeenten")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


def test_the_session_ends_after_15_minutes_idle(world: World) -> None:
    assert login(world, "sub-anna").status_code == 303
    world.clock.advance(timedelta(minutes=14))
    assert world.client.get("/api/v1/gemeenten").status_code == 200
    world.clock.advance(timedelta(minutes=15, seconds=1))
    assert world.client.get("/api/v1/gemeenten").status_code == 401
    # and it stays ended: coming back within the timeout of the last refusal does not revive it
    world.clock.advance(timedelta(seconds=1))
    assert world.client.get("/api/v1/gemeenten").status_code == 401


def test_the_callback_for_an_unconfigured_provider_is_404(world: World) -> None:
    assert world.client.get("/login/callback/elders?code=x&state=y").status_code == 404


def test_the_login_page_lists_the_providers_and_not_the_dev_login(world: World) -> None:
    page = world.client.get("/login")
    assert page.status_code == 200
    assert "/login/medewerker" in page.text
    assert "/login/digid" in page.text
    assert "/login/ontwikkeling" not in page.text
    assert PUBLIC_URL + "/login/callback/medewerker" in authorize_url(world).replace(
        "%3A", ":"
    ).replace("%2F", "/")
