# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/gemeenten/{gemeente}/gebruikers, caseloads and the audit log (the beheerder's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from ontzorgen.api.deps import ActorDep, SessionDep
from ontzorgen.api.problems import PROBLEM_RESPONSES
from ontzorgen.auth import audit, users
from ontzorgen.auth.roles import STAFF_ROLES, Role
from ontzorgen.schemas import OutputModel
from ontzorgen.validation import GEMEENTE_CODE_PATTERN, InputModel

router = APIRouter(tags=["beheer"], responses=PROBLEM_RESPONSES)

GemeenteCode = Annotated[str, Path(pattern=GEMEENTE_CODE_PATTERN, description="CBS code")]
Login = Annotated[str, Path(pattern=r"^[A-Za-z0-9._@-]{1,64}$", description="Login name")]
StaffRole = Annotated[Role, Field(description="A staff role")]


class UserIn(InputModel):
    """A new staff user with their roles in this gemeente."""

    login: Annotated[str, Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")]
    display_name: Annotated[str, Field(min_length=1, max_length=140)]
    roles: Annotated[list[StaffRole], Field(min_length=1, max_length=len(STAFF_ROLES))]


class RolesIn(InputModel):
    """The user's roles in this gemeente, exactly (an empty list removes them all)."""

    roles: Annotated[list[StaffRole], Field(max_length=len(STAFF_ROLES))]


class CoachIn(InputModel):
    """The budgetcoach whose caseload gets this household."""

    coach: Annotated[str, Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")]


class UserOut(OutputModel):
    """A user as the beheerder sees them."""

    login: str = Field(description="Login name")
    display_name: str = Field(description="Name shown in the app")
    active: bool = Field(description="May log in and act")
    linked: bool = Field(description="Has logged in through the identity provider")
    roles: list[str] = Field(description="Roles in this gemeente")


@router.get("/gemeenten/{gemeente}/gebruikers")
def list_users(gemeente: GemeenteCode, session: SessionDep, actor: ActorDep) -> list[UserOut]:
    """The users with a role in the gemeente."""
    return [
        UserOut(login=u.login, display_name=u.display_name, active=u.active, linked=u.linked,
                roles=u.roles[gemeente])
        for u in users.list_users(session, actor, gemeente)
    ]  # fmt: skip


@router.post("/gemeenten/{gemeente}/gebruikers", status_code=201)
def add_user(gemeente: GemeenteCode, data: UserIn, session: SessionDep, actor: ActorDep) -> UserOut:
    """A new staff user (they log in through the gemeente's identity provider)."""
    user = users.add_user(session, actor, data.login, display_name=data.display_name,
                          gemeente=gemeente, roles=data.roles)  # fmt: skip
    return UserOut(login=user.login, display_name=user.display_name, active=True, linked=False,
                   roles=sorted({r.value for r in data.roles}))  # fmt: skip


@router.put("/gemeenten/{gemeente}/gebruikers/{login}/rollen", status_code=204)
def set_roles(
    gemeente: GemeenteCode, login: Login, data: RolesIn, session: SessionDep, actor: ActorDep
) -> None:
    """Set the user's roles in this gemeente."""
    users.grant_roles(session, actor, login, gemeente, data.roles)


@router.post("/gemeenten/{gemeente}/huishoudens/{household}/coach", status_code=204)
def assign_coach(
    gemeente: GemeenteCode, household: str, data: CoachIn, session: SessionDep, actor: ActorDep
) -> None:
    """Put the household in a budgetcoach's caseload."""
    users.assign_coach(session, actor, gemeente, household, data.coach)


@router.get(
    "/gemeenten/{gemeente}/auditlog",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The audit log as CSV"}},
)
def get_audit_log(
    gemeente: GemeenteCode,
    session: SessionDep,
    actor: ActorDep,
    huishouden: Annotated[str | None, Query(max_length=35)] = None,
) -> Response:
    """Who did or saw what, when, about which household; one household for an AVG
    inzageverzoek ("who looked at my data")."""
    rows = audit.audit_rows(session, actor, gemeente, household_ref=huishouden)
    return Response(audit.audit_csv(rows), media_type="text/csv; charset=utf-8")
