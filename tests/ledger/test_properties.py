# SPDX-License-Identifier: EUPL-1.2
"""Property-based and stateful tests: random histories never lose, invent or rewrite a cent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import unit_of_work
from ontzorgen.errors import DomainError
from ontzorgen.ledger.balances import balances, trial_balance, verify_balances
from ontzorgen.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    LimitExceeded,
    PeriodClosed,
    UnbalancedTransaction,
)
from ontzorgen.ledger.models import BalanceLimit
from ontzorgen.ledger.service import (
    close_period,
    ensure_subaccounts,
    open_default_chart,
    post_batch,
    reverse,
)
from ontzorgen.money import Money
from tests.factories import at_noon
from tests.ledger.conftest import ACTOR, new_gemeente, tx

NOW = at_noon(date(2026, 12, 1))

PERIODS = ["2026-10", "2026-11", "2026-12"]
FREE = ["bank", "tussenrekening", "bijstand-lasten", "betalingen-onderweg"]


def _day(period: str) -> date:
    year, month = map(int, period.split("-"))
    return date(year, month, 15)


def _setup(factory: sessionmaker[Session]) -> tuple[int, dict[str, int]]:
    with unit_of_work(factory) as session:
        gemeente_id = new_gemeente(session)
    with unit_of_work(factory) as session:
        chart = open_default_chart(session, gemeente_id)
        subs = ensure_subaccounts(
            session,
            gemeente_id,
            [
                ("te-betalen-huishoudens", "household:1", "H1", BalanceLimit.NON_POSITIVE),
                ("voorschotten", "household:1", "V1", BalanceLimit.NON_NEGATIVE),
            ],
        )
    accounts = {code: chart[code] for code in FREE}
    accounts["household"] = subs[("te-betalen-huishoudens", "household:1")]
    accounts["advance"] = subs[("voorschotten", "household:1")]
    return gemeente_id, accounts


SETTINGS = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

transfers = st.lists(
    st.tuples(
        st.sampled_from(FREE),
        st.sampled_from(FREE),
        st.integers(min_value=1, max_value=10**9),
        st.sampled_from(PERIODS),
    ).filter(lambda t: t[0] != t[1]),
    min_size=1,
    max_size=30,
)


@SETTINGS
@given(batch=transfers, data=st.data())
def test_random_batches_balance_retry_and_reverse_to_zero(
    session_factory: sessionmaker[Session],
    batch: list[tuple[str, str, int, str]],
    data: st.DataObject,
) -> None:
    gemeente_id, accounts = _setup(session_factory)
    entries = [
        tx(f"b{n}", (accounts[debit], cents), (accounts[credit], -cents), day=_day(period))
        for n, (credit, debit, cents, period) in enumerate(batch)
    ]
    expected: dict[int, int] = defaultdict(int)
    for credit, debit, cents, _ in batch:
        expected[accounts[debit]] += cents
        expected[accounts[credit]] -= cents
    with unit_of_work(session_factory) as session:
        ids = post_batch(session, ACTOR, gemeente_id, entries)
    with unit_of_work(session_factory) as session:
        assert post_batch(session, ACTOR, gemeente_id, entries) == ids  # a retry changes nothing
        got = balances(session, list(accounts.values()))
        assert {a: m.cents for a, m in got.items() if m} == {a: c for a, c in expected.items() if c}
        for period in PERIODS:
            assert trial_balance(session, gemeente_id, period).total == Money.zero()
        assert verify_balances(session, gemeente_id) == []
    to_reverse = data.draw(st.sets(st.sampled_from(ids)), label="reversed")
    with unit_of_work(session_factory) as session:
        for tx_id in sorted(to_reverse):
            reverse(
                session,
                ACTOR,
                gemeente_id,
                tx_id,
                idempotency_key=f"r{tx_id}",
                booking_date=_day("2026-12"),
            )
    with unit_of_work(session_factory) as session:
        for tx_id in sorted(set(ids) - to_reverse):
            reverse(
                session,
                ACTOR,
                gemeente_id,
                tx_id,
                idempotency_key=f"r{tx_id}",
                booking_date=_day("2026-12"),
            )
        # Reversing everything restores every balance to zero.
        assert all(not m for m in balances(session, list(accounts.values())).values())
        assert verify_balances(session, gemeente_id) == []


class LedgerMachine(RuleBasedStateMachine):
    """A model of the ledger in Python; the real one must agree with it after every step."""

    factory: sessionmaker[Session]
    transactions = Bundle("transactions")

    def __init__(self) -> None:
        super().__init__()
        # A fresh gemeente per example: a clean ledger in the same database.
        self.gemeente_id, self.accounts = _setup(self.factory)
        self.expected: dict[int, int] = defaultdict(int)
        self.closed: set[str] = set()
        self.reversed: dict[int, str] = {}  # transaction → key of its reversal
        self.content: dict[int, tuple[str, tuple[tuple[int, int], ...], str]] = {}
        self.counter = 0

    def _limit_breached(self, lines: tuple[tuple[int, int], ...]) -> bool:
        after = dict(self.expected)
        for account, cents in lines:
            after[account] = after.get(account, 0) + cents
        return (
            after.get(self.accounts["household"], 0) > 0
            or after.get(self.accounts["advance"], 0) < 0
        )

    def _apply(self, lines: tuple[tuple[int, int], ...]) -> None:
        for account, cents in lines:
            self.expected[account] += cents

    def _attempt(self, action: object) -> DomainError | None:
        try:
            with unit_of_work(self.factory) as session:
                action(session)  # type: ignore[operator]
        except DomainError as error:
            return error
        return None

    @rule(
        target=transactions,
        debit=st.sampled_from([*FREE, "household", "advance"]),
        credit=st.sampled_from([*FREE, "household", "advance"]),
        cents=st.integers(min_value=1, max_value=5000),
        period=st.sampled_from(PERIODS),
    )
    def post(self, debit: str, credit: str, cents: int, period: str) -> int:
        self.counter += 1
        key = f"k{self.counter}"
        lines = ((self.accounts[debit], cents), (self.accounts[credit], -cents))
        ids: list[int] = []
        error = self._attempt(
            lambda s: ids.extend(
                post_batch(s, ACTOR, self.gemeente_id, [tx(key, *lines, day=_day(period))])
            )
        )
        if period in self.closed:
            assert isinstance(error, PeriodClosed), error
            return -1
        if self._limit_breached(lines):
            assert isinstance(error, LimitExceeded), error
            return -1
        assert error is None, error
        self._apply(lines)
        self.content[ids[0]] = (key, lines, period)
        return ids[0]

    @rule(tx_id=transactions)
    def retry(self, tx_id: int) -> None:
        if tx_id not in self.content:
            return
        key, lines, period = self.content[tx_id]
        ids: list[int] = []
        assert (
            self._attempt(
                lambda s: ids.extend(
                    post_batch(s, ACTOR, self.gemeente_id, [tx(key, *lines, day=_day(period))])
                )
            )
            is None
        )
        assert ids == [tx_id]

    @rule(tx_id=transactions)
    def conflicting_retry(self, tx_id: int) -> None:
        if tx_id not in self.content:
            return
        key, lines, period = self.content[tx_id]
        other = tuple((account, cents * 2) for account, cents in lines)
        error = self._attempt(
            lambda s: post_batch(s, ACTOR, self.gemeente_id, [tx(key, *other, day=_day(period))])
        )
        assert isinstance(error, IdempotencyConflict), error

    @rule(cents=st.integers(min_value=1, max_value=100))
    def unbalanced(self, cents: int) -> None:
        error = self._attempt(
            lambda s: post_batch(
                s,
                ACTOR,
                self.gemeente_id,
                [
                    tx(
                        None,
                        (self.accounts["bank"], cents),
                        (self.accounts["tussenrekening"], -(cents + 1)),
                    )
                ],
            )
        )
        assert isinstance(error, UnbalancedTransaction), error

    @rule(tx_id=transactions, period=st.sampled_from(PERIODS))
    def reverse(self, tx_id: int, period: str) -> None:
        if tx_id not in self.content:
            return
        _, lines, _ = self.content[tx_id]
        mirror = tuple((account, -cents) for account, cents in lines)
        error = self._attempt(
            lambda s: reverse(
                s,
                ACTOR,
                self.gemeente_id,
                tx_id,
                idempotency_key=f"r{tx_id}-{period}",
                booking_date=_day(period),
            )
        )
        if self.reversed.get(tx_id) == f"r{tx_id}-{period}":
            assert error is None, error  # a retried reversal returns the first one
        elif tx_id in self.reversed:
            assert isinstance(error, AlreadyReversed), error
        elif period in self.closed:
            assert isinstance(error, PeriodClosed), error
        elif self._limit_breached(mirror):
            assert isinstance(error, LimitExceeded), error
        else:
            assert error is None, error
            self._apply(mirror)
            self.reversed[tx_id] = f"r{tx_id}-{period}"

    @precondition(lambda self: len(self.closed) < len(PERIODS) - 1)
    @rule(period=st.sampled_from(PERIODS[:-1]))
    def close(self, period: str) -> None:
        assert (
            self._attempt(lambda s: close_period(s, ACTOR, self.gemeente_id, period, now=NOW))
            is None
        )
        self.closed.add(period)

    @invariant()
    def agrees_with_the_model(self) -> None:
        with self.factory() as session:
            got = balances(session, list(self.accounts.values()))
            assert {a: m.cents for a, m in got.items()} == {
                a: self.expected.get(a, 0) for a in self.accounts.values()
            }
            for period in PERIODS:
                assert trial_balance(session, self.gemeente_id, period).total == Money.zero()
            assert verify_balances(session, self.gemeente_id) == []


def test_ledger_state_machine(session_factory: sessionmaker[Session]) -> None:
    machine = type("BoundLedgerMachine", (LedgerMachine,), {"factory": session_factory})
    run_state_machine_as_test(machine, settings=SETTINGS)


_ = pytest
