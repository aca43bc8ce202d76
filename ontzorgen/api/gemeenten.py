# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/gemeenten"""

from __future__ import annotations

from fastapi import APIRouter

from ontzorgen.api.deps import ActorDep, SessionDep
from ontzorgen.api.problems import PROBLEM_RESPONSES
from ontzorgen.gemeenten import service
from ontzorgen.gemeenten.schemas import GemeenteIn, GemeenteOut, GemeentePatch

router = APIRouter(prefix="/gemeenten", tags=["gemeenten"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_gemeenten(session: SessionDep, actor: ActorDep) -> list[GemeenteOut]:
    """The gemeenten the logged-in user works in."""
    return [GemeenteOut.model_validate(g) for g in service.list_gemeenten(session, actor)]


@router.post("", status_code=201)
def create_gemeente(data: GemeenteIn, session: SessionDep, actor: ActorDep) -> GemeenteOut:
    """Register a gemeente with its bank account and policy parameters."""
    return GemeenteOut.model_validate(service.create_gemeente(session, actor, data))


@router.get("/{ref}")
def get_gemeente(ref: str, session: SessionDep, actor: ActorDep) -> GemeenteOut:
    """One gemeente, by id or CBS code."""
    return GemeenteOut.model_validate(service.readable_gemeente(session, actor, ref))


@router.patch("/{ref}")
def change_gemeente(
    ref: str, changes: GemeentePatch, session: SessionDep, actor: ActorDep
) -> GemeenteOut:
    """Change a gemeente's name, bank account or some policy parameters (the rest stays).

    The whole result is validated; on any problem nothing changes (422 naming each field).
    """
    return GemeenteOut.model_validate(service.update_gemeente(session, actor, ref, changes))
