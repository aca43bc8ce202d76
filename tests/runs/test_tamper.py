# SPDX-License-Identifier: EUPL-1.2
"""The database itself refuses what would break a run, whatever the code does (raw SQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import Actor
from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from tests.factories import CLERK, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)


@pytest.fixture
def exported(session_factory: sessionmaker[Session]) -> int:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        run_id = create_run(session, CLERK, "0439", "2026-12").id
        prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
        approve_run(session, Actor("accordeerder"), run_id, today=TODAY, now=at_noon(TODAY))
        export_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    return run_id


def _refused(factory: sessionmaker[Session], sql: str, match: str) -> None:
    session = factory()

    def attempt() -> None:  # refused at the statement or, for deferred checks, at COMMIT
        session.execute(text(sql))
        session.commit()

    try:
        with pytest.raises(DBAPIError, match=match):
            attempt()
    finally:
        session.rollback()
        session.close()


@pytest.mark.usefixtures("exported")
def test_a_second_regular_run_for_the_period_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    _refused(
        session_factory,
        "INSERT INTO payment_run (gemeente_id, period, kind, state, payment_count, total_cents, "
        "shortfall_cents, held_cents, household_count, progress_done, progress_total, "
        "created_by) SELECT gemeente_id, period, 'regular', 'queued', 0, 0, 0, 0, 0, 0, 0, 'x' "
        "FROM payment_run",
        r"(?i)unique|uq_payment_run_regular_period",
    )


@pytest.mark.usefixtures("exported")
def test_a_second_active_payment_for_the_same_contract_and_period_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    columns = (
        "gemeente_id, run_id, household_id, contract_id, payee_id, period, payment_key, active, "
        "kind, category, amount_cents, execution_date, pmt_inf_id, creditor_name, "
        "creditor_iban, creditor_bic, street, building_number, postcode, town, country, "
        "remittance_kind, remittance, purpose, rule, ledger_transaction_id"
    )
    _refused(
        session_factory,
        f"INSERT INTO payment ({columns}, end_to_end_id) SELECT {columns}, 'OTHER-E2E' "
        "FROM payment WHERE category = 'huur' LIMIT 1",
        r"(?i)unique|uq_payment_active_key",
    )


def test_the_exported_file_cannot_be_changed_or_removed(
    session_factory: sessionmaker[Session], exported: int
) -> None:
    _refused(session_factory, "UPDATE run_file SET sha256 = 'forged'", "ontzorgen:immutable")
    _refused(session_factory, "DELETE FROM run_file", "ontzorgen:immutable")
    _refused(session_factory, "DELETE FROM payment", "ontzorgen:immutable")
    _refused(
        session_factory, f"DELETE FROM payment_run WHERE id = {exported}", "ontzorgen:immutable"
    )


@pytest.mark.usefixtures("exported")
def test_four_eyes_is_a_database_rule_too(session_factory: sessionmaker[Session]) -> None:
    _refused(
        session_factory,
        "UPDATE payment_run SET approved_by = prepared_by",
        r"(?i)check|four_eyes",
    )
