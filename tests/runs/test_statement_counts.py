# SPDX-License-Identifier: EUPL-1.2
"""Import and cancel are set-based: their number of SQL statements does not grow with the
number of households (before, cancel reversed one transaction per round trip and import
flushed twice per household). Both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.generate import import_document
from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as cm
from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger.balances import balances
from ontzorgen.ledger.models import LedgerAccount, LedgerTransaction
from ontzorgen.runs.models import Payment
from ontzorgen.runs.service import cancel_run, create_run, prepare_run
from tests.factories import actor_for, at_noon, make_gemeente

TODAY = date(2026, 11, 23)
PERIOD = Period(2026, 12)
SMALL, LARGE = 10, 50
# Set-based means: the same statements for 10 and for 50 households, give or take a few.
SLACK = 2


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Every statement the engine sends to the database while the block runs."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _count(engine: Engine, action: Callable[[], object]) -> int:
    with counting(engine) as statements:
        action()
    return len(statements)


def _import(factory: sessionmaker[Session], code: str, households: int) -> None:
    with unit_of_work(factory) as session:
        import_households(
            session, actor_for("import"), import_document(households, PERIOD, gemeente=code)
        )


def _gemeenten(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        make_gemeente(session, "0439")
        make_gemeente(session, "0363")


def _households(factory: sessionmaker[Session], code: str) -> int:
    with factory() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(cm.Household)
                .join(Gemeente, Gemeente.id == cm.Household.gemeente_id)
                .where(Gemeente.code == code)
            )
            or 0
        )


def test_import_takes_the_same_statements_for_10_and_50_households(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    _gemeenten(session_factory)
    small = _count(engine, lambda: _import(session_factory, "0439", SMALL))
    large = _count(engine, lambda: _import(session_factory, "0363", LARGE))
    assert (_households(session_factory, "0439"), _households(session_factory, "0363")) == (
        SMALL,
        LARGE,
    )
    assert abs(large - small) <= SLACK, (small, large)


def _prepared_run(factory: sessionmaker[Session], code: str) -> int:
    with unit_of_work(factory) as session:
        run_id = create_run(session, actor_for("jan"), code, PERIOD.label()).id
    with unit_of_work(factory) as session:
        prepare_run(session, actor_for("jan"), run_id, today=TODAY, now=at_noon(TODAY))
    return run_id


def _cancel(factory: sessionmaker[Session], run_id: int) -> None:
    with unit_of_work(factory) as session:
        cancel_run(
            session, actor_for("piet"), run_id, "verkeerde maand", today=TODAY, now=at_noon(TODAY)
        )


def test_cancel_takes_the_same_statements_for_10_and_50_households(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    _gemeenten(session_factory)
    _import(session_factory, "0439", SMALL)
    _import(session_factory, "0363", LARGE)
    small_run = _prepared_run(session_factory, "0439")
    large_run = _prepared_run(session_factory, "0363")
    small = _count(engine, lambda: _cancel(session_factory, small_run))
    large = _count(engine, lambda: _cancel(session_factory, large_run))
    assert abs(large - small) <= SLACK, (small, large)
    with session_factory() as session:
        # Every booking of both runs reversed exactly once; every account back to zero.
        for run_id, households in ((small_run, SMALL), (large_run, LARGE)):
            originals = session.scalars(
                select(LedgerTransaction.id).where(
                    LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"),
                    LedgerTransaction.reverses_id.is_(None),
                )
            ).all()
            reversed_ids = session.scalars(
                select(LedgerTransaction.reverses_id).where(
                    LedgerTransaction.idempotency_key.startswith(f"run{run_id}:"),
                    LedgerTransaction.reverses_id.is_not(None),
                )
            ).all()
            assert len(originals) >= 2 * households
            assert sorted(reversed_ids) == sorted(originals)
        accounts = session.scalars(select(LedgerAccount.id)).all()
        assert all(m.cents == 0 for m in balances(session, list(accounts)).values())
        assert not session.scalars(select(Payment.id).where(Payment.active)).all()
