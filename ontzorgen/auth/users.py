# SPDX-License-Identifier: EUPL-1.2
"""Users and their roles: who exists, and the actor a login or a CLI command acts as."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, Role
from ontzorgen.auth.audit import record
from ontzorgen.auth.models import AppUser, CaseloadAssignment, UserRole
from ontzorgen.auth.roles import STAFF_ROLES
from ontzorgen.clients.models import Household, Person
from ontzorgen.db import session_now
from ontzorgen.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as a beheerder sees them: login, name and roles per gemeente."""

    login: str
    display_name: str
    active: bool
    linked: bool  # has logged in through the identity provider
    roles: dict[str, list[str]]


def _gemeente(session: Session, code: str) -> Gemeente:
    found = session.scalars(select(Gemeente).where(Gemeente.code == code)).first()
    if found is None:
        raise NotFound(f"gemeente {code} bestaat niet")
    return found


def _user(session: Session, login: str) -> AppUser:
    found = session.scalars(select(AppUser).where(AppUser.login == login)).first()
    if found is None:
        raise NotFound(f"gebruiker {login} bestaat niet")
    return found


def _may_manage(actor: Actor, gemeente: str) -> None:
    actor.require_administration(Permission.USERS_MANAGE, gemeente)


def add_user(
    session: Session,
    actor: Actor,
    login: str,
    *,
    display_name: str,
    gemeente: str,
    roles: list[Role],
    installation_admin: bool = False,
) -> AppUser:
    """A new staff user with ``roles`` in ``gemeente`` (a beheerder there, or the operator)."""
    _may_manage(actor, gemeente)
    if installation_admin and not (actor.system or actor.installation_admin):
        raise NotPermitted("alleen een installatiebeheerder maakt een installatiebeheerder")
    Actor(login)  # the same rule for a login name as everywhere
    if not display_name.strip() or len(display_name) > 140:
        raise InvalidInput("display_name", "een naam van 1 tot 140 tekens")
    if session.scalars(select(AppUser.id).where(AppUser.login == login)).first() is not None:
        raise Conflict(f"gebruiker {login} bestaat al")
    user = AppUser(
        login=login, display_name=display_name.strip(), installation_admin=installation_admin,
        active=True, created_by=actor.user_id, created_at=session_now(session),
    )  # fmt: skip
    session.add(user)
    session.flush()
    grant_roles(session, actor, login, gemeente, roles)
    return user


def grant_roles(
    session: Session, actor: Actor, login: str, gemeente: str, roles: list[Role]
) -> None:
    """Set ``login``'s roles in ``gemeente`` to exactly ``roles`` (an empty list removes all)."""
    _may_manage(actor, gemeente)
    for role in roles:
        if role not in STAFF_ROLES:
            raise InvalidInput("roles", f"{role.value} is geen rol voor medewerkers")
    found = _gemeente(session, gemeente)
    user = _user(session, login)
    session.execute(
        delete(UserRole).where(UserRole.user_id == user.id, UserRole.gemeente_id == found.id)
    )
    now = session_now(session)
    for role in dict.fromkeys(roles):
        session.add(
            UserRole(user_id=user.id, gemeente_id=found.id, role=role.value,
                     granted_by=actor.user_id, granted_at=now)
        )  # fmt: skip
    session.flush()
    names = ",".join(sorted(role.value for role in roles)) or "geen"
    record(session, actor, "rollen.gewijzigd", gemeente_id=found.id, ref=f"{login}:{names}"[:80])


def set_active(session: Session, actor: Actor, login: str, gemeente: str, active: bool) -> None:
    """(De)activate a user; a deactivated user cannot log in or act, and is never deleted."""
    _may_manage(actor, gemeente)
    user = _user(session, login)
    user.active = active
    session.flush()
    record(
        session, actor, "gebruiker.geactiveerd" if active else "gebruiker.gedeactiveerd",
        gemeente_id=_gemeente(session, gemeente).id, ref=login,
    )  # fmt: skip


def list_users(session: Session, actor: Actor, gemeente: str) -> list[UserInfo]:
    """The users with a role in ``gemeente``."""
    _may_manage(actor, gemeente)
    found = _gemeente(session, gemeente)
    rows = session.execute(
        select(AppUser, UserRole.role)
        .join(UserRole, UserRole.user_id == AppUser.id)
        .where(UserRole.gemeente_id == found.id)
        .order_by(AppUser.login, UserRole.role)
    )
    users: dict[str, UserInfo] = {}
    for user, role in rows:
        info = users.setdefault(
            user.login,
            UserInfo(user.login, user.display_name, user.active, user.oidc_subject is not None,
                     {gemeente: []}),
        )  # fmt: skip
        info.roles[gemeente].append(role)
    return list(users.values())


def load_actor(session: Session, login: str, *, channel: str, os_user: str | None = None) -> Actor:
    """The actor of an existing, active user, with their roles as stored now."""
    user = session.scalars(select(AppUser).where(AppUser.login == login)).first()
    if user is None or not user.active:
        raise NotPermitted(f"gebruiker {login} bestaat niet of is niet actief")
    return actor_of(session, user, channel=channel, os_user=os_user)


def actor_of(session: Session, user: AppUser, *, channel: str, os_user: str | None) -> Actor:
    """The actor of ``user`` with the roles stored for them now."""
    roles: dict[str, set[Role]] = {}
    for code, role in session.execute(
        select(Gemeente.code, UserRole.role)
        .join(UserRole, UserRole.gemeente_id == Gemeente.id)
        .where(UserRole.user_id == user.id)
    ):
        roles.setdefault(code, set()).add(Role(role))
    return Actor(
        user.login,
        roles={code: frozenset(found) for code, found in roles.items()},
        channel=channel,
        os_user=os_user,
        installation_admin=user.installation_admin,
    )


def actor_for_staff_login(
    session: Session, *, issuer: str, subject: str, login_hint: str | None, channel: str
) -> Actor:
    """The staff actor of an OIDC login: the user linked to (``issuer``, ``subject``), or, on the
    first login, the user whose login name is the provider's ``preferred_username``/``email``
    (then linked, so a later change of that claim cannot take over the account)."""
    user = session.scalars(
        select(AppUser).where(AppUser.oidc_issuer == issuer, AppUser.oidc_subject == subject)
    ).first()
    if user is None and login_hint:
        candidate = session.scalars(select(AppUser).where(AppUser.login == login_hint)).first()
        if candidate is not None and candidate.oidc_subject is None:
            candidate.oidc_issuer, candidate.oidc_subject = issuer, subject
            session.flush()
            user = candidate
    if user is None or not user.active:
        raise NotPermitted("u heeft geen toegang tot ontzorgen; vraag de beheerder om een account")
    return actor_of(session, user, channel=channel, os_user=None)


def actor_for_inburgeraar(session: Session, bsn: str, *, channel: str) -> Actor:
    """The inburgeraar logged in with DigiD (the BSN from the broker's claim): their own
    household(s) only. The BSN is used for this lookup and nowhere else."""
    household_ids = frozenset(session.scalars(select(Person.household_id).where(Person.bsn == bsn)))
    actor = household_actor(
        session, f"inburgeraar:h{min(household_ids, default=0)}", household_ids, channel=channel
    )
    if actor is None:
        raise NotPermitted("er is geen huishouden onder ontzorgen bij deze inlog")
    return actor


def household_actor(
    session: Session, label: str, household_ids: frozenset[int], *, channel: str
) -> Actor | None:
    """The inburgeraar of ``household_ids`` (the role in each of their gemeenten), known by
    ``label``; None when none of the households exists."""
    codes = set(
        session.scalars(
            select(Gemeente.code)
            .join(Household, Household.gemeente_id == Gemeente.id)
            .where(Household.id.in_(sorted(household_ids)))
        )
    )
    if not codes:
        return None
    return Actor(
        label,
        roles={code: frozenset({Role.INBURGERAAR}) for code in codes},
        households=household_ids,
        channel=channel,
    )


def actor_for_household(session: Session, household_id: int, *, channel: str) -> Actor:
    """The inburgeraar of one household, for the development login (no DigiD there): the same
    actor a DigiD login with a member's BSN gives."""
    bsn = session.scalars(select(Person.bsn).where(Person.household_id == household_id)).first()
    if bsn is None:
        raise NotPermitted("er is geen huishouden onder ontzorgen bij deze inlog")
    return actor_for_inburgeraar(session, bsn, channel=channel)


def assign_coach(
    session: Session, actor: Actor, gemeente: str, household_ref: str, coach_login: str
) -> None:
    """Put a household in a budgetcoach's caseload (a beheerder's task)."""
    _may_manage(actor, gemeente)
    found = _gemeente(session, gemeente)
    household = session.scalars(
        select(Household).where(
            Household.gemeente_id == found.id, Household.reference == household_ref
        )
    ).first()
    if household is None:
        raise NotFound(f"huishouden {household_ref} bestaat niet in deze gemeente")
    coach = _user(session, coach_login)
    if not session.scalars(
        select(UserRole.id).where(
            UserRole.user_id == coach.id,
            UserRole.gemeente_id == found.id,
            UserRole.role == Role.BUDGETCOACH.value,
        )
    ).first():
        raise InvalidInput("coach", f"{coach_login} is geen budgetcoach in deze gemeente")
    session.add(
        CaseloadAssignment(gemeente_id=found.id, household_id=household.id, coach_id=coach.id,
                           assigned_by=actor.user_id, assigned_at=session_now(session))
    )  # fmt: skip
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("dit huishouden zit al in de caseload van deze coach") from None
    record(session, actor, "caseload.toegewezen", gemeente_id=found.id,
           household_id=household.id, ref=coach_login)  # fmt: skip
