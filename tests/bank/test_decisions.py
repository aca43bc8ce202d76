# SPDX-License-Identifier: EUPL-1.2
"""Decisions on returned money: refused with a Dutch reason when they make no sense, and bound
to the correction run that carries them out (a new decision waits until it is cancelled)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.bank.decisions import approve_decision, decide
from ontzorgen.bank.importer import import_records
from ontzorgen.bank.models import BankDecision
from ontzorgen.errors import Conflict, DomainError, InvalidInput, NotFound
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.service import cancel_run, create_run, prepare_run
from tests.bank.conftest import ACCOUNTANT, APPROVER
from tests.bank.records import pain002
from tests.factories import CLERK, at_noon

DAY = date(2026, 12, 2)


def _payments(session: Session, run_id: int) -> list[Payment]:
    return list(
        session.scalars(select(Payment).where(Payment.run_id == run_id).order_by(Payment.id))
    )


@pytest.fixture
def rejected(session: Session, december: tuple[int, bytes]) -> tuple[int, Payment, Payment]:
    """HH-2026-0001's huur rejected; its stroom not. Returns the run and both payments."""
    run_id, _ = december
    huur, stroom, *_ = _payments(session, run_id)
    msg_id = session.get_one(PaymentRun, run_id).msg_id
    assert msg_id is not None
    import_records(session, ACCOUNTANT, "0439", b"p", pain002(msg_id, [(huur, "AC04")]),
                   filename="p.xml", today=DAY, now=at_noon(DAY))  # fmt: skip
    session.commit()
    return run_id, huur, stroom


def _decide(session: Session, **kwargs: object) -> None:
    decide(session, ACCOUNTANT, "0439", now=at_noon(DAY), **{"reason": "test", **kwargs})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"action": "weggooien"}, InvalidInput, "kies herbetalen"),
        ({"action": "herbetalen", "reason": "  "}, InvalidInput, "vastgelegde reden"),
        ({"action": "herbetalen", "payment_id": 999}, NotFound, "betaling 999 bestaat niet"),
        ({"action": "herbetalen", "bank_item_id": 1}, InvalidInput, "niet beide"),
        ({"action": "aan_huishouden", "bank_item_id": 1, "payment_id": None}, Conflict,
         "al aan een betaling gekoppeld"),
    ],
    ids=["action", "reason", "unknown", "both", "matched-item"],
)  # fmt: skip
def test_a_decision_that_makes_no_sense_is_refused(
    session: Session, rejected: tuple[int, Payment, Payment], kwargs: dict[str, object],
    error: type[DomainError], says: str,
) -> None:  # fmt: skip
    _, huur, _ = rejected
    with pytest.raises(error) as refused:
        _decide(session, **{"payment_id": huur.id, **kwargs})
    assert says in str(refused.value)


def test_a_payment_the_bank_paid_needs_no_decision(
    session: Session, rejected: tuple[int, Payment, Payment]
) -> None:
    _, _, stroom = rejected
    with pytest.raises(Conflict) as refused:
        _decide(session, action="herbetalen", payment_id=stroom.id)
    assert "niet geweigerd of teruggekomen" in str(refused.value)


def test_paying_a_household_without_an_account_is_refused(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur_2 = _payments(session, run_id)[-1]  # HH-2026-0002's huur; it has no IBAN
    msg_id = session.get_one(PaymentRun, run_id).msg_id
    assert msg_id is not None
    import_records(session, ACCOUNTANT, "0439", b"p", pain002(msg_id, [(huur_2, "MS03")]),
                   filename="p.xml", today=DAY, now=at_noon(DAY))  # fmt: skip
    with pytest.raises(Conflict) as refused:
        _decide(session, action="aan_huishouden", payment_id=huur_2.id)
    assert "geen eigen rekening (IBAN)" in str(refused.value)


def test_a_decision_in_a_prepared_correction_cannot_be_changed_until_it_is_cancelled(
    session: Session, rejected: tuple[int, Payment, Payment]
) -> None:
    run_id, huur, _ = rejected
    _decide(session, action="herbetalen", payment_id=huur.id)
    decision = session.scalars(select(BankDecision.id).order_by(BankDecision.id.desc())).first()
    assert decision is not None
    approve_decision(session, APPROVER, "0439", decision, now=at_noon(DAY))
    correction = create_run(
        session, CLERK, "0439", "2026-12", corrects=run_id, reason="herbetaling"
    )
    prepare_run(session, CLERK, correction.id, today=DAY, now=at_noon(DAY))
    session.commit()
    with pytest.raises(Conflict) as refused:
        _decide(session, action="vasthouden", payment_id=huur.id)
    assert "al besloten en het besluit is uitgevoerd" in str(refused.value)
    session.rollback()
    cancel_run(session, CLERK, correction.id, "besluit herzien", today=DAY, now=at_noon(DAY))
    session.commit()
    _decide(session, action="vasthouden", payment_id=huur.id)  # now it may change
    session.commit()
    again = create_run(session, CLERK, "0439", "2026-12", corrects=run_id, reason="opnieuw")
    session.commit()
    with pytest.raises(Conflict) as nothing:  # held: nothing to pay, no difference
        prepare_run(session, CLERK, again.id, today=DAY, now=at_noon(DAY))
    assert "geen verschil" in str(nothing.value)
