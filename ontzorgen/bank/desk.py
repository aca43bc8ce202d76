# SPDX-License-Identifier: EUPL-1.2
"""What the accountant's desk reads, scoped by the actor and logged: the imported bank files,
the runs and months to reconcile, a payment's ledger transactions, the ledger of a household or
a payee for a month, and the trial balance of a month.

Each function checks the permission in the gemeente first (another gemeente: not found) and
reads only that gemeente's rows; reading a household's ledger is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bank.models import BankFile, BankItem
from ontzorgen.clients.models import Household, Payee
from ontzorgen.clients.planning import period_from_text
from ontzorgen.errors import NotFound
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.ledger.balances import Statement, TrialBalance, statement, trial_balance
from ontzorgen.ledger.models import LedgerAccount, LedgerPeriod, LedgerPosting, LedgerTransaction
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.validation import MAX_ID

__all__ = [
    "BankFileRow",
    "LedgerView",
    "MonthRow",
    "PostingRow",
    "RunRow",
    "TransactionView",
    "bank_files",
    "household_ids_by_reference",
    "household_ledger",
    "household_references",
    "months",
    "payee_ledger",
    "payee_names",
    "payment_transactions",
    "readable_trial_balance",
    "require",
    "runs",
]


def _gemeente(session: Session, actor: Actor, gemeente_ref: str | int) -> Gemeente:
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.LEDGER_READ, "gemeente")
    return gemeente


@dataclass(frozen=True, slots=True)
class BankFileRow:
    id: int
    filename: str
    kind: str
    version: str
    size: int
    imported_by: str
    imported_at: datetime


def bank_files(
    session: Session, actor: Actor, gemeente_ref: str | int, *, limit: int = 200
) -> list[BankFileRow]:
    """The bank files imported in the gemeente, newest first (not their content)."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    rows = session.execute(
        select(
            BankFile.id,
            BankFile.filename,
            BankFile.kind,
            BankFile.version,
            BankFile.size,
            BankFile.imported_by,
            BankFile.imported_at,
        )
        .where(BankFile.gemeente_id == gemeente.id)
        .order_by(BankFile.id.desc())
        .limit(limit)
    )
    return [BankFileRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    period: str
    kind: str
    state: str
    payment_count: int
    total_cents: int


def runs(session: Session, actor: Actor, gemeente_ref: str | int) -> list[RunRow]:
    """The gemeente's payment runs, newest first, to reconcile one by one."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    rows = session.execute(
        select(
            PaymentRun.id,
            PaymentRun.period,
            PaymentRun.kind,
            PaymentRun.state,
            PaymentRun.payment_count,
            PaymentRun.total_cents,
        )
        .where(PaymentRun.gemeente_id == gemeente.id)
        .order_by(PaymentRun.id.desc())
    )
    return [RunRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class MonthRow:
    period: str
    closed: bool
    closed_by: str | None


def months(session: Session, actor: Actor, gemeente_ref: str | int) -> list[MonthRow]:
    """Every month with a run or a ledger period, newest first, and whether it is closed."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    found: dict[str, MonthRow] = {
        period: MonthRow(period, False, None)
        for period in session.scalars(
            select(PaymentRun.period).where(PaymentRun.gemeente_id == gemeente.id).distinct()
        )
    }
    for period, status, closed_by in session.execute(
        select(LedgerPeriod.period, LedgerPeriod.status, LedgerPeriod.closed_by).where(
            LedgerPeriod.gemeente_id == gemeente.id
        )
    ):
        found[period] = MonthRow(period, status == "closed", closed_by)
    return [found[p] for p in sorted(found, reverse=True)]


@dataclass(frozen=True, slots=True)
class PostingRow:
    account_code: str
    account_name: str
    amount_cents: int  # debit positive, credit negative


@dataclass(frozen=True, slots=True)
class TransactionView:
    id: int
    what: str  # which step booked it: the run, or a bank answer
    booking_date: str
    period: str
    description: str
    rule: str
    reverses_id: int | None
    postings: list[PostingRow] = field(default_factory=list)


def _transactions(
    session: Session, gemeente_id: int, whats: dict[int, str]
) -> list[TransactionView]:
    if not whats:
        return []
    found = {
        tx.id: TransactionView(
            tx.id,
            whats[tx.id],
            tx.booking_date.isoformat(),
            tx.period,
            tx.description,
            tx.rule,
            tx.reverses_id,
        )
        for tx in session.scalars(
            select(LedgerTransaction).where(
                LedgerTransaction.id.in_(list(whats)),
                LedgerTransaction.gemeente_id == gemeente_id,
            )
        )
    }
    for tx_id, code, name, amount in session.execute(
        select(
            LedgerPosting.transaction_id,
            LedgerAccount.code,
            LedgerAccount.name,
            LedgerPosting.amount,
        )
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerPosting.transaction_id.in_(list(found)))
        .order_by(LedgerPosting.transaction_id, LedgerPosting.line)
    ):
        found[tx_id].postings.append(PostingRow(code, name, int(amount)))
    return [found[i] for i in sorted(found)]


def payment_transactions(
    session: Session, actor: Actor, gemeente_ref: str | int, payment_id: int
) -> list[TransactionView]:
    """The ledger transactions of a payment: the run's booking and every bank answer about
    it (and their reversals). Logged as a view of the payment's household."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    payment = session.get(Payment, payment_id) if 0 < payment_id <= MAX_ID else None
    if payment is None or payment.gemeente_id != gemeente.id:
        raise NotFound(f"betaling {payment_id} bestaat niet in deze gemeente")
    audit.record(
        session,
        actor,
        "grootboek.bekeken",
        gemeente_id=gemeente.id,
        household_id=payment.household_id,
        ref=f"betaling:{payment.id}",
    )
    whats = {payment.ledger_transaction_id: f"betaalrun {payment.run_id}"}
    for tx_id, item_id, kind in session.execute(
        select(BankItem.ledger_transaction_id, BankItem.id, BankItem.kind).where(
            BankItem.payment_id == payment.id, BankItem.ledger_transaction_id.is_not(None)
        )
    ):
        if tx_id is not None:
            whats.setdefault(tx_id, f"bankpost {item_id} ({kind})")
    reversals = session.execute(
        select(LedgerTransaction.id, LedgerTransaction.reverses_id).where(
            LedgerTransaction.reverses_id.in_(list(whats))
        )
    ).all()
    for tx_id, reverses in reversals:
        whats.setdefault(tx_id, f"tegenboeking van {reverses}")
    return _transactions(session, gemeente.id, whats)


@dataclass(frozen=True, slots=True)
class LedgerView:
    """A statement of account for one month: the subject's accounts and every posting."""

    subject: str  # the household's reference or the payee's name
    period: str
    accounts: dict[int, tuple[str, str]]  # id -> (code, name)
    statement: Statement


def _subject_ledger(
    session: Session, gemeente_id: int, subject: str, shown: str, period: str
) -> LedgerView:
    month = period_from_text(period)
    accounts = {
        account_id: (code, name)
        for account_id, code, name in session.execute(
            select(LedgerAccount.id, LedgerAccount.code, LedgerAccount.name)
            .where(LedgerAccount.gemeente_id == gemeente_id, LedgerAccount.subject == subject)
            .order_by(LedgerAccount.code)
        )
    }
    if not accounts:
        empty = Statement([], month.first_day, month.last_day, opening=Money(0))
        return LedgerView(shown, month.label(), {}, empty)
    found = statement(session, list(accounts), start=month.first_day, end=month.last_day)
    return LedgerView(shown, month.label(), accounts, found)


def household_ledger(
    session: Session, actor: Actor, gemeente_ref: str | int, reference: str, period: str
) -> LedgerView:
    """The household's accounts (payable, reserve, claims …) for a month; logged."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    household = session.scalar(
        select(Household).where(
            Household.gemeente_id == gemeente.id, Household.reference == reference[:35]
        )
    )
    if household is None:
        raise NotFound("dit huishouden bestaat niet in deze gemeente")
    audit.record(
        session,
        actor,
        "grootboek.bekeken",
        gemeente_id=gemeente.id,
        household_id=household.id,
        ref=f"periode:{period}",
    )
    return _subject_ledger(
        session, gemeente.id, f"household:{household.id}", household.reference, period
    )


def payee_ledger(
    session: Session, actor: Actor, gemeente_ref: str | int, reference: str, period: str
) -> LedgerView:
    """The payee's crediteur account for a month: what was withheld for it and paid to it."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    payee = session.scalar(
        select(Payee).where(Payee.gemeente_id == gemeente.id, Payee.reference == reference[:35])
    )
    if payee is None:
        raise NotFound("deze begunstigde bestaat niet in deze gemeente")
    audit.record(
        session, actor, "grootboek.bekeken", gemeente_id=gemeente.id, ref=f"begunstigde:{payee.id}"
    )
    return _subject_ledger(session, gemeente.id, f"payee:{payee.id}", payee.name, period)


def readable_trial_balance(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    period: str,
    *,
    cumulative: bool = False,
) -> TrialBalance:
    """The trial balance (proefbalans) of a month, sub-accounts rolled up; logged."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    label = period_from_text(period).label()
    audit.record(
        session, actor, "proefbalans.bekeken", gemeente_id=gemeente.id, ref=f"periode:{label}"
    )
    return trial_balance(session, gemeente.id, label, cumulative=cumulative)


def household_references(
    session: Session, actor: Actor, gemeente_ref: str | int, ids: set[int]
) -> dict[int, str]:
    """The references of these households (for showing suggestions), id -> reference."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    if not ids:
        return {}
    return dict(
        session.execute(
            select(Household.id, Household.reference).where(
                Household.gemeente_id == gemeente.id, Household.id.in_(sorted(ids))
            )
        ).all()
    )


def household_ids_by_reference(
    session: Session, actor: Actor, gemeente_ref: str | int, reference: str
) -> int | None:
    """The id of the household with this reference in the gemeente, or None."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    return session.scalar(
        select(Household.id).where(
            Household.gemeente_id == gemeente.id, Household.reference == reference.strip()[:35]
        )
    )


def payee_names(
    session: Session, actor: Actor, gemeente_ref: str | int, ids: set[int] | None = None
) -> dict[int, tuple[str, str]]:
    """Payees of the gemeente (organisations), id -> (reference, name); all when ``ids`` is
    None."""
    gemeente = _gemeente(session, actor, gemeente_ref)
    query = select(Payee.id, Payee.reference, Payee.name).where(Payee.gemeente_id == gemeente.id)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(Payee.id.in_(sorted(ids)))
    return {pid: (ref, name) for pid, ref, name in session.execute(query.order_by(Payee.name))}


def require(session: Session, actor: Actor, gemeente_ref: str | int, permission: Permission) -> str:
    """The gemeente's code, when ``actor`` may do ``permission`` there (else 403/404): for a
    page that checks the role before it reads a form."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, permission, "gemeente")
    return gemeente.code
