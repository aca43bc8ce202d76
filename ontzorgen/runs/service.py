# SPDX-License-Identifier: EUPL-1.2
"""The payment run: create → prepare → approve (four eyes) → export, or cancel before export.

Each step is one service call inside the caller's unit of work: a failure anywhere in a step
leaves nothing of that step behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.bijstand.facts import FactError
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, PlanLine
from ontzorgen.bijstand.norms import NormNotFound
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError
from ontzorgen.clients import models as cm
from ontzorgen.clients.facts import HouseholdRows, inputs_fingerprint, load_rows, to_facts
from ontzorgen.clients.planning import period_from_text, plan_from_facts
from ontzorgen.db import insert_rows
from ontzorgen.errors import Conflict, FieldProblem, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.service import get_gemeente, policy_of
from ontzorgen.ledger import service as ledger
from ontzorgen.ledger.balances import balances as ledger_balances
from ontzorgen.ledger.models import BalanceLimit, LedgerTransaction
from ontzorgen.logs import get_logger
from ontzorgen.money import Money
from ontzorgen.runs.booking import BIJSTANDSLASTEN, VT_RESERVE, AccountRef, Booking, book_plan
from ontzorgen.runs.export import (
    PaymentFields,
    end_to_end_id,
    msg_id_for,
    pmt_inf_id,
    stored_payments_digest,
)
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.sepa.charset import SepaTextError, to_sepa_text
from ontzorgen.sepa.execution_date import (
    business_day_on_or_before,
    execution_date_for_period,
    is_business_day,
    next_business_day,
)
from ontzorgen.sepa.references import Betalingskenmerk, FreeText, parse_payment_reference
from ontzorgen.sepa.writer import NAME_MAX

log = get_logger(__name__)

Progress = Callable[[int, int], None]

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


def _now() -> datetime:
    return datetime.now(UTC)


def get_run(session: Session, run_id: int) -> PaymentRun:
    """A run by id."""
    run = session.get(PaymentRun, run_id)
    if run is None:
        raise NotFound(f"betaalrun {run_id} bestaat niet")
    return run


def _require_state(run: PaymentRun, *states: str, action: str) -> None:
    if run.state not in states:
        raise Conflict(
            f"betaalrun {run.id} staat op '{run.state}'; {action} kan alleen vanuit "
            + " of ".join(f"'{s}'" for s in states)
        )


def create_run(
    session: Session,
    actor: Actor,
    gemeente_ref: str,
    period_text: str,
    *,
    corrects: int | None = None,
    reason: str | None = None,
) -> PaymentRun:
    """Register a run (state ``queued``). One regular run per gemeente and period; a correction
    run needs the run it corrects and a recorded reason."""
    gemeente = get_gemeente(session, gemeente_ref)
    period = period_from_text(period_text)
    if corrects is not None:
        original = get_run(session, corrects)
        if original.gemeente_id != gemeente.id:
            raise InvalidInput("corrects", "de gecorrigeerde run is van een andere gemeente")
        if not reason or not reason.strip():
            raise InvalidInput("reason", "een correctierun heeft een vastgelegde reden nodig")
    existing = session.scalar(
        select(PaymentRun.id).where(
            PaymentRun.gemeente_id == gemeente.id,
            PaymentRun.period == period.label(),
            PaymentRun.kind == "regular",
            PaymentRun.state != "cancelled",
        )
    )
    if corrects is None and existing is not None:
        raise Conflict(
            f"er is al een reguliere betaalrun ({existing}) voor {period.label()}; "
            "maak een correctierun met een reden"
        )
    run = PaymentRun(
        gemeente_id=gemeente.id,
        period=period.label(),
        kind="regular" if corrects is None else "correction",
        corrects_run_id=corrects,
        correction_reason=reason if corrects is not None else None,
        state="queued",
        created_by=actor.user_id,
    )
    session.add(run)
    session.flush()
    run.msg_id = msg_id_for(gemeente, run)
    session.flush()
    log.info("run.created", run_id=run.id, gemeente=gemeente.code, period=run.period)
    return run


# -- computing a run ---------------------------------------------------------------------


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


class _Context:
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
    ctx: _Context, household: cm.Household, line: PlanLine, booking: Booking, execution: date
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
    ctx: _Context, rows: HouseholdRows, line: PlanLine, slot: int, booking: Booking
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


def _plan_chunk(
    ctx: _Context, chunk: list[HouseholdRows], out: RunComputation, problems: list[FieldProblem]
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


def _account_ids(
    session: Session, gemeente_id: int, bookings: Sequence[Booking]
) -> dict[AccountRef, int]:
    """Ledger account ids for every account the bookings touch (sub-accounts opened)."""
    chart = ledger.open_default_chart(session, gemeente_id)
    limits = {spec.code: spec.subaccount_limit for spec in ledger.DEFAULT_CHART}
    refs = {ref for b in bookings for ref, _ in b.postings}
    opened = ledger.ensure_subaccounts(
        session,
        gemeente_id,
        [
            (ref.code, ref.subject, ref.subject, limits[ref.code] or BalanceLimit.NONE)
            for ref in sorted(refs, key=lambda r: (r.code, r.subject or ""))
            if ref.subject is not None
        ],
    )
    return {AccountRef(code): id_ for code, id_ in chart.items()} | {
        ref: opened[(ref.code, ref.subject)] for ref in refs if ref.subject is not None
    }


def _fund_vt_payouts(
    session: Session, bookings: list[Booking], accounts: dict[AccountRef, int]
) -> list[Booking]:
    """Pay vakantietoeslag from the reserve as far as the ledger holds it.

    The plan computes a payout from the facts (art. 19 lid 3, art. 45 lid 1); months before the
    household's first payment run were never reserved in this ledger, so that part is charged to
    bijstand-lasten directly instead of driving the reserve past its limit.
    """
    payouts = [b for b in bookings if b.line.kind is LineKind.VT_PAYOUT]
    if not payouts:
        return bookings
    reserves = sorted({accounts[ref] for b in payouts for ref, _ in b.postings
                       if ref.code == VT_RESERVE})  # fmt: skip
    held: dict[int, int] = {}
    for start in range(0, len(reserves), 5000):
        chunk = reserves[start : start + 5000]
        held.update({a: -m.cents for a, m in ledger_balances(session, chunk).items()})
    funded: list[Booking] = []
    for booking in bookings:
        reserve = next((accounts[r] for r, _ in booking.postings if r.code == VT_RESERVE), None)
        if reserve is None:
            funded.append(booking)
            continue
        if booking.line.kind is LineKind.VT_ACCRUAL:
            # This month's accrual belongs to next year's payout: it does not fund this one.
            funded.append(booking)
            continue
        payout = booking.line.amount
        from_reserve = Money(max(0, min(held.get(reserve, 0), payout.cents)))
        held[reserve] = held.get(reserve, 0) - from_reserve.cents
        if from_reserve == payout:
            funded.append(booking)
            continue
        (vt_ref, _), (owed_ref, _) = booking.postings
        legs = [(vt_ref, from_reserve)] if from_reserve else []
        legs.append((AccountRef(BIJSTANDSLASTEN), payout - from_reserve))
        funded.append(replace(booking, postings=(*legs, (owed_ref, -payout))))
    return funded


CHUNK = 2_000  # households planned, booked and paid per step: memory stays flat


def prepare_run(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> PaymentRun:
    """Plan every household of the gemeente for the run's period, book each plan in the ledger
    and create its payments — in chunks, all inside the caller's one unit of work, so a failure
    anywhere leaves nothing behind. Households whose right does not run in the period are not
    in the run; facts that break a rule, or payments a bank would refuse, stop the whole run
    with every problem listed."""
    run = get_run(session, run_id)
    _require_state(run, "queued", action="voorbereiden")
    ctx = _Context(session, run, today or date.today())
    inputs_digest = inputs_fingerprint(session, run.gemeente_id)
    ledger.open_period(session, actor, run.gemeente_id, run.period)
    report = RunComputation()
    problems: list[FieldProblem] = []
    total = len(ctx.household_ids)
    for start in range(0, total, chunk_size):
        chunk = RunComputation()
        ids = ctx.household_ids[start : start + chunk_size]
        _plan_chunk(ctx, load_rows(session, run.gemeente_id, ids), chunk, problems)
        if not problems:  # keep collecting problems, but book nothing more once one is found
            _book_chunk(session, actor, run, chunk)
        report.households += chunk.households
        report.shortfalls += chunk.shortfalls
        report.held += chunk.held
        report.signals += chunk.signals
        if progress is not None:
            progress(min(start + chunk_size, total), total)
    if problems:
        # One problem per payee or household, however many payments it has.
        raise InvalidInput(problems=list(dict.fromkeys(problems)))
    totals = session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_cents), 0)).where(
            Payment.run_id == run.id
        )
    ).one()
    run.state = "prepared"
    run.prepared_by = actor.user_id
    run.prepared_at = _now()
    run.execution_date = ctx.vaste_date
    run.digest = stored_payments_digest(session, run.id)
    run.inputs_digest = inputs_digest
    run.payment_count, run.total_cents = int(totals[0]), int(totals[1])
    run.household_count = report.households
    run.shortfall_cents = sum(int(str(s["amount_cents"])) for s in report.shortfalls)
    run.held_cents = sum(int(str(h["amount_cents"])) for h in report.held)
    run.progress_done = run.progress_total = total
    run.report = json.dumps(
        {"shortfalls": report.shortfalls, "held": report.held, "signals": report.signals},
        ensure_ascii=False,
    )
    session.flush()
    log.info(
        "run.prepared", run_id=run.id, payments=run.payment_count, households=run.household_count
    )
    return run


def _book_chunk(session: Session, actor: Actor, run: PaymentRun, chunk: RunComputation) -> None:
    """Post a chunk's bookings (set-based) and insert its payments (COPY on PostgreSQL)."""
    if not chunk.bookings:
        return
    accounts = _account_ids(session, run.gemeente_id, chunk.bookings)
    bookings = _fund_vt_payouts(session, chunk.bookings, accounts)
    # Bookings are dated on the first day of the run's period (the ledger keeps a booking
    # inside its period); the value date is the day the money leaves.
    booking_date = period_from_text(run.period).first_day
    value_dates = {p.booking_key: p.fields.execution_date for p in chunk.payments}
    transaction_ids = ledger.post_batch(
        session,
        actor,
        run.gemeente_id,
        [
            ledger.NewTransaction(
                idempotency_key=b.key,
                booking_date=booking_date,
                value_date=value_dates.get(b.key, booking_date),
                period=run.period,
                description=b.description,
                rule=b.rule,
                postings=tuple((accounts[ref], amount) for ref, amount in b.postings),
            )
            for b in bookings
        ],
    )
    by_key = {b.key: tid for b, tid in zip(bookings, transaction_ids, strict=True)}
    insert_rows(
        session,
        Payment.__table__,  # type: ignore[arg-type]
        [
            {
                "gemeente_id": run.gemeente_id,
                "run_id": run.id,
                "household_id": p.household_id,
                "contract_id": p.contract_id,
                "payee_id": p.payee_id,
                "period": run.period,
                "active": True,
                "category": p.category,
                "end_to_end_id": p.end_to_end_id,
                "pmt_inf_id": p.pmt_inf_id,
                "rule": p.rule,
                "ledger_transaction_id": by_key[p.booking_key],
                **{name: getattr(p.fields, name) for name in PaymentFields.__slots__},
            }
            for p in chunk.payments
        ],
    )


def approve_run(
    session: Session, actor: Actor, run_id: int, *, today: date | None = None
) -> PaymentRun:
    """Approve a prepared run: by someone else than the preparer (four eyes), and only while
    nothing the payments were computed from has changed since prepare.

    The approval is bound to the digest of the run's payments. Because the plans are a pure
    function of the stored facts, "the payments would still be the same" is checked by
    comparing a fingerprint of those facts (contracts, IBANs, addresses, norms, policy, …)
    with the one taken at prepare — and the execution dates must not have passed.
    """
    run = get_run(session, run_id)
    _require_state(run, "prepared", action="accorderen")
    if actor.user_id == run.prepared_by:
        raise NotPermitted(
            "vier ogen: wie de betaalrun voorbereidde mag hem niet accorderen; "
            "een tweede medewerker moet accorderen"
        )
    if inputs_fingerprint(session, run.gemeente_id) != run.inputs_digest:
        raise Conflict(
            "de gegevens zijn gewijzigd sinds het voorbereiden (contract, IBAN, norm of "
            "adres): annuleer de run en bereid hem opnieuw voor"
        )
    first = session.scalar(select(func.min(Payment.execution_date)).where(Payment.run_id == run.id))
    if first is not None and first < (today or date.today()):
        raise Conflict(
            f"de uitvoerdatum {first.isoformat()} is verstreken: annuleer de run en bereid "
            "hem opnieuw voor"
        )
    run.state = "approved"
    run.approved_by = actor.user_id
    run.approved_at = _now()
    session.flush()
    log.info("run.approved", run_id=run.id)
    return run


def cancel_run(session: Session, actor: Actor, run_id: int, reason: str) -> PaymentRun:
    """Cancel a run before export: its bookings are reversed, its payments made inactive."""
    run = get_run(session, run_id)
    _require_state(run, "queued", "prepared", "approved", "failed", action="annuleren")
    if not reason.strip():
        raise InvalidInput("reason", "een annulering heeft een vastgelegde reden nodig")
    today = date.today()
    booked = session.execute(
        select(LedgerTransaction.id, LedgerTransaction.idempotency_key)
        .where(
            LedgerTransaction.gemeente_id == run.gemeente_id,
            LedgerTransaction.idempotency_key.startswith(f"run{run.id}:"),
            LedgerTransaction.reverses_id.is_(None),
        )
        # Newest first: payments are undone before the bijstand that funded them, so no
        # household account ever goes past its limit on the way.
        .order_by(LedgerTransaction.id.desc())
    ).all()
    for transaction_id, key in booked:
        ledger.reverse(
            session,
            actor,
            run.gemeente_id,
            transaction_id,
            idempotency_key=f"{key}:annulering",
            booking_date=today,
            description=f"Annulering betaalrun {run.id}: {reason}"[:500],
            rule="correctie door terugboeking (annulering betaalrun)",
        )
    session.execute(update(Payment).where(Payment.run_id == run.id).values(active=False))
    run.state = "cancelled"
    run.cancelled_by = actor.user_id
    run.cancelled_at = _now()
    run.cancel_reason = reason
    session.flush()
    log.info("run.cancelled", run_id=run.id)
    return run


def mark_failed(session: Session, run_id: int, reason: str) -> PaymentRun:
    """Record that preparing a run failed (the failed unit of work left nothing else)."""
    run = get_run(session, run_id)
    if run.state == "queued":
        run.state = "failed"
        run.error = reason[:2000]
        session.flush()
    return run


def retry_failed(session: Session, run_id: int) -> PaymentRun:
    """Put a failed run back in the queue so it can be prepared again."""
    run = get_run(session, run_id)
    _require_state(run, "failed", action="opnieuw proberen")
    run.state = "queued"
    run.error = None
    session.flush()
    return run


def run_payments(session: Session, run: PaymentRun) -> list[Payment]:
    """The run's payments in id order."""
    return list(
        session.scalars(select(Payment).where(Payment.run_id == run.id).order_by(Payment.id))
    )


__all__ = [
    "approve_run",
    "cancel_run",
    "create_run",
    "get_run",
    "prepare_run",
    "run_payments",
]
