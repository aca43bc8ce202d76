# SPDX-License-Identifier: EUPL-1.2
"""An exported December run of the example import, for the bank feedback tests."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from ontzorgen.clients.service import import_households
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

NOV_23 = date(2026, 11, 23)
APPROVER = actor_for("accordeerder")
ACCOUNTANT = actor_for("accountant")


def full_run(
    session: Session, period: str, today: date, *, corrects: int | None = None,
    reason: str | None = None,
) -> tuple[int, bytes]:  # fmt: skip
    """Create, prepare, approve (four eyes) and export a run; return its id and pain.001."""
    run = create_run(session, CLERK, "0439", period, corrects=corrects, reason=reason)
    prepare_run(session, CLERK, run.id, today=today, now=at_noon(today))
    approve_run(session, APPROVER, run.id, today=today, now=at_noon(today))
    file = export_run(session, CLERK, run.id, today=today, now=at_noon(today))
    session.commit()
    return run.id, file.content


def exported_december(session: Session) -> tuple[int, bytes]:
    """Gemeente 0439, the example households and their December run, exported on 23 November
    2026; returns the run's id and pain.001."""
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.commit()
    return full_run(session, "2026-12", NOV_23)


@pytest.fixture
def december(session: Session) -> tuple[int, bytes]:
    """The example's December run, exported on 23 November 2026."""
    return exported_december(session)
