# SPDX-License-Identifier: EUPL-1.2
"""Vakantietoeslag in June: paid from the ledger's reserve as far as it holds, never past it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.clients.service import import_households
from ontzorgen.ledger.balances import balance, trial_balance, verify_balances
from ontzorgen.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction
from ontzorgen.money import Money
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

APPROVER = actor_for("accordeerder")


def _run(session: Session, period: str, today: date) -> int:
    run_id = create_run(session, CLERK, "0439", period).id
    prepare_run(session, CLERK, run_id, today=today, now=at_noon(today))
    approve_run(session, APPROVER, run_id, today=today, now=at_noon(today))
    session.commit()
    return run_id


def _vt_payout_postings(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(LedgerAccount.code, LedgerPosting.amount)
        .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(LedgerTransaction.description.like("%vt_payout%"))
        .order_by(LedgerPosting.amount)
    )
    return [(code.split("/")[0], amount) for code, amount in rows]


def test_june_payout_without_earlier_runs_is_charged_to_bijstand_lasten(session: Session) -> None:
    gemeente = make_gemeente(session)
    data = example_import()
    data["households"] = data["households"][:1]
    data["households"][0]["right"]["start"] = "2026-01-01"
    for contract in data["households"][0]["contracts"]:
        contract["start"] = contract["amounts"][0]["valid_from"] = "2026-01-01"
    import_households(session, CLERK, data)
    session.commit()
    _run(session, "2027-05", date(2027, 4, 1))  # only May is booked in the ledger
    _run(session, "2027-06", date(2027, 5, 1))
    postings = _vt_payout_postings(session)
    # June pays 12 months of VT (€ 70,07 each, June 2026 to May 2027): only May was reserved
    # in this ledger; the other eleven are charged to bijstand-lasten directly. June's own
    # accrual stays in the reserve for next year.
    assert postings == [
        ("te-betalen-huishoudens", -84084),
        ("vt-reserve", 7007),
        ("bijstand-lasten", 77077),
    ]
    reserve = session.scalar(
        select(LedgerAccount.id).where(LedgerAccount.code.like("vt-reserve/%"))
    )
    assert reserve is not None
    assert balance(session, reserve) == Money(-7007)
    assert verify_balances(session, gemeente.id) == []
    june = trial_balance(session, gemeente.id, "2027-06")
    assert june.total_debit == june.total_credit
