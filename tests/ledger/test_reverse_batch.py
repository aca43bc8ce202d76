# SPDX-License-Identifier: EUPL-1.2
"""Bulk reversal: the same rules as one reversal (mirror, once only, idempotent), set-based,
and independent of the order of the reversals. Both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.errors import NotFound
from ontzorgen.ledger.balances import balance, verify_balances
from ontzorgen.ledger.errors import AlreadyReversed
from ontzorgen.ledger.models import BalanceLimit, LedgerPosting, LedgerTransaction
from ontzorgen.ledger.service import Reversal, ensure_subaccounts, post_batch, reverse_batch
from ontzorgen.money import Money
from tests.ledger.conftest import ACTOR, tx

HH = "te-betalen-huishoudens"
DAY = date(2026, 11, 25)


def _household(session: Session, gemeente_id: int) -> int:
    ids = ensure_subaccounts(
        session, gemeente_id, [(HH, "household:1", "Huishouden 1", BalanceLimit.NON_POSITIVE)]
    )
    return ids[(HH, "household:1")]


def _grant_and_pay(session: Session, gemeente_id: int, chart: dict[str, int]) -> list[int]:
    household = _household(session, gemeente_id)
    ids = post_batch(
        session,
        ACTOR,
        gemeente_id,
        [
            tx("grant", (chart["bijstand-lasten"], 90000), (household, -90000)),
            tx("pay", (household, 70000), (chart["betalingen-onderweg"], -70000)),
        ],
    )
    session.commit()
    return ids


def test_a_batch_mirrors_every_transaction_in_any_order(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    grant, pay = _grant_and_pay(session, gemeente_id, chart)
    # Undoing the grant before the payment would take the household account past its limit
    # on the way, one by one; as one batch the database judges the end state.
    reversals = [Reversal(grant, "grant:storno", DAY), Reversal(pay, "pay:storno", DAY)]
    ids = reverse_batch(session, ACTOR, gemeente_id, reversals)
    session.commit()
    household = _household(session, gemeente_id)
    assert balance(session, household) == Money.zero()
    assert balance(session, chart["bijstand-lasten"]) == Money.zero()
    assert verify_balances(session, gemeente_id) == []
    for original, reversal in zip((grant, pay), ids, strict=True):
        stored = session.get_one(LedgerTransaction, reversal)
        assert stored.reverses_id == original
        mirrored = session.execute(
            select(LedgerPosting.account_id, LedgerPosting.amount).where(
                LedgerPosting.transaction_id == reversal
            )
        ).all()
        originals = session.execute(
            select(LedgerPosting.account_id, LedgerPosting.amount).where(
                LedgerPosting.transaction_id == original
            )
        ).all()
        assert sorted((a, -m) for a, m in originals) == sorted(mirrored)
    # A retry with the same keys returns the first reversals and writes nothing.
    assert reverse_batch(session, ACTOR, gemeente_id, reversals) == ids


def test_a_transaction_is_reversed_once_also_within_one_batch(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    grant, pay = _grant_and_pay(session, gemeente_id, chart)
    with pytest.raises(AlreadyReversed):
        reverse_batch(session, ACTOR, gemeente_id,
                      [Reversal(pay, "a", DAY), Reversal(pay, "b", DAY)])  # fmt: skip
    session.rollback()
    reverse_batch(session, ACTOR, gemeente_id, [Reversal(pay, "a", DAY)])
    session.commit()
    with pytest.raises(AlreadyReversed):
        reverse_batch(session, ACTOR, gemeente_id,
                      [Reversal(grant, "c", DAY), Reversal(pay, "other-key", DAY)])  # fmt: skip
    session.rollback()
    with pytest.raises(NotFound):
        reverse_batch(session, ACTOR, gemeente_id, [Reversal(grant + pay + 99, "d", DAY)])
    assert reverse_batch(session, ACTOR, gemeente_id, []) == []
