# SPDX-License-Identifier: EUPL-1.2
"""Users, their roles per gemeente, coach caseloads, login sessions and the audit log.

``audit_event`` is append-only like the ledger (migration ``0009``: the database refuses UPDATE,
DELETE and TRUNCATE). A user is never deleted, only deactivated, so the log keeps its names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ontzorgen.auth.roles import Role
from ontzorgen.clients import models as _clients  # noqa: F401
from ontzorgen.db import Base, Id
from ontzorgen.gemeenten import models as _gemeenten  # noqa: F401

ROLE_NAMES = tuple(role.value for role in Role)


class AppUser(Base):
    """A staff member who may log in: a login name, the identity provider's subject."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(140))
    # The `iss` and `sub` of the gemeente's identity provider; unset until first linked.
    oidc_issuer: Mapped[str | None] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(200))
    installation_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserRole(Base):
    """A role of a user within one gemeente; nothing crosses gemeenten."""

    __tablename__ = "user_role"
    __table_args__ = (
        UniqueConstraint("user_id", "gemeente_id", "role"),
        CheckConstraint(f"role IN {ROLE_NAMES!r}", name="role"),
        CheckConstraint("role <> 'inburgeraar'", name="staff_only"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    role: Mapped[str] = mapped_column(String(24))
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseloadAssignment(Base):
    """A household in a budgetcoach's caseload: the coach sees it, and only those."""

    __tablename__ = "caseload_assignment"
    __table_args__ = (UniqueConstraint("household_id", "coach_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A logged-in browser: server-side, so logout and the idle timeout end it for real.

    Only the SHA-256 of the cookie's token is stored; the actor is rebuilt from the user's roles
    on every request, so a role taken away counts at once.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # An inburgeraar has no user row: their households, matched on the BSN at login.
    household_ids: Mapped[str | None] = mapped_column(String(200))
    subject_label: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did or saw what, when, about which household: written in the same transaction as the
    change or the read it records, so an access that could not be logged did not happen."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "household_id", "at"),
        Index(None, "gemeente_id", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[str] = mapped_column(String(64))
    os_user: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(40))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    object_ref: Mapped[str | None] = mapped_column(String(80))
