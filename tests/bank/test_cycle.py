# SPDX-License-Identifier: EUPL-1.2
"""The whole cycle, on both databases: run → pain.001 → the test bank's answers → import →
decisions → correction run → its answers → the month reconciles to zero and closes.

The example's December run (exported 23 November 2026, vaste lasten on 24 November, leefgeld
on 24 December): HH-2026-0001 huur € 712,00, stroom € 95,00, water € 25,00, zorg € 158,00,
leefgeld € 341,43; HH-2026-0002 huur € 840,00 (its leefgeld is held). Expected € 2.171,43.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.bank.decisions import approve_decision, decide
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.models import BankFile, BankItem, PaymentEvent
from ontzorgen.bank.reconcile import close_period, reconcile
from ontzorgen.bank.status import payment_status
from ontzorgen.clients.models import Payee
from ontzorgen.clients.schemas import PayeeAccountIn
from ontzorgen.clients.service import change_payee_account
from ontzorgen.errors import Conflict, InvalidInput
from ontzorgen.ledger.balances import balance
from ontzorgen.ledger.models import LedgerAccount, LedgerTransaction
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment
from tests.bank.conftest import ACCOUNTANT, APPROVER, full_run
from tests.bank.testbank import Credit, camt053, camt054, pain002, read_pain001
from tests.factories import CLERK, actor_for, at_noon

READER = actor_for("lezer")

NOV_24 = date(2026, 11, 24)
DEC_2 = date(2026, 12, 2)
DEC_24 = date(2026, 12, 24)
NEW_IBAN = "NL66ASNB0707070707"
SUPPLIER_IBAN = "NL91ABNA0417164300"


def _import(session: Session, content: bytes, name: str, day: date) -> dict[str, Any]:
    summary = import_bank_file(session, ACCOUNTANT, "0439", content, filename=name, today=day,
                               now=at_noon(day))  # fmt: skip
    session.commit()
    return summary.as_dict()


def _balance(session: Session, code: str) -> int:
    account = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    assert account is not None
    return balance(session, account).cents


def _by_e2e(session: Session, run_id: int) -> dict[str, Payment]:
    return {
        p.end_to_end_id: p for p in session.scalars(select(Payment).where(Payment.run_id == run_id))
    }


def test_a_month_with_a_reject_a_return_reissues_and_a_refund_reconciles_and_closes(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, pain001 = december
    payments = _by_e2e(session, run_id)
    huur_1 = next(p for p in payments.values() if p.category == "huur" and p.household_id == 1)
    huur_2 = next(p for p in payments.values() if p.category == "huur" and p.household_id == 2)
    order = read_pain001(pain001)
    vaste = [b.pmt_inf_id for b in order.batches if b.execution_date == NOV_24]
    leefgeld = [b.pmt_inf_id for b in order.batches if b.execution_date == DEC_24]

    # The bank rejects HH-2026-0001's huur (AC04) the day the file arrives …
    status = pain002(pain001, rejected={huur_1.end_to_end_id: "AC04"}, only_rejects=True)
    assert _import(session, status, "pain.002.xml", NOV_24)["counts"] == {"rejected": 1}
    # … books the vaste-lasten batch without it, returns HH-2026-0002's huur (AC01) the same
    # day in a camt.054, and the day's camt.053 has both, and a refund nobody ordered.
    returned = {huur_2.end_to_end_id: "AC01"}
    refund = Credit(4312, "Polderstroom Energie B.V.", SUPPLIER_IBAN, "Eindafrekening 2026")
    notification = camt054(pain001, booking_date=NOV_24, returned=returned, booked=True,
                           rejected={huur_1.end_to_end_id: "AC04"}, pmt_inf_ids=vaste)  # fmt: skip
    first = _import(session, notification, "camt.054.xml", NOV_24)
    assert first["counts"] == {"booked": 4, "returned": 1}
    rejected = {huur_1.end_to_end_id: "AC04"}
    statement = camt053(pain001, booking_date=NOV_24, pmt_inf_ids=vaste, returned=returned,
                        rejected=rejected, extra_credits=[refund])  # fmt: skip
    second = _import(session, statement, "camt.053-1124.xml", NOV_24)
    assert second["counts"] == {"al_ingelezen": 5, "unidentified": 1}  # booked once, not twice
    leefgeld_statement = camt053(pain001, booking_date=DEC_24, pmt_inf_ids=leefgeld)
    assert _import(session, leefgeld_statement, "camt.053-1224.xml", DEC_24)["counts"] == {
        "booked": 1
    }

    report = reconcile(session, READER, "0439", period="2026-12")
    assert (report.expected_cents, report.booked_cents, report.rejected_cents) == (
        217143, 217143 - 71200, 71200,
    )  # fmt: skip
    assert (report.returned_cents, report.open_cents, report.difference_cents) == (
        84000, 71200 + 84000, 0,
    )  # fmt: skip
    assert sorted((i.end_to_end_id, i.amount_cents) for i in report.open_items) == sorted(
        [(huur_1.end_to_end_id, 71200), (huur_2.end_to_end_id, 84000)]
    )
    assert "AC04: de rekening is opgeheven" in next(
        i.reason for i in report.open_items if i.payment_id == huur_1.id
    )
    with pytest.raises(Conflict) as refused:
        close_period(session, ACCOUNTANT, "0439", "2026-12", now=at_noon(DEC_2))
    assert huur_1.end_to_end_id in str(refused.value)
    session.rollback()
    november = reconcile(session, READER, "0439", period="2026-11")
    assert (november.unidentified_cents, november.difference_cents) == (4312, 0)
    assert payment_status(session, READER, 1, huur_2.id).label == "teruggekomen"

    # The landlord's corrected IBAN; huur paid again to both; the refund goes to HH-2026-0001.
    payee = session.get_one(Payee, huur_1.payee_id)
    change_payee_account(session, CLERK, "0439", payee.reference, PayeeAccountIn(iban=NEW_IBAN))
    decided = [
        decide(session, ACCOUNTANT, "0439", action="herbetalen", reason="juiste IBAN ontvangen",
               payment_id=payment.id, now=at_noon(DEC_2)).id
        for payment in (huur_1, huur_2)
    ]  # fmt: skip
    refund_item = session.scalars(select(BankItem).where(BankItem.kind == "unidentified")).one()
    decided.append(
        decide(session, ACCOUNTANT, "0439", action="aan_huishouden", reason="eindafrekening stroom",
               bank_item_id=refund_item.id, household_id=huur_1.household_id,
               now=at_noon(DEC_2)).id
    )  # fmt: skip
    for decision in decided:  # four eyes: a second person approves what pays out again
        approve_decision(session, APPROVER, "0439", decision, now=at_noon(DEC_2))
    session.commit()
    assert (
        reconcile(session, READER, "0439", period="2026-12").open_cents == 71200 + 84000
    )  # not paid yet

    correction, correction_file = full_run(session, "2026-12", DEC_2, corrects=run_id,
                                           reason="herbetaling na weigering en retour")  # fmt: skip
    new = _by_e2e(session, correction)
    assert sorted((p.amount_cents, p.creditor_iban) for p in new.values()) == sorted(
        [(71200, NEW_IBAN), (84000, NEW_IBAN), (4312, _household_iban(session))]
    )
    assert payment_status(session, READER, 1, huur_1.id).paid_again_by == [
        p.id for p in new.values() if p.amount_cents == 71200
    ]
    assert _balance(session, "tussenrekening") == 0
    assert _balance(session, "nog-te-bepalen-ontvangsten") == 0
    order2 = read_pain001(correction_file)
    for day in sorted({b.execution_date for b in order2.batches}):
        ids = [b.pmt_inf_id for b in order2.batches if b.execution_date == day]
        _import(session, camt053(correction_file, booking_date=day, pmt_inf_ids=ids),
                f"camt.053-{day}.xml", day)  # fmt: skip

    december_report = reconcile(session, READER, "0439", period="2026-12")
    assert december_report.as_dict() | {"open_items": []} == december_report.as_dict()
    assert (december_report.expected_cents, december_report.reissued_cents) == (
        217143 + 71200 + 84000 + 4312, 71200 + 84000,
    )  # fmt: skip
    assert december_report.difference_cents == 0
    assert reconcile(session, READER, "0439", period="2026-11").received_cents == 4312
    for period in ("2026-11", "2026-12"):
        close_period(session, ACCOUNTANT, "0439", period, now=at_noon(date(2027, 1, 5)))
    session.commit()
    # Every crediteur account is cleared; the bank paid what the ledger says, cent for cent.
    assert _balance(session, "betalingen-onderweg") == 0
    # −1.118,00 + 840,00 + 43,12 − 341,43 − 712,00 − 840,00 − 43,12: the month's € 2.171,43.
    assert _balance(session, "bank") == -217143


def _household_iban(session: Session) -> str:
    from ontzorgen.clients.models import Household

    iban = session.get_one(Household, 1).iban
    assert iban is not None
    return iban


def test_the_same_file_twice_changes_nothing(session: Session, december: tuple[int, bytes]) -> None:
    _, pain001 = december
    statement = camt053(pain001, booking_date=NOV_24)
    first = _import(session, statement, "a.xml", NOV_24)
    counts = [session.scalar(select(func.count()).select_from(t))
              for t in (BankFile, BankItem, PaymentEvent, LedgerTransaction)]  # fmt: skip
    again = _import(session, statement, "b.xml", NOV_24)
    assert again["already_imported"]
    assert again["bank_file_id"] == first["bank_file_id"]
    assert again["counts"] == {"booked": 6}  # what the first import booked
    assert counts == [session.scalar(select(func.count()).select_from(t))
                      for t in (BankFile, BankItem, PaymentEvent, LedgerTransaction)]  # fmt: skip


def test_a_file_that_breaks_late_stores_nothing(
    session: Session, december: tuple[int, bytes]
) -> None:
    """All or nothing: the last amount has a fraction of a cent, after every other entry was
    already read and matched."""
    _, pain001 = december
    statement = camt053(pain001, booking_date=NOV_24, with_tx_details=False)
    last = statement.rfind(b'<Amt Ccy="EUR">')
    end = statement.index(b"</Amt>", last)
    broken = statement[:end] + b"1" + statement[end:]
    with pytest.raises(InvalidInput):
        _import(session, broken, "broken.xml", NOV_24)
    session.rollback()
    assert [session.scalar(select(func.count()).select_from(t))
            for t in (BankFile, BankItem, PaymentEvent)] == [0, 0, 0]  # fmt: skip
    assert Money(_balance_or_zero(session, "bank")) == Money(0)


def _balance_or_zero(session: Session, code: str) -> int:
    account = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    return 0 if account is None else balance(session, account).cents
