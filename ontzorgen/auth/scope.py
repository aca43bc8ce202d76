# SPDX-License-Identifier: EUPL-1.2
"""Readable queries: what an actor may see, as SQL conditions services put in their queries.

Scope lives where data is read: a service that finds a household or a run through these
functions cannot return another gemeente's row, or a household outside a coach's caseload, even
when a route forgot its own check. What the actor may not see is "not found" (404), so ids of
other gemeenten reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from ontzorgen.auth import Actor, HouseholdScope, Permission
from ontzorgen.auth.models import AppUser, CaseloadAssignment
from ontzorgen.clients.models import Household
from ontzorgen.errors import NotFound
from ontzorgen.gemeenten.models import Gemeente


def gemeente_condition(
    actor: Actor, permission: Permission, column: InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """``column`` (a gemeente id column) lies in a gemeente where the actor has ``permission``."""
    if actor.system:
        return true()
    codes = sorted(actor.gemeenten_with(permission))
    if not codes:
        return false()
    return column.in_(select(Gemeente.id).where(Gemeente.code.in_(codes)))


def household_condition(
    actor: Actor, permission: Permission = Permission.HOUSEHOLD_READ
) -> ColumnElement[bool]:
    """A household the actor may see with ``permission``: all of a gemeente, the coach's
    caseload, or the inburgeraar's own household, by the actor's roles in each gemeente."""
    if actor.system:
        return true()
    by_scope: dict[HouseholdScope, list[str]] = {}
    for code in actor.gemeenten_with(permission):
        by_scope.setdefault(actor.household_scope(code), []).append(code)
    conditions: list[ColumnElement[bool]] = []

    def in_gemeenten(codes: list[str]) -> ColumnElement[bool]:
        return Household.gemeente_id.in_(select(Gemeente.id).where(Gemeente.code.in_(codes)))

    if codes := by_scope.get(HouseholdScope.ALL):
        conditions.append(in_gemeenten(codes))
    if codes := by_scope.get(HouseholdScope.CASELOAD):
        caseload = (
            select(CaseloadAssignment.household_id)
            .join(AppUser, AppUser.id == CaseloadAssignment.coach_id)
            .where(AppUser.login == actor.user_id)
        )
        conditions.append(and_(in_gemeenten(codes), Household.id.in_(caseload)))
    if (codes := by_scope.get(HouseholdScope.OWN)) and actor.households:
        conditions.append(and_(in_gemeenten(codes), Household.id.in_(sorted(actor.households))))
    return or_(*conditions) if conditions else false()


def may_see_household(
    session: Session,
    actor: Actor,
    household_id: int,
    permission: Permission = Permission.HOUSEHOLD_READ,
) -> bool:
    """Whether the actor may see this household with ``permission``."""
    return (
        session.scalar(
            select(Household.id).where(
                Household.id == household_id, household_condition(actor, permission)
            )
        )
        is not None
    )


def require_household(
    session: Session,
    actor: Actor,
    household: Household,
    permission: Permission = Permission.HOUSEHOLD_READ,
) -> None:
    """Refuse a household the actor may not see as not found; one it may see but not change
    (``permission``) with 403."""
    if not may_see_household(session, actor, household.id):
        raise NotFound("huishouden niet gevonden")
    code = session.scalars(select(Gemeente.code).where(Gemeente.id == household.gemeente_id)).one()
    actor.require(permission, code)


def require_gemeente(
    session: Session, actor: Actor, gemeente_code: str, permission: Permission
) -> Gemeente:
    """The gemeente, if the actor has any role there (else not found) and ``permission``
    (else 403)."""
    found = session.scalars(select(Gemeente).where(Gemeente.code == gemeente_code)).first()
    if found is None or not (actor.system or gemeente_code in actor.roles):
        raise NotFound(f"gemeente {gemeente_code} niet gevonden")
    actor.require(permission, gemeente_code)
    return found


def require_in_gemeente(
    session: Session, actor: Actor, gemeente_id: int, permission: Permission, what: str
) -> str:
    """Check ``permission`` on a row of gemeente ``gemeente_id``; a gemeente where the actor
    has no role is "``what`` niet gevonden". Returns the gemeente's code."""
    code = session.scalars(select(Gemeente.code).where(Gemeente.id == gemeente_id)).first()
    if code is None or not (actor.system or code in actor.roles):
        raise NotFound(f"{what} niet gevonden")
    actor.require(permission, code)
    return code
