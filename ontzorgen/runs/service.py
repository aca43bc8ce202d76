# SPDX-License-Identifier: EUPL-1.2
"""The payment run: create → prepare → approve (four eyes) → export, or cancel before export.

Each step is one service call inside the caller's unit of work: a failure anywhere in a step
leaves nothing of that step behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.bijstand.lines import LineKind
from ontzorgen.clients.facts import inputs_fingerprint, load_rows
from ontzorgen.clients.planning import period_from_text
from ontzorgen.db import after_commit, insert_rows, refresh_statistics
from ontzorgen.errors import Conflict, FieldProblem, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.ledger.balances import balances as ledger_balances
from ontzorgen.ledger.models import BalanceLimit, LedgerTransaction
from ontzorgen.logs import get_logger
from ontzorgen.money import Money
from ontzorgen.runs.booking import BIJSTANDSLASTEN, VT_RESERVE, AccountRef, Booking
from ontzorgen.runs.export import (
    PaymentFields,
    msg_id_for,
    stored_payments_digest,
)
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.planning import RunComputation, RunContext, plan_chunk

log = get_logger(__name__)

Progress = Callable[[int, int], None]


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
_GROWING_TABLES = (
    "ledger_account", "ledger_transaction", "ledger_posting", "ledger_balance", "payment",
)  # fmt: skip


def prepare_run(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    today: date,
    now: datetime,
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
    ctx = RunContext(session, run, today)
    inputs_digest = inputs_fingerprint(session, run.gemeente_id)
    ledger.open_period(session, actor, run.gemeente_id, run.period)
    report = RunComputation()
    problems: list[FieldProblem] = []
    total = len(ctx.household_ids)
    for start in range(0, total, chunk_size):
        chunk = RunComputation()
        ids = ctx.household_ids[start : start + chunk_size]
        plan_chunk(ctx, load_rows(session, run.gemeente_id, ids), chunk, problems)
        if not problems:  # keep collecting problems, but book nothing more once one is found
            _book_chunk(session, actor, run, chunk)
            number = start // chunk_size + 1
            if number & (number - 1) == 0:  # after chunks 1, 2, 4, 8, …: the tables doubled
                refresh_statistics(session, _GROWING_TABLES)
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
    run.prepared_at = now
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
    columns = (
        "gemeente_id", "run_id", "household_id", "contract_id", "payee_id", "period", "active",
        "category", "end_to_end_id", "pmt_inf_id", "rule", "ledger_transaction_id",
        *PaymentFields.__slots__,
    )  # fmt: skip
    insert_rows(
        session,
        cast(Table, Payment.__table__),
        columns,
        [
            (
                run.gemeente_id,
                run.id,
                p.household_id,
                p.contract_id,
                p.payee_id,
                run.period,
                True,
                p.category,
                p.end_to_end_id,
                p.pmt_inf_id,
                p.rule,
                by_key[p.booking_key],
                *(getattr(p.fields, name) for name in PaymentFields.__slots__),
            )
            for p in chunk.payments
        ],
    )


def approve_run(
    session: Session, actor: Actor, run_id: int, *, today: date, now: datetime
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
    if first is not None and first < today:
        raise Conflict(
            f"de uitvoerdatum {first.isoformat()} is verstreken: annuleer de run en bereid "
            "hem opnieuw voor"
        )
    run.state = "approved"
    run.approved_by = actor.user_id
    run.approved_at = now
    session.flush()
    # Logged once the approval has committed: a rolled-back approval approved nothing.
    after_commit(session, partial(log.info, "run.approved", run_id=run.id))
    return run


def cancel_run(
    session: Session, actor: Actor, run_id: int, reason: str, *, today: date, now: datetime
) -> PaymentRun:
    """Cancel a run before export: its bookings are reversed, its payments made inactive."""
    run = get_run(session, run_id)
    _require_state(run, "queued", "prepared", "approved", "failed", action="annuleren")
    if not reason.strip():
        raise InvalidInput("reason", "een annulering heeft een vastgelegde reden nodig")
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
    run.cancelled_at = now
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
