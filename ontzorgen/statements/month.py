# SPDX-License-Identifier: EUPL-1.2
"""The month of one household, as the inburgeraar sees it: the plan's lines, the payments the
run made with their status at the bank, the vakantiegeld saved, the place in the ontzorgen
window and a forecast of next month.

One service call, scoped to what the actor may see and logged; a fixed handful of queries
however many lines. The result holds codes and amounts, never display text: the pages translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.bank.models import BankDecision, PaymentEvent
from ontzorgen.bank.status import current_status
from ontzorgen.bijstand.facts import FactError, GemeentePolicy
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan
from ontzorgen.bijstand.norms import NormNotFound
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import HouseholdFacts, load_rows, parse_period, to_facts
from ontzorgen.clients.planning import plan_from_facts
from ontzorgen.clients.service import readable_household
from ontzorgen.db import session_now
from ontzorgen.errors import InvalidInput
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import policy_of
from ontzorgen.runs.models import Payment, PaymentRun, RunLine

# How the inburgeraar sees a payment's status (bank/status.py has the bank's steps).
SHOWN_STATUS = {
    "te_betalen": "gepland",
    "verzonden": "onderweg",
    "geaccepteerd": "onderweg",
    "uitgevoerd": "betaald",
    "geweigerd": "teruggekomen",
    "teruggekomen": "teruggekomen",
}


@dataclass(frozen=True, slots=True)
class Paid:
    """One payment (or planned payment) of the month."""

    category: str  # huur, gas, stroom, water, zorgverzekering, other, leefgeld
    payee: str | None  # the organisation; None for leefgeld (the household's own account)
    amount_cents: int
    pay_date: date | None
    status: str  # gepland, onderweg, betaald, teruggekomen
    reason_code: str | None = None  # why the bank sent it back
    decision: str | None = None  # what the gemeente decided: herbetalen, aan_huishouden, …


@dataclass(frozen=True, slots=True)
class Unpaid:
    """A vaste last that could not be paid this month."""

    category: str
    payee: str | None
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Handover:
    """A vaste last the household pays itself from ``on`` (the afbouwplan)."""

    category: str
    payee: str
    on: date


@dataclass(frozen=True, slots=True)
class Forecast:
    """Next month's plan, computed, not stored."""

    period: Period
    eligible: bool
    bijstand_cents: int
    fixed: tuple[Paid, ...]
    leefgeld_cents: int
    held_cents: int
    stops: tuple[str, ...]  # categories paid this month, not next month
    starts: tuple[str, ...]  # categories paid next month, not this month


@dataclass(frozen=True, slots=True)
class MonthStatement:
    household_id: int
    period: Period
    periods: tuple[Period, ...]  # the months there is an overview for, newest first
    eligible: bool
    bijstand_cents: int
    vt_payout_cents: int
    deducted_cents: int  # inkomsten, aflossing, voorschot set off: kept by the gemeente
    fixed: tuple[Paid, ...]
    leefgeld: tuple[Paid, ...]
    held_cents: int
    held_no_iban: bool
    unpaid: tuple[Unpaid, ...]
    vt_accrual_cents: int
    vt_saved_cents: int
    vt_payout_period: Period | None
    month_number: int | None  # which month of the ontzorgen window (1-based)
    month_count: int | None
    window_end: date
    handovers: tuple[Handover, ...]
    forecast: Forecast | None
    from_run: bool  # the figures come from a payment run (else: the plan, not yet paid)
    preferred_language: str | None  # the first person's, for the page's default language

    @property
    def fixed_cents(self) -> int:
        return sum(p.amount_cents for p in self.fixed)

    @property
    def leefgeld_cents(self) -> int:
        return sum(p.amount_cents for p in self.leefgeld)


def _months_between(first: Period, last: Period) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def statement_periods(session: Session, household_id: int) -> list[Period]:
    """The months a (not cancelled) run paid something for the household, newest first."""
    rows = session.scalars(
        select(RunLine.period)
        .join(PaymentRun, PaymentRun.id == RunLine.run_id)
        .where(RunLine.household_id == household_id, PaymentRun.state != "cancelled")
        .distinct()
    )
    return sorted((parse_period(text) for text in rows), reverse=True)


def month_statement(
    session: Session, actor: Actor, household_ref: str | int, period_text: str | None
) -> MonthStatement:
    """The month ``period_text`` (``JJJJ-MM``; None: the newest month with a run) of a
    household ``actor`` may see, as data; the view is logged."""
    household = readable_household(session, actor, household_ref, None, Permission.PAYMENT_READ)
    periods = statement_periods(session, household.id)
    today_period = Period.of(session_now(session).date())
    if not periods:
        periods = [today_period]
    if period_text is None:
        period = periods[0]
    else:
        try:
            period = parse_period(period_text)
        except ValueError:
            raise InvalidInput("periode", "kies een maand uit de lijst") from None
        if period not in periods:
            raise InvalidInput("periode", "voor deze maand is er geen overzicht") from None
    audit.record(
        session, actor, "maandoverzicht.bekeken", gemeente_id=household.gemeente_id,
        household_id=household.id, ref=f"periode:{period.label()}",
    )  # fmt: skip
    return _build(session, household, period, tuple(periods))


def _build(
    session: Session, household: m.Household, period: Period, periods: tuple[Period, ...]
) -> MonthStatement:
    gemeente = session.get_one(Gemeente, household.gemeente_id)
    facts = to_facts(load_rows(session, household.gemeente_id, [household.id])[0])
    policy = policy_of(gemeente).to_facts()
    try:
        plan = plan_from_facts(facts, policy, period)
    except (FactError, PlanError, NormNotFound) as error:
        raise InvalidInput("household", str(error)) from None
    contracts = {
        c.id: c
        for c in session.scalars(select(m.Contract).where(m.Contract.household_id == household.id))
    }
    payee_names = {
        p.id: p.name
        for p in session.scalars(
            select(m.Payee).where(m.Payee.id.in_({c.payee_id for c in contracts.values()}))
        )
    }
    fixed, leefgeld, from_run = _payments(session, household.id, period, payee_names)
    if not from_run:
        fixed = _planned_fixed(plan, payee_names)
        leefgeld = tuple(
            Paid("leefgeld", None, line.amount.cents, line.pay_date, "gepland")
            for line in plan.of_kind(LineKind.LEEFGELD)
        )
    vt_saved = _vt_saved(session, household.id, period)
    # What the runs booked is what happened; the plan (made again from today's facts) fills in
    # a month without a run, and what could not be paid (a shortfall moves no money).
    booked = _booked(session, household.id, period) if from_run else {}

    def amount(key: str, *kinds: LineKind) -> int:
        if from_run:
            return sum(c for k, c in booked.items() if k == key or k.startswith(f"{key}:"))
        return plan.total(*kinds).cents

    right = facts.right
    june = Period(period.year if period.month < 6 else period.year + 1, 6)
    vt_payout_period: Period | None = june
    if right.end is not None and Period.of(right.end) < june:
        vt_payout_period = Period.of(right.end)
    window_first, window_last = Period.of(plan.window_start), Period.of(plan.window_end)
    in_window = window_first <= period <= window_last
    handovers = tuple(
        sorted(
            (
                Handover(c.category, payee_names.get(c.payee_id, ""), c.handover_date)
                for c in contracts.values()
                if c.handover_date is not None
            ),
            key=lambda h: (h.on, h.category),
        )
    )
    return MonthStatement(
        household_id=household.id,
        period=period,
        periods=periods,
        eligible=plan.eligible,
        bijstand_cents=amount("bijstand", LineKind.BIJSTAND),
        vt_payout_cents=amount("vt_payout", LineKind.VT_PAYOUT),
        deducted_cents=amount("deduction", LineKind.DEDUCTION)
        + amount("voorschot", LineKind.VOORSCHOT_SETTLEMENT),
        fixed=fixed,
        leefgeld=leefgeld,
        held_cents=amount("held", LineKind.HELD),
        held_no_iban=household.iban is None,
        unpaid=tuple(
            Unpaid(
                line.category.value if line.category else "other",
                payee_names.get(int(line.payee_id)) if line.payee_id else None,
                line.amount.cents,
            )
            for line in plan.of_kind(LineKind.SHORTFALL)
        ),
        vt_accrual_cents=amount("vt_accrual", LineKind.VT_ACCRUAL),
        vt_saved_cents=vt_saved,
        vt_payout_period=vt_payout_period,
        month_number=_months_between(window_first, period) + 1 if in_window else None,
        month_count=_months_between(window_first, window_last) + 1 if in_window else None,
        window_end=plan.window_end,
        handovers=handovers,
        forecast=_forecast(facts, policy, plan, payee_names),
        from_run=from_run,
        preferred_language=session.scalar(
            select(m.Person.preferred_language)
            .where(m.Person.household_id == household.id)
            .order_by(m.Person.id)
            .limit(1)
        ),
    )


def _payments(
    session: Session, household_id: int, period: Period, payee_names: dict[int, str]
) -> tuple[tuple[Paid, ...], tuple[Paid, ...], bool]:
    """The month's payments of runs that were not cancelled, with their status: three
    queries (payments with their run, bank events, decisions)."""
    rows = list(
        session.execute(
            select(Payment, PaymentRun.state)
            .join(PaymentRun, PaymentRun.id == Payment.run_id)
            .where(
                Payment.household_id == household_id,
                Payment.period == period.label(),
                Payment.active.is_(True),
                PaymentRun.state != "cancelled",
            )
            .order_by(Payment.execution_date, Payment.id)
        )
    )
    if not rows:
        return (), (), _has_run(session, household_id, period)
    ids = [payment.id for payment, _ in rows]
    events: dict[int, list[PaymentEvent]] = {}
    for event in session.scalars(
        select(PaymentEvent).where(PaymentEvent.payment_id.in_(ids)).order_by(PaymentEvent.id)
    ):
        events.setdefault(event.payment_id, []).append(event)
    decisions: dict[int, str] = {}
    for decision in session.scalars(
        select(BankDecision).where(BankDecision.payment_id.in_(ids)).order_by(BankDecision.id)
    ):
        if decision.payment_id is not None:
            decisions[decision.payment_id] = decision.action
    fixed: list[Paid] = []
    leefgeld: list[Paid] = []
    for payment, state in rows:
        found = events.get(payment.id, [])
        status = current_status(state, {e.status for e in found})
        reason = next((e.reason_code for e in found if e.status == status), None)
        paid = Paid(
            category=payment.category,
            payee=None if payment.kind == "leefgeld" else payee_names.get(payment.payee_id or 0),
            amount_cents=payment.amount_cents,
            pay_date=payment.execution_date,
            status=SHOWN_STATUS[status],
            reason_code=reason,
            decision=decisions.get(payment.id),
        )
        (leefgeld if payment.kind == "leefgeld" else fixed).append(paid)
    return tuple(fixed), tuple(leefgeld), True


def _booked(session: Session, household_id: int, period: Period) -> dict[str, int]:
    """Per line key, what the month's runs (not cancelled) booked for the household; a
    correction's rows are signed differences, so the sums are what stands now."""
    return {
        key: int(cents)
        for key, cents in session.execute(
            select(RunLine.line_key, func.sum(RunLine.amount_cents))
            .join(PaymentRun, PaymentRun.id == RunLine.run_id)
            .where(
                RunLine.household_id == household_id,
                RunLine.period == period.label(),
                PaymentRun.state != "cancelled",
            )
            .group_by(RunLine.line_key)
        )
    }


def _has_run(session: Session, household_id: int, period: Period) -> bool:
    return (
        session.scalar(
            select(RunLine.id)
            .join(PaymentRun, PaymentRun.id == RunLine.run_id)
            .where(
                RunLine.household_id == household_id,
                RunLine.period == period.label(),
                PaymentRun.state != "cancelled",
            )
            .limit(1)
        )
        is not None
    )


def _planned_fixed(plan: MonthlyPlan, payee_names: dict[int, str]) -> tuple[Paid, ...]:
    return tuple(
        Paid(
            line.category.value if line.category else "other",
            payee_names.get(int(line.payee_id)) if line.payee_id else None,
            line.amount.cents,
            line.pay_date,
            "gepland",
        )
        for line in plan.of_kind(LineKind.WITHHOLDING)
    )


def _vt_saved(session: Session, household_id: int, period: Period) -> int:
    """Vakantiegeld reserved by the runs up to and including ``period``, less what was paid
    out (one query over the run lines)."""
    total = 0
    for key, text, cents in session.execute(
        select(RunLine.line_key, RunLine.period, RunLine.amount_cents)
        .join(PaymentRun, PaymentRun.id == RunLine.run_id)
        .where(
            RunLine.household_id == household_id,
            RunLine.line_key.in_(("vt_accrual", "vt_payout")),
            PaymentRun.state != "cancelled",
        )
    ):
        if parse_period(text) <= period:
            total += cents if key == "vt_accrual" else -cents
    return total


def _forecast(
    facts: HouseholdFacts, policy: GemeentePolicy, plan: MonthlyPlan, payee_names: dict[int, str]
) -> Forecast | None:
    """Next month's plan from the same facts (nothing stored); None if it cannot be made."""
    following = plan.period.next()
    try:
        upcoming = plan_from_facts(facts, policy, following)
    except (FactError, PlanError, NormNotFound):
        return None
    now = {line.category for line in plan.of_kind(LineKind.WITHHOLDING)}
    then = {line.category for line in upcoming.of_kind(LineKind.WITHHOLDING)}
    return Forecast(
        period=following,
        eligible=upcoming.eligible,
        bijstand_cents=upcoming.total(LineKind.BIJSTAND).cents,
        fixed=_planned_fixed(upcoming, payee_names),
        leefgeld_cents=upcoming.total(LineKind.LEEFGELD).cents,
        held_cents=upcoming.total(LineKind.HELD).cents,
        stops=tuple(sorted(c.value for c in now - then if c is not None)),
        starts=tuple(sorted(c.value for c in then - now if c is not None)),
    )
