# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/betaalruns: the payment run lifecycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import Field
from sqlalchemy.orm import Session

from ontzorgen import jobs
from ontzorgen.api.deps import ActorDep, ClockDep, SessionDep
from ontzorgen.api.problems import PROBLEM_RESPONSES
from ontzorgen.auth import Actor
from ontzorgen.runs import files, overview, service
from ontzorgen.runs.schemas import ExportOut, RunOut
from ontzorgen.validation import (
    GEMEENTE_CODE_PATTERN,
    MAX_ID,
    PAIN_VERSION_PATTERN,
    PERIOD_PATTERN,
    InputModel,
)

router = APIRouter(prefix="/betaalruns", tags=["betaalruns"], responses=PROBLEM_RESPONSES)

# An id beyond 64 bits cannot exist; refuse it before it reaches the database.
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="The run's id")]


def _overview(session: Session, actor: Actor, run_id: int) -> RunOut:
    """The run's overview as the API shows it."""
    return RunOut.model_validate(overview.run_overview(session, actor, run_id).as_dict())


class RunIn(InputModel):
    """A new run: regular, or a correction of an earlier run with a recorded reason."""

    gemeente: Annotated[str, Field(pattern=GEMEENTE_CODE_PATTERN)]
    period: Annotated[str, Field(pattern=PERIOD_PATTERN)]
    correction_of: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    reason: Annotated[str, Field(max_length=500)] | None = None


class CancelIn(InputModel):
    """Why a run is cancelled."""

    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ExportIn(InputModel):
    """Which pain.001 version (.09 unless the bank still asks for .03)."""

    version: Annotated[str, Field(pattern=PAIN_VERSION_PATTERN)] = "pain.001.001.09"


@router.post("", status_code=201)
def create_run(data: RunIn, session: SessionDep, actor: ActorDep, clock: ClockDep) -> RunOut:
    """Register a run; it is prepared by the run worker (PostgreSQL) or right away (SQLite)."""
    run = service.create_run(
        session, actor, data.gemeente, data.period, corrects=data.correction_of,
        reason=data.reason,
    )  # fmt: skip
    jobs.schedule_prepare(session, actor, run, today=clock.today(), now=clock.now())
    return _overview(session, actor, run.id)


@router.get("/{run_id}")
def get_run(run_id: RunId, session: SessionDep, actor: ActorDep) -> RunOut:
    """The run's state, progress, batches and totals (the accordeerder's overview)."""
    return _overview(session, actor, run_id)


@router.post("/{run_id}/accordering")
def approve_run(run_id: RunId, session: SessionDep, actor: ActorDep, clock: ClockDep) -> RunOut:
    """Approve (four eyes: not the preparer; refused when inputs changed since prepare)."""
    service.approve_run(session, actor, run_id, today=clock.today(), now=clock.now())
    return _overview(session, actor, run_id)


@router.post("/{run_id}/export")
def export_run(
    run_id: RunId,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    data: ExportIn | None = None,
) -> ExportOut:
    """Write and store the run's pain.001 (idempotent: the same file every time)."""
    version = (data or ExportIn()).version
    file = files.export_run(
        session, actor, run_id,
        version="pain.001.001.03" if version.endswith("03") else "pain.001.001.09",
        today=clock.today(), now=clock.now(),
    )  # fmt: skip
    return ExportOut(filename=file.filename, sha256=file.sha256, size=file.size,
                     version=file.message_version)  # fmt: skip


@router.get(
    "/{run_id}/bestand",
    response_class=Response,
    responses={
        200: {
            "description": "The pain.001 XML file",
            "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def download_file(run_id: RunId, session: SessionDep, actor: ActorDep) -> Response:
    """The stored pain.001: byte for byte what was exported."""
    file = files.exported_file(session, actor, run_id)
    return Response(
        content=file.content,
        media_type="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Digest": f"sha-256={file.sha256}",
        },
    )


@router.post("/{run_id}/annulering")
def cancel_run(
    run_id: RunId, data: CancelIn, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> RunOut:
    """Cancel before export: bookings reversed, payments inactive."""
    service.cancel_run(session, actor, run_id, data.reason, today=clock.today(), now=clock.now())
    return _overview(session, actor, run_id)
