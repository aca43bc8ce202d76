# SPDX-License-Identifier: EUPL-1.2
"""Closing a period: refused, with the reason, while anything of the month is not settled."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from ontzorgen.bank.reconcile import close_period, reconcile
from ontzorgen.errors import Conflict
from ontzorgen.ledger.service import period_status
from ontzorgen.runs.service import create_run, prepare_run
from tests.bank.conftest import ACCOUNTANT
from tests.bank.testbank import camt053
from tests.factories import CLERK, actor_for, at_noon

READER = actor_for("lezer")

DEC_1 = date(2026, 12, 1)


def _refused(session: Session, period: str) -> str:
    with pytest.raises(Conflict) as refused:
        close_period(session, ACCOUNTANT, "0439", period, now=at_noon(DEC_1))
    session.rollback()
    return str(refused.value)


def test_a_month_whose_payments_the_bank_has_not_booked_stays_open(
    session: Session, december: tuple[int, bytes]
) -> None:
    del december
    message = _refused(session, "2026-12")
    assert "6 open posten" in message
    assert "verzonden, nog niet afgeschreven door de bank" in message
    assert period_status(session, 1, "2026-12") is not None
    assert period_status(session, 1, "2026-12").value == "open"  # type: ignore[union-attr]


def test_a_run_not_exported_keeps_its_month_open(
    session: Session, december: tuple[int, bytes]
) -> None:
    from ontzorgen.bank.importer import import_bank_file

    run_id, pain001 = december
    import_bank_file(session, ACCOUNTANT, "0439", camt053(pain001, booking_date=DEC_1),
                     filename="camt.xml", today=DEC_1, now=at_noon(DEC_1))  # fmt: skip
    session.commit()
    assert reconcile(session, READER, "0439", period="2026-12").open_items == []
    correction = create_run(session, CLERK, "0439", "2026-12", corrects=run_id, reason="test")
    session.commit()
    message = _refused(session, "2026-12")
    assert f"betaalrun {correction.id} is nog niet geëxporteerd" in message
    with pytest.raises(Conflict):  # nothing to correct: the run cannot even be prepared
        prepare_run(session, CLERK, correction.id, today=DEC_1, now=at_noon(DEC_1))


def test_one_run_is_reconciled_on_its_own(session: Session, december: tuple[int, bytes]) -> None:
    run_id, _ = december
    report = reconcile(session, READER, "0439", run_id=run_id)
    assert (report.runs, report.expected_cents, report.open_cents) == ([run_id], 217143, 217143)
    assert report.difference_cents == 0
