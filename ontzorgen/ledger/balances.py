# SPDX-License-Identifier: EUPL-1.2
"""Reading the ledger: balances as of a date, the trial balance, a statement of account.

Balances come from ``ledger_balance`` (per account and period, kept by the database in the same
transaction as the postings), so they never scan all history: a balance as of a date adds the
totals of the earlier periods to the postings of that date's own period up to the date. That is
exact because a transaction's booking date always lies in its period (a trigger checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from ontzorgen.errors import NotFound
from ontzorgen.ledger.models import LedgerAccount, LedgerBalance, LedgerPosting, LedgerTransaction
from ontzorgen.ledger.service import period_of
from ontzorgen.money import Money

__all__ = [
    "BalanceMismatch",
    "Statement",
    "StatementLine",
    "TrialBalance",
    "TrialBalanceLine",
    "balance",
    "balances",
    "statement",
    "trial_balance",
    "verify_balances",
]


def _with_subaccounts(session: Session, account_ids: Sequence[int]) -> list[int]:
    children = session.scalars(
        select(LedgerAccount.id).where(LedgerAccount.parent_id.in_(list(account_ids)))
    )
    return sorted({*account_ids, *(int(c) for c in children)})


def balances(
    session: Session, account_ids: Sequence[int], *, as_of: date | None = None
) -> dict[int, Money]:
    """The signed balance (debit positive) of each account, now or at the end of ``as_of``."""
    result = {account: 0 for account in account_ids}
    ids = list(result)
    query = (
        select(LedgerBalance.account_id, func.sum(LedgerBalance.debit - LedgerBalance.credit))
        .where(LedgerBalance.account_id.in_(ids))
        .group_by(LedgerBalance.account_id)
    )
    if as_of is not None:
        query = query.where(LedgerBalance.period < period_of(as_of))
    for account, total in session.execute(query):
        result[int(account)] += int(total)
    if as_of is not None:
        # Only the as-of date's own period needs its postings read.
        partial = (
            select(LedgerPosting.account_id, func.sum(LedgerPosting.amount))
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .where(
                LedgerPosting.account_id.in_(ids),
                LedgerPosting.period == period_of(as_of),
                LedgerTransaction.booking_date <= as_of,
            )
            .group_by(LedgerPosting.account_id)
        )
        for account, total in session.execute(partial):
            result[int(account)] += int(total)
    return {account: Money(cents) for account, cents in result.items()}


def balance(
    session: Session,
    account_id: int,
    *,
    as_of: date | None = None,
    include_subaccounts: bool = False,
) -> Money:
    """The signed balance of one account (with its sub-accounts if asked), now or as of a date."""
    ids = _with_subaccounts(session, [account_id]) if include_subaccounts else [account_id]
    return Money.sum(balances(session, ids, as_of=as_of).values())


@dataclass(frozen=True, slots=True)
class TrialBalanceLine:
    """One account (or a parent with its sub-accounts rolled up) in the trial balance."""

    code: str
    name: str
    kind: str
    debit: Money
    credit: Money

    @property
    def balance(self) -> Money:
        """Debit minus credit: positive is a debit balance."""
        return self.debit - self.credit


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """The trial balance of a gemeente for a period (or up to and including it)."""

    gemeente_id: int
    period: str
    cumulative: bool
    lines: list[TrialBalanceLine]

    @property
    def total_debit(self) -> Money:
        """Sum of the debit column."""
        return Money.sum(line.debit for line in self.lines)

    @property
    def total_credit(self) -> Money:
        """Sum of the credit column (equal to the debit column in a sound ledger)."""
        return Money.sum(line.credit for line in self.lines)

    @property
    def total(self) -> Money:
        """Debit minus credit over all accounts: always € 0,00."""
        return self.total_debit - self.total_credit


def trial_balance(
    session: Session,
    gemeente_id: int,
    period: str,
    *,
    cumulative: bool = False,
    rollup: bool = True,
) -> TrialBalance:
    """Debit and credit totals per account for ``period`` (or all periods up to it).

    With ``rollup`` every sub-account is counted under its parent, so the thousands of
    household accounts appear as the one account an accountant knows.
    """
    parent = aliased(LedgerAccount)
    code = func.coalesce(parent.code, LedgerAccount.code) if rollup else LedgerAccount.code
    name = func.coalesce(parent.name, LedgerAccount.name) if rollup else LedgerAccount.name
    query = (
        select(
            code.label("code"),
            name.label("name"),
            LedgerAccount.kind,
            func.sum(LedgerBalance.debit),
            func.sum(LedgerBalance.credit),
        )
        .join(LedgerAccount, LedgerAccount.id == LedgerBalance.account_id)
        .outerjoin(parent, parent.id == LedgerAccount.parent_id)
        .where(LedgerBalance.gemeente_id == gemeente_id)
        .group_by(code, name, LedgerAccount.kind)
        .order_by(code)
    )
    if cumulative:
        query = query.where(LedgerBalance.period <= period)
    else:
        query = query.where(LedgerBalance.period == period)
    lines = [
        TrialBalanceLine(str(c), str(n), str(k), Money(int(d)), Money(int(cr)))
        for c, n, k, d, cr in session.execute(query)
    ]
    return TrialBalance(gemeente_id, period, cumulative, lines)


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One posting on a statement of account, with its transaction and the rule it applies."""

    transaction_id: int
    account_id: int
    booking_date: date
    value_date: date
    description: str
    rule: str
    amount: Money
    balance: Money  # running balance after this line
    reverses_id: int | None


@dataclass(frozen=True, slots=True)
class Statement:
    """The postings on some accounts between two dates, with opening and closing balance."""

    account_ids: list[int]
    start: date
    end: date
    opening: Money
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing(self) -> Money:
        """The balance at the end of ``end``."""
        return self.lines[-1].balance if self.lines else self.opening


def statement(
    session: Session,
    account_ids: int | Sequence[int],
    *,
    start: date,
    end: date,
    include_subaccounts: bool = False,
) -> Statement:
    """A statement of account, e.g. all of a household's sub-accounts for a month."""
    ids = [account_ids] if isinstance(account_ids, int) else list(account_ids)
    if include_subaccounts:
        ids = _with_subaccounts(session, ids)
    known = session.scalar(select(func.count()).where(LedgerAccount.id.in_(ids)))
    if known != len(set(ids)):
        raise NotFound("rekening bestaat niet")
    opening = Money.sum(balances(session, ids, as_of=start - timedelta(days=1)).values())
    rows = session.execute(
        select(
            LedgerTransaction.id,
            LedgerPosting.account_id,
            LedgerTransaction.booking_date,
            LedgerTransaction.value_date,
            LedgerTransaction.description,
            LedgerTransaction.rule,
            LedgerPosting.amount,
            LedgerTransaction.reverses_id,
        )
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(
            LedgerPosting.account_id.in_(ids),
            LedgerPosting.period.between(period_of(start), period_of(end)),
            LedgerTransaction.booking_date.between(start, end),
        )
        .order_by(LedgerTransaction.booking_date, LedgerTransaction.id, LedgerPosting.line)
    )
    running = opening
    lines: list[StatementLine] = []
    for tx_id, account, booked, valued, description, rule, amount, reverses in rows:
        running = running + Money(int(amount))
        lines.append(
            StatementLine(
                int(tx_id),
                int(account),
                booked,
                valued,
                description,
                rule,
                Money(int(amount)),
                running,
                reverses,
            )
        )
    return Statement(ids, start, end, opening, lines)


@dataclass(frozen=True, slots=True)
class BalanceMismatch:
    """A stored balance that differs from the sum of its postings (tampering or a bug)."""

    account_id: int
    period: str
    stored: tuple[int, int]  # (debit, credit) in ledger_balance
    postings: tuple[int, int]  # (debit, credit) summed from ledger_posting


def verify_balances(session: Session, gemeente_id: int) -> list[BalanceMismatch]:
    """Compare every stored balance with the sum of its postings; [] when all agree."""
    stored = {
        (int(a), p): (int(d), int(c))
        for a, p, d, c in session.execute(
            select(
                LedgerBalance.account_id,
                LedgerBalance.period,
                LedgerBalance.debit,
                LedgerBalance.credit,
            ).where(LedgerBalance.gemeente_id == gemeente_id)
        )
    }
    amount = LedgerPosting.amount
    summed = {
        (int(a), p): (int(d), int(c))
        for a, p, d, c in session.execute(
            select(
                LedgerPosting.account_id,
                LedgerPosting.period,
                func.sum(case((amount > 0, amount), else_=0)),
                func.sum(case((amount < 0, -amount), else_=0)),
            )
            .where(LedgerPosting.gemeente_id == gemeente_id)
            .group_by(LedgerPosting.account_id, LedgerPosting.period)
        )
    }
    return [
        BalanceMismatch(key[0], key[1], stored.get(key, (0, 0)), summed.get(key, (0, 0)))
        for key in sorted(set(stored) | set(summed))
        if stored.get(key, (0, 0)) != summed.get(key, (0, 0))
    ]
