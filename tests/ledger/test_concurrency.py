# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL: many connections posting to the same accounts lose no update, breach no limit."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import unit_of_work
from ontzorgen.ledger.balances import balance, verify_balances
from ontzorgen.ledger.errors import LimitExceeded
from ontzorgen.ledger.models import BalanceLimit
from ontzorgen.ledger.service import ensure_subaccounts, post
from ontzorgen.money import Money
from tests.ledger.conftest import ACTOR, tx

THREADS = 8
ATTEMPTS = 4


def test_concurrent_payments_never_breach_a_limit_nor_lose_an_update(
    backend: str,
    session: Session,
    session_factory: sessionmaker[Session],
    gemeente_id: int,
    chart: dict[str, int],
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race exists on PostgreSQL")
    household = ensure_subaccounts(
        session,
        gemeente_id,
        [("te-betalen-huishoudens", "household:1", "H1", BalanceLimit.NON_POSITIVE)],
    )[("te-betalen-huishoudens", "household:1")]
    post(
        session,
        ACTOR,
        gemeente_id,
        tx("grant", (chart["bijstand-lasten"], 1000), (household, -1000)),
    )
    session.commit()

    barrier = threading.Barrier(THREADS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(number: int) -> None:
        barrier.wait()
        for attempt in range(ATTEMPTS):
            # Each payment of € 1,00 also moves € 0,01 between two unlimited accounts that
            # every thread shares: a lost update would show in their balances.
            entry = tx(
                f"pay-{number}-{attempt}",
                (household, 100),
                (chart["betalingen-onderweg"], -100),
                (chart["bank"], 1),
                (chart["tussenrekening"], -1),
            )
            try:
                with unit_of_work(session_factory) as own:
                    post(own, ACTOR, gemeente_id, entry)
                result = "paid"
            except LimitExceeded:
                result = "limit"
            except Exception as error:  # pragma: no cover - reported by the assertion below
                result = f"error: {error!r}"
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == Counter({"paid": 10, "limit": THREADS * ATTEMPTS - 10}), outcomes
    session.expire_all()
    assert balance(session, household) == Money.zero()
    assert balance(session, chart["betalingen-onderweg"]) == Money(-1000)
    assert balance(session, chart["bank"]) == Money(10)
    assert verify_balances(session, gemeente_id) == []
