# SPDX-License-Identifier: EUPL-1.2
"""The ledger's rules, one by one, through the service (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.errors import InvalidInput, NotFound
from ontzorgen.ledger.balances import balance, statement, trial_balance, verify_balances
from ontzorgen.ledger.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    LimitExceeded,
    PeriodClosed,
    PeriodUnbalanced,
    UnbalancedTransaction,
    UnknownAccount,
)
from ontzorgen.ledger.models import (
    BalanceLimit,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    PeriodStatus,
)
from ontzorgen.ledger.service import (
    DEFAULT_CHART,
    close_period,
    ensure_subaccounts,
    open_default_chart,
    period_status,
    post,
    post_batch,
    reverse,
)
from ontzorgen.money import Money
from tests.factories import at_noon
from tests.ledger.conftest import ACTOR, new_gemeente, tx

NOW = at_noon(date(2026, 12, 1))

HH = "te-betalen-huishoudens"


def _household(session: Session, gemeente_id: int, number: int = 42) -> int:
    ids = ensure_subaccounts(
        session,
        gemeente_id,
        [(HH, f"household:{number}", f"Huishouden {number}", BalanceLimit.NON_POSITIVE)],
    )
    return ids[(HH, f"household:{number}")]


def _count(session: Session, model: type[LedgerTransaction] | type[LedgerPosting]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_default_chart_is_idempotent_and_complete(session: Session, gemeente_id: int) -> None:
    first = open_default_chart(session, gemeente_id)
    again = open_default_chart(session, gemeente_id)
    assert first == again
    assert set(first) == {spec.code for spec in DEFAULT_CHART}
    assert {"bank", "bijstand-lasten", HH, "crediteuren", "vt-reserve"} <= set(first)


def test_subaccounts_are_opened_on_demand_set_based_and_reused(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    specs = [
        (HH, f"household:{n}", f"Huishouden {n}", BalanceLimit.NON_POSITIVE) for n in range(300)
    ]
    first = ensure_subaccounts(session, gemeente_id, specs)
    second = ensure_subaccounts(session, gemeente_id, specs[::-1])
    assert first == second
    assert len(set(first.values())) == 300
    account = session.get(LedgerAccount, first[(HH, "household:7")])
    assert account is not None
    assert (account.code, account.parent_id, account.kind) == (
        "te-betalen-huishoudens/household:7",
        chart[HH],
        "liability",
    )


def test_subaccount_under_unknown_parent_is_not_found(session: Session, gemeente_id: int) -> None:
    with pytest.raises(NotFound):
        ensure_subaccounts(session, gemeente_id, [("nope", "x:1", "X", BalanceLimit.NONE)])


def test_a_balanced_transaction_is_posted_with_balances(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = _household(session, gemeente_id)
    tx_id = post(
        session,
        ACTOR,
        gemeente_id,
        tx("grant-1", (chart["bijstand-lasten"], 140143), (household, -140143)),
    )
    session.commit()
    stored = session.get(LedgerTransaction, tx_id)
    assert stored is not None
    assert stored.actor == "boekhouder"
    assert stored.rule == "Pw art. 56a lid 2"
    assert balance(session, household) == Money(-140143)
    assert balance(session, chart[HH], include_subaccounts=True) == Money(-140143)
    assert verify_balances(session, gemeente_id) == []


@pytest.mark.parametrize(
    "postings",
    [
        ((1, 100), (2, -99)),  # does not sum to zero
        ((1, 100),),  # one posting
        ((1, 0), (2, 0)),  # zero amounts
    ],
)
def test_unbalanced_transactions_are_refused_naming_the_key(
    session: Session, gemeente_id: int, chart: dict[str, int], postings: tuple[tuple[int, int], ...]
) -> None:
    with pytest.raises(UnbalancedTransaction) as raised:
        post(session, ACTOR, gemeente_id, tx("bad-key", *postings))
    assert raised.value.problems[0].record == "bad-key"
    assert _count(session, LedgerTransaction) == 0


def test_booking_date_must_lie_in_the_period(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    with pytest.raises(InvalidInput, match="booking_date"):
        post(
            session,
            ACTOR,
            gemeente_id,
            tx("k", (chart["bank"], 1), (chart["tussenrekening"], -1), period="2026-12"),
        )


def test_accounts_of_another_gemeente_are_refused(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    other = new_gemeente(session)
    other_chart = open_default_chart(session, other)
    session.commit()
    with pytest.raises(UnknownAccount, match=str(other_chart["bank"])):
        post(session, ACTOR, gemeente_id, tx("x", (other_chart["bank"], 5), (chart["bank"], -5)))
    session.rollback()
    assert _count(session, LedgerPosting) == 0


def test_same_key_same_content_returns_the_first_transaction(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    entry = tx("run:2026-11:1", (chart["bank"], 500), (chart["tussenrekening"], -500))
    first = post(session, ACTOR, gemeente_id, entry)
    session.commit()
    assert post(session, ACTOR, gemeente_id, entry) == first
    assert _count(session, LedgerTransaction) == 1
    assert _count(session, LedgerPosting) == 2


def test_same_key_other_content_is_a_conflict(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    post(
        session, ACTOR, gemeente_id, tx("k1", (chart["bank"], 500), (chart["tussenrekening"], -500))
    )
    session.commit()
    with pytest.raises(IdempotencyConflict) as raised:
        post(
            session,
            ACTOR,
            gemeente_id,
            tx("k1", (chart["bank"], 501), (chart["tussenrekening"], -501)),
        )
    assert raised.value.status == 409


def test_a_retried_batch_returns_the_first_results(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    batch = [
        tx(f"run:{n}", (chart["bijstand-lasten"], 100 + n), (chart["tussenrekening"], -100 - n))
        for n in range(50)
    ]
    first = post_batch(session, ACTOR, gemeente_id, batch)
    session.commit()
    extra = tx("run:new", (chart["bank"], 7), (chart["tussenrekening"], -7))
    again = post_batch(session, ACTOR, gemeente_id, [*batch, extra])
    session.commit()
    assert again[:50] == first
    assert _count(session, LedgerTransaction) == 51


def test_a_batch_is_all_or_nothing(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = _household(session, gemeente_id)
    session.commit()
    batch = [
        tx("grant", (chart["bijstand-lasten"], 1000), (household, -1000)),
        tx("pay-too-much", (household, 1500), (chart["betalingen-onderweg"], -1500)),
    ]
    with pytest.raises(LimitExceeded, match="pay-too-much"):
        post_batch(session, ACTOR, gemeente_id, batch)
    session.rollback()
    assert _count(session, LedgerTransaction) == 0
    assert _count(session, LedgerPosting) == 0
    assert verify_balances(session, gemeente_id) == []


def test_limits_hold_across_units_of_work(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = _household(session, gemeente_id)
    post(
        session,
        ACTOR,
        gemeente_id,
        tx("grant", (chart["bijstand-lasten"], 1000), (household, -1000)),
    )
    session.commit()
    post(
        session,
        ACTOR,
        gemeente_id,
        tx("pay", (household, 1000), (chart["betalingen-onderweg"], -1000)),
    )
    session.commit()
    with pytest.raises(LimitExceeded):
        post(
            session,
            ACTOR,
            gemeente_id,
            tx("pay2", (household, 1), (chart["betalingen-onderweg"], -1)),
        )


def test_reversal_mirrors_and_restores_balances_once(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = _household(session, gemeente_id)
    original = post(
        session, ACTOR, gemeente_id, tx("grant", (chart["bijstand-lasten"], 900), (household, -900))
    )
    session.commit()
    reversal = reverse(
        session,
        ACTOR,
        gemeente_id,
        original,
        idempotency_key="storno-1",
        booking_date=date(2026, 11, 25),
    )
    session.commit()
    assert balance(session, household) == Money.zero()
    assert balance(session, chart["bijstand-lasten"]) == Money.zero()
    again = reverse(
        session,
        ACTOR,
        gemeente_id,
        original,
        idempotency_key="storno-1",
        booking_date=date(2026, 11, 25),
    )
    assert again == reversal
    with pytest.raises(AlreadyReversed):
        reverse(
            session,
            ACTOR,
            gemeente_id,
            original,
            idempotency_key="storno-2",
            booking_date=date(2026, 11, 26),
        )


def test_closed_period_refuses_postings_but_reversal_goes_to_an_open_one(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    original = post(
        session, ACTOR, gemeente_id, tx("a", (chart["bank"], 10), (chart["tussenrekening"], -10))
    )
    session.commit()
    close_period(session, ACTOR, gemeente_id, "2026-11", now=NOW)
    session.commit()
    assert period_status(session, gemeente_id, "2026-11") == PeriodStatus.CLOSED
    close_period(session, ACTOR, gemeente_id, "2026-11", now=NOW)  # closing again does nothing
    with pytest.raises(PeriodClosed, match="b"):
        post(
            session,
            ACTOR,
            gemeente_id,
            tx("b", (chart["bank"], 10), (chart["tussenrekening"], -10)),
        )
    session.rollback()
    reversal = reverse(
        session,
        ACTOR,
        gemeente_id,
        original,
        idempotency_key="storno",
        booking_date=date(2026, 12, 1),
    )
    session.commit()
    stored = session.get(LedgerTransaction, reversal)
    assert stored is not None
    assert stored.period == "2026-12"


def test_closing_an_unbalanced_period_is_refused(
    session: Session, gemeente_id: int, chart: dict[str, int], backend: str
) -> None:
    # Only tampering can unbalance a period; simulate it on a balance row where the database
    # allows it (SQLite: balance rows are not write-protected, see docs/ledger.md).
    if backend != "sqlite":
        pytest.skip("PostgreSQL refuses the tampering itself (see test_tamper)")
    post(session, ACTOR, gemeente_id, tx("a", (chart["bank"], 10), (chart["tussenrekening"], -10)))
    session.commit()
    session.connection().exec_driver_sql("UPDATE ledger_balance SET debit = debit + 1")
    with pytest.raises(PeriodUnbalanced):
        close_period(session, ACTOR, gemeente_id, "2026-11", now=NOW)
    assert verify_balances(session, gemeente_id) != []


def test_balance_as_of_a_date_and_statement(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    household = _household(session, gemeente_id)
    lasten = chart["bijstand-lasten"]
    for key, day, cents in [
        ("oct", date(2026, 10, 20), 1000),
        ("nov-1", date(2026, 11, 5), 2000),
        ("nov-2", date(2026, 11, 25), 3000),
        ("dec", date(2026, 12, 1), 4000),
    ]:
        post(session, ACTOR, gemeente_id, tx(key, (lasten, cents), (household, -cents), day=day))
    session.commit()
    assert balance(session, household, as_of=date(2026, 10, 31)) == Money(-1000)
    assert balance(session, household, as_of=date(2026, 11, 5)) == Money(-3000)
    assert balance(session, household, as_of=date(2026, 11, 24)) == Money(-3000)
    assert balance(session, household) == Money(-10000)
    month = statement(session, household, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert month.opening == Money(-1000)
    assert [line.amount for line in month.lines] == [Money(-2000), Money(-3000)]
    assert month.closing == Money(-6000)
    assert all(line.rule == "Pw art. 56a lid 2" for line in month.lines)


def test_trial_balance_sums_to_zero_and_rolls_up(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    households = [_household(session, gemeente_id, n) for n in range(3)]
    for n, household in enumerate(households):
        post(
            session,
            ACTOR,
            gemeente_id,
            tx(f"g{n}", (chart["bijstand-lasten"], 1000), (household, -1000)),
        )
    session.commit()
    rolled = trial_balance(session, gemeente_id, "2026-11")
    assert rolled.total == Money.zero()
    assert rolled.total_debit == Money(3000)
    assert {line.code: line.balance for line in rolled.lines} == {
        "bijstand-lasten": Money(3000),
        HH: Money(-3000),
    }
    flat = trial_balance(session, gemeente_id, "2026-11", rollup=False)
    assert len(flat.lines) == 4
    assert flat.total == Money.zero()


def test_the_service_never_commits(
    session: Session, gemeente_id: int, chart: dict[str, int]
) -> None:
    post(session, ACTOR, gemeente_id, tx("a", (chart["bank"], 10), (chart["tussenrekening"], -10)))
    close_period(session, ACTOR, gemeente_id, "2026-10", now=NOW)
    session.rollback()
    assert _count(session, LedgerTransaction) == 0
    assert period_status(session, gemeente_id, "2026-10") is None
