# SPDX-License-Identifier: EUPL-1.2
"""Ledger services: the chart of accounts, posting (one or a batch), reversals and periods.

Every function takes a Session, flushes at most, and never commits: the caller's unit of work
commits the whole of it or nothing. The database's triggers (migration 0003) are the last line
of defence; the checks here come first so that an error names the idempotency key at fault.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, NamedTuple, cast

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from ontzorgen.auth import Actor
from ontzorgen.db import insert_rows
from ontzorgen.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound
from ontzorgen.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    LimitExceeded,
    PeriodClosed,
    UnbalancedTransaction,
    UnknownAccount,
    refusal_reason,
    translate,
)
from ontzorgen.ledger.models import (
    AccountKind,
    BalanceLimit,
    LedgerAccount,
    LedgerBalance,
    LedgerPeriod,
    LedgerPosting,
    LedgerTransaction,
    PeriodStatus,
)
from ontzorgen.money import Money

__all__ = [
    "DEFAULT_CHART",
    "AccountSpec",
    "Line",
    "NewTransaction",
    "Reversal",
    "account_ids",
    "close_period",
    "ensure_subaccounts",
    "open_account",
    "open_default_chart",
    "open_period",
    "period_of",
    "period_status",
    "post",
    "post_batch",
    "reverse",
    "reverse_batch",
]

_PERIOD = re.compile(r"^(19|2\d)\d\d-(0[1-9]|1[0-2])$")
_CHUNK: Final = 5000  # ids per IN list: well below SQLite's limit on bound parameters


class Line(NamedTuple):
    """One posting of a new transaction: a signed amount (debit positive) on an account."""

    account_id: int
    amount: Money


@dataclass(frozen=True, slots=True)
class NewTransaction:
    """A transaction to post. ``postings`` must number two or more and sum to zero."""

    idempotency_key: str
    booking_date: date
    value_date: date
    period: str
    description: str
    rule: str
    postings: tuple[Line, ...] | tuple[tuple[int, Money], ...]


@dataclass(frozen=True, slots=True)
class AccountSpec:
    """An account of the default chart."""

    code: str
    name: str
    kind: AccountKind
    limit: BalanceLimit = BalanceLimit.NONE
    # The limit its per-household or per-payee sub-accounts normally get.
    subaccount_limit: BalanceLimit | None = None


# The default chart of accounts of a gemeente; docs/ledger.md explains each account.
DEFAULT_CHART: Final[tuple[AccountSpec, ...]] = (
    AccountSpec("bank", "Bank: betaalrekening van de gemeente", AccountKind.ASSET),
    AccountSpec(
        "betalingen-onderweg",
        "Betalingen onderweg (uitbetaald in een run, nog niet afgeschreven door de bank)",
        AccountKind.LIABILITY,
    ),
    AccountSpec(
        "tussenrekening",
        "Tussenrekening: retourbetalingen en nog niet verklaarde bankmutaties",
        AccountKind.LIABILITY,
    ),
    AccountSpec(
        "nog-te-bepalen-ontvangsten",
        "Nog te bepalen ontvangsten: bankmutaties die bij geen betaling horen, tot ze zijn "
        "afgeletterd",
        AccountKind.LIABILITY,
    ),
    AccountSpec(
        "rekening-courant-gemeente",
        "Rekening-courant met de algemene dienst (financiering van de betaalrekening)",
        AccountKind.EQUITY,
    ),
    AccountSpec("bijstand-lasten", "Lasten bijstand (Participatiewet)", AccountKind.EXPENSE),
    AccountSpec(
        "te-betalen-huishoudens",
        "Te betalen aan huishoudens (toegekende bijstand, per huishouden)",
        AccountKind.LIABILITY,
        subaccount_limit=BalanceLimit.NON_POSITIVE,
    ),
    AccountSpec(
        "crediteuren",
        "Crediteuren: te betalen aan verhuurders en leveranciers (per begunstigde)",
        AccountKind.LIABILITY,
        subaccount_limit=BalanceLimit.NON_POSITIVE,
    ),
    AccountSpec(
        "vt-reserve",
        "Reserve vakantietoeslag (per huishouden)",
        AccountKind.LIABILITY,
        subaccount_limit=BalanceLimit.NON_POSITIVE,
    ),
    AccountSpec(
        "voorschotten",
        "Verstrekte voorschotten (Pw art. 52), te verrekenen (per huishouden)",
        AccountKind.ASSET,
        subaccount_limit=BalanceLimit.NON_NEGATIVE,
    ),
    AccountSpec(
        "te-vorderen",
        "Te vorderen, bijvoorbeeld inrichtingskrediet (per huishouden)",
        AccountKind.ASSET,
        subaccount_limit=BalanceLimit.NON_NEGATIVE,
    ),
    AccountSpec(
        "vorderingen",
        "Vorderingen: te veel betaald in naam van of aan een huishouden (Pw art. 58), "
        "per huishouden",
        AccountKind.ASSET,
        subaccount_limit=BalanceLimit.NON_NEGATIVE,
    ),
)


# -- helpers ------------------------------------------------------------------------------------
def period_of(day: date) -> str:
    """The period ('YYYY-MM') a day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _insert_ignore(session: Session, table: Table, keys: list[str]) -> Insert:
    """INSERT … ON CONFLICT (keys) DO NOTHING, in the session's dialect."""
    if _dialect(session) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=keys)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)


# -- accounts -----------------------------------------------------------------------------------
def open_account(
    session: Session,
    actor: Actor,
    gemeente_id: int,
    code: str,
    name: str,
    kind: AccountKind,
    limit: BalanceLimit = BalanceLimit.NONE,
) -> int:
    """Open a chart account (no parent) and return its id; a second call returns the same id.

    Raises Conflict when the code exists with another kind or limit.
    """
    del actor  # accounts carry no author yet; permission checks hook in here
    if not code or len(code) > 160 or "/" in code:
        raise InvalidInput("code", "1-160 tekens, zonder '/'")
    table = cast(Table, LedgerAccount.__table__)
    session.flush()
    session.execute(
        _insert_ignore(session, table, ["gemeente_id", "code"]),
        [
            {
                "gemeente_id": gemeente_id,
                "code": code,
                "name": name,
                "kind": kind.value,
                "balance_limit": limit.value,
            }
        ],
    )
    row = session.execute(
        select(LedgerAccount.id, LedgerAccount.kind, LedgerAccount.balance_limit).where(
            LedgerAccount.gemeente_id == gemeente_id, LedgerAccount.code == code
        )
    ).one()
    if (row.kind, row.balance_limit) != (kind.value, limit.value):
        raise Conflict(f"rekening {code} bestaat al met een andere soort of limiet")
    return int(row.id)


def open_default_chart(session: Session, gemeente_id: int) -> dict[str, int]:
    """Open the default chart of accounts of a gemeente (idempotent); returns code → id."""
    table = cast(Table, LedgerAccount.__table__)
    session.flush()
    session.execute(
        _insert_ignore(session, table, ["gemeente_id", "code"]),
        [
            {
                "gemeente_id": gemeente_id,
                "code": spec.code,
                "name": spec.name,
                "kind": spec.kind.value,
                "balance_limit": spec.limit.value,
            }
            for spec in DEFAULT_CHART
        ],
    )
    return account_ids(session, gemeente_id, [spec.code for spec in DEFAULT_CHART])


def account_ids(session: Session, gemeente_id: int, codes: Sequence[str]) -> dict[str, int]:
    """The ids of accounts by code; raises NotFound naming every missing code."""
    found: dict[str, int] = {}
    unique = sorted(set(codes))
    for chunk in _chunks(unique):
        rows = session.execute(
            select(LedgerAccount.code, LedgerAccount.id).where(
                LedgerAccount.gemeente_id == gemeente_id, LedgerAccount.code.in_(chunk)
            )
        )
        found.update({code: int(id_) for code, id_ in rows})
    missing = [code for code in unique if code not in found]
    if missing:
        raise NotFound(f"rekening(en) bestaan niet: {', '.join(missing)}")
    return found


def subaccount_code(parent_code: str, subject: str) -> str:
    """The code of a sub-account: ``te-betalen-huishoudens/household:42``."""
    return f"{parent_code}/{subject}"


def ensure_subaccounts(
    session: Session,
    gemeente_id: int,
    specs: Iterable[tuple[str, str, str, BalanceLimit]],
) -> dict[tuple[str, str], int]:
    """Open sub-accounts on demand, set-based; returns (parent_code, subject) → account id.

    ``specs`` are ``(parent_code, subject, name, limit)``, e.g.
    ``("te-betalen-huishoudens", "household:42", "Huishouden 42", BalanceLimit.NON_POSITIVE)``.
    Existing sub-accounts are reused (their name is kept); one with another limit is a Conflict.
    One INSERT … ON CONFLICT DO NOTHING and one SELECT per 5,000 sub-accounts.
    """
    wanted: dict[tuple[str, str], tuple[str, BalanceLimit]] = {}
    for parent_code, subject, name, limit in specs:
        if not subject or len(subject) > 100:
            raise InvalidInput("subject", "1-100 tekens")
        wanted[(parent_code, subject)] = (name, BalanceLimit(limit))
    if not wanted:
        return {}
    parents = session.execute(
        select(LedgerAccount.code, LedgerAccount.id, LedgerAccount.kind).where(
            LedgerAccount.gemeente_id == gemeente_id,
            LedgerAccount.code.in_(sorted({parent for parent, _ in wanted})),
            LedgerAccount.parent_id.is_(None),
        )
    ).all()
    by_code = {row.code: row for row in parents}
    missing = sorted({parent for parent, _ in wanted if parent not in by_code})
    if missing:
        raise NotFound(f"hoofdrekening(en) bestaan niet: {', '.join(missing)}")
    table = cast(Table, LedgerAccount.__table__)
    rows = [
        {
            "gemeente_id": gemeente_id,
            "code": subaccount_code(parent, subject),
            "name": name[:200],
            "kind": by_code[parent].kind,
            "parent_id": by_code[parent].id,
            "subject": subject,
            "balance_limit": limit.value,
        }
        for (parent, subject), (name, limit) in wanted.items()
    ]
    session.flush()
    session.execute(_insert_ignore(session, table, ["gemeente_id", "code"]), rows)
    ids: dict[str, tuple[int, str]] = {}
    for chunk in _chunks([row["code"] for row in rows]):
        found = session.execute(
            select(LedgerAccount.code, LedgerAccount.id, LedgerAccount.balance_limit).where(
                LedgerAccount.gemeente_id == gemeente_id, LedgerAccount.code.in_(chunk)
            )
        )
        ids.update({code: (int(id_), limit) for code, id_, limit in found})
    result: dict[tuple[str, str], int] = {}
    for (parent, subject), (_, limit) in wanted.items():
        id_, stored_limit = ids[subaccount_code(parent, subject)]
        if stored_limit != limit.value:
            raise Conflict(
                f"rekening {subaccount_code(parent, subject)} bestaat al met limiet {stored_limit}"
            )
        result[(parent, subject)] = id_
    return result


# -- periods ------------------------------------------------------------------------------------
def _check_period(period: str) -> None:
    if not _PERIOD.match(period):
        raise InvalidInput("period", "een periode is JJJJ-MM, bijvoorbeeld 2026-12")


def _ensure_periods(session: Session, gemeente_id: int, periods: set[str]) -> dict[str, str]:
    """Open the periods that do not exist yet; return period → status."""
    table = cast(Table, LedgerPeriod.__table__)
    session.execute(
        _insert_ignore(session, table, ["gemeente_id", "period"]),
        [{"gemeente_id": gemeente_id, "period": p, "status": "open"} for p in sorted(periods)],
    )
    rows = session.execute(
        select(LedgerPeriod.period, LedgerPeriod.status).where(
            LedgerPeriod.gemeente_id == gemeente_id, LedgerPeriod.period.in_(sorted(periods))
        )
    )
    return {period: status for period, status in rows}


def open_period(session: Session, actor: Actor, gemeente_id: int, period: str) -> PeriodStatus:
    """Make sure a period exists (new periods are open); returns its status."""
    del actor
    _check_period(period)
    session.flush()
    return PeriodStatus(_ensure_periods(session, gemeente_id, {period})[period])


def period_status(session: Session, gemeente_id: int, period: str) -> PeriodStatus | None:
    """The status of a period, or None if nothing was ever posted in it."""
    status = session.scalar(
        select(LedgerPeriod.status).where(
            LedgerPeriod.gemeente_id == gemeente_id, LedgerPeriod.period == period
        )
    )
    return None if status is None else PeriodStatus(status)


def close_period(
    session: Session, actor: Actor, gemeente_id: int, period: str, *, now: datetime
) -> None:
    """Close a period for good, after checking that its postings balance.

    Closing a closed period does nothing. A closed period is never reopened: corrections go
    into an open period as reversals. On PostgreSQL the close waits for units of work still
    posting into the period (they hold a share lock on the period row).
    """
    _check_period(period)
    session.flush()
    if _ensure_periods(session, gemeente_id, {period})[period] == PeriodStatus.CLOSED:
        return
    try:
        with session.begin_nested():
            session.execute(
                update(LedgerPeriod)
                .where(
                    LedgerPeriod.gemeente_id == gemeente_id,
                    LedgerPeriod.period == period,
                    LedgerPeriod.status == PeriodStatus.OPEN.value,
                )
                .values(
                    status=PeriodStatus.CLOSED.value,
                    closed_at=now,
                    closed_by=actor.user_id,
                )
            )
    except DBAPIError as error:
        domain = translate(error.orig or error)
        if domain is None:
            raise
        raise domain from error


# -- posting ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Entry:
    """A validated transaction, ready to write."""

    key: str
    booking_date: date
    value_date: date
    period: str
    description: str
    rule: str
    lines: tuple[Line, ...]
    reverses_id: int | None
    digest: str


def _digest(tx: NewTransaction, lines: tuple[Line, ...], reverses_id: int | None) -> str:
    # The content that makes a retry "the same": everything but the actor, postings as a
    # multiset (their order is not content).
    content = {
        "booking_date": tx.booking_date.isoformat(),
        "value_date": tx.value_date.isoformat(),
        "period": tx.period,
        "description": tx.description,
        "rule": tx.rule,
        "reverses": reverses_id,
        "postings": sorted([line.account_id, line.amount.cents] for line in lines),
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _validate(tx: NewTransaction, reverses_id: int | None = None) -> tuple[_Entry, list[str]]:
    """The entry, and what is wrong with it (each problem a short reason)."""
    problems: list[str] = []
    if not tx.idempotency_key or len(tx.idempotency_key) > 200:
        problems.append("idempotency_key: 1-200 tekens")
    if not _PERIOD.match(tx.period):
        problems.append("period: JJJJ-MM")
    elif period_of(tx.booking_date) != tx.period:
        problems.append(f"booking_date: {tx.booking_date} ligt niet in periode {tx.period}")
    if not tx.description or len(tx.description) > 500:
        problems.append("description: 1-500 tekens")
    if not tx.rule or len(tx.rule) > 200:
        problems.append("rule: 1-200 tekens (een bronvermelding, bv. 'Pw art. 56a lid 2')")
    lines = tuple(Line(int(account_id), amount) for account_id, amount in tx.postings)
    if any(not isinstance(line.amount, Money) for line in lines):
        problems.append("postings: bedragen zijn Money")
    elif len(lines) < 2:
        problems.append("postings: een transactie heeft minstens twee boekingen")
    elif any(line.amount.cents == 0 for line in lines):
        problems.append("postings: een boeking van € 0,00 is niet toegestaan")
    elif (total := Money.sum(line.amount for line in lines)).cents != 0:
        problems.append(f"postings: de som is {total.plain()}, moet 0.00 zijn")
    if len(lines) > 32767:
        problems.append("postings: te veel boekingen")
    entry = _Entry(
        key=tx.idempotency_key,
        booking_date=tx.booking_date,
        value_date=tx.value_date,
        period=tx.period,
        description=tx.description,
        rule=tx.rule,
        lines=lines,
        reverses_id=reverses_id,
        digest=_digest(tx, lines, reverses_id) if not problems else "",
    )
    return entry, problems


def post(session: Session, actor: Actor, gemeente_id: int, transaction: NewTransaction) -> int:
    """Post one transaction and return its id (or the id of the earlier one with its key)."""
    return post_batch(session, actor, gemeente_id, [transaction])[0]


def post_batch(
    session: Session,
    actor: Actor,
    gemeente_id: int,
    transactions: Sequence[NewTransaction],
) -> list[int]:
    """Post transactions as one unit (all or nothing); returns their ids in the given order.

    Idempotent per key: a key posted before with the same content returns the earlier id (so a
    retried batch returns the first results); with other content it raises IdempotencyConflict.
    Set-based: COPY on PostgreSQL, executemany on SQLite — never a round trip per posting.
    Raises UnbalancedTransaction / InvalidInput / UnknownAccount / PeriodClosed / LimitExceeded
    naming the idempotency keys at fault.
    """
    entries = _prepare(transactions, [None] * len(transactions))
    return _post_entries(session, actor, gemeente_id, entries)


def _prepare(
    transactions: Sequence[NewTransaction], reverses: Sequence[int | None]
) -> list[_Entry]:
    entries: list[_Entry] = []
    problems: list[FieldProblem] = []
    unbalanced = False
    for tx, reverses_id in zip(transactions, reverses, strict=True):
        entry, found = _validate(tx, reverses_id)
        entries.append(entry)
        for reason in found:
            field, _, why = reason.partition(": ")
            unbalanced = unbalanced or field == "postings"
            problems.append(FieldProblem(field, why, record=tx.idempotency_key))
    if problems:
        raise (UnbalancedTransaction if unbalanced else InvalidInput)(problems=problems)
    return entries


def _post_entries(
    session: Session, actor: Actor, gemeente_id: int, entries: list[_Entry]
) -> list[int]:
    if not entries:
        return []
    session.flush()
    # Keys repeated within the batch must carry the same content.
    first: dict[str, _Entry] = {}
    for entry in entries:
        seen = first.setdefault(entry.key, entry)
        if seen.digest != entry.digest:
            raise IdempotencyConflict(
                f"sleutel {entry.key} komt twee keer voor met verschillende inhoud"
            )
    # Keys posted before: same content returns the earlier transaction.
    ids: dict[str, int] = {}
    conflicts: list[str] = []
    for chunk in _chunks(list(first)):
        rows = session.execute(
            select(
                LedgerTransaction.idempotency_key, LedgerTransaction.id, LedgerTransaction.digest
            ).where(
                LedgerTransaction.gemeente_id == gemeente_id,
                LedgerTransaction.idempotency_key.in_(chunk),
            )
        )
        for key, id_, digest in rows:
            if digest != first[key].digest:
                conflicts.append(key)
            ids[key] = int(id_)
    if conflicts:
        raise IdempotencyConflict(
            f"sleutel(s) eerder gebruikt voor een andere transactie: {', '.join(conflicts)}"
        )
    new = [entry for key, entry in first.items() if key not in ids]
    if new:
        # This INSERT is also what opens the database transaction on SQLite before the
        # savepoint below (pysqlite starts one only at the first DML statement).
        statuses = _ensure_periods(session, gemeente_id, {entry.period for entry in new})
        closed = [e.key for e in new if statuses[e.period] != PeriodStatus.OPEN.value]
        if closed:
            raise PeriodClosed(f"periode afgesloten voor transactie(s): {', '.join(closed)}")
        new_ids = _allocate_ids(session, len(new))
        try:
            with session.begin_nested():
                _write(session, actor, gemeente_id, new, new_ids)
        except Exception as error:  # a refusal by the database: say which keys, and why
            if not _is_database_error(error):
                raise
            raise _diagnose(session, gemeente_id, new, error) from error
        ids.update({entry.key: id_ for entry, id_ in zip(new, new_ids, strict=True)})
    return [ids[entry.key] for entry in entries]


def _is_database_error(error: Exception) -> bool:
    if isinstance(error, DBAPIError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.Error)


def _allocate_ids(session: Session, count: int) -> list[int]:
    if _dialect(session) == "postgresql":
        rows = session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('ledger_transaction', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": count},
        )
        return sorted(int(row[0]) for row in rows)
    # SQLite has one writer at a time; the primary key refuses a clash all the same.
    start = int(session.scalar(select(func.coalesce(func.max(LedgerTransaction.id), 0))) or 0)
    return list(range(start + 1, start + 1 + count))


_TX_COLUMNS: Final = (
    "id",
    "gemeente_id",
    "idempotency_key",
    "digest",
    "booking_date",
    "value_date",
    "period",
    "description",
    "actor",
    "rule",
    "reverses_id",
)
_POSTING_COLUMNS: Final = (
    "transaction_id",
    "line",
    "gemeente_id",
    "period",
    "account_id",
    "amount",
)


def _write(
    session: Session, actor: Actor, gemeente_id: int, entries: list[_Entry], ids: list[int]
) -> None:
    tx_rows = [
        (
            id_,
            gemeente_id,
            e.key,
            e.digest,
            e.booking_date,
            e.value_date,
            e.period,
            e.description,
            actor.user_id,
            e.rule,
            e.reverses_id,
        )
        for e, id_ in zip(entries, ids, strict=True)
    ]
    posting_rows = [
        (id_, number, gemeente_id, e.period, line.account_id, line.amount.cents)
        for e, id_ in zip(entries, ids, strict=True)
        for number, line in enumerate(e.lines, start=1)
    ]
    transactions = cast(Table, LedgerTransaction.__table__)
    postings = cast(Table, LedgerPosting.__table__)
    if _dialect(session) == "postgresql":
        # Transaction rows first, then all postings in ONE statement (COPY): the statement
        # trigger checks them together, the deferred trigger re-checks at COMMIT.
        insert_rows(session, transactions, _TX_COLUMNS, tx_rows)
        insert_rows(session, postings, _POSTING_COLUMNS, posting_rows)
        return
    # SQLite: postings first, then the transaction rows whose triggers check them.
    insert_rows(session, postings, _POSTING_COLUMNS, posting_rows)
    insert_rows(session, transactions, _TX_COLUMNS, tx_rows)


def _diagnose(
    session: Session, gemeente_id: int, entries: list[_Entry], error: Exception
) -> DomainError | Exception:
    """After the savepoint is rolled back: which keys made the database refuse, and why."""
    # The driver's own message, without the statement SQLAlchemy appends.
    message = str(error.orig if isinstance(error, DBAPIError) else error)
    account_set = {line.account_id for e in entries for line in e.lines}
    accounts: dict[int, str] = {}
    for chunk in _chunks(sorted(account_set)):
        rows = session.execute(
            select(LedgerAccount.id, LedgerAccount.balance_limit).where(
                LedgerAccount.gemeente_id == gemeente_id, LedgerAccount.id.in_(chunk)
            )
        )
        accounts.update({int(id_): limit for id_, limit in rows})
    unknown = [
        FieldProblem("postings", f"rekening {line.account_id} bestaat niet in deze gemeente", e.key)
        for e in entries
        for line in e.lines
        if line.account_id not in accounts
    ]
    if unknown:
        return UnknownAccount(problems=unknown)
    if (
        "uq_ledger_transaction_reverses_id" in message
        or "ledger_transaction.reverses_id" in message
    ):
        return AlreadyReversed("de transactie is al teruggedraaid")
    if "uq_ledger_transaction_gemeente_id_idempotency_key" in message or (
        "ledger_transaction.idempotency_key" in message
    ):
        return IdempotencyConflict("dezelfde sleutel werd tegelijk geboekt; probeer het opnieuw")
    limited = sorted(a for a, limit in accounts.items() if limit != BalanceLimit.NONE.value)
    if refusal_reason(error) == "limit-exceeded" and limited:
        delta: dict[int, int] = defaultdict(int)
        for e in entries:
            for line in e.lines:
                delta[line.account_id] += line.amount.cents
        breached: list[int] = []
        for chunk in _chunks(limited):
            totals = session.execute(
                select(
                    LedgerBalance.account_id,
                    func.sum(LedgerBalance.debit - LedgerBalance.credit),
                )
                .where(LedgerBalance.account_id.in_(chunk))
                .group_by(LedgerBalance.account_id)
            )
            current = {int(a): int(total) for a, total in totals}
            for account in chunk:
                after = current.get(account, 0) + delta[account]
                limit = accounts[account]
                if (limit == BalanceLimit.NON_NEGATIVE.value and after < 0) or (
                    limit == BalanceLimit.NON_POSITIVE.value and after > 0
                ):
                    breached.append(account)
        keys = sorted({e.key for e in entries for line in e.lines if line.account_id in breached})
        return LimitExceeded(
            f"limiet overschreden op rekening(en) {', '.join(map(str, breached))} "
            f"door transactie(s): {', '.join(keys)}"
        )
    return translate(error) or error


# -- reversals ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reversal:
    """A transaction to reverse with its mirror image, booked in the period of ``booking_date``."""

    transaction_id: int
    idempotency_key: str
    booking_date: date
    value_date: date | None = None
    description: str | None = None
    rule: str | None = None


def reverse(
    session: Session,
    actor: Actor,
    gemeente_id: int,
    transaction_id: int,
    *,
    idempotency_key: str,
    booking_date: date,
    value_date: date | None = None,
    description: str | None = None,
    rule: str | None = None,
) -> int:
    """Reverse a transaction with its mirror image, booked in the period of ``booking_date``.

    A transaction is reversed once (AlreadyReversed otherwise); retrying with the same key
    returns the first reversal. The original's period may be closed; the reversal's may not.
    """
    reversal = Reversal(
        transaction_id, idempotency_key, booking_date, value_date, description, rule
    )
    return reverse_batch(session, actor, gemeente_id, [reversal])[0]


def reverse_batch(
    session: Session, actor: Actor, gemeente_id: int, reversals: Sequence[Reversal]
) -> list[int]:
    """Reverse many transactions as one unit (all or nothing); returns the reversal ids in order.

    Set-based, like :func:`post_batch`: one query (per 5,000) loads the originals with their
    postings, one finds earlier reversals, and the mirrors are written by one ``post_batch``.
    The same rules as :func:`reverse`: each transaction is reversed once (AlreadyReversed
    otherwise; the database's unique ``reverses_id`` backs this), a retry with the same key
    returns the first reversal, and the database checks each mirror. Because the whole batch
    is checked together, the order of the reversals does not matter for balance limits.
    """
    if not reversals:
        return []
    session.flush()
    wanted = sorted({r.transaction_id for r in reversals})
    originals: dict[int, tuple[str, str]] = {}
    postings: dict[int, list[Line]] = defaultdict(list)
    earlier: dict[int, str] = {}
    for chunk in _chunks(wanted):
        rows = session.execute(
            select(
                LedgerTransaction.id,
                LedgerTransaction.description,
                LedgerTransaction.rule,
                LedgerPosting.account_id,
                LedgerPosting.amount,
            )
            .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
            .where(LedgerTransaction.gemeente_id == gemeente_id, LedgerTransaction.id.in_(chunk))
            .order_by(LedgerTransaction.id, LedgerPosting.line)
        )
        for id_, description, rule, account_id, amount in rows:
            originals[int(id_)] = (description, rule)
            postings[int(id_)].append(Line(int(account_id), Money(-int(amount))))
        found = session.execute(
            select(LedgerTransaction.reverses_id, LedgerTransaction.idempotency_key).where(
                LedgerTransaction.reverses_id.in_(chunk)
            )
        )
        earlier.update({int(reversed_id or 0): key for reversed_id, key in found})
    missing = [r.transaction_id for r in reversals if r.transaction_id not in originals]
    if missing:
        raise NotFound(f"transactie {', '.join(map(str, sorted(set(missing))))} bestaat niet")
    keys: dict[int, str] = {}
    for r in reversals:
        # Reversed once: by an earlier reversal, or by another key in this same batch.
        first_key = earlier.get(r.transaction_id) or keys.setdefault(
            r.transaction_id, r.idempotency_key
        )
        if first_key != r.idempotency_key:
            raise AlreadyReversed(f"transactie {r.transaction_id} is al teruggedraaid")
    mirrors = [
        NewTransaction(
            idempotency_key=r.idempotency_key,
            booking_date=r.booking_date,
            value_date=r.value_date or r.booking_date,
            period=period_of(r.booking_date),
            description=r.description
            or f"Storno van transactie {r.transaction_id}: {originals[r.transaction_id][0]}"[:500],
            rule=r.rule or originals[r.transaction_id][1],
            postings=tuple(postings[r.transaction_id]),
        )
        for r in reversals
    ]
    entries = _prepare(mirrors, [r.transaction_id for r in reversals])
    return _post_entries(session, actor, gemeente_id, entries)
