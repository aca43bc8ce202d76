# SPDX-License-Identifier: EUPL-1.2
"""What the run desk reads beside the run overview: the runs an actor may see, a run's
progress, the households a run booked and one household's plan beside what the run paid it.

Every read is scoped by the actor (a run of another gemeente is "not found"), and every read of
household data is logged through the audit log, as the API's reads are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import gemeente_condition, household_condition
from ontzorgen.bijstand.lines import MonthlyPlan
from ontzorgen.clients.models import Household, Payee
from ontzorgen.clients.planning import PayeeView, payees_of, period_from_text, view_plan
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, PaymentRun, RunLine, kind_label, state_label
from ontzorgen.runs.service import readable_run

LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class RunRow:
    """One run in the list of runs."""

    run_id: int
    gemeente: str
    gemeente_name: str
    period: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    payments: int
    total: Money
    corrects_run_id: int | None
    correction_reason: str | None
    created_at: datetime
    prepared_by: str | None
    approved_by: str | None


def list_runs(
    session: Session, actor: Actor, *, gemeente: str | None = None, period: str | None = None
) -> list[RunRow]:
    """The runs of the gemeenten where ``actor`` may read runs, newest period first;
    ``gemeente`` (a code) and ``period`` (``JJJJ-MM``; InvalidInput naming ``period``) narrow
    the list. At most :data:`LIST_LIMIT` rows."""
    query = (
        select(PaymentRun, Gemeente.code, Gemeente.name)
        .join(Gemeente, Gemeente.id == PaymentRun.gemeente_id)
        .where(gemeente_condition(actor, Permission.RUN_READ, PaymentRun.gemeente_id))
        .order_by(PaymentRun.period.desc(), PaymentRun.id.desc())
        .limit(LIST_LIMIT)
    )
    if gemeente:
        query = query.where(Gemeente.code == gemeente)
    if period:
        query = query.where(PaymentRun.period == period_from_text(period).label())
    return [_row(run, code, name) for run, code, name in session.execute(query)]


def _row(run: PaymentRun, code: str, name: str) -> RunRow:
    return RunRow(
        run_id=run.id,
        gemeente=code,
        gemeente_name=name,
        period=run.period,
        kind=run.kind,
        kind_label=kind_label(run.kind),
        state=run.state,
        state_label=state_label(run.state),
        payments=run.payment_count,
        total=Money(run.total_cents),
        corrects_run_id=run.corrects_run_id,
        correction_reason=run.correction_reason,
        created_at=run.created_at,
        prepared_by=run.prepared_by,
        approved_by=run.approved_by,
    )


@dataclass(frozen=True, slots=True)
class RunDetails:
    """What the overview leaves out: the run a correction corrects and why, a cancellation
    and its reason, a failed preparation's error, and the run's own corrections."""

    corrects_run_id: int | None
    correction_reason: str | None
    cancelled_by: str | None
    cancel_reason: str | None
    error: str | None
    corrections: list[RunRow]


def run_details(session: Session, actor: Actor, run_id: int) -> RunDetails:
    """The details of a run ``actor`` may read, with its correction runs (oldest first)."""
    run = readable_run(session, actor, run_id)
    gemeente = session.get_one(Gemeente, run.gemeente_id)
    corrections = [
        _row(c, gemeente.code, gemeente.name)
        for c in session.scalars(
            select(PaymentRun).where(PaymentRun.corrects_run_id == run.id).order_by(PaymentRun.id)
        )
    ]
    return RunDetails(
        run.corrects_run_id, run.correction_reason, run.cancelled_by, run.cancel_reason,
        run.error, corrections,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RunProgress:
    """How far preparing a run is (the run row's counters, written while it is prepared)."""

    run_id: int
    state: str
    state_label: str
    done: int
    total: int
    error: str | None

    @property
    def percent(self) -> int:
        """0-100; a run past the queue is done (100) even when it had no households."""
        if self.state != "queued":
            return 100
        return 0 if not self.total else min(100, self.done * 100 // self.total)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id, "state": self.state, "state_label": self.state_label,
            "done": self.done, "total": self.total, "percent": self.percent,
            "finished": self.state != "queued",
        }  # fmt: skip


def run_progress(session: Session, actor: Actor, run_id: int) -> RunProgress:
    """The state and progress of a run ``actor`` may read (no household data: not logged)."""
    run = readable_run(session, actor, run_id)
    return RunProgress(
        run.id, run.state, state_label(run.state), run.progress_done, run.progress_total,
        run.error,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HouseholdTotal:
    """One household a run booked: its payments in the run and their sum."""

    household_id: int
    reference: str
    payments: int
    total: Money


def run_households(session: Session, actor: Actor, run_id: int) -> list[HouseholdTotal]:
    """The households the run booked that ``actor`` may see, with their payments in the run;
    the view is logged for each household listed."""
    run = readable_run(session, actor, run_id)
    visible = household_condition(actor, Permission.HOUSEHOLD_READ)
    booked = (
        select(RunLine.household_id)
        .join(Household, Household.id == RunLine.household_id)
        .where(RunLine.run_id == run.id, visible)
        .distinct()
    )
    audit.record_households(
        session, actor, "betaalrun.huishoudens.bekeken", gemeente_id=run.gemeente_id,
        household_ids=booked, ref=f"run:{run.id}",
    )  # fmt: skip
    paid = (
        select(
            Payment.household_id.label("household_id"),
            func.count().label("payments"),
            func.sum(Payment.amount_cents).label("cents"),
        )
        .where(Payment.run_id == run.id, Payment.active.is_(True))
        .group_by(Payment.household_id)
        .subquery()
    )
    rows = session.execute(
        select(Household.id, Household.reference, paid.c.payments, paid.c.cents)
        .outerjoin(paid, paid.c.household_id == Household.id)
        .where(Household.id.in_(booked))
        .order_by(Household.reference)
    )
    return [
        HouseholdTotal(int(hid), reference, int(count or 0), Money(int(cents or 0)))
        for hid, reference, count, cents in rows
    ]


@dataclass(frozen=True, slots=True)
class PaidLine:
    """One payment the run made for the household, with the rule it cites."""

    payment_id: int
    kind: str
    category: str
    amount: Money
    execution_date: date
    payee: str | None  # the organisation; None for leefgeld (the household's own account)
    end_to_end_id: str
    rule: str


@dataclass(frozen=True, slots=True)
class HouseholdInRun:
    """A household's plan for the run's period beside what the run booked and paid for it."""

    run_id: int
    gemeente: str
    period: str
    household_id: int
    reference: str
    plan: MonthlyPlan
    payees: dict[str, PayeeView]
    paid: list[PaidLine]
    booked: list[tuple[str, Money]]  # (line key, amount) of the run's lines


def household_in_run(
    session: Session, actor: Actor, run_id: int, household_ref: str
) -> HouseholdInRun:
    """One household of a run: its plan for the run's period (each line with its rule), the
    payments and lines the run booked for it. The plan view is logged (as the API's)."""
    run = readable_run(session, actor, run_id)
    gemeente = session.get_one(Gemeente, run.gemeente_id)
    household, plan = view_plan(
        session, actor, household_ref, gemeente.code, period_from_text(run.period)
    )
    paid = [
        PaidLine(
            payment.id,
            payment.kind,
            payment.category,
            Money(payment.amount_cents),
            payment.execution_date,
            payee,
            payment.end_to_end_id,
            payment.rule,
        )
        for payment, payee in session.execute(
            select(Payment, Payee.name)
            .outerjoin(Payee, Payee.id == Payment.payee_id)
            .where(
                Payment.run_id == run.id,
                Payment.household_id == household.id,
                Payment.active.is_(True),
            )
            .order_by(Payment.execution_date, Payment.id)
        )
    ]
    booked = [
        (key, Money(int(cents)))
        for key, cents in session.execute(
            select(RunLine.line_key, RunLine.amount_cents)
            .where(RunLine.run_id == run.id, RunLine.household_id == household.id)
            .order_by(RunLine.id)
        )
    ]
    return HouseholdInRun(
        run.id, gemeente.code, run.period, household.id, household.reference, plan,
        payees_of(session, plan), paid, booked,
    )  # fmt: skip


def preparable_gemeenten(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the gemeenten where ``actor`` may prepare runs."""
    return [
        (code, name)
        for code, name in session.execute(
            select(Gemeente.code, Gemeente.name)
            .where(gemeente_condition(actor, Permission.RUN_PREPARE, Gemeente.id))
            .order_by(Gemeente.code)
        )
    ]


def readable_gemeenten(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the gemeenten where ``actor`` may read runs (for the filter)."""
    return [
        (code, name)
        for code, name in session.execute(
            select(Gemeente.code, Gemeente.name)
            .where(gemeente_condition(actor, Permission.RUN_READ, Gemeente.id))
            .order_by(Gemeente.code)
        )
    ]
