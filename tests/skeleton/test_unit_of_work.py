# SPDX-License-Identifier: EUPL-1.2
"""The unit of work: all or nothing, side effects only after commit, clean after a failed
COMMIT."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import after_commit, unit_of_work
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.ledger.models import LedgerPosting
from tests.factories import make_gemeente


def _gemeenten(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Gemeente)) or 0)


def test_side_effects_run_after_commit_and_are_dropped_on_rollback(
    session_factory: sessionmaker[Session],
) -> None:
    done: list[str] = []
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        after_commit(session, lambda: done.append("committed"))
        assert done == []
    assert done == ["committed"]

    def fail_halfway() -> None:
        with unit_of_work(session_factory) as session:
            make_gemeente(session, code="0001")
            after_commit(session, lambda: done.append("never"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert done == ["committed"]
    assert _gemeenten(session_factory) == 1


def test_a_commit_refused_by_the_database_leaves_nothing_behind(
    session_factory: sessionmaker[Session],
) -> None:
    with unit_of_work(session_factory) as session:
        gemeente_id = make_gemeente(session).id
        account_id = ledger.open_default_chart(session, gemeente_id)["bank"]
    # An orphan posting passes each statement but is refused at COMMIT (deferred checks).

    def orphan_posting() -> None:
        with unit_of_work(session_factory) as session:
            make_gemeente(session, code="0002")
            session.execute(
                text(
                    "INSERT INTO ledger_posting (transaction_id, line, gemeente_id, period, "
                    "account_id, amount) VALUES (999999, 1, :g, '2026-12', :a, 100)"
                ),
                {"g": gemeente_id, "a": account_id},
            )

    with pytest.raises(DatabaseError):
        orphan_posting()
    assert _gemeenten(session_factory) == 1
    with unit_of_work(session_factory) as session:  # the pool hands out a clean connection
        make_gemeente(session, code="0003")
    assert _gemeenten(session_factory) == 2
    with session_factory() as session:
        assert session.scalars(select(LedgerPosting.amount)).all() == []
