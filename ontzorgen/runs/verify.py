# SPDX-License-Identifier: EUPL-1.2
"""Before a file is written: are the stored payments still exactly what was approved, and does
each one agree with the ledger cent for cent?

The database refuses changes to payments after prepare (migration 0006); this is the second
line, for a change that bypassed it (a dropped trigger, a restored backup, a bug): the bank
must never be told to pay something the accordeerder did not approve or the ledger does not
say. Set-based: a few queries for the whole run, however many payments it has.
"""

from __future__ import annotations

from sqlalchemy import String, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from ontzorgen.bank.models import BankReissue
from ontzorgen.errors import Conflict
from ontzorgen.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction
from ontzorgen.money import Money
from ontzorgen.runs.booking import (
    BETALINGEN_ONDERWEG,
    CREDITEUREN,
    NOG_TE_BEPALEN,
    TE_BETALEN_HUISHOUDENS,
    TUSSENREKENING,
)
from ontzorgen.runs.export import stored_payments_digest
from ontzorgen.runs.models import Payment, PaymentRun

EXAMPLES = 3
_REFUSED = "er wordt geen bestand gemaakt; laat beheer de betalingen onderzoeken"


def verify_approved_payments(session: Session, run: PaymentRun) -> None:
    """Raise Conflict unless the run's payments are the approved ones and agree with the ledger."""
    if stored_payments_digest(session, run.id) != run.digest:
        raise Conflict(
            f"betaalrun {run.id}: de opgeslagen betalingen wijken af van wat is geaccordeerd "
            f"(de digest klopt niet); {_REFUSED}"
        )
    _check_totals(session, run)  # the digest covers every payment, active or not
    _check_ledger(session, run)


def _check_totals(session: Session, run: PaymentRun) -> None:
    """Every payment of the run still active, and as many and as much as approved."""
    rows, active, cents = session.execute(
        select(
            func.count(),
            func.count().filter(Payment.active.is_(True)),
            func.coalesce(func.sum(Payment.amount_cents).filter(Payment.active.is_(True)), 0),
        ).where(Payment.run_id == run.id)
    ).one()
    if (rows, active, cents) != (run.payment_count, run.payment_count, run.total_cents):
        raise Conflict(
            f"betaalrun {run.id}: geaccordeerd zijn {run.payment_count} betalingen van "
            f"{Money(run.total_cents)}, opgeslagen staan {active} actieve van "
            f"{Money(int(cents))} (van {rows}); {_REFUSED}"
        )


def _check_ledger(session: Session, run: PaymentRun) -> None:
    """Each payment against its own ledger transaction: of this gemeente, not a reversal and not
    reversed, debiting the household's account and crediting the payee's account (vaste last)
    or betalingen onderweg (leefgeld) with exactly the payment's amount; no transaction pays
    twice."""
    household = literal(f"{TE_BETALEN_HUISHOUDENS}/household:") + cast(Payment.household_id, String)
    paid_to = case(
        (Payment.kind == "leefgeld", literal(BETALINGEN_ONDERWEG)),
        else_=literal(f"{CREDITEUREN}/payee:") + cast(Payment.payee_id, String),
    )
    reversal = aliased(LedgerTransaction)
    # A payment carrying out a decision on returned money is paid from suspense instead.
    source = case(
        (BankReissue.id.is_not(None), LedgerAccount.code.in_((TUSSENREKENING, NOG_TE_BEPALEN))),
        else_=LedgerAccount.code == household,
    )
    posted_to_household = func.sum(case((source, LedgerPosting.amount), else_=0))
    posted_to_creditor = func.sum(
        case((LedgerAccount.code == paid_to, LedgerPosting.amount), else_=0)
    )
    mismatched = session.scalars(
        select(Payment.end_to_end_id)
        .join(LedgerTransaction, LedgerTransaction.id == Payment.ledger_transaction_id)
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .outerjoin(reversal, reversal.reverses_id == LedgerTransaction.id)
        .outerjoin(BankReissue, BankReissue.payment_id == Payment.id)
        .where(Payment.run_id == run.id, Payment.active.is_(True))
        .group_by(
            Payment.id,
            BankReissue.id,
            Payment.end_to_end_id,
            Payment.amount_cents,
            Payment.gemeente_id,
            LedgerTransaction.gemeente_id,
            LedgerTransaction.reverses_id,
            reversal.id,
        )
        .having(
            or_(
                Payment.gemeente_id != run.gemeente_id,
                LedgerTransaction.gemeente_id != run.gemeente_id,
                LedgerTransaction.reverses_id.is_not(None),
                reversal.id.is_not(None),
                posted_to_household != Payment.amount_cents,
                posted_to_creditor != -Payment.amount_cents,
            )
        )
        .order_by(Payment.id)
        .limit(EXAMPLES)
    ).all()
    if mismatched:
        raise Conflict(
            f"betaalrun {run.id}: betalingen sluiten niet aan op hun grootboektransactie "
            f"(bedrag, rekening, gemeente of tegenboeking), bijvoorbeeld "
            f"{', '.join(mismatched)}; {_REFUSED}"
        )
    shared = session.scalars(
        select(Payment.ledger_transaction_id)
        .where(Payment.run_id == run.id, Payment.active.is_(True))
        .group_by(Payment.ledger_transaction_id)
        .having(func.count() > 1)
        .limit(EXAMPLES)
    ).all()
    if shared:
        raise Conflict(
            f"betaalrun {run.id}: meer dan één betaling op dezelfde grootboektransactie "
            f"({', '.join(str(t) for t in shared)}); {_REFUSED}"
        )
