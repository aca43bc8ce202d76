# SPDX-License-Identifier: EUPL-1.2
"""The API contract of the bank feedback: imports, statuses, decisions, reconciliation.

Amounts are integer eurocents (``*_cents``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ontzorgen.schemas import OutputModel

PaymentStatusCode = Literal[
    "te_betalen", "verzonden", "geaccepteerd", "uitgevoerd", "geweigerd", "teruggekomen"
]
DecisionAction = Literal["herbetalen", "aan_huishouden", "vasthouden"]
OpenKind = Literal["onderweg", "wacht_op_besluit", "ter_controle"]


class ImportSummaryOut(OutputModel):
    """What importing a bank file did (the same file twice changes nothing)."""

    bank_file_id: int = Field(description="The stored bank file's id")
    already_imported: bool = Field(description="True when this exact file was imported before")
    kind: str = Field(description="pain.002, camt.053 or camt.054")
    version: str = Field(description="The message version, e.g. camt.053.001.08")
    msg_id: str = Field(description="The file's MsgId")
    counts: dict[str, int] = Field(description="Lines per outcome (e.g. booked, returned)")
    cents: dict[str, int] = Field(description="Amount per outcome, in cents")


class StatusStepOut(OutputModel):
    """One step of a payment's history."""

    status: PaymentStatusCode = Field(description="The status reached")
    label: str = Field(description="The status in Dutch")
    on: date | None = Field(description="The day it was reached")
    reason_code: str | None = Field(default=None, description="The bank's ISO reason code")
    reason: str | None = Field(default=None, description="The reason in Dutch")
    bank_file_id: int | None = Field(default=None, description="The bank file that said so")


class DecisionSummaryOut(OutputModel):
    """The latest decision about a payment's returned money."""

    id: int = Field(description="The decision's id")
    action: DecisionAction = Field(description="What happens to the money")
    label: str = Field(description="The action in Dutch")
    reason: str = Field(description="Why, as recorded")
    # None for a budgetcoach or the inburgeraar: who decided is for staff only.
    decided_by: str | None = Field(description="Who decided (staff only, else null)")
    decided_at: datetime = Field(description="When")


class PaymentStatusOut(OutputModel):
    """A payment's status with its history and what was decided about it."""

    payment_id: int = Field(description="The payment's id")
    run_id: int = Field(description="The run that paid it")
    end_to_end_id: str = Field(description="The EndToEndId in the pain.001")
    amount_cents: int = Field(description="The amount, in cents")
    status: PaymentStatusCode = Field(description="The current status")
    label: str = Field(description="The status in Dutch")
    reason: str | None = Field(description="Why rejected or returned, in Dutch")
    history: list[StatusStepOut] = Field(description="Every step, oldest first")
    decision: DecisionSummaryOut | None = Field(description="The latest decision, if any")
    paid_again_by: list[int] = Field(description="Payments that paid it again")
    pays_again: int | None = Field(description="The returned payment this one pays again")


class PaymentRowOut(OutputModel):
    """A payment of a run with its current status."""

    payment_id: int = Field(description="The payment's id")
    end_to_end_id: str = Field(description="The EndToEndId in the pain.001")
    kind: str = Field(description="What it pays (e.g. vaste_last, leefgeld)")
    category: str = Field(description="The category")
    amount_cents: int = Field(description="The amount, in cents")
    status: PaymentStatusCode = Field(description="The current status")
    label: str = Field(description="The status in Dutch")
    reason: str | None = Field(description="Why rejected or returned, in Dutch")


class StatusTotalOut(OutputModel):
    """How many payments have a status now, and for how much."""

    count: int = Field(description="Number of payments")
    amount_cents: int = Field(description="Their sum, in cents")


class RunPaymentsOut(OutputModel):
    """Every payment of a run with its status, and the totals per status."""

    run_id: int = Field(description="The run's id")
    statuses: dict[PaymentStatusCode, StatusTotalOut] = Field(
        description="Per status that occurs: count and sum"
    )
    payments: list[PaymentRowOut] = Field(description="The run's active payments")


class DecisionOut(OutputModel):
    """A recorded decision about returned money or an unidentified credit."""

    id: int = Field(description="The decision's id")
    action: DecisionAction = Field(description="What happens to the money")
    label: str = Field(description="The action in Dutch")
    payment_id: int | None = Field(description="The payment it is about")
    bank_item_id: int | None = Field(description="The bank line it is about")
    household_id: int | None = Field(description="The household paid (aan_huishouden)")


class ApprovalOut(OutputModel):
    """A decision approved by a second person (four eyes)."""

    id: int = Field(description="The decision's id")
    decided_by: str = Field(description="Who took the decision")
    approved_by: str = Field(description="Who approved it: never the same user")


class OpenItemOut(OutputModel):
    """Something not settled yet."""

    kind: OpenKind = Field(description="onderweg, wacht_op_besluit or ter_controle")
    amount_cents: int = Field(description="The amount, in cents")
    reason: str = Field(description="Why it is open, in Dutch")
    end_to_end_id: str | None = Field(description="The payment's EndToEndId")
    payment_id: int | None = Field(description="The payment's id")
    bank_item_id: int | None = Field(description="The bank line's id")
    run_id: int | None = Field(description="The run it belongs to")


class ReconciliationOut(OutputModel):
    """The figures of one run or one month, in cents: difference = expected − (booked −
    returned) − reissued − paid_to_household − open."""

    gemeente: str = Field(description="The gemeente's CBS code")
    period: str = Field(description="The month, YYYY-MM")
    run_id: int | None = Field(description="The run, for a run's reconciliation")
    runs: list[int] = Field(description="The runs counted")
    expected_cents: int = Field(description="What the pain.001 files said")
    booked_cents: int = Field(description="Debited by the bank")
    rejected_cents: int = Field(description="Rejected by the bank")
    returned_cents: int = Field(description="Come back")
    reissued_cents: int = Field(description="Paid again")
    paid_to_household_cents: int = Field(description="Paid to the household instead")
    open_cents: int = Field(description="Under way or awaiting a decision")
    received_cents: int = Field(description="Received and matched")
    unidentified_cents: int = Field(description="Received, not matched (ter controle)")
    difference_cents: int = Field(description="Zero when every euro is accounted for")
    not_exported: list[int] = Field(description="Runs not exported nor cancelled")
    open_items: list[OpenItemOut] = Field(description="What is still open")
    reconciled: bool = Field(description="True when the difference is zero")


class SuggestionOut(OutputModel):
    """Who an unidentified line may belong to."""

    kind: Literal["huishouden", "begunstigde", "betaling"] = Field(description="What it is")
    id: int = Field(description="Its id")
    score: int = Field(description="Higher is likelier")
    why: list[str] = Field(description="The reasons, in Dutch")


class OpenItemRowOut(OpenItemOut):
    """An open item of a month, with suggestions for an unidentified line."""

    period: str = Field(description="The month, YYYY-MM")
    suggestions: list[SuggestionOut] | None = Field(
        default=None, description="For an unidentified line: who it may belong to"
    )


class OpenItemsOut(OutputModel):
    """Everything still open in the gemeente, month by month."""

    open_items: list[OpenItemRowOut] = Field(description="The open items")


class ClosedPeriodOut(OutputModel):
    """A closed ledger period and the reconciliation it closed on."""

    period: str = Field(description="The month, YYYY-MM")
    status: Literal["gesloten"] = Field(description="Always gesloten")
    reconciliation: ReconciliationOut = Field(description="The month's figures")
