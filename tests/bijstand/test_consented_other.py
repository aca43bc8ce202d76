# SPDX-License-Identifier: EUPL-1.2
"""A consented contract the policy (no longer) withholds is a signal for the consulent."""

from __future__ import annotations

from ontzorgen.bijstand.facts import Category, ConsentGround
from ontzorgen.bijstand.lines import SignalCode
from ontzorgen.bijstand.norms import NormTable
from ontzorgen.bijstand.plan import make_plan
from ontzorgen.money import Money
from tests.bijstand.factories import POLICY, contract, household, right
from tests.bijstand.test_plan import DEC_1


def test_a_consented_contract_the_policy_no_longer_withholds_raises_a_signal(
    norms: NormTable,
) -> None:
    inboedel = contract(
        "inboedel", Category.OTHER, "Centraal Beheer", "12,50", DEC_1,
        consent=ConsentGround.WRITTEN_CONSENT,
    )  # fmt: skip
    plan = make_plan(household(), right(DEC_1), [inboedel], POLICY, norms, (2026, 12))
    assert plan.withheld == Money.zero()
    [signal] = [s for s in plan.signals if s.code is SignalCode.CONSENTED_NOT_WITHHELD]
    assert "withheld_categories" in signal.message
