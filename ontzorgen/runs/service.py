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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bijstand.lines import LineKind
from ontzorgen.clients.facts import inputs_fingerprint, load_rows
from ontzorgen.clients.planning import period_from_text
from ontzorgen.db import after_commit, insert_rows, refresh_statistics
from ontzorgen.errors import Conflict, FieldProblem, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.ledger.balances import balances as ledger_balances
from ontzorgen.ledger.models import BalanceLimit, LedgerAccount, LedgerTransaction
from ontzorgen.logs import get_logger
from ontzorgen.money import Money
from ontzorgen.runs.booking import (
    BIJSTANDSLASTEN,
    VT_RESERVE,
    AccountRef,
    Booking,
    household_account,
)
from ontzorgen.runs.export import (
    PAYMENT_ROW_COLUMNS,
    PaymentFields,
    msg_id_for,
    stored_payments_digest,
)
from ontzorgen.runs.models import Payment, PaymentRun, RunLine, state_label
from ontzorgen.runs.planning import (
    PAYOUT_KEYS,
    HeldEarlier,
    Prior,
    RunComputation,
    RunContext,
    plan_chunk,
)

log = get_logger(__name__)

Progress = Callable[[int, int], None]


def get_run(session: Session, run_id: int) -> PaymentRun:
    """A run by id, unscoped: for steps inside a service that already checked the actor."""
    run = session.get(PaymentRun, run_id)
    if run is None:
        raise NotFound(f"betaalrun {run_id} bestaat niet")
    return run


def readable_run(
    session: Session, actor: Actor, run_id: int, permission: Permission = Permission.RUN_READ
) -> PaymentRun:
    """The run, if ``actor`` may do ``permission`` on it: a run of a gemeente where the actor
    has no role is "not found", as if it did not exist."""
    run = session.get(PaymentRun, run_id)
    if run is None:
        raise NotFound(f"betaalrun {run_id} bestaat niet")
    require_in_gemeente(session, actor, run.gemeente_id, permission, f"betaalrun {run_id}")
    return run


def lock_run(session: Session, run_id: int) -> PaymentRun:
    """The run, locked for the rest of the unit of work and read afresh: one transition at a
    time. Every transition locks its run before it checks the state, so one that lost a race
    sees the state the winner left and answers with a Conflict instead of overwriting it.

    PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` on the run row (another transition waits for
    this unit of work to end; the row is then read as committed). SQLite has no row locks but
    one writer at a time: a write that changes nothing takes that write lock for the unit of
    work, so the row read after it cannot change underneath.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(PaymentRun)
            .where(PaymentRun.id == run_id)
            .values(state=PaymentRun.state)
            .execution_options(synchronize_session=False)
        )
    run = session.scalar(
        select(PaymentRun)
        .where(PaymentRun.id == run_id)
        # FOR NO KEY UPDATE: excludes every other transition, but not the foreign-key share
        # locks of the payments a prepare is inserting (a cancel must not wait for those).
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if run is None:
        raise NotFound(f"betaalrun {run_id} bestaat niet")
    return run


def audit_run(
    session: Session, actor: Actor, run: PaymentRun, action: str, *, at: datetime | None = None
) -> None:
    """Log a step of a run (gemeente level: a run's households are in its payments)."""
    audit.record(session, actor, action, gemeente_id=run.gemeente_id, ref=f"run:{run.id}", at=at)


def _require_state(run: PaymentRun, *states: str, action: str) -> None:
    if run.state not in states:
        allowed = [state_label(s) for s in states]
        either = " of ".join([", ".join(allowed[:-1]), allowed[-1]] if allowed[:-1] else allowed)
        raise Conflict(
            f"betaalrun {run.id} is {state_label(run.state)}; "
            f"{action} kan alleen als de run {either} is"
        )


def _second_regular_run(existing: int, period: str) -> Conflict:
    return Conflict(
        f"er is al een reguliere betaalrun ({existing}) voor {period}; "
        "maak een correctierun met een reden"
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
    require_in_gemeente(session, actor, gemeente.id, Permission.RUN_PREPARE, "gemeente")
    period = period_from_text(period_text)
    if corrects is not None:
        original = get_run(session, corrects)
        if original.gemeente_id != gemeente.id:
            raise InvalidInput("corrects", "de gecorrigeerde run is van een andere gemeente")
        if not reason or not reason.strip():
            raise InvalidInput("reason", "een correctierun heeft een vastgelegde reden nodig")
        if original.period != period.label():
            raise InvalidInput(
                "period",
                f"een correctierun hoort bij de periode van de run die hij corrigeert "
                f"({original.period})",
            )
        if not _settled(original.state, original.payment_count):
            # Before export a run is corrected by cancelling and preparing it again.
            raise Conflict(
                f"betaalrun {original.id} staat op '{original.state}': alleen een "
                "geëxporteerde run wordt gecorrigeerd; annuleer hem anders en bereid hem "
                "opnieuw voor"
            )
    existing_query = select(PaymentRun.id).where(
        PaymentRun.gemeente_id == gemeente.id,
        PaymentRun.period == period.label(),
        PaymentRun.kind == "regular",
        PaymentRun.state != "cancelled",
    )
    existing = session.scalar(existing_query)
    if corrects is None and existing is not None:
        raise _second_regular_run(existing, period.label())
    run = PaymentRun(
        gemeente_id=gemeente.id,
        period=period.label(),
        kind="regular" if corrects is None else "correction",
        corrects_run_id=corrects,
        correction_reason=reason if corrects is not None else None,
        state="queued",
        created_by=actor.user_id,
    )
    if corrects is None and session.get_bind().dialect.name == "postgresql":
        try:
            # Two starts at once both found no run above: the second waits here on the
            # first's unique key and, once that has committed, is refused the same way.
            with session.begin_nested():
                session.add(run)
                session.flush()
        except IntegrityError:
            winner = session.scalar(existing_query)
            if winner is None:
                raise
            raise _second_regular_run(winner, period.label()) from None
    else:  # SQLite has one writer at a time (and pysqlite's SAVEPOINT would commit here)
        session.add(run)
        session.flush()
    run.msg_id = msg_id_for(gemeente, run)
    session.flush()
    log.info("run.created", run_id=run.id, gemeente=gemeente.code, period=run.period)
    audit_run(session, actor, run, "betaalrun.aangemaakt")
    return run


def queued_regular_run(
    session: Session, actor: Actor, gemeente_ref: str, period_text: str
) -> PaymentRun | None:
    """The gemeente's regular run of the period that is still ``queued``, if any, for an
    ``actor`` who may prepare runs there.

    With SQLite a run is prepared in the process that registered it; a process that died on
    the way (a crash, a kill) leaves it queued with nothing to finish it. Preparing the period
    again prepares that run instead of refusing a second one.
    """
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.RUN_PREPARE, "gemeente")
    return session.scalar(
        select(PaymentRun).where(
            PaymentRun.gemeente_id == gemeente.id,
            PaymentRun.period == period_from_text(period_text).label(),
            PaymentRun.kind == "regular",
            PaymentRun.state == "queued",
        )
    )


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
    payouts = [b for b in bookings if b.line.kind is LineKind.VT_PAYOUT and not b.reversed]
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
        if reserve is None or booking.reversed:
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
    run = readable_run(session, actor, run_id, Permission.RUN_PREPARE)
    _require_state(run, "queued", action="voorbereiden")
    ctx = RunContext(session, run, today)
    earlier = _earlier_runs(session, run)
    inputs_digest = inputs_fingerprint(session, run.gemeente_id)
    ledger.open_period(session, actor, run.gemeente_id, run.period)
    report = RunComputation()
    problems: list[FieldProblem] = []
    changed = 0
    total = len(ctx.household_ids)
    for start in range(0, total, chunk_size):
        chunk = RunComputation()
        ids = ctx.household_ids[start : start + chunk_size]
        priors = _priors(session, run, earlier, ids)
        plan_chunk(ctx, load_rows(session, run.gemeente_id, ids), chunk, problems, priors)
        changed += len(chunk.lines)
        if not problems:  # keep collecting problems, but book nothing more once one is found
            _book_chunk(session, actor, run, chunk)
            number = start // chunk_size + 1
            if number & (number - 1) == 0:  # after chunks 1, 2, 4, 8, …: the tables doubled
                refresh_statistics(session, _GROWING_TABLES)
        report.households += chunk.households
        report.shortfalls += chunk.shortfalls
        report.held += chunk.held
        report.signals += chunk.signals
        report.claims += chunk.claims
        report.released += chunk.released
        if progress is not None:
            progress(min(start + chunk_size, total), total)
    if run.kind == "correction" and not problems:
        from ontzorgen.runs.reissue import book_reissues  # bank → runs: imported late

        changed += book_reissues(session, actor, ctx, run, problems)
    if problems:
        # One problem per payee or household, however many payments it has.
        raise InvalidInput(problems=list(dict.fromkeys(problems)))
    if run.kind == "correction" and not changed:
        raise Conflict(
            f"de correctierun vindt geen verschil met wat al voor {run.period} is geboekt: "
            "er is niets te betalen of terug te vorderen; annuleer de run"
        )
    # Locked only now, so the progress stays writable while planning; a cancel that came in
    # meanwhile has won, and everything booked above is rolled back with this Conflict.
    run = lock_run(session, run_id)
    _require_state(run, "queued", action="voorbereiden")
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
        {
            "shortfalls": report.shortfalls,
            "held": report.held,
            "released": report.released,
            "claims": report.claims,
            "signals": report.signals,
        },
        ensure_ascii=False,
    )
    session.flush()
    log.info(
        "run.prepared", run_id=run.id, payments=run.payment_count, households=run.household_count
    )
    audit_run(session, actor, run, "betaalrun.voorbereid", at=now)
    return run


def _settled(state: str, payment_count: int) -> bool:
    """Done paying: exported, or approved with nothing for the bank (claims only)."""
    return state == "exported" or (state == "approved" and payment_count == 0)


def _earlier_runs(session: Session, run: PaymentRun) -> list[int]:
    """The other runs of the run's period that still count. A correction compares with what
    they booked, so none of them may still change: each is exported (or, paying nothing,
    approved) — or cancelled, and then it no longer counts."""
    if run.kind == "correction":
        # One correction of a month at a time: two prepared together would both compare with
        # the same bookings and pay the difference twice. Every correction of the month waits
        # here on the month's regular run (PostgreSQL; SQLite has one writer at a time).
        session.execute(
            select(PaymentRun.id)
            .where(
                PaymentRun.gemeente_id == run.gemeente_id,
                PaymentRun.period == run.period,
                PaymentRun.kind == "regular",
                PaymentRun.state != "cancelled",
            )
            .with_for_update()
        )
    rows = session.execute(
        select(PaymentRun.id, PaymentRun.state, PaymentRun.payment_count).where(
            PaymentRun.gemeente_id == run.gemeente_id,
            PaymentRun.period == run.period,
            PaymentRun.id != run.id,
            PaymentRun.state.not_in(("cancelled", "queued", "failed")),
        )
    ).all()
    if run.kind == "correction":
        busy = [r.id for r in rows if not _settled(r.state, r.payment_count)]
        if busy:
            raise Conflict(
                f"betaalrun {', '.join(map(str, busy))} van {run.period} is nog niet "
                "geëxporteerd of geannuleerd: een correctie rekent met wat al betaald is, "
                "rond die run eerst af"
            )
    return [int(r.id) for r in rows]


def _priors(
    session: Session, run: PaymentRun, earlier: Sequence[int], household_ids: Sequence[int]
) -> dict[int, Prior]:
    """Per household: what the ledger owes it now, what the earlier runs of the period booked,
    and where held leefgeld came from — three set-based queries per chunk."""
    priors: dict[int, Prior] = {}
    codes = {
        ledger.subaccount_code(ref.code, ref.subject or ""): hid
        for hid in household_ids
        for ref in [household_account(hid)]
    }
    accounts: dict[str, int] = {
        code: int(id_)
        for code, id_ in session.execute(
            select(LedgerAccount.code, LedgerAccount.id).where(
                LedgerAccount.gemeente_id == run.gemeente_id, LedgerAccount.code.in_(list(codes))
            )
        )
    }
    for code, balance in zip(
        accounts, ledger_balances(session, list(accounts.values())).values(), strict=True
    ):
        if balance:  # the payable is a liability: a credit balance is what is owed
            priors.setdefault(codes[code], Prior()).owed = -balance.cents
    if earlier:
        for hid, key, cents in session.execute(
            select(RunLine.household_id, RunLine.line_key, func.sum(RunLine.amount_cents))
            .where(
                RunLine.run_id.in_(list(earlier)),
                RunLine.household_id.in_(list(household_ids)),
                RunLine.line_key.not_in(sorted(PAYOUT_KEYS)),
            )
            .group_by(RunLine.household_id, RunLine.line_key)
        ):
            priors.setdefault(int(hid), Prior()).booked[key] = int(cents)
    owed = [hid for hid, prior in priors.items() if prior.owed > 0]
    if owed:
        held: dict[tuple[int, str], tuple[set[int], int]] = {}
        for hid, period, run_id, cents in session.execute(
            select(RunLine.household_id, RunLine.period, RunLine.run_id, RunLine.amount_cents)
            .join(PaymentRun, PaymentRun.id == RunLine.run_id)
            .where(
                RunLine.household_id.in_(owed),
                RunLine.line_key == "held",
                RunLine.run_id != run.id,
                PaymentRun.state != "cancelled",
            )
        ):
            runs, total = held.get((int(hid), period), (set(), 0))
            held[(int(hid), period)] = (runs | {int(run_id)}, total + int(cents))
        for (hid, period), (runs, total) in sorted(
            held.items(), key=lambda i: i[0][1], reverse=True
        ):
            priors[hid].held.append(HeldEarlier(period, tuple(sorted(runs)), total))
    return priors


def _book_chunk(session: Session, actor: Actor, run: PaymentRun, chunk: RunComputation) -> None:
    """Post a chunk's bookings (set-based), insert its payments (COPY on PostgreSQL) and its
    run lines."""
    by_key = _post_chunk(session, actor, run, chunk) if chunk.bookings else {}
    insert_rows(
        session,
        cast(Table, RunLine.__table__),
        ("gemeente_id", "run_id", "household_id", "period", "line_key", "amount_cents",
         "ledger_transaction_id"),
        [
            (run.gemeente_id, run.id, hid, run.period, key, cents,
             None if booking is None else by_key[booking])
            for hid, key, cents, booking in chunk.lines
        ],
    )  # fmt: skip


def _post_chunk(
    session: Session, actor: Actor, run: PaymentRun, chunk: RunComputation
) -> dict[str, int]:
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
        cast(Table, Payment.__table__),
        PAYMENT_ROW_COLUMNS,
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
    return by_key


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
    # Checked before waiting for the lock too: a run still being prepared is refused at once,
    # never approved unseen the moment its preparation commits.
    _require_state(
        readable_run(session, actor, run_id, Permission.RUN_APPROVE), "prepared",
        action="accorderen",
    )  # fmt: skip
    run = lock_run(session, run_id)
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
    audit_run(session, actor, run, "betaalrun.geaccordeerd", at=now)
    return run


def cancel_run(
    session: Session, actor: Actor, run_id: int, reason: str, *, today: date, now: datetime
) -> PaymentRun:
    """Cancel a run before export: its bookings are reversed, its payments made inactive."""
    readable_run(session, actor, run_id, Permission.RUN_CANCEL)
    run = lock_run(session, run_id)
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
        .order_by(LedgerTransaction.id)
    ).all()
    # One set-based reversal of every booking: the ledger checks the balance limits on the
    # batch as a whole, so no order is needed to keep household accounts within theirs.
    description = f"Annulering betaalrun {run.id}: {reason}"[:500]
    ledger.reverse_batch(
        session,
        actor,
        run.gemeente_id,
        [
            ledger.Reversal(
                transaction_id,
                idempotency_key=f"{key}:annulering",
                booking_date=today,
                description=description,
                rule="correctie door terugboeking (annulering betaalrun)",
            )
            for transaction_id, key in booked
        ],
    )
    session.execute(update(Payment).where(Payment.run_id == run.id).values(active=False))
    run.state = "cancelled"
    run.cancelled_by = actor.user_id
    run.cancelled_at = now
    run.cancel_reason = reason
    session.flush()
    log.info("run.cancelled", run_id=run.id)
    audit_run(session, actor, run, "betaalrun.geannuleerd", at=now)
    return run


def mark_failed(session: Session, run_id: int, reason: str) -> PaymentRun:
    """Record that preparing a run failed (the failed unit of work left nothing else)."""
    run = lock_run(session, run_id)
    if run.state == "queued":
        run.state = "failed"
        run.error = reason[:2000]
        session.flush()
    return run


def retry_failed(session: Session, run_id: int) -> PaymentRun:
    """Put a failed run back in the queue so it can be prepared again."""
    run = lock_run(session, run_id)
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
    "lock_run",
    "prepare_run",
    "queued_regular_run",
    "run_payments",
]
