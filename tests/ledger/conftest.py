# SPDX-License-Identifier: EUPL-1.2
"""Ledger test helpers: a gemeente with the default chart, and short ways to write postings."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger.service import Line, NewTransaction, open_default_chart
from ontzorgen.money import Money
from tests.factories import actor_for

ACTOR = actor_for("boekhouder")
PERIOD = "2026-11"
DAY = date(2026, 11, 20)
_codes = itertools.count(1000)


def new_gemeente(session: Session) -> int:
    """A new gemeente (committed), with a unique CBS-like code."""
    gemeente_id = session.execute(
        insert(Gemeente).returning(Gemeente.id),
        [
            {
                "code": f"{next(_codes) % 10000:04d}",
                "name": "Testgemeente",
                "debtor_name": "Gemeente Test",
                "debtor_iban": "NL14BNGH0285001234",
                "debtor_bic": "BNGHNL2G",
                "policy": {},
            }
        ],
    ).scalar_one()
    session.commit()
    return int(gemeente_id)


@pytest.fixture
def gemeente_id(session: Session) -> int:
    """A committed gemeente."""
    return new_gemeente(session)


@pytest.fixture
def chart(session: Session, gemeente_id: int) -> dict[str, int]:
    """The default chart of accounts of the gemeente, committed: code → account id."""
    accounts = open_default_chart(session, gemeente_id)
    session.commit()
    return accounts


def tx(
    key: str | None = None,
    *postings: tuple[int, int],
    day: date = DAY,
    period: str | None = None,
    description: str = "bijstand november",
    rule: str = "Pw art. 56a lid 2",
) -> NewTransaction:
    """A NewTransaction from (account_id, cents) pairs."""
    return NewTransaction(
        idempotency_key=key or uuid.uuid4().hex,
        booking_date=day,
        value_date=day,
        period=period or f"{day.year:04d}-{day.month:02d}",
        description=description,
        rule=rule,
        postings=tuple(Line(account, Money(cents)) for account, cents in postings),
    )


@contextmanager
def raw(engine: Engine) -> Iterator[Connection]:
    """A plain connection for tamper tests; commits at the end of the block."""
    with engine.connect() as connection:
        yield connection
        connection.commit()


def refused(error: BaseException, reason: str | None = None) -> bool:
    """True if ``error`` is a refusal by the database (our trigger, or a constraint)."""
    text = str(error)
    if reason is None:
        return True
    return f"ontzorgen:{reason}" in text


Factory = Callable[[], Session]
SessionFactory = sessionmaker[Session]
Anything = Any
