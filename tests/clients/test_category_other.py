# SPDX-License-Identifier: EUPL-1.2
"""A consented vaste last outside Pw art. 56a (category ``other``) is never silently skipped."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.bijstand.facts import Category
from ontzorgen.clients import models as m
from ontzorgen.clients.service import import_households
from ontzorgen.errors import InvalidInput
from tests.factories import CLERK, example_import, make_gemeente


def _with_inboedel() -> dict[str, Any]:
    data = example_import()
    data["households"][0]["contracts"].append(
        {
            "reference": "C-0001-INBOEDEL",
            "category": "other",
            "payee": "ZILVERPOLIS",
            "payment_reference": "INBOEDEL 2026",
            "start": "2026-12-01",
            "consent_ground": "written_consent",
            "consent_reason": "Schriftelijke toestemming van 20 november 2026",
            "amounts": [{"valid_from": "2026-12-01", "amount_cents": 1250}],
        }
    )
    return data


def test_import_refuses_a_consented_other_contract_the_policy_does_not_withhold(
    session: Session,
) -> None:
    make_gemeente(session)  # default policy: the five categories of Pw art. 56a lid 2
    with pytest.raises(InvalidInput) as refused:
        import_households(session, CLERK, _with_inboedel())
    [problem] = refused.value.problems
    assert (problem.record, problem.field) == ("households[0]", "contracts[4].category")
    assert "withheld_categories" in problem.reason
    assert "categorie other wordt in gemeente 0439 niet ingehouden" in problem.reason
    session.rollback()
    assert session.scalar(select(func.count()).select_from(m.Household)) == 0


def test_import_accepts_it_when_the_policy_withholds_other(session: Session) -> None:
    make_gemeente(session, withheld_categories=[c.value for c in Category])
    summary = import_households(session, CLERK, _with_inboedel())
    assert summary.contracts == 6  # the five of the example and the inboedel
