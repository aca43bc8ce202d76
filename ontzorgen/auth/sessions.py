# SPDX-License-Identifier: EUPL-1.2
"""Server-side login sessions: the cookie holds a random token, the database its SHA-256.

Logout and the idle timeout end a session in the database, so a copied cookie is worthless
afterwards. The actor is rebuilt from the stored roles on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.auth.audit import record, utc
from ontzorgen.auth.models import AppUser, LoginSession
from ontzorgen.auth.users import actor_of, household_actor
from ontzorgen.db import session_now

COOKIE = "ontzorgen_sessie"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Started:
    """A new session: the cookie's token (shown once) and the CSRF token of its forms."""

    token: str
    csrf_token: str


def start_session(session: Session, actor: Actor) -> Started:
    """Start a session for ``actor`` (a staff user or an inburgeraar) and log the login."""
    now = session_now(session)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    user_id = None
    if not actor.households:
        user_id = session.scalars(select(AppUser.id).where(AppUser.login == actor.user_id)).one()
    session.add(
        LoginSession(
            token_sha256=_digest(token), user_id=user_id,
            household_ids=",".join(str(h) for h in sorted(actor.households)) or None,
            subject_label=actor.user_id, csrf_token=csrf, created_at=now, last_seen_at=now,
        )
    )  # fmt: skip
    session.flush()
    record(session, actor, "ingelogd", gemeente_id=None)
    return Started(token, csrf)


@dataclass(frozen=True, slots=True)
class Resumed:
    """The actor of a live session, with the CSRF token its forms must carry."""

    actor: Actor
    csrf_token: str


def resume_session(
    session: Session, token: str, *, idle_timeout: timedelta, channel: str
) -> Resumed | None:
    """The actor of the session with ``token``, or None when it is unknown, ended, idle for
    longer than ``idle_timeout`` (then ended now) or its user was deactivated."""
    now = session_now(session)
    found = session.scalars(
        select(LoginSession).where(LoginSession.token_sha256 == _digest(token))
    ).first()
    if found is None or found.ended_at is not None:
        return None
    if utc(found.last_seen_at) + idle_timeout < now:
        found.ended_at = now
        return None
    actor = _session_actor(session, found, channel=channel)
    if actor is None:
        found.ended_at = now
        return None
    found.last_seen_at = now
    return Resumed(actor, found.csrf_token)


def end_session(session: Session, token: str) -> None:
    """Logout: the session ends in the database."""
    found = session.scalars(
        select(LoginSession).where(LoginSession.token_sha256 == _digest(token))
    ).first()
    if found is not None and found.ended_at is None:
        found.ended_at = session_now(session)


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one a form sent."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _session_actor(session: Session, found: LoginSession, *, channel: str) -> Actor | None:
    if found.user_id is not None:
        user = session.get(AppUser, found.user_id)
        if user is None or not user.active:
            return None
        return actor_of(session, user, channel=channel, os_user=None)
    households = frozenset(int(h) for h in (found.household_ids or "").split(",") if h)
    return household_actor(session, found.subject_label, households, channel=channel)
