# SPDX-License-Identifier: EUPL-1.2
"""Mutated bank files fed to the import, on both databases: each import is complete, or a
clear Dutch error with the row count of every table unchanged (never partial data)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.bank.importer import ImportSummary, import_bank_file, import_summary
from ontzorgen.bank.models import BankFile
from ontzorgen.db import unit_of_work
from ontzorgen.errors import DomainError
from ontzorgen.models import Base
from tests.bank.conftest import ACCOUNTANT, NOV_23
from tests.bank.testbank import Credit, camt053, camt054, pain002, read_pain001
from tests.bankfile_mutations import STRUCTURAL, mutated_bank_file, sample_files
from tests.factories import at_noon
from tests.hostile import assert_dutch


def table_counts(session: Session) -> dict[str, int]:
    """The rows of every table, by table."""
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def _import(factory: sessionmaker[Session], data: bytes) -> ImportSummary | DomainError:
    try:
        with unit_of_work(factory) as session:
            return import_bank_file(
                session, ACCOUNTANT, "0439", data, filename="mutated.xml", today=NOV_23,
                now=at_noon(NOV_23),
            )  # fmt: skip
    except DomainError as error:  # any other exception fails the test
        return error


def _answers(pain001: bytes) -> list[bytes]:
    """The test bank's answers to the run's own pain.001: they book (before the mutation)."""
    first = read_pain001(pain001).payments[0].end_to_end_id
    refund = Credit(2150, "Waterbedrijf", "NL91ABNA0417164300", "Teruggave HH-2026-0001")
    return [
        pain002(pain001, rejected={first: "AC04"}),
        camt053(pain001, booking_date=NOV_23, returned={first: "MD07"}, extra_credits=[refund]),
        camt053(pain001, version="camt.053.001.08", booking_date=NOV_23, with_tx_details=False),
        camt054(pain001, booking_date=NOV_23, returned={first: "AC06"}),
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_bank_file_imports_whole_or_stores_nothing(
    session_factory: sessionmaker[Session], december: tuple[int, bytes], data: st.DataObject
) -> None:
    # Mostly our run's own answers (they can book); the samples are of other accounts.
    originals = [*_answers(december[1]) * 6, *sample_files()]
    content = data.draw(
        st.one_of(
            mutated_bank_file(originals, least=0),
            mutated_bank_file(originals, least=0, mutations=STRUCTURAL),
        ),
        label="content",
    )
    with session_factory() as session:
        before = table_counts(session)
    outcome = _import(session_factory, content)
    with session_factory() as session:
        after = table_counts(session)
        if isinstance(outcome, DomainError):
            assert after == before, "a refused file left rows behind"
            assert_dutch(str(outcome))
            assert str(outcome)
            return
        file = session.get_one(BankFile, outcome.bank_file_id)
        stored = import_summary(session, file)
    if outcome.already_imported:
        assert after == before
        return
    assert after["bank_file"] == before["bank_file"] + 1
    # Complete: every line the import counted as stored is in the database.
    for kind, count in stored.counts.items():
        assert outcome.counts[kind] == count, (kind, outcome.counts, stored.counts)
        assert outcome.cents[kind] == stored.cents[kind]
    again = _import(session_factory, content)
    assert isinstance(again, ImportSummary)
    assert again.already_imported
