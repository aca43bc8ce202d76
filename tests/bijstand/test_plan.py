# SPDX-License-Identifier: EUPL-1.2
"""The monthly plan in concrete euros: one test per rule of docs/rules.md."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from ontzorgen.bijstand.facts import (
    BijstandRight,
    Category,
    ConsentGround,
    Deduction,
    DeductionKind,
    Doelgroep,
    ExtensionGround,
    FactError,
    GemeentePolicy,
    LeefgeldFrequency,
    Leefvorm,
    OptOut,
    Person,
    PersonRole,
    ProRataMethod,
    SuppliedAmount,
    Voorschot,
    Weekday,
    WindowExtension,
)
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, Recipient, SignalCode
from ontzorgen.bijstand.norms import NormNotFound, NormTable
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError, make_plan, plan_months
from ontzorgen.money import Money
from tests.bijstand.factories import (
    DE_KEY,
    POLICY,
    VATTENFALL,
    contract,
    eur,
    household,
    person,
    right,
    vaste_lasten,
)

DEC_1 = date(2026, 12, 1)


def _amounts(plan: MonthlyPlan, kind: LineKind) -> list[tuple[str | None, Money]]:
    return [(line.contract_id, line.amount) for line in plan.of_kind(kind)]


def _policy(**changes: Any) -> GemeentePolicy:
    return replace(POLICY, **changes)


# -- the standard case ----------------------------------------------------------------------------


def test_alleenstaande_with_five_vaste_lasten(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12))
    assert plan.bijstand == eur("1.331,43")
    assert plan.total(LineKind.VT_ACCRUAL) == eur("70,07")
    assert _amounts(plan, LineKind.WITHHOLDING) == [
        ("huur", eur("712,00")),
        ("stroom", eur("60,00")),
        ("gas", eur("75,00")),
        ("water", eur("22,50")),
        ("zorg", eur("158,00")),
    ]
    huur = plan.of_kind(LineKind.WITHHOLDING)[0]
    assert huur.rule == "Pw art. 56a lid 2"
    assert (huur.payee_id, huur.recipient, huur.category) == (
        DE_KEY,
        Recipient.PAYEE,
        Category.HUUR,
    )
    assert huur.payment_reference == "huur huur h1"
    assert huur.pay_date == DEC_1
    assert plan.leefgeld == eur("303,93")
    assert plan.of_kind(LineKind.LEEFGELD)[0].recipient is Recipient.HOUSEHOLD
    assert not plan.of_kind(LineKind.SHORTFALL)
    assert plan.eligible


def test_only_huur_leaves_619_43_leefgeld(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    plan = make_plan(household(), right(DEC_1), [huur], POLICY, norms, Period(2026, 12))
    assert plan.withheld == eur("712,00")
    assert plan.leefgeld == eur("619,43")


def test_every_line_has_a_rule_and_a_dutch_explanation(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12))
    assert all(line.rule and line.explanation.endswith(".") for line in plan.lines)
    assert plan.of_kind(LineKind.BIJSTAND)[0].rule == "Pw art. 21"
    assert plan.of_kind(LineKind.VT_ACCRUAL)[0].rule == "Pw art. 19 lid 3"


def test_as_dict_is_json_with_cents(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12))
    data = json.loads(json.dumps(plan.as_dict()))
    assert data["period"] == "2026-12"
    assert data["lines"][0] == {
        "kind": "bijstand",
        "amount_cents": 133143,
        "rule": "Pw art. 21",
        "explanation": plan.lines[0].explanation,
        "recipient": "none",
    }
    assert data["totals_cents"]["withholding"] == 102750
    assert data["totals_cents"]["leefgeld"] == 30393


def test_norms_table_past_its_next_indexation_is_signalled(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1), [], POLICY, norms, (2026, 12))
    assert plan.has_signal(SignalCode.NORMS_OUTDATED)
    early = make_plan(household(), right(date(2026, 1, 1)), [], POLICY, norms, (2026, 1))
    assert not early.has_signal(SignalCode.NORMS_OUTDATED)


# -- leefvorm and kostendelers --------------------------------------------------------------------


def test_gehuwden_norm(norms: NormTable) -> None:
    couple = household(
        person("p1"), person("p2", role=PersonRole.PARTNER), leefvorm=Leefvorm.GEHUWDEN
    )
    plan = make_plan(
        couple, right(DEC_1, leefvorm=Leefvorm.GEHUWDEN), [], POLICY, norms, (2026, 12)
    )
    assert plan.bijstand == eur("1.902,02")
    assert plan.total(LineKind.VT_ACCRUAL) == eur("100,11")


def test_alleenstaande_with_one_kostendeler(norms: NormTable) -> None:
    plan = make_plan(
        household(medebewoners=1), right(DEC_1, kostendelers=2), [], POLICY, norms, (2026, 12)
    )
    # 1.001,07 incl. VT → 951,02 + 50,05
    assert plan.bijstand == eur("951,02")
    assert plan.total(LineKind.VT_ACCRUAL) == eur("50,05")
    assert plan.of_kind(LineKind.BIJSTAND)[0].rule == "Pw art. 22a"
    assert not plan.has_signal(SignalCode.KOSTENDELERS_MISMATCH)


def test_kostendelers_mismatch_is_signalled(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1, kostendelers=2), [], POLICY, norms, (2026, 12))
    assert plan.has_signal(SignalCode.KOSTENDELERS_MISMATCH)
    assert plan.bijstand == eur("951,02")  # the beschikking decides


def test_leefvorm_of_right_and_household_must_agree(norms: NormTable) -> None:
    with pytest.raises(FactError, match=r"BijstandRight\.leefvorm"):
        make_plan(
            household(),
            BijstandRight("r1", DEC_1, Leefvorm.ALLEENSTAANDE_OUDER, 1),
            [],
            POLICY,
            norms,
            (2026, 12),
        )


def test_partners_in_different_age_bands_are_not_guessed(norms: NormTable) -> None:
    couple = household(
        person("p1"),
        person("p2", born=date(2006, 6, 1), role=PersonRole.PARTNER),
        leefvorm=Leefvorm.GEHUWDEN,
    )
    with pytest.raises(NormNotFound, match="verschillende leeftijdsgroepen"):
        make_plan(couple, right(DEC_1, leefvorm=Leefvorm.GEHUWDEN), [], POLICY, norms, (2026, 12))


def test_supplied_amount_from_the_inkomen_system(norms: NormTable) -> None:
    supplied = BijstandRight(
        "r1",
        DEC_1,
        Leefvorm.ALLEENSTAANDE,
        1,
        supplied_amounts={Period(2026, 12): SuppliedAmount(eur("1.200,00"), "INK-2026-12-0042")},
    )
    plan = make_plan(household(), supplied, [], POLICY, norms, (2026, 12))
    line = plan.of_kind(LineKind.BIJSTAND)[0]
    assert (line.amount, line.rule) == (eur("1.200,00"), "Pw art. 45")
    assert "INK-2026-12-0042" in line.explanation
    assert plan.total(LineKind.VT_ACCRUAL) == eur("70,07")


# -- partial months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "bijstand", "vt", "huur", "leefgeld"),
    [
        (ProRataMethod.CALENDAR_DAYS, "730,14", "38,43", "390,45", "339,69"),
        (ProRataMethod.THIRTY_DAYS, "754,48", "39,71", "390,45", "364,03"),
    ],
)
def test_partial_first_month_from_15_december_2026(
    norms: NormTable, method: ProRataMethod, bijstand: str, vt: str, huur: str, leefgeld: str
) -> None:
    start = date(2026, 12, 15)
    rent = contract(
        "huur", Category.HUUR, DE_KEY, "390,45", start, more=((date(2027, 1, 1), "712,00"),)
    )
    plan = make_plan(
        household(), right(start), [rent], _policy(pro_rata_method=method), norms, (2026, 12)
    )
    assert plan.bijstand == eur(bijstand)
    assert plan.total(LineKind.VT_ACCRUAL) == eur(vt)
    assert plan.withheld == eur(huur)
    assert plan.of_kind(LineKind.WITHHOLDING)[0].pay_date == start
    assert plan.leefgeld == eur(leefgeld)
    assert plan.of_kind(LineKind.BIJSTAND)[0].rule == "Pw art. 21 en art. 45 lid 3"
    january = make_plan(household(), right(start), [rent], POLICY, norms, (2027, 1))
    assert january.withheld == eur("712,00")


def test_partial_first_month_minimum_leefgeld_is_pro_rata(norms: NormTable) -> None:
    start = date(2026, 12, 15)
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", date(2026, 11, 1))
    plan = make_plan(household(), right(start), [huur], POLICY, norms, (2026, 12))
    # minimum 250,00 × 17/31 = 137,10; room 730,14 − 137,10 = 593,04
    assert _amounts(plan, LineKind.WITHHOLDING) == [("huur", eur("593,04"))]
    assert _amounts(plan, LineKind.SHORTFALL) == [("huur", eur("118,96"))]
    assert plan.leefgeld == eur("137,10")


def test_start_on_the_31st(norms: NormTable) -> None:
    start = date(2026, 8, 31)
    plan = make_plan(household(), right(start), [], POLICY, norms, (2026, 8))
    # 1 day of 31: 1.331,43 − 1.331,43 × 30/31 = 42,95; VT 2,26
    assert plan.bijstand == eur("42,95")
    assert plan.total(LineKind.VT_ACCRUAL) == eur("2,26")
    thirty = make_plan(
        household(),
        right(start),
        [],
        _policy(pro_rata_method=ProRataMethod.THIRTY_DAYS),
        norms,
        (2026, 8),
    )
    assert thirty.bijstand == eur("44,38")
    assert plan.window_end == date(2027, 2, 28)
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", date(2026, 8, 1))
    february = make_plan(household(), right(start), [huur], POLICY, norms, (2027, 2))
    march = make_plan(household(), right(start), [huur], POLICY, norms, (2027, 3))
    assert february.withheld == eur("712,00")
    assert february.has_signal(SignalCode.WINDOW_ENDS_THIS_MONTH)
    assert march.withheld == Money.zero()
    assert march.has_signal(SignalCode.OUTSIDE_WINDOW)


# -- the window: early end, extension, opt-out ----------------------------------------------------


def test_early_end_pays_the_rest_of_the_vt_and_stops(norms: NormTable) -> None:
    the_right = right(DEC_1, date(2027, 3, 15))
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    plan = make_plan(household(), the_right, [huur], POLICY, norms, (2027, 3))
    assert plan.bijstand == eur("644,24")  # 1.331,43 × 15/31
    assert plan.total(LineKind.VT_ACCRUAL) == eur("33,90")
    # VT december–maart: 3 × 70,07 + 33,90
    assert plan.total(LineKind.VT_PAYOUT) == eur("244,11")
    assert plan.withheld == eur("712,00")
    assert plan.leefgeld == eur("176,35")
    assert plan.window_end == date(2027, 3, 15)
    assert plan.has_signal(SignalCode.RIGHT_ENDS)
    with pytest.raises(PlanError, match="loopt niet in"):
        make_plan(household(), the_right, [huur], POLICY, norms, (2027, 4))


def test_after_six_months_nothing_is_withheld(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    plans = plan_months(household(), right(DEC_1), [huur], POLICY, norms, (2026, 12), (2027, 7))
    assert [p.withheld for p in plans] == [eur("712,00")] * 6 + [Money.zero()] * 2
    july = plans[-1]
    assert july.skipped[0].contract_id == "huur"
    assert "buiten de ontzorgperiode" in july.skipped[0].reason
    assert july.leefgeld == eur("1.331,43")
    assert plans[4].has_signal(SignalCode.WINDOW_ENDS_NEXT_MONTH)


@pytest.mark.parametrize(
    ("ground", "rule"),
    [
        (ExtensionGround.ART57_DECISION, "Pw art. 57"),
        (ExtensionGround.CONSENT, "schriftelijke toestemming belanghebbende"),
    ],
)
def test_extension_with_a_ground(norms: NormTable, ground: ExtensionGround, rule: str) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    extension = WindowExtension(ground, "huurachterstand in het verleden", date(2027, 9, 30))
    june = make_plan(
        household(), right(DEC_1), [huur], POLICY, norms, (2027, 6), extensions=[extension]
    )
    assert june.withheld == eur("712,00")
    assert june.of_kind(LineKind.WITHHOLDING)[0].rule == rule
    assert june.has_signal(SignalCode.EXTENDED)
    may = make_plan(
        household(), right(DEC_1), [huur], POLICY, norms, (2027, 5), extensions=[extension]
    )
    assert may.of_kind(LineKind.WITHHOLDING)[0].rule == "Pw art. 56a lid 2"
    october = make_plan(
        household(), right(DEC_1), [huur], POLICY, norms, (2027, 10), extensions=[extension]
    )
    assert october.withheld == Money.zero()


def test_extension_without_a_ground_is_refused() -> None:
    with pytest.raises(FactError, match=r"WindowExtension\.ground"):
        WindowExtension("", "wil het graag", date(2027, 9, 30))  # type: ignore[arg-type]


def test_opt_out_not_allowed_by_default(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    opt_out = OptOut("heeft al een eigen budgetplan")
    plan = make_plan(household(), right(DEC_1), [huur], POLICY, norms, (2026, 12), opt_out=opt_out)
    assert plan.withheld == eur("712,00")
    assert plan.has_signal(SignalCode.OPT_OUT_NOT_ALLOWED)


def test_opt_out_allowed_by_policy(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    opt_out = OptOut("financieel zelfredzaam (ZRM Financiën 4)", date(2027, 2, 1))
    allowing = _policy(allow_opt_out=True)
    january = make_plan(
        household(), right(DEC_1), [huur], allowing, norms, (2027, 1), opt_out=opt_out
    )
    february = make_plan(
        household(), right(DEC_1), [huur], allowing, norms, (2027, 2), opt_out=opt_out
    )
    assert january.withheld == eur("712,00")
    assert february.withheld == Money.zero()
    assert february.skipped[0].rule == "beleid gemeente: opt-out met vastgelegde reden"
    assert february.leefgeld == eur("1.331,43")


def test_handover_of_stroom(norms: NormTable) -> None:
    stroom = contract(
        "stroom", Category.STROOM, VATTENFALL, "60,00", DEC_1, handover=date(2027, 3, 1)
    )
    february = make_plan(household(), right(DEC_1), [stroom], POLICY, norms, (2027, 2))
    march = make_plan(household(), right(DEC_1), [stroom], POLICY, norms, (2027, 3))
    assert february.withheld == eur("60,00")
    assert march.withheld == Money.zero()
    assert "zelf" in march.skipped[0].reason


# -- categories -----------------------------------------------------------------------------------


def test_other_category_with_consent_is_withheld_when_the_policy_includes_it(
    norms: NormTable,
) -> None:
    inboedel = contract(
        "inboedel",
        Category.OTHER,
        "Centraal Beheer",
        "12,50",
        DEC_1,
        consent=ConsentGround.WRITTEN_CONSENT,
    )
    default = make_plan(household(), right(DEC_1), [inboedel], POLICY, norms, (2026, 12))
    assert default.withheld == Money.zero()
    assert default.skipped[0].rule == "beleid gemeente: ingehouden categorieën"
    wider = _policy(withheld_categories=frozenset(Category))
    plan = make_plan(household(), right(DEC_1), [inboedel], wider, norms, (2026, 12))
    assert plan.withheld == eur("12,50")
    assert plan.of_kind(LineKind.WITHHOLDING)[0].rule == "schriftelijke toestemming belanghebbende"


# -- vakantietoeslag ------------------------------------------------------------------------------


def test_vt_accrual_and_june_payout(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    june = make_plan(household(), right(DEC_1), [huur], POLICY, norms, (2027, 6))
    payout = june.of_kind(LineKind.VT_PAYOUT)[0]
    assert payout.amount == eur("420,42")  # december–mei: 6 × 70,07
    assert payout.rule == "Pw art. 45 lid 1"
    assert june.leefgeld == eur("1.751,85")  # window over: 1.331,43 + 420,42
    may = make_plan(household(), right(DEC_1), [huur], POLICY, norms, (2027, 5))
    assert not may.of_kind(LineKind.VT_PAYOUT)


def test_june_payout_after_a_partial_first_month(norms: NormTable) -> None:
    june = make_plan(household(), right(date(2026, 12, 15)), [], POLICY, norms, (2027, 6))
    assert june.total(LineKind.VT_PAYOUT) == eur("388,78")  # 38,43 + 5 × 70,07


def test_second_june_pays_twelve_months(norms: NormTable) -> None:
    start = date(2026, 3, 1)
    first = make_plan(household(), right(start), [], POLICY, norms, (2026, 6))
    second = make_plan(household(), right(start), [], POLICY, norms, (2027, 6))
    assert first.total(LineKind.VT_PAYOUT) == eur("210,21")
    assert second.total(LineKind.VT_PAYOUT) == eur("840,84")


def test_end_in_june_pays_everything_once(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1, date(2027, 6, 30)), [], POLICY, norms, (2027, 6))
    assert plan.total(LineKind.VT_PAYOUT) == eur("490,49")  # 7 × 70,07


# -- contracts over time --------------------------------------------------------------------------


def test_rent_increase_from_1_july(norms: NormTable) -> None:
    start = date(2026, 3, 1)
    huur = contract(
        "huur", Category.HUUR, DE_KEY, "712,00", start, more=((date(2026, 7, 1), "740,48"),)
    )
    june = make_plan(household(), right(start), [huur], POLICY, norms, (2026, 6))
    july = make_plan(household(), right(start), [huur], POLICY, norms, (2026, 7))
    assert june.withheld == eur("712,00")
    assert july.withheld == eur("740,48")
    assert july.leefgeld == eur("590,95")


# -- voorschot and deductions ---------------------------------------------------------------------


def test_voorschot_is_settled_above_the_minimum_leefgeld(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    voorschot = Voorschot("v1", date(2026, 12, 10), eur("1.264,86"))
    plans = plan_months(
        household(),
        right(DEC_1),
        [huur],
        POLICY,
        norms,
        (2026, 12),
        (2027, 4),
        voorschotten=[voorschot],
    )
    settled = [p.total(LineKind.VOORSCHOT_SETTLEMENT) for p in plans]
    assert settled == [eur("369,43")] * 3 + [eur("156,57"), Money.zero()]
    assert Money.sum(settled) == eur("1.264,86")
    assert [p.leefgeld for p in plans] == [eur("250,00")] * 3 + [eur("462,86"), eur("619,43")]
    line = plans[0].of_kind(LineKind.VOORSCHOT_SETTLEMENT)[0]
    assert (line.rule, line.recipient, line.source_id) == ("Pw art. 52", Recipient.GEMEENTE, "v1")
    assert plans[0].has_signal(SignalCode.VOORSCHOT_OUTSTANDING)
    assert not plans[3].has_signal(SignalCode.VOORSCHOT_OUTSTANDING)
    # make_plan for one month gives the same as the series
    assert (
        make_plan(
            household(), right(DEC_1), [huur], POLICY, norms, (2027, 3), voorschotten=[voorschot]
        )
        == plans[3]
    )


def test_deduction_for_income(norms: NormTable) -> None:
    huur = contract("huur", Category.HUUR, DE_KEY, "712,00", DEC_1)
    income = Deduction(
        "d1", DeductionKind.INKOMSTEN, "inkomsten uit deeltijdwerk", eur("300,00"), Period(2027, 1)
    )
    plan = make_plan(
        household(), right(DEC_1), [huur], POLICY, norms, (2027, 1), deductions=[income]
    )
    line = plan.of_kind(LineKind.DEDUCTION)[0]
    assert (line.amount, line.rule, line.recipient) == (
        eur("300,00"),
        "Pw art. 31 en 32",
        Recipient.NONE,
    )
    assert plan.withheld == eur("712,00")
    assert plan.leefgeld == eur("319,43")


def test_aflossing_inrichtingskrediet(norms: NormTable) -> None:
    loan = Deduction(
        "k1",
        DeductionKind.AFLOSSING,
        "aflossing inrichtingskrediet",
        eur("50,00"),
        Period(2026, 12),
        Period(2027, 11),
    )
    plan = make_plan(
        household(), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12), deductions=[loan]
    )
    line = plan.of_kind(LineKind.DEDUCTION)[0]
    assert (line.amount, line.rule, line.recipient) == (
        eur("50,00"),
        "Pw art. 51",
        Recipient.GEMEENTE,
    )
    assert plan.leefgeld == eur("253,93")


def test_aflossing_that_does_not_fit_is_a_shortfall(norms: NormTable) -> None:
    loan = Deduction(
        "k1",
        DeductionKind.AFLOSSING,
        "aflossing inrichtingskrediet",
        eur("80,00"),
        Period(2026, 12),
    )
    plan = make_plan(
        household(), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12), deductions=[loan]
    )
    assert plan.total(LineKind.DEDUCTION) == eur("53,93")
    assert plan.total(LineKind.SHORTFALL) == eur("26,07")
    assert plan.leefgeld == eur("250,00")


# -- too little bijstand --------------------------------------------------------------------------


def test_bijstand_too_low_pays_in_priority_order(norms: NormTable) -> None:
    plan = make_plan(
        household(medebewoners=2),
        right(DEC_1, kostendelers=3),
        vaste_lasten(DEC_1),
        POLICY,
        norms,
        (2026, 12),
    )
    assert plan.bijstand == eur("824,21")
    assert _amounts(plan, LineKind.WITHHOLDING) == [("huur", eur("574,21"))]
    assert _amounts(plan, LineKind.SHORTFALL) == [
        ("huur", eur("137,79")),
        ("stroom", eur("60,00")),
        ("gas", eur("75,00")),
        ("water", eur("22,50")),
        ("zorg", eur("158,00")),
    ]
    assert plan.leefgeld == eur("250,00")
    assert plan.has_signal(SignalCode.SHORTFALL)
    assert all(
        line.rule == "beleid gemeente: volgorde bij tekort"
        for line in plan.of_kind(LineKind.SHORTFALL)
    )


def test_priority_order_is_a_policy_parameter(norms: NormTable) -> None:
    zorg_first = _policy(
        priority=(
            Category.ZORGVERZEKERING,
            Category.HUUR,
            Category.STROOM,
            Category.GAS,
            Category.WATER,
        )
    )
    plan = make_plan(
        household(medebewoners=2),
        right(DEC_1, kostendelers=3),
        vaste_lasten(DEC_1),
        zorg_first,
        norms,
        (2026, 12),
    )
    assert _amounts(plan, LineKind.WITHHOLDING) == [
        ("zorg", eur("158,00")),
        ("huur", eur("416,21")),
    ]


def test_bijstand_below_minimum_withholds_nothing(norms: NormTable) -> None:
    income = Deduction(
        "d1",
        DeductionKind.INKOMSTEN,
        "inkomsten uit deeltijdwerk",
        eur("1.200,00"),
        Period(2026, 12),
    )
    plan = make_plan(
        household(),
        right(DEC_1),
        vaste_lasten(DEC_1),
        POLICY,
        norms,
        (2026, 12),
        deductions=[income],
    )
    assert plan.withheld == Money.zero()
    assert plan.total(LineKind.SHORTFALL) == eur("1.027,50")
    assert plan.leefgeld == eur("131,43")
    assert plan.has_signal(SignalCode.BIJSTAND_BELOW_MINIMUM)


def test_minimum_grows_with_household_members(norms: NormTable) -> None:
    family = household(
        person("p1"),
        person("k1", born=date(2018, 3, 1), role=PersonRole.KIND),
        person("k2", born=date(2020, 3, 1), role=PersonRole.KIND),
        leefvorm=Leefvorm.ALLEENSTAANDE_OUDER,
    )
    plan = make_plan(
        family,
        right(DEC_1, leefvorm=Leefvorm.ALLEENSTAANDE_OUDER),
        vaste_lasten(DEC_1),
        POLICY,
        norms,
        (2026, 12),
    )
    # minimum 250 + 2 × 75 = 400; room 931,43: huur 712, stroom 60, gas 75, water 22,50, zorg 61,93
    assert plan.leefgeld == eur("400,00")
    assert _amounts(plan, LineKind.SHORTFALL) == [("zorg", eur("96,07"))]


def test_income_above_bijstand_is_capped_and_signalled(norms: NormTable) -> None:
    income = Deduction(
        "d1", DeductionKind.INKOMSTEN, "inkomsten uit werk", eur("1.500,00"), Period(2026, 12)
    )
    plan = make_plan(household(), right(DEC_1), [], POLICY, norms, (2026, 12), deductions=[income])
    assert plan.total(LineKind.DEDUCTION) == eur("1.331,43")
    assert plan.leefgeld == Money.zero()
    assert plan.has_signal(SignalCode.INCOME_EXCEEDS_BIJSTAND)


# -- leefgeld payout ------------------------------------------------------------------------------


def test_no_iban_holds_the_remainder(norms: NormTable) -> None:
    plan = make_plan(
        household(iban=False), right(DEC_1), vaste_lasten(DEC_1), POLICY, norms, (2026, 12)
    )
    assert plan.leefgeld == Money.zero()
    held = plan.of_kind(LineKind.HELD)[0]
    assert (held.amount, held.recipient) == (eur("303,93"), Recipient.GEMEENTE)
    assert plan.has_signal(SignalCode.HELD_NO_IBAN)
    assert plan.withheld == eur("1.027,50")


def test_weekly_leefgeld_on_mondays(norms: NormTable) -> None:
    weekly = _policy(leefgeld_frequency=LeefgeldFrequency.WEEKLY, leefgeld_weekday=Weekday.MAANDAG)
    plan = make_plan(household(), right(DEC_1), vaste_lasten(DEC_1), weekly, norms, (2026, 12))
    payments = [(line.pay_date, line.amount) for line in plan.of_kind(LineKind.LEEFGELD)]
    assert payments == [
        (date(2026, 12, 7), eur("75,99")),
        (date(2026, 12, 14), eur("75,98")),
        (date(2026, 12, 21), eur("75,98")),
        (date(2026, 12, 28), eur("75,98")),
    ]
    assert plan.leefgeld == eur("303,93")


def test_monthly_leefgeld_on_the_payment_day(norms: NormTable) -> None:
    plan = make_plan(household(), right(DEC_1), [], _policy(payment_day=24), norms, (2027, 1))
    assert plan.of_kind(LineKind.LEEFGELD)[0].pay_date == date(2027, 1, 24)


# -- who is ontzorgd ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (person(doelgroep=Doelgroep.GEZINSMIGRANT, asiel=False), "gezinsmigrant"),
        (person(wi2021=False), "Wet inburgering 2021"),
    ],
)
def test_not_eligible_still_gets_bijstand_and_leefgeld(
    norms: NormTable, who: Person, reason: str
) -> None:
    plan = make_plan(
        household(who),
        right(DEC_1),
        vaste_lasten(DEC_1),
        POLICY,
        norms,
        (2026, 12),
    )
    assert not plan.eligible
    assert plan.withheld == Money.zero()
    assert plan.leefgeld == eur("1.331,43")
    assert plan.of_kind(LineKind.LEEFGELD)[0].rule == "Pw art. 45"
    assert plan.has_signal(SignalCode.NOT_ELIGIBLE)
    assert {s.contract_id for s in plan.skipped} == {"huur", "stroom", "gas", "water", "zorg"}
    assert all(reason in s.reason for s in plan.skipped)


def test_nareiziger_is_ontzorgd(norms: NormTable) -> None:
    plan = make_plan(
        household(person(doelgroep=Doelgroep.NAREIZIGER)),
        right(DEC_1),
        vaste_lasten(DEC_1),
        POLICY,
        norms,
        (2026, 12),
    )
    assert plan.withheld == eur("1.027,50")


def test_period_before_the_right_is_an_error(norms: NormTable) -> None:
    with pytest.raises(PlanError):
        make_plan(household(), right(DEC_1), [], POLICY, norms, (2026, 11))


def test_plan_is_deterministic(norms: NormTable) -> None:
    contracts = vaste_lasten(DEC_1)
    one = make_plan(household(), right(DEC_1), contracts, POLICY, norms, (2026, 12))
    two = make_plan(household(), right(DEC_1), list(reversed(contracts)), POLICY, norms, (2026, 12))
    assert one == two


def test_a_month_past_the_aow_table_uses_the_last_known_age_and_signals(
    norms: NormTable,
) -> None:
    """No crash at a year boundary: past the AOW table the last known AOW age is used, and
    the consulent is asked to update the table (like norms past their indexation)."""
    older = household(person(born=date(1965, 6, 15)))
    plan = make_plan(older, right(date(2032, 10, 1)), [], POLICY, norms, (2032, 10))
    messages = [s.message for s in plan.signals if s.code is SignalCode.NORMS_OUTDATED]
    assert any("AOW-leeftijd na 31-12-2031" in m and "67 jaar en 3 maanden" in m for m in messages)
    younger = make_plan(household(), right(date(2032, 10, 1)), [], POLICY, norms, (2032, 10))
    assert not any("AOW-leeftijd" in s.message for s in younger.signals)
