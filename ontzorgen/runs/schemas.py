# SPDX-License-Identifier: EUPL-1.2
"""The API contract of payment runs: what a run's overview and its export show.

Amounts are integer eurocents (``*_cents``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from ontzorgen.schemas import OutputModel

RunState = Literal["queued", "prepared", "approved", "exported", "cancelled", "failed"]
RunKind = Literal["regular", "correction"]


class ProgressOut(OutputModel):
    """How far preparing the run is."""

    done: int = Field(description="Households planned so far")
    total: int = Field(description="Households to plan")


class BatchOut(OutputModel):
    """One PmtInf of the file: one debit on the gemeente's bank statement."""

    pmt_inf_id: str = Field(description="The batch's PmtInfId")
    execution_date: date = Field(description="Requested execution date")
    kind: str = Field(description="What the batch pays (e.g. vaste_lasten, leefgeld)")
    count: int = Field(description="Number of payments")
    total_cents: int = Field(description="Sum of the payments, in cents")


class TotalOut(OutputModel):
    """A labelled count and sum."""

    label: str = Field(description="The category or the payee's name")
    count: int = Field(description="Number of payments")
    total_cents: int = Field(description="Sum of the payments, in cents")


class ReportLineOut(OutputModel):
    """A household's line in the run's report (shortfall, held leefgeld, claim)."""

    household: str = Field(description="The household's reference")
    amount_cents: int = Field(description="The amount, in cents")
    reason: str = Field(description="Why, in Dutch")
    rule: str = Field(description="The rule (article or policy) it follows from")
    category: str | None = Field(default=None, description="The category (shortfalls only)")


class OriginOut(OutputModel):
    """Where released leefgeld was held: a period and the runs that held it."""

    period: str = Field(description="The month it was held, YYYY-MM")
    runs: list[int] = Field(description="The runs that held it")
    amount_cents: int = Field(description="What was held then, in cents")


class ReleasedOut(OutputModel):
    """Held leefgeld now paid out to the household's own account."""

    household: str = Field(description="The household's reference")
    amount_cents: int = Field(description="The amount released, in cents")
    reason: str = Field(description="Why, in Dutch")
    rule: str = Field(description="The rule it follows from")
    origin: list[OriginOut] = Field(description="The months it was held")


class SignalOut(OutputModel):
    """Something the consulent should look at."""

    household: str = Field(description="The household's reference")
    code: str = Field(description="The signal's code")
    message: str = Field(description="What to look at, in Dutch")


class RunReportOut(OutputModel):
    """What preparing the run found, per household (empty until it is prepared)."""

    shortfalls: list[ReportLineOut] = Field(default=[], description="Not paid: too little money")
    held: list[ReportLineOut] = Field(default=[], description="Leefgeld held: no own IBAN")
    released: list[ReleasedOut] = Field(default=[], description="Held leefgeld now paid out")
    claims: list[ReportLineOut] = Field(default=[], description="Paid too much (Pw art. 58)")
    signals: list[SignalOut] = Field(default=[], description="Things to look at")


class RunOut(OutputModel):
    """A run's state and everything the accordeerder signs for."""

    run_id: int = Field(description="The run's id")
    gemeente: str = Field(description="The gemeente's CBS code")
    period: str = Field(description="The month paid, YYYY-MM")
    kind: RunKind = Field(description="regular or correction")
    kind_label: str = Field(description="The kind in Dutch")
    state: RunState = Field(description="Where the run is in its lifecycle")
    state_label: str = Field(description="The state in Dutch")
    msg_id: str | None = Field(description="The pain.001 MsgId, once prepared")
    digest: str | None = Field(description="Digest of the payments the approval is bound to")
    households: int = Field(description="Households in the run")
    payments: int = Field(description="Number of payments")
    total_cents: int = Field(description="Sum of the payments, in cents")
    shortfall_cents: int = Field(description="Not paid for lack of money, in cents")
    held_cents: int = Field(description="Leefgeld held for lack of an own IBAN, in cents")
    execution_date: date | None = Field(description="Execution date of the vaste lasten")
    prepared_by: str | None = Field(description="Who prepared the run")
    approved_by: str | None = Field(description="Who approved it (not the preparer)")
    exported_by: str | None = Field(description="Who exported its pain.001")
    file_sha256: str | None = Field(description="SHA-256 of the exported pain.001")
    progress: ProgressOut = Field(description="How far preparing is")
    batches: list[BatchOut] = Field(description="The file's batches (PmtInf)")
    categories: list[TotalOut] = Field(description="Totals per category")
    payees: list[TotalOut] = Field(description="Totals per payee")
    report: RunReportOut = Field(description="What preparing found, per household")


class ExportOut(OutputModel):
    """The stored pain.001 of a run."""

    filename: str = Field(description="The file's name")
    sha256: str = Field(description="SHA-256 of its bytes (hex)")
    size: int = Field(description="Its size in bytes")
    version: str = Field(description="The pain.001 message version")
