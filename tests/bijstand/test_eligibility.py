# SPDX-License-Identifier: EUPL-1.2
"""Art. 56a lid 1 (who) and lid 2 (the six-month window), extensions and due dates."""

from __future__ import annotations

from datetime import date

import pytest

from ontzorgen.bijstand.eligibility import (
    check_household,
    check_person,
    contract_due,
    ontzorgen_window,
)
from ontzorgen.bijstand.facts import (
    Category,
    Doelgroep,
    ExtensionGround,
    GemeentePolicy,
    Leefvorm,
    OptOut,
    PersonRole,
    WindowExtension,
)
from ontzorgen.bijstand.period import Period
from tests.bijstand.factories import DE_KEY, POLICY, contract, household, person, right


def test_asielstatushouder_under_wi2021_is_in() -> None:
    result = check_person(person())
    assert result.eligible
    assert result.rule == "Pw art. 56a lid 1"


def test_nareiziger_with_asylum_derived_permit_is_in() -> None:
    assert check_person(person(doelgroep=Doelgroep.NAREIZIGER)).eligible


def test_gezinsmigrant_is_out() -> None:
    result = check_person(person(doelgroep=Doelgroep.GEZINSMIGRANT, asiel=False))
    assert not result.eligible
    assert "gezinsmigrant" in result.reason


def test_old_law_inburgeraar_is_out() -> None:
    result = check_person(person(wi2021=False))
    assert not result.eligible
    assert "Wet inburgering 2021" in result.reason


def test_without_asylum_permit_is_out() -> None:
    assert not check_person(person(doelgroep=Doelgroep.OVERIG, asiel=False)).eligible


def test_couple_is_in_when_one_partner_is_in() -> None:
    couple = household(
        person("p1", doelgroep=Doelgroep.NAREIZIGER),
        person("p2", wi2021=False, role=PersonRole.PARTNER),
        leefvorm=Leefvorm.GEHUWDEN,
    )
    assert check_household(couple).eligible


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 12, 1), date(2027, 5, 31)),
        (date(2026, 12, 15), date(2027, 6, 14)),
        (date(2026, 1, 31), date(2026, 7, 30)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2026, 8, 29), date(2027, 2, 28)),
    ],
)
def test_window_is_six_months_from_the_start_of_the_right(start: date, end: date) -> None:
    window = ontzorgen_window(right(start))
    assert (window.start, window.end, window.six_months_end) == (start, end, end)


def test_window_ends_early_when_bijstand_ends() -> None:
    window = ontzorgen_window(right(date(2026, 12, 1), date(2027, 3, 15)))
    assert window.end == date(2027, 3, 15)
    assert window.six_months_end == date(2027, 5, 31)


def test_extension_moves_the_end_but_not_beyond_the_right() -> None:
    extension = WindowExtension(
        ExtensionGround.ART57_DECISION, "huurachterstand", date(2027, 9, 30)
    )
    window = ontzorgen_window(right(date(2026, 12, 1)), [extension])
    assert window.end == date(2027, 9, 30)
    assert window.extension == extension
    capped = ontzorgen_window(right(date(2026, 12, 1), date(2027, 7, 31)), [extension])
    assert capped.end == date(2027, 7, 31)


def test_an_extension_inside_the_six_months_changes_nothing() -> None:
    extension = WindowExtension(ExtensionGround.CONSENT, "wens", date(2027, 3, 31))
    window = ontzorgen_window(right(date(2026, 12, 1)), [extension])
    assert window.end == date(2027, 5, 31)
    assert window.extension is None


def _due(start: date, period: Period, **kwargs: object) -> tuple[bool, date, str]:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", date(2026, 11, 1), **kwargs)  # type: ignore[arg-type]
    the_right = right(start)
    decision = contract_due(
        huur,
        period,
        eligibility=check_household(household()),
        window=ontzorgen_window(the_right),
        policy=POLICY,
        opt_out=None,
    )
    return decision.withhold, decision.due_date, decision.reason


def test_due_date_is_the_first_of_the_month_or_the_window_start() -> None:
    assert _due(date(2026, 12, 15), Period(2026, 12))[:2] == (True, date(2026, 12, 15))
    assert _due(date(2026, 12, 15), Period(2027, 1))[:2] == (True, date(2027, 1, 1))
    # 1 June 2027 lies before the end of the window (14 June): still withheld.
    assert _due(date(2026, 12, 15), Period(2027, 6))[:2] == (True, date(2027, 6, 1))
    withhold, _, reason = _due(date(2026, 12, 15), Period(2027, 7))
    assert not withhold
    assert "buiten de ontzorgperiode" in reason


def test_handover_date_stops_withholding() -> None:
    withhold, _, reason = _due(date(2026, 12, 1), Period(2027, 3), handover=date(2027, 3, 1))
    assert not withhold
    assert "zelf" in reason
    assert _due(date(2026, 12, 1), Period(2027, 2), handover=date(2027, 3, 1))[0]


def test_contract_must_run_on_the_due_date() -> None:
    withhold, _, reason = _due(date(2026, 12, 1), Period(2027, 2), end=date(2027, 1, 31))
    assert not withhold
    assert "loopt niet" in reason


def test_opt_out_only_when_the_policy_allows_it() -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", date(2026, 12, 1))
    the_right = right(date(2026, 12, 1))
    kwargs = {
        "eligibility": check_household(household()),
        "window": ontzorgen_window(the_right),
        "opt_out": OptOut("financieel zelfredzaam, eigen budgetplan"),
    }
    assert contract_due(huur, Period(2027, 1), policy=POLICY, **kwargs).withhold  # type: ignore[arg-type]
    allowing = GemeentePolicy(
        POLICY.minimum_leefgeld, POLICY.minimum_leefgeld_per_extra_member, allow_opt_out=True
    )
    decision = contract_due(huur, Period(2027, 1), policy=allowing, **kwargs)  # type: ignore[arg-type]
    assert not decision.withhold
    assert decision.rule == "beleid gemeente: opt-out met vastgelegde reden"
