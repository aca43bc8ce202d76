# SPDX-License-Identifier: EUPL-1.2
"""API clients for tests that are about something else than login: the app with a bearer
verifier that knows every test user (each with every staff role, tests.factories.actor_for).

Login itself (OIDC with a real provider, sessions, CSRF, the idle timeout) and the role
matrix are proven in tests/auth with real sessions; these clients only spare the other tests
from logging in for every request.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session

from ontzorgen.api.app import create_app
from ontzorgen.auth import Actor
from ontzorgen.errors import InvalidInput
from tests.factories import actor_for


def _verify(_session: Session, token: str) -> Actor | None:
    try:
        return actor_for(token)
    except InvalidInput:
        return None


def api_app(*args: Any, **kwargs: Any) -> FastAPI:
    """``create_app(...)`` whose bearer tokens are test user names."""
    app = create_app(*args, **kwargs)
    app.state.bearer_verifier = _verify
    return app


def bearer(user: str = "tester") -> dict[str, str]:
    """The headers of a request by test user ``user``."""
    return {"Authorization": f"Bearer {user}"}
