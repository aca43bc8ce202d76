# SPDX-License-Identifier: EUPL-1.2
"""Facts check themselves on construction, naming the field and the reason."""

from __future__ import annotations

from datetime import date

import pytest

from ontzorgen.bijstand.facts import (
    AmountVersion,
    BijstandRight,
    Category,
    ConsentGround,
    Contract,
    Deduction,
    DeductionKind,
    Doelgroep,
    ExtensionGround,
    FactError,
    GemeentePolicy,
    Household,
    LeefgeldFrequency,
    Leefvorm,
    OptOut,
    SuppliedAmount,
    Voorschot,
    WindowExtension,
)
from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money
from tests.bijstand.factories import DE_KEY, contract, eur, person


def test_category_other_without_consent_ground_is_refused() -> None:
    with pytest.raises(FactError, match="consent_ground") as raised:
        contract("inboedel", Category.OTHER, "Centraal Beheer", "12,50", date(2026, 12, 1))
    assert raised.value.field == "Contract.consent_ground"
    assert "art. 57" in raised.value.reason


def test_category_other_with_written_consent_is_accepted() -> None:
    made = contract(
        "inboedel",
        Category.OTHER,
        "Centraal Beheer",
        "12,50",
        date(2026, 12, 1),
        consent=ConsentGround.WRITTEN_CONSENT,
    )
    assert made.consent_ground is ConsentGround.WRITTEN_CONSENT


def test_consent_ground_on_a_56a_category_is_refused() -> None:
    with pytest.raises(FactError, match=r"Contract\.consent_ground"):
        contract(
            "huur",
            Category.HUUR,
            DE_KEY,
            "712,00",
            date(2026, 12, 1),
            consent=ConsentGround.ART57_DECISION,
        )


def test_contract_versions_must_increase_and_cover_the_start() -> None:
    with pytest.raises(FactError, match=r"Contract\.amounts"):
        Contract(
            "huur",
            Category.HUUR,
            DE_KEY,
            "ref",
            date(2026, 12, 1),
            (
                AmountVersion(date(2026, 12, 1), eur("712,00")),
                AmountVersion(date(2026, 12, 1), eur("740,48")),
            ),
        )
    with pytest.raises(FactError, match="start date"):
        Contract(
            "huur",
            Category.HUUR,
            DE_KEY,
            "ref",
            date(2026, 12, 1),
            (AmountVersion(date(2027, 1, 1), eur("712,00")),),
        )


def test_rent_increase_is_a_new_version() -> None:
    huur = contract(
        "huur",
        Category.HUUR,
        DE_KEY,
        "712,00",
        date(2026, 3, 1),
        more=((date(2026, 7, 1), "740,48"),),
    )
    assert huur.amount_on(date(2026, 6, 30)) == eur("712,00")
    assert huur.amount_on(date(2026, 7, 1)) == eur("740,48")


def test_payment_reference_fits_sepa() -> None:
    with pytest.raises(FactError, match=r"Contract\.payment_reference"):
        Contract(
            "huur",
            Category.HUUR,
            DE_KEY,
            "x" * 141,
            date(2026, 12, 1),
            (AmountVersion(date(2026, 12, 1), eur("712,00")),),
        )


def test_amounts_must_be_money_not_float() -> None:
    with pytest.raises(FactError, match=r"Voorschot\.amount"):
        Voorschot("v1", date(2026, 12, 10), 1264.86)  # type: ignore[arg-type]
    with pytest.raises(FactError, match=r"AmountVersion\.amount"):
        AmountVersion(date(2026, 12, 1), Money.zero())


def test_gezinsmigrant_cannot_hold_an_asylum_permit() -> None:
    with pytest.raises(FactError, match=r"Person\.permit_asiel_bepaalde_tijd"):
        person(doelgroep=Doelgroep.GEZINSMIGRANT, asiel=True)


def test_household_roles_follow_the_leefvorm() -> None:
    with pytest.raises(FactError, match="exactly one partner"):
        Household("h1", Leefvorm.GEHUWDEN, (person(),), True)
    with pytest.raises(FactError, match="at least one kind"):
        Household("h1", Leefvorm.ALLEENSTAANDE_OUDER, (person(),), True)
    with pytest.raises(FactError, match="unique"):
        Household("h1", Leefvorm.ALLEENSTAANDE, (person(), person()), True)


def test_right_checks_its_dates_and_kostendelers() -> None:
    with pytest.raises(FactError, match=r"BijstandRight\.end"):
        BijstandRight("r1", date(2026, 12, 1), Leefvorm.ALLEENSTAANDE, 1, end=date(2026, 11, 30))
    with pytest.raises(FactError, match=r"BijstandRight\.kostendelers"):
        BijstandRight("r1", date(2026, 12, 1), Leefvorm.GEHUWDEN, 1)
    with pytest.raises(FactError, match="outside the right"):
        BijstandRight(
            "r1",
            date(2026, 12, 1),
            Leefvorm.ALLEENSTAANDE,
            1,
            supplied_amounts={Period(2026, 11): SuppliedAmount(eur("100,00"), "INK-1")},
        )


def test_window_extension_needs_a_ground_and_a_reason() -> None:
    with pytest.raises(FactError, match=r"WindowExtension\.ground"):
        WindowExtension(None, "schulden", date(2027, 9, 30))  # type: ignore[arg-type]
    with pytest.raises(FactError, match=r"WindowExtension\.reason"):
        WindowExtension(ExtensionGround.CONSENT, " ", date(2027, 9, 30))


def test_opt_out_needs_a_reason() -> None:
    with pytest.raises(FactError, match=r"OptOut\.reason"):
        OptOut("")


def test_deduction_range() -> None:
    deduction = Deduction(
        "d1", DeductionKind.INKOMSTEN, "inkomsten uit deeltijdwerk", eur("300,00"), Period(2027, 1)
    )
    assert deduction.applies_to(Period(2027, 1))
    assert not deduction.applies_to(Period(2027, 2))
    with pytest.raises(FactError, match=r"Deduction\.last"):
        Deduction(
            "d2",
            DeductionKind.AFLOSSING,
            "aflossing inrichtingskrediet",
            eur("50,00"),
            Period(2027, 2),
            Period(2027, 1),
        )


def test_policy_checks() -> None:
    with pytest.raises(FactError, match=r"GemeentePolicy\.priority"):
        GemeentePolicy(eur("250,00"), eur("75,00"), priority=(Category.HUUR,))
    with pytest.raises(FactError, match=r"GemeentePolicy\.leefgeld_weekday"):
        GemeentePolicy(eur("250,00"), eur("75,00"), leefgeld_frequency=LeefgeldFrequency.WEEKLY)
    with pytest.raises(FactError, match=r"GemeentePolicy\.payment_day"):
        GemeentePolicy(eur("250,00"), eur("75,00"), payment_day=31)
    with pytest.raises(FactError, match=r"GemeentePolicy\.minimum_leefgeld"):
        GemeentePolicy(eur("-1,00"), eur("75,00"))
    policy = GemeentePolicy(eur("250,00"), eur("75,00"))
    assert policy.allow_opt_out is False
    assert policy.priority[:5] == (
        Category.HUUR,
        Category.STROOM,
        Category.GAS,
        Category.WATER,
        Category.ZORGVERZEKERING,
    )
