# SPDX-License-Identifier: EUPL-1.2
"""From plans to payments: what a run pays, to whom, when, and what its report says.

Reads the facts of a chunk of households, applies the rules, and derives per household the
ledger bookings (``booking.py``), the SEPA payments (a snapshot of creditor, account, address
and remittance) and the report lines (shortfalls, held leefgeld, signals). It writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.bijstand.facts import FactError
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, PlanLine
from ontzorgen.bijstand.norms import NormNotFound
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError
from ontzorgen.clients import models as cm
from ontzorgen.clients.facts import HouseholdRows, to_facts
from ontzorgen.clients.planning import period_from_text, plan_from_facts
from ontzorgen.errors import FieldProblem
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.service import policy_of
from ontzorgen.runs.booking import Booking, book_plan
from ontzorgen.runs.export import PaymentFields, end_to_end_id, pmt_inf_id
from ontzorgen.runs.models import PaymentRun
from ontzorgen.sepa.charset import SepaTextError, to_sepa_text
from ontzorgen.sepa.execution_date import (
    business_day_on_or_before,
    execution_date_for_period,
    is_business_day,
    next_business_day,
)
from ontzorgen.sepa.references import Betalingskenmerk, FreeText, parse_payment_reference
from ontzorgen.sepa.writer import NAME_MAX

_CATEGORY_NL = {
    "huur": "huur",
    "gas": "gas",
    "stroom": "stroom",
    "water": "water",
    "zorgverzekering": "zorgverzekering",
    "other": "overige vaste last",
}
_MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip


def month_label(period: Period) -> str:
    """``december 2026``."""
    return f"{_MONTHS_NL[period.month - 1]} {period.year}"


@dataclass
class PlannedPayment:
    """A payment-to-be, with the booking that pays it."""

    fields: PaymentFields
    household_id: int
    contract_id: int | None
    payee_id: int | None
    category: str
    end_to_end_id: str
    pmt_inf_id: str
    rule: str
    booking_key: str


@dataclass
class RunComputation:
    """What a chunk of households books and pays, and what the run's report says of them."""

    bookings: list[Booking] = field(default_factory=list)
    payments: list[PlannedPayment] = field(default_factory=list)
    households: int = 0
    shortfalls: list[dict[str, object]] = field(default_factory=list)
    held: list[dict[str, object]] = field(default_factory=list)
    signals: list[dict[str, object]] = field(default_factory=list)


def _not_before_today(day: date, today: date) -> date:
    # A bank refuses an execution date in the past: pay as soon as possible instead.
    if day >= today:
        return day
    return today if is_business_day(today) else next_business_day(today)


def vaste_lasten_date(policy: PolicyParameters, period: Period, today: date) -> date:
    """Vaste lasten leave on the gemeente's payment day in the month before, moved earlier to
    a TARGET2 business day, so that rent is there on the 1st."""
    chosen = execution_date_for_period(period.first_day, day_of_month=policy.payment_day)
    return _not_before_today(chosen, today)


def leefgeld_date(line: PlanLine, period: Period, today: date) -> date:
    """Leefgeld leaves on its plan date (weekly or monthly), moved to a business day."""
    planned = line.pay_date or period.first_day
    return _not_before_today(business_day_on_or_before(planned), today)


def _remittance(reference: str) -> tuple[str, str]:
    parsed = parse_payment_reference(reference)
    if isinstance(parsed, Betalingskenmerk):
        return "betalingskenmerk", parsed.digits
    if isinstance(parsed, FreeText):
        return "ustrd", parsed.text
    return "rf", parsed.value


def _town_of(gemeente: Gemeente) -> str:
    return gemeente.name.removeprefix("Gemeente ").strip()


class RunContext:
    """What computing a run needs from the database, loaded once, set-based."""

    def __init__(self, session: Session, run: PaymentRun, today: date) -> None:
        self.run = run
        self.gemeente = session.get_one(Gemeente, run.gemeente_id)
        self.policy = policy_of(self.gemeente)
        self.period = period_from_text(run.period)
        self.today = today
        self.payees = {
            p.id: p
            for p in session.scalars(
                select(cm.Payee).where(cm.Payee.gemeente_id == run.gemeente_id)
            )
        }
        self.household_ids = list(
            session.scalars(
                select(cm.Household.id)
                .where(cm.Household.gemeente_id == run.gemeente_id)
                .order_by(cm.Household.id)
            )
        )
        self.vaste_date = vaste_lasten_date(self.policy, self.period, today)


def _describe(household_ref: str, period: Period) -> Callable[[PlanLine], str]:
    def describe(line: PlanLine) -> str:
        what = line.kind.value if line.category is None else _CATEGORY_NL[line.category.value]
        return f"{month_label(period)} {household_ref}: {what}"

    return describe


def _vaste_last(
    ctx: RunContext, household: cm.Household, line: PlanLine, booking: Booking, execution: date
) -> PlannedPayment:
    assert line.contract_id is not None
    assert line.payee_id is not None
    assert line.payment_reference is not None
    assert line.category is not None
    payee = ctx.payees[int(line.payee_id)]
    kind, remittance = _remittance(line.payment_reference)
    return PlannedPayment(
        fields=PaymentFields(
            payment_key=f"c{line.contract_id}:{ctx.period.label()}",
            kind="vaste_last",
            amount_cents=line.amount.cents,
            execution_date=execution,
            creditor_name=payee.name,
            creditor_iban=payee.iban,
            creditor_bic=payee.bic,
            street=payee.street,
            building_number=payee.building_number,
            postcode=payee.postcode,
            town=payee.town,
            country=payee.country,
            remittance_kind=kind,
            remittance=remittance,
            purpose=ctx.policy.purpose_codes.get(line.category.value),
        ),
        household_id=household.id,
        contract_id=int(line.contract_id),
        payee_id=payee.id,
        category=line.category.value,
        end_to_end_id=end_to_end_id(
            ctx.run.period, ctx.run.id, household.id, f"C{line.contract_id}"
        ),
        pmt_inf_id=pmt_inf_id(ctx.run.msg_id or "", "vaste_last", execution),
        rule=line.rule,
        booking_key=booking.key,
    )


def _leefgeld(
    ctx: RunContext, rows: HouseholdRows, line: PlanLine, slot: int, booking: Booking
) -> PlannedPayment:
    household = rows.household
    assert household.iban is not None
    execution = leefgeld_date(line, ctx.period, ctx.today)
    # The account holder's name, else the aanvrager's registered name (BRP).
    applicant = next((p.name for p in rows.persons if p.role == "aanvrager"), None)
    name = household.iban_name or applicant or household.reference
    return PlannedPayment(
        fields=PaymentFields(
            payment_key=f"l{household.id}:{ctx.period.label()}:{slot}",
            kind="leefgeld",
            amount_cents=line.amount.cents,
            execution_date=execution,
            creditor_name=name,
            creditor_iban=household.iban,
            creditor_bic=None,
            street=household.street,
            building_number=household.building_number,
            postcode=household.postcode,
            town=household.town or _town_of(ctx.gemeente),
            country="NL",
            remittance_kind="ustrd",
            remittance=f"Leefgeld {month_label(ctx.period)} {ctx.gemeente.name}",
            purpose=ctx.policy.purpose_codes.get("leefgeld"),
        ),
        household_id=household.id,
        contract_id=None,
        payee_id=None,
        category="leefgeld",
        end_to_end_id=end_to_end_id(ctx.run.period, ctx.run.id, household.id, f"L{slot}"),
        pmt_inf_id=pmt_inf_id(ctx.run.msg_id or "", "leefgeld", execution),
        rule=line.rule,
        booking_key=booking.key,
    )


def _payment_problems(
    payment: PlannedPayment, household_ref: str, payees: dict[int, cm.Payee]
) -> list[FieldProblem]:
    """What the bank would refuse, found at prepare so approval is never wasted on it.

    Payees are organisations and are named; for a household only its reference is shown.
    """
    fields = payment.fields
    if payment.payee_id is not None:
        payee = payees[payment.payee_id]
        who, record = f"betaalontvanger {payee.reference} ({payee.name})", payee.reference
    else:
        who, record = f"huishouden {household_ref}", household_ref
    problems = []
    if not fields.town or not fields.country:
        problems.append(FieldProblem(
            "town", f"{who} heeft geen plaats in het adres: banken weigeren sinds 15 november "
            "2026 overboekingen zonder gestructureerd adres (plaats en land)", record,
        ))  # fmt: skip
    try:
        to_sepa_text(fields.creditor_name, field="Cdtr/Nm", max_len=NAME_MAX)
    except SepaTextError as error:
        problems.append(FieldProblem(
            "name", f"de naam van {who} past niet in een SEPA-bestand ({error.reason}); "
            "leg de naam in Latijns schrift vast zoals in de BRP of bij de bank", record,
        ))  # fmt: skip
    return problems


def _report_lines(plan: MonthlyPlan, household: cm.Household, out: RunComputation) -> None:
    for line in plan.of_kind(LineKind.SHORTFALL):
        out.shortfalls.append({
            "household": household.reference, "amount_cents": line.amount.cents,
            "category": None if line.category is None else line.category.value,
            "reason": line.explanation, "rule": line.rule,
        })  # fmt: skip
    for line in plan.of_kind(LineKind.HELD):
        out.held.append({
            "household": household.reference, "amount_cents": line.amount.cents,
            "reason": line.explanation, "rule": line.rule,
        })  # fmt: skip
    for signal in plan.signals:
        out.signals.append(
            {"household": household.reference, "code": signal.code.value, "message": signal.message}
        )


def plan_chunk(
    ctx: RunContext, chunk: list[HouseholdRows], out: RunComputation, problems: list[FieldProblem]
) -> None:
    """Plan a chunk of households and derive their bookings, payments and report lines."""
    for rows in chunk:
        household = rows.household
        try:
            facts = to_facts(rows)
            if not facts.right.covers(ctx.period):
                continue  # no bijstand this month: not in the run
            plan = plan_from_facts(facts, ctx.policy.to_facts(), ctx.period)
        except (FactError, PlanError, NormNotFound) as error:
            problems.append(FieldProblem("household", str(error), household.reference))
            continue
        out.households += 1
        kinds = {d.id: d.kind for d in facts.deductions}
        booked = book_plan(
            plan, household.id, f"run{ctx.run.id}", kinds,
            _describe(household.reference, ctx.period),
        )  # fmt: skip
        out.bookings.extend(booked.bookings)
        slot = 0
        for booking in booked.bookings:
            line = booking.line
            if line.kind is LineKind.WITHHOLDING:
                payment = _vaste_last(ctx, household, line, booking, ctx.vaste_date)
            elif line.kind is LineKind.LEEFGELD:
                slot += 1
                payment = _leefgeld(ctx, rows, line, slot, booking)
            else:
                continue
            problems += _payment_problems(payment, household.reference, ctx.payees)
            out.payments.append(payment)
        _report_lines(plan, household, out)


# -- the lifecycle -----------------------------------------------------------------------
