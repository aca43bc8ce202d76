# SPDX-License-Identifier: EUPL-1.2
"""The importer on hand-built records: matching, ledger effects, and what must never happen
(a payment booked twice, a line dropped, a wrong file half stored). On both databases.

The example's December run (exported 23 November 2026): HH-2026-0001 pays huur € 712,00,
energie € 95,00, water € 25,00, zorgverzekering € 158,00 and gets leefgeld € 341,43;
HH-2026-0002 pays huur € 840,00 (its leefgeld is held: no IBAN).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.bank.importer import import_records
from ontzorgen.bank.models import BankFile, BankItem, HouseholdEvent, PaymentEvent
from ontzorgen.bank.reconcile import reconcile
from ontzorgen.bank.status import payment_status, run_statuses
from ontzorgen.errors import InvalidInput
from ontzorgen.ledger.balances import balance
from ontzorgen.ledger.models import LedgerAccount, LedgerTransaction
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.sepa import feedback as fb
from tests.bank.conftest import ACCOUNTANT
from tests.bank.records import camt, entry, pain002, tx
from tests.factories import actor_for, at_noon

READER = actor_for("lezer")

NOV_24 = date(2026, 11, 24)


def _payments(session: Session, run_id: int) -> list[Payment]:
    return list(
        session.scalars(select(Payment).where(Payment.run_id == run_id).order_by(Payment.id))
    )


def _import(
    session: Session, records: list[fb.Record], data: bytes, day: date = NOV_24
) -> dict[str, Any]:
    summary = import_records(session, ACCOUNTANT, "0439", data, records, filename="bank.xml",
                             today=day, now=at_noon(day))  # fmt: skip
    session.commit()
    return summary.as_dict()


def _balance(session: Session, code: str) -> Money:
    account = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    assert account is not None
    return balance(session, account)


def _msg_id(session: Session, run_id: int) -> str:
    msg_id = session.get_one(PaymentRun, run_id).msg_id
    assert msg_id is not None
    return msg_id


def test_a_batch_booking_with_details_books_every_payment_once(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    payments = _payments(session, run_id)
    vaste = [p for p in payments if p.kind == "vaste_last"]
    summary = _import(session, camt(entry([tx(p) for p in vaste], "REF-1", NOV_24)), b"one")
    assert summary["counts"] == {"booked": 5}
    assert summary["cents"] == {"booked": 71200 + 9500 + 2500 + 15800 + 84000}
    # Every payee's crediteur account is back to zero; the bank paid € 1.830,00.
    for p in vaste:
        assert _balance(session, f"crediteuren/payee:{p.payee_id}") == Money(0)
    assert _balance(session, "bank") == Money(-183000)
    assert run_statuses(session, READER, run_id) == {
        "verzonden": {"count": 1, "amount_cents": 34143},
        "uitgevoerd": {"count": 5, "amount_cents": 183000},
    }


def test_the_same_line_in_another_file_books_nothing_more(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    _import(session, camt(entry([tx(huur)], "REF-1", NOV_24)), b"camt054")
    again = _import(session, camt(entry([tx(huur)], "REF-1", NOV_24), msg_id="CAMT-2"), b"camt053")
    assert again["counts"] == {"al_ingelezen": 1}  # stored nothing: the line was there
    assert session.scalar(select(func.count()).select_from(BankItem)) == 1
    assert _balance(session, "bank") == Money(-71200)


def test_a_second_debit_of_a_booked_payment_is_listed_not_booked_as_paid(
    session: Session, december: tuple[int, bytes]
) -> None:
    """The bank debits the same payment twice (another AcctSvcrRef): the money left twice,
    so the second line is 'ter controle', never silently matched or dropped."""
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    _import(session, camt(entry([tx(huur)], "REF-1", NOV_24)), b"first")
    second = _import(session, camt(entry([tx(huur)], "REF-2", NOV_24)), b"second")
    assert second["counts"] == {"unidentified": 1}
    assert _balance(session, "nog-te-bepalen-ontvangsten") == Money(71200)
    assert _balance(session, "bank") == Money(-142400)
    open_ = reconcile(session, READER, "0439", period="2026-12").open_items
    assert [(i.kind, i.amount_cents) for i in open_ if i.kind == "ter_controle"] == [
        ("ter_controle", 71200)
    ]


def test_a_batch_without_details_is_matched_by_pmtinfid_count_and_total(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    vaste = [p for p in _payments(session, run_id) if p.kind == "vaste_last"]
    batch = fb.BatchRef(_msg_id(session, run_id), vaste[0].pmt_inf_id, 5, 183000, "DBIT")
    summary = _import(session, camt(entry([], "REF-B", NOV_24, amount=183000, batch=batch)), b"b")
    assert summary["counts"] == {"booked": 5}
    statuses = session.scalars(select(PaymentEvent.status)).all()
    assert sorted(statuses) == ["uitgevoerd"] * 5


@pytest.mark.parametrize(
    ("count", "total", "amount"),
    [(4, 183000, 183000), (5, 182999, 182999), (5, 183000, 183001)],
    ids=["count", "total", "line-amount"],
)
def test_a_batch_that_does_not_add_up_is_listed_whole(
    session: Session, december: tuple[int, bytes], count: int, total: int, amount: int
) -> None:
    run_id, _ = december
    vaste = [p for p in _payments(session, run_id) if p.kind == "vaste_last"]
    batch = fb.BatchRef(_msg_id(session, run_id), vaste[0].pmt_inf_id, count, total, "DBIT")
    summary = _import(session, camt(entry([], "REF-B", NOV_24, amount=amount, batch=batch)), b"b")
    assert summary["counts"] == {"unidentified": 1}
    assert summary["cents"] == {"unidentified": amount}
    assert session.scalar(select(func.count()).select_from(PaymentEvent)) == 0


def test_an_amount_other_than_the_payment_is_not_a_match(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    summary = _import(session, camt(entry([tx(huur, amount=71100)], "REF-1", NOV_24)), b"x")
    assert summary["counts"] == {"unidentified": 1}
    assert payment_status(session, READER, huur.gemeente_id, huur.id).status == "verzonden"


def test_a_reject_moves_the_payment_to_suspense_with_its_reason(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    summary = _import(session, pain002(_msg_id(session, run_id), [(huur, "AC04")]), b"pain")
    assert summary["counts"] == {"rejected": 1}
    assert _balance(session, "tussenrekening") == Money(-71200)
    # The landlord is still owed HH-2026-0002's huur (€ 840,00), no longer HH-2026-0001's.
    assert _balance(session, f"crediteuren/payee:{huur.payee_id}") == Money(-84000)
    status = payment_status(session, READER, huur.gemeente_id, huur.id)
    assert (status.status, status.reason) == ("geweigerd", "AC04: de rekening is opgeheven")
    event = session.scalars(select(HouseholdEvent)).one()
    assert (event.kind, event.household_id) == ("betaling_geweigerd", huur.household_id)
    # The bank then books the batch without the rejected payment: all in order.
    rest = [p for p in _payments(session, run_id)[1:] if p.kind == "vaste_last"]
    batch = fb.BatchRef(_msg_id(session, run_id), huur.pmt_inf_id, 4, 111800, "DBIT")
    booked = _import(session, camt(entry([], "R", NOV_24, amount=111800, batch=batch)), b"c")
    assert booked["counts"] == {"booked": 4}
    assert {p.id for p in rest} == set(
        session.scalars(select(PaymentEvent.payment_id).where(PaymentEvent.status == "uitgevoerd"))
    )


def test_a_group_reject_rejects_every_payment_of_the_run(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    summary = _import(session, pain002(_msg_id(session, run_id), [], group="RJCT"), b"all")
    assert summary["counts"] == {"rejected": 6}
    assert summary["cents"] == {"rejected": 217143}
    assert _balance(session, "tussenrekening") == Money(-217143)


def test_a_status_report_for_another_message_is_refused_and_stores_nothing(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    with pytest.raises(InvalidInput) as refused:
        _import(session, pain002("OZ-0439-209912-R99", [(huur, "AC04")]), b"other")
    assert "OrgnlMsgId" in str(refused.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(BankFile)) == 0


def test_a_statement_of_another_account_is_refused_and_stores_nothing(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    with pytest.raises(InvalidInput) as refused:
        _import(session, camt(entry([tx(huur)], "R", NOV_24), iban="NL91ABNA0417164300"), b"o")
    assert "betaalrekening van de gemeente" in str(refused.value)
    assert "NL91" not in str(refused.value)
    session.rollback()
    counts = [session.scalar(select(func.count()).select_from(t)) for t in (BankFile, BankItem)]
    assert counts == [0, 0]
    assert (
        session.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(LedgerTransaction.idempotency_key.startswith("bank:"))
        )
        == 0
    )


def test_a_line_the_bank_has_not_booked_yet_is_skipped(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, _ = december
    huur = _payments(session, run_id)[0]
    summary = _import(session, camt(entry([tx(huur)], "R", NOV_24, status="PDNG")), b"pending")
    assert summary["counts"] == {"niet_geboekt": 1}
    later = _import(session, camt(entry([tx(huur)], "R", NOV_24), msg_id="2"), b"booked")
    assert later["counts"] == {"booked": 1}


def test_an_unknown_credit_is_listed_never_dropped(
    session: Session, december: tuple[int, bytes]
) -> None:
    del december
    refund = tx(e2e=None, amount=4312, direction="CRDT", remittance="Eindafrekening HH-2026-0001")
    summary = _import(session, camt(entry([refund], "REF-C", NOV_24, direction="CRDT")), b"in")
    assert summary["counts"] == {"unidentified": 1}
    assert _balance(session, "bank") == Money(4312)
    assert _balance(session, "nog-te-bepalen-ontvangsten") == Money(-4312)
    report = reconcile(session, READER, "0439", period="2026-11")
    assert (report.unidentified_cents, report.difference_cents) == (4312, 0)
