# SPDX-License-Identifier: EUPL-1.2
"""Bank feedback: upload bank files, payment statuses, decisions, reconciliation, period close."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from ontzorgen.api.deps import ActorDep, ClockDep, SessionDep
from ontzorgen.api.problems import PROBLEM_RESPONSES
from ontzorgen.bank import decisions, importer, reconcile, status
from ontzorgen.bank.schemas import (
    ApprovalOut,
    ClosedPeriodOut,
    DecisionOut,
    ImportSummaryOut,
    OpenItemsOut,
    PaymentStatusOut,
    ReconciliationOut,
    RunPaymentsOut,
)
from ontzorgen.errors import InvalidInput
from ontzorgen.sepa.bankfile import MAX_BANK_FILE_BYTES
from ontzorgen.validation import GEMEENTE_CODE_PATTERN, MAX_ID, PERIOD_PATTERN, InputModel

router = APIRouter(tags=["bank"], responses=PROBLEM_RESPONSES)

GemeenteCode = Annotated[str, Path(pattern=GEMEENTE_CODE_PATTERN, description="CBS code")]
Period = Annotated[str, Path(pattern=PERIOD_PATTERN, description="Month as YYYY-MM")]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class BankFileIn(InputModel):
    """A bank file (pain.002, camt.053 or camt.054), its bytes in base64."""

    filename: Annotated[str, Field(min_length=1, max_length=200)]
    content_base64: Annotated[str, Field(min_length=1, max_length=MAX_BANK_FILE_BYTES * 4 // 3 + 4)]


class DecisionIn(InputModel):
    """What happens to returned money or an unidentified credit."""

    action: Literal["herbetalen", "aan_huishouden", "vasthouden"]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    payment_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    bank_item_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    household_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class CloseIn(InputModel):
    """Closing a period has no options; the body is empty."""


@router.post("/gemeenten/{gemeente}/bankbestanden", status_code=201)
def upload_bank_file(
    gemeente: GemeenteCode, data: BankFileIn, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> ImportSummaryOut:  # fmt: skip
    """Import a bank file: all or nothing, and the same file twice changes nothing."""
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("content_base64", "geen geldige base64-tekst") from None
    summary = importer.import_bank_file(
        session, actor, gemeente, content, filename=data.filename, today=clock.today(),
        now=clock.now(),
    )  # fmt: skip
    return ImportSummaryOut.model_validate(summary.as_dict())


@router.get("/gemeenten/{gemeente}/bankbestanden/{file_id}")
def get_bank_file(
    gemeente: GemeenteCode, file_id: Id, session: SessionDep, actor: ActorDep
) -> ImportSummaryOut:
    """What an imported bank file booked."""
    found = importer.readable_bank_file(session, actor, gemeente, file_id)
    return ImportSummaryOut.model_validate(importer.import_summary(session, found).as_dict())


@router.get("/gemeenten/{gemeente}/betalingen/{payment_id}")
def get_payment_status(
    gemeente: GemeenteCode, payment_id: Id, session: SessionDep, actor: ActorDep
) -> PaymentStatusOut:
    """A payment's status with its history and what was decided about it."""
    return PaymentStatusOut.model_validate(
        status.payment_status(session, actor, gemeente, payment_id).as_dict()
    )


@router.get("/betaalruns/{run_id}/betalingen")
def get_run_payments(run_id: Id, session: SessionDep, actor: ActorDep) -> RunPaymentsOut:
    """Every payment of a run with its status, and the totals per status."""
    rows = status.run_payment_statuses(session, actor, run_id)
    return RunPaymentsOut.model_validate(
        {"run_id": run_id, "statuses": status.status_totals(rows), "payments": rows}
    )


@router.post("/gemeenten/{gemeente}/besluiten", status_code=201)
def create_decision(
    gemeente: GemeenteCode, data: DecisionIn, session: SessionDep, actor: ActorDep,
    clock: ClockDep,
) -> DecisionOut:  # fmt: skip
    """Decide about a rejected or returned payment, or an unidentified credit."""
    decided = decisions.decide(
        session, actor, gemeente, action=data.action, reason=data.reason, now=clock.now(),
        payment_id=data.payment_id, bank_item_id=data.bank_item_id,
        household_id=data.household_id,
    )  # fmt: skip
    return DecisionOut.model_validate(decided)


def _report(found: reconcile.Reconciliation, fmt: str) -> ReconciliationOut | Response:
    if fmt == "csv":
        return Response(found.as_csv(), media_type="text/csv; charset=utf-8")
    return ReconciliationOut.model_validate(found.as_dict())


# The reconciliation is JSON, or with ?format=csv a spreadsheet file.
_CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The reconciliation (JSON, or CSV with format=csv)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/gemeenten/{gemeente}/afstemming/{period}", response_model=ReconciliationOut, responses=_CSV
)
def get_reconciliation(
    gemeente: GemeenteCode, period: Period, session: SessionDep, actor: ActorDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> ReconciliationOut | Response:  # fmt: skip
    """The month's reconciliation: every figure in cents, the difference and the open items."""
    return _report(reconcile.reconcile(session, actor, gemeente, period=period), format)


@router.get("/betaalruns/{run_id}/afstemming", response_model=ReconciliationOut, responses=_CSV)
def get_run_reconciliation(
    run_id: Id, session: SessionDep, actor: ActorDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> ReconciliationOut | Response:  # fmt: skip
    """One run's reconciliation."""
    from ontzorgen.auth import Permission
    from ontzorgen.runs.service import readable_run

    run = readable_run(session, actor, run_id, Permission.LEDGER_READ)
    return _report(reconcile.reconcile(session, actor, run.gemeente_id, run_id=run_id), format)


@router.get("/gemeenten/{gemeente}/open-posten")
def get_open_items(gemeente: GemeenteCode, session: SessionDep, actor: ActorDep) -> OpenItemsOut:
    """Everything still open ('ter controle'), with suggestions for unidentified lines."""
    return OpenItemsOut.model_validate(
        {"open_items": reconcile.open_items(session, actor, gemeente, suggest=True)}
    )


@router.post("/gemeenten/{gemeente}/besluiten/{decision_id}/accordering", status_code=201)
def approve_decision(
    gemeente: GemeenteCode, decision_id: Id, data: CloseIn, session: SessionDep,
    actor: ActorDep, clock: ClockDep,
) -> ApprovalOut:  # fmt: skip
    """Four eyes on a re-issue or a refund: a second accordeerder approves the decision."""
    del data
    approval = decisions.approve_decision(session, actor, gemeente, decision_id, now=clock.now())
    return ApprovalOut(id=approval.decision_id, decided_by=approval.decided_by,
                       approved_by=approval.approved_by)  # fmt: skip


@router.post("/gemeenten/{gemeente}/perioden/{period}/afsluiting")
def close_period(
    gemeente: GemeenteCode, period: Period, data: CloseIn, session: SessionDep,
    actor: ActorDep, clock: ClockDep,
) -> ClosedPeriodOut:  # fmt: skip
    """Close a ledger period: refused while the month does not reconcile or has open items."""
    del data
    report = reconcile.close_period(session, actor, gemeente, period, now=clock.now())
    return ClosedPeriodOut.model_validate(
        {"period": report.period, "status": "gesloten", "reconciliation": report.as_dict()}
    )
