# SPDX-License-Identifier: EUPL-1.2
"""A payment's status as people see it, with its history; and the statuses of a run.

te betalen → verzonden (the run's file was exported) → geaccepteerd (pain.002) →
uitgevoerd (booked by the bank) / geweigerd / teruggekomen. The history is every event as it
came in, never overwritten; what was decided about returned money, and the payment that paid it
again, are shown with it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import household_condition, may_see_household, require_in_gemeente
from ontzorgen.bank.decisions import ACTION_LABELS
from ontzorgen.bank.models import BankDecision, BankReissue, HouseholdEvent, PaymentEvent
from ontzorgen.bank.reasons import describe
from ontzorgen.clients.models import Household
from ontzorgen.errors import NotFound
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.validation import MAX_ID

STATUS_LABELS: Final = {
    "te_betalen": "te betalen",
    "verzonden": "verzonden (in behandeling bij de bank)",
    "geaccepteerd": "geaccepteerd door de bank",
    "uitgevoerd": "uitgevoerd",
    "geweigerd": "geweigerd",
    "teruggekomen": "teruggekomen",
}
# The newest that applies wins: a returned payment was booked first.
_RANK: Final = {"geaccepteerd": 1, "uitgevoerd": 2, "geweigerd": 3, "teruggekomen": 4}


@dataclass(frozen=True, slots=True)
class StatusStep:
    status: str
    label: str
    on: date | None
    reason_code: str | None = None
    reason: str | None = None
    bank_file_id: int | None = None


@dataclass
class PaymentStatus:
    payment_id: int
    run_id: int
    end_to_end_id: str
    amount_cents: int
    status: str
    label: str
    reason: str | None
    history: list[StatusStep] = field(default_factory=list)
    decision: dict[str, Any] | None = None
    paid_again_by: list[int] = field(default_factory=list)
    pays_again: int | None = None  # the returned payment this one pays again

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def current_status(run_state: str, statuses: set[str]) -> str:
    """The status of a payment from its run's state and the statuses the bank gave it."""
    if statuses:
        return max(statuses, key=_RANK.__getitem__)
    return "verzonden" if run_state == "exported" else "te_betalen"


def payment_status(
    session: Session, actor: Actor, gemeente_ref: str | int, payment_id: int
) -> PaymentStatus:
    """A payment's status, history, decision and the payments that paid it again, if ``actor``
    may see its household (a coach: the caseload; an inburgeraar: their own). Logged."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.PAYMENT_READ, "gemeente")
    payment = session.get(Payment, payment_id) if 0 < payment_id <= MAX_ID else None
    if (
        payment is None
        or payment.gemeente_id != gemeente.id
        or not may_see_household(session, actor, payment.household_id, Permission.PAYMENT_READ)
    ):
        raise NotFound(f"betaling {payment_id} bestaat niet in deze gemeente")
    audit.record(session, actor, "betaling.bekeken", gemeente_id=gemeente.id,
                 household_id=payment.household_id, ref=f"betaling:{payment.id}")  # fmt: skip
    staff = actor.can(Permission.RUN_READ, gemeente.code)
    run = session.get_one(PaymentRun, payment.run_id)
    events = list(
        session.scalars(
            select(PaymentEvent)
            .where(PaymentEvent.payment_id == payment.id)
            .order_by(PaymentEvent.id)
        )
    )
    history = [StatusStep("te_betalen", STATUS_LABELS["te_betalen"],
                          run.prepared_at.date() if run.prepared_at else None)]  # fmt: skip
    if run.state == "exported":
        history.append(
            StatusStep(
                "verzonden",
                STATUS_LABELS["verzonden"],
                run.exported_at.date() if run.exported_at else None,
            )
        )
    for event in events:
        history.append(
            StatusStep(
                event.status,
                STATUS_LABELS[event.status],
                event.event_date,
                event.reason_code,
                describe(event.reason_code)
                if event.status in ("geweigerd", "teruggekomen")
                else None,
                event.bank_file_id,
            )
        )
    status = current_status(run.state, {e.status for e in events})
    # A return can arrive before the booking it undoes: the reason is that of the status.
    shown = next((step for step in history if step.status == status), history[-1])
    decision = session.scalar(
        select(BankDecision)
        .where(BankDecision.payment_id == payment.id)
        .order_by(BankDecision.id.desc())
        .limit(1)
    )
    again = list(
        session.scalars(
            select(BankReissue.payment_id)
            .join(BankDecision, BankDecision.id == BankReissue.decision_id)
            .join(PaymentRun, PaymentRun.id == BankReissue.run_id)
            .where(BankDecision.payment_id == payment.id, PaymentRun.state != "cancelled")
        )
    )
    pays_again = session.scalar(
        select(BankDecision.payment_id)
        .join(BankReissue, BankReissue.decision_id == BankDecision.id)
        .where(BankReissue.payment_id == payment.id)
    )
    return PaymentStatus(
        payment_id=payment.id,
        run_id=payment.run_id,
        end_to_end_id=payment.end_to_end_id,
        amount_cents=payment.amount_cents,
        status=status,
        label=STATUS_LABELS[status],
        reason=shown.reason,
        history=history,
        decision=None
        if decision is None
        else {
            "id": decision.id,
            "action": decision.action,
            "label": ACTION_LABELS[decision.action],
            "reason": decision.reason,
            # Who decided is for staff; a coach or the inburgeraar sees what was decided.
            "decided_by": decision.decided_by if staff else None,
            "decided_at": decision.decided_at.isoformat(),
        },
        paid_again_by=again,
        pays_again=pays_again,
    )


def status_totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per status: how many of the payments (rows of :func:`run_payment_statuses`) have it
    now, and for how much."""
    counts: Counter[str] = Counter(row["status"] for row in rows)
    cents: Counter[str] = Counter()
    for row in rows:
        cents[row["status"]] += row["amount_cents"]
    return {
        status: {"count": counts[status], "amount_cents": cents[status]}
        for status in STATUS_LABELS
        if counts[status]
    }


def run_statuses(session: Session, actor: Actor, run_id: int) -> dict[str, dict[str, int]]:
    """Per status: how many of the run's payments have it now, and for how much."""
    return status_totals(run_payment_statuses(session, actor, run_id))


def run_payment_statuses(session: Session, actor: Actor, run_id: int) -> list[dict[str, Any]]:
    """Every payment of a run that ``actor`` may see, with its current status (for the run
    desk and the CLI); the view is logged for each household listed."""
    run = session.get(PaymentRun, run_id) if 0 < run_id <= MAX_ID else None
    if run is None:
        raise NotFound(f"betaalrun {run_id} bestaat niet")
    require_in_gemeente(
        session, actor, run.gemeente_id, Permission.PAYMENT_READ, f"betaalrun {run_id}"
    )
    visible = household_condition(actor, Permission.PAYMENT_READ)
    audit.record_households(
        session, actor, "betalingen.bekeken", gemeente_id=run.gemeente_id,
        household_ids=select(Payment.household_id)
        .join(Household, Household.id == Payment.household_id)
        .where(Payment.run_id == run_id, Payment.active.is_(True), visible),
        ref=f"run:{run_id}",
    )  # fmt: skip
    statuses: dict[int, set[str]] = {}
    reasons: dict[tuple[int, str], str | None] = {}
    for event in session.scalars(select(PaymentEvent).where(PaymentEvent.run_id == run_id)):
        statuses.setdefault(event.payment_id, set()).add(event.status)
        if event.status in ("geweigerd", "teruggekomen"):
            reasons[(event.payment_id, event.status)] = describe(event.reason_code)
    rows = []
    for payment in session.scalars(
        select(Payment)
        .join(Household, Household.id == Payment.household_id)
        .where(Payment.run_id == run_id, Payment.active.is_(True), visible)
        .order_by(Payment.id)
    ):
        status = current_status(run.state, statuses.get(payment.id, set()))
        rows.append(
            {
                "payment_id": payment.id,
                "end_to_end_id": payment.end_to_end_id,
                "kind": payment.kind,
                "category": payment.category,
                "amount_cents": payment.amount_cents,
                "status": status,
                "label": STATUS_LABELS[status],
                "reason": reasons.get((payment.id, status)),
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class HouseholdPayment:
    """One payment of a household, in any run, with its status now."""

    payment_id: int
    run_id: int
    run_kind: str
    period: str
    kind: str
    category: str
    creditor_name: str  # a payee's name, or the household's own for leefgeld
    amount_cents: int
    execution_date: date
    end_to_end_id: str
    status: str
    label: str
    reason: str | None


def household_payments(
    session: Session, actor: Actor, household: Household
) -> list[HouseholdPayment]:
    """Every active payment of ``household`` (newest period first) with its status, if
    ``actor`` may see the household's payments (else not found); the view is logged."""
    if not may_see_household(session, actor, household.id, Permission.PAYMENT_READ):
        raise NotFound("huishouden niet gevonden")
    audit.record(session, actor, "betalingen.bekeken", gemeente_id=household.gemeente_id,
                 household_id=household.id, ref=f"huishouden:{household.id}")  # fmt: skip
    rows = session.execute(
        select(Payment, PaymentRun.state, PaymentRun.kind)
        .join(PaymentRun, PaymentRun.id == Payment.run_id)
        .where(Payment.household_id == household.id, Payment.active.is_(True),
               PaymentRun.state != "cancelled")
        .order_by(Payment.period.desc(), Payment.id)
    ).all()  # fmt: skip
    statuses: dict[int, set[str]] = {}
    reasons: dict[tuple[int, str], str | None] = {}
    for event in session.scalars(
        select(PaymentEvent).where(PaymentEvent.payment_id.in_([p.id for p, _, _ in rows]))
    ):
        statuses.setdefault(event.payment_id, set()).add(event.status)
        if event.status in ("geweigerd", "teruggekomen"):
            reasons[(event.payment_id, event.status)] = describe(event.reason_code)
    found = []
    for payment, run_state, run_kind in rows:
        status = current_status(run_state, statuses.get(payment.id, set()))
        found.append(
            HouseholdPayment(
                payment_id=payment.id, run_id=payment.run_id, run_kind=run_kind,
                period=payment.period, kind=payment.kind, category=payment.category,
                creditor_name=payment.creditor_name, amount_cents=payment.amount_cents,
                execution_date=payment.execution_date, end_to_end_id=payment.end_to_end_id,
                status=status, label=STATUS_LABELS[status],
                reason=reasons.get((payment.id, status)),
            )
        )  # fmt: skip
    return found


EVENT_LABELS: Final = {
    "betaling_geweigerd": "Betaling geweigerd door de bank",
    "betaling_teruggekomen": "Betaling teruggekomen",
}


@dataclass(frozen=True, slots=True)
class HouseholdEventView:
    """An event of a household (no personal data), for its file."""

    occurred_on: date
    kind: str
    label: str
    payment_id: int | None
    category: str | None
    amount_cents: int | None
    reason: str | None


def household_events(
    session: Session, actor: Actor, household: Household
) -> list[HouseholdEventView]:
    """The household's events, newest first, if ``actor`` may see its payments."""
    if not may_see_household(session, actor, household.id, Permission.PAYMENT_READ):
        raise NotFound("huishouden niet gevonden")
    views = []
    for event in session.scalars(
        select(HouseholdEvent)
        .where(HouseholdEvent.household_id == household.id)
        .order_by(HouseholdEvent.occurred_on.desc(), HouseholdEvent.id.desc())
    ):
        detail = json.loads(event.detail)
        views.append(
            HouseholdEventView(
                occurred_on=event.occurred_on, kind=event.kind,
                label=EVENT_LABELS.get(event.kind, event.kind.replace("_", " ")),
                payment_id=detail.get("payment_id"), category=detail.get("category"),
                amount_cents=detail.get("amount_cents"),
                reason=describe(detail["reason_code"]) if detail.get("reason_code") else None,
            )
        )  # fmt: skip
    return views
