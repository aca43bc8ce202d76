# SPDX-License-Identifier: EUPL-1.2
"""The payment run from prepare to export, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ontzorgen.clients.models import ContractAmount, Payee
from ontzorgen.clients.service import import_households
from ontzorgen.errors import Conflict, InvalidInput, NotPermitted
from ontzorgen.ledger.models import LedgerPosting
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import (
    approve_run,
    cancel_run,
    create_run,
    get_run,
    prepare_run,
    run_payments,
)
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.schemas import validate_xsd
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)
DIGEST_OF_THE_EXAMPLE_RUN = "797d6f4b3395a6612f99418a0e7a9c6a45550f17286ee416b66a7a216c996fe9"
APPROVER = actor_for("accordeerder")


@pytest.fixture
def prepared(session: Session) -> int:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    run = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    session.commit()
    return run.id


def test_prepare_books_every_payment_in_the_ledger(session: Session, prepared: int) -> None:
    run = get_run(session, prepared)
    payments = run_payments(session, run)
    assert [(p.category, p.amount_cents) for p in payments] == [
        ("huur", 71200), ("stroom", 9500), ("water", 2500), ("zorgverzekering", 15800),
        ("leefgeld", 34143), ("huur", 84000),
    ]  # fmt: skip
    for payment in payments:
        postings = session.scalars(
            select(LedgerPosting.amount).where(
                LedgerPosting.transaction_id == payment.ledger_transaction_id
            )
        ).all()
        assert sorted(postings) == [-payment.amount_cents, payment.amount_cents]
    assert run.execution_date == date(2026, 11, 24)
    assert run.held_cents == 190202 - 84000
    assert run.state == "prepared"


def test_four_eyes_then_export_one_valid_file(session: Session, prepared: int) -> None:
    with pytest.raises(NotPermitted):
        approve_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    session.commit()
    first = export_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    session.commit()
    assert validate_xsd(first.content, "pain.001.001.09") == []
    assert check_pain001(first.content, today=TODAY).ok
    again = export_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    assert again.content == first.content
    assert again.sha256 == first.sha256
    tree = etree.fromstring(first.content)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    assert tree.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "6"


def test_second_regular_run_is_refused(session: Session, prepared: int) -> None:
    with pytest.raises(Conflict):
        create_run(session, CLERK, "0439", "2026-12")


def test_cancel_reverses_the_bookings(session: Session, prepared: int) -> None:
    cancel_run(session, CLERK, prepared, "verkeerde maand", today=TODAY, now=at_noon(TODAY))
    session.commit()
    total = session.scalars(select(LedgerPosting.amount)).all()
    assert sum(total) == 0
    run = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    session.commit()
    assert run.payment_count == 6


def test_a_payee_without_town_stops_prepare_naming_the_payee(session: Session) -> None:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.execute(update(Payee).where(Payee.reference == "WATER-NH").values(town=None))
    run = create_run(session, CLERK, "0439", "2026-12")
    with pytest.raises(InvalidInput) as caught:
        prepare_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    assert [(p.record, p.field) for p in caught.value.problems] == [("WATER-NH", "town")]
    assert "Waterbedrijf Noord-Holland" in caught.value.detail


def test_a_name_that_cannot_be_written_in_sepa_stops_prepare_without_showing_it(
    session: Session,
) -> None:
    make_gemeente(session)
    data = example_import()
    data["households"][0]["iban_name"] = "ኣማን ሃይለ"
    import_households(session, CLERK, data)
    run = create_run(session, CLERK, "0439", "2026-12")
    with pytest.raises(InvalidInput) as caught:
        prepare_run(session, CLERK, run.id, today=TODAY, now=at_noon(TODAY))
    assert [(p.record, p.field) for p in caught.value.problems] == [("HH-2026-0001", "name")]
    assert "ኣ" not in caught.value.detail


def test_a_correction_run_needs_a_reason_and_links_to_its_run(
    session: Session, prepared: int
) -> None:
    approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    export_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    with pytest.raises(InvalidInput):
        create_run(session, CLERK, "0439", "2026-12", corrects=prepared, reason=" ")
    with pytest.raises(InvalidInput) as caught:
        create_run(session, CLERK, "0439", "2027-01", corrects=prepared, reason="andere maand")
    assert caught.value.problems[0].field == "period"
    correction = create_run(
        session, CLERK, "0439", "2026-12", corrects=prepared, reason="huurverhoging te laat"
    )
    assert (correction.kind, correction.corrects_run_id) == ("correction", prepared)


def test_changed_contract_blocks_approval_until_prepared_again(
    session: Session, prepared: int
) -> None:
    huur = session.scalar(select(ContractAmount).where(ContractAmount.amount_cents == 71200))
    assert huur is not None
    session.execute(
        update(ContractAmount).where(ContractAmount.id == huur.id).values(amount_cents=72500)
    )
    session.commit()
    with pytest.raises(Conflict, match="gewijzigd"):
        approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    session.rollback()
    cancel_run(session, CLERK, prepared, "huur gewijzigd", today=TODAY, now=at_noon(TODAY))
    again = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, again.id, today=TODAY, now=at_noon(TODAY))
    approve_run(session, APPROVER, again.id, today=TODAY, now=at_noon(TODAY))
    huur_payment = next(p for p in run_payments(session, again) if p.category == "huur")
    assert huur_payment.amount_cents == 72500


def test_approval_after_the_execution_date_is_refused(session: Session, prepared: int) -> None:
    with pytest.raises(Conflict, match="verstreken"):
        approve_run(
            session, APPROVER, prepared, today=date(2026, 11, 25), now=at_noon(date(2026, 11, 25))
        )


def test_a_change_elsewhere_in_the_gemeente_also_blocks_approval(
    session: Session, prepared: int
) -> None:
    # Any fact the plans are computed from counts, also of another household.
    session.execute(
        update(Payee).where(Payee.reference == "ZILVERPOLIS").values(postcode="3500 AA")
    )
    session.commit()
    with pytest.raises(Conflict, match="gewijzigd"):
        approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))


def test_preparing_in_chunks_pays_the_same_and_reports_the_same(
    session: Session, prepared: int
) -> None:
    whole = get_run(session, prepared)
    expected = [(p.category, p.amount_cents, p.creditor_iban) for p in run_payments(session, whole)]
    cancel_run(session, CLERK, prepared, "opnieuw, per huishouden", today=TODAY, now=at_noon(TODAY))
    again = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, again.id, today=TODAY, now=at_noon(TODAY), chunk_size=1)
    assert [
        (p.category, p.amount_cents, p.creditor_iban) for p in run_payments(session, again)
    ] == (expected)
    assert (again.held_cents, again.household_count, again.report) == (
        whole.held_cents,
        whole.household_count,
        whole.report,
    )


def test_the_payments_digest_is_the_same_on_every_database(session: Session, prepared: int) -> None:
    # Same facts, same payments, same digest: byte order of the payment keys on both databases.
    run = get_run(session, prepared)
    assert run.digest == DIGEST_OF_THE_EXAMPLE_RUN
