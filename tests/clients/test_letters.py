# SPDX-License-Identifier: EUPL-1.2
"""Letters to payees: due when the gemeente starts paying and when it hands a contract back,
gone once marked sent, marked sent once; the database keeps the record (migration 0011) on
both backends; the PDF says who pays from which date with the payment reference."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Role, staff
from ontzorgen.clients import models as m
from ontzorgen.clients.letters import LEAD_DAYS, due_letters, letter_for, mark_sent
from ontzorgen.clients.schemas import HandoverIn
from ontzorgen.clients.service import hand_over_contract, import_households
from ontzorgen.db import set_now
from ontzorgen.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ontzorgen.web import Brand
from ontzorgen.web.letters import letter_pdf
from tests.auth.matrix_world import import_for
from tests.factories import CLERK, at_noon, make_gemeente

DEC_1 = date(2026, 12, 1)


@pytest.fixture
def imported(session: Session) -> Session:
    make_gemeente(session, "0439")
    import_households(session, CLERK, import_for("0439"))
    set_now(session, at_noon(DEC_1))
    return session


def _contract(session: Session, reference: str) -> m.Contract:
    return session.scalars(select(m.Contract).where(m.Contract.reference == reference)).one()


def _keys(session: Session, today: date) -> set[tuple[str, str, date]]:
    return {
        (letter.contract_reference, letter.kind, letter.effective_date)
        for letter in due_letters(session, CLERK, today)
    }


def test_a_start_letter_is_due_for_every_contract_the_gemeente_starts_paying(
    imported: Session,
) -> None:
    due = _keys(imported, DEC_1)
    assert ("C-0001-HUUR", "start", DEC_1) in due
    assert ("C-0001-ZORG", "start", DEC_1) in due
    assert ("C-0002-HUUR", "start", date(2026, 11, 15)) in due  # its right began mid-November
    # The window of HH-2026-0001 ends on 31 May 2027: the handover letter is not due yet ...
    assert not any(kind == "overdracht" for _, kind, _ in due)
    # ... until six weeks before 1 June 2027.
    later = _keys(imported, date(2027, 6, 1) - timedelta(days=LEAD_DAYS))
    assert ("C-0001-HUUR", "overdracht", date(2027, 6, 1)) in later


def test_a_handover_gives_a_letter_with_its_date_and_a_new_date_a_new_letter(
    imported: Session,
) -> None:
    hand_over_contract(
        imported, CLERK, "0439", "C-0001-HUUR", HandoverIn(handover_date=date(2027, 3, 1))
    )
    assert ("C-0001-HUUR", "overdracht", date(2027, 3, 1)) in _keys(imported, date(2027, 1, 20))
    huur = _contract(imported, "C-0001-HUUR")
    mark_sent(imported, CLERK, huur.id, "overdracht", date(2027, 3, 1))
    assert ("C-0001-HUUR", "overdracht", date(2027, 3, 1)) not in _keys(imported, date(2027, 1, 20))
    # The handover moves: the payee must hear the new date.
    hand_over_contract(
        imported, CLERK, "0439", "C-0001-HUUR", HandoverIn(handover_date=date(2027, 4, 1))
    )
    assert ("C-0001-HUUR", "overdracht", date(2027, 4, 1)) in _keys(imported, date(2027, 3, 1))


def test_a_letter_marked_sent_is_no_longer_due_and_cannot_be_marked_twice(
    imported: Session,
) -> None:
    huur = _contract(imported, "C-0001-HUUR")
    row = mark_sent(imported, CLERK, huur.id, "start", DEC_1)
    assert (row.sent_by, row.effective_date, row.kind) == (CLERK.user_id, DEC_1, "start")
    assert ("C-0001-HUUR", "start", DEC_1) not in _keys(imported, DEC_1)
    assert letter_for(imported, CLERK, huur.id, "start").sent_by == CLERK.user_id
    with pytest.raises(Conflict, match="al als verzonden"):
        mark_sent(imported, CLERK, huur.id, "start", DEC_1)
    assert len(list(imported.scalars(select(m.PayeeLetter)))) == 1


def test_a_letter_whose_date_changed_is_refused(imported: Session) -> None:
    huur = _contract(imported, "C-0001-HUUR")
    with pytest.raises(InvalidInput, match="effective_date"):
        mark_sent(imported, CLERK, huur.id, "start", date(2026, 12, 2))
    with pytest.raises(NotFound):
        mark_sent(imported, CLERK, huur.id, "herinnering", DEC_1)
    assert list(imported.scalars(select(m.PayeeLetter))) == []


def test_letters_are_the_inkomen_medewerkers_in_their_own_gemeente(imported: Session) -> None:
    huur = _contract(imported, "C-0001-HUUR")
    accountant = staff("a.accountant", [Role.ACCOUNTANT], ["0439"])
    with pytest.raises(NotPermitted):
        due_letters(imported, accountant, DEC_1)
    with pytest.raises(NotPermitted):
        mark_sent(imported, accountant, huur.id, "start", DEC_1)
    elsewhere = staff("o.inkomen", [Role.INKOMEN], ["0363"])
    make_gemeente(imported, "0363")
    with pytest.raises(NotFound):
        mark_sent(imported, elsewhere, huur.id, "start", DEC_1)
    assert due_letters(imported, elsewhere, DEC_1) == []
    assert list(imported.scalars(select(m.PayeeLetter))) == []


def _sent_row(session: Session) -> m.PayeeLetter:
    huur = _contract(session, "C-0001-HUUR")
    row = mark_sent(session, CLERK, huur.id, "start", DEC_1)
    session.flush()
    return row


def _refused(session: Session, sql: str, **params: object) -> str:
    with pytest.raises((IntegrityError, DBAPIError)) as caught, session.begin_nested():
        session.execute(text(sql), params)
    return str(caught.value)


def test_the_database_keeps_a_sent_letter_as_it_was(imported: Session) -> None:
    row = _sent_row(imported)
    assert "immutable" in _refused(
        imported, "UPDATE payee_letter SET sent_by = 'x' WHERE id = :i", i=row.id
    )
    assert "immutable" in _refused(
        imported, "UPDATE payee_letter SET effective_date = '2027-01-01' WHERE id = :i", i=row.id
    )
    assert "immutable" in _refused(imported, "DELETE FROM payee_letter WHERE id = :i", i=row.id)
    if imported.get_bind().dialect.name == "postgresql":
        assert "immutable" in _refused(imported, "TRUNCATE payee_letter")
    assert imported.scalar(text("SELECT count(*) FROM payee_letter")) == 1


def test_the_database_refuses_a_second_mark_and_a_foreign_gemeente(imported: Session) -> None:
    row = _sent_row(imported)
    insert = (
        "INSERT INTO payee_letter (gemeente_id, contract_id, kind, effective_date, "
        "sent_at, sent_by) VALUES (:g, :c, :k, :d, :t, 'y')"
    )
    values = {"c": row.contract_id, "d": row.effective_date, "t": at_noon(DEC_1)}
    _refused(imported, insert, g=row.gemeente_id, k="start", **values)  # once
    assert "kind" in _refused(imported, insert, g=row.gemeente_id, k="herinnering", **values)
    other = make_gemeente(imported, "0363")
    message = _refused(imported, insert, g=other.id, k="overdracht", **values)
    assert "gemeente" in message
    assert imported.scalar(text("SELECT count(*) FROM payee_letter")) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is missing")
def test_the_letter_pdf_names_the_payee_the_date_and_the_payment_reference(
    imported: Session, tmp_path: Path
) -> None:
    huur = _contract(imported, "C-0001-HUUR")
    letter = letter_for(imported, CLERK, huur.id, "start")
    payee = imported.get_one(m.Payee, huur.payee_id)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(letter_pdf(Brand("Gemeente Purmerend", None), letter, DEC_1))
    words = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert payee.name in words
    assert "vanaf 1 december 2026" in words
    assert " ".join(huur.payment_reference.split()) in words
    assert "Gemeente Purmerend" in words  # the letterhead (configuration)
    persons = list(
        imported.scalars(select(m.Person).where(m.Person.household_id == huur.household_id))
    )
    for person in persons:  # addressed to the organisation: no BSN, no name of the tenant
        assert person.bsn not in words
        assert person.name not in words
    out = Path("reports/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                    str(out / "brief-start")], check=True)  # fmt: skip
