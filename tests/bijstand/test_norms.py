# SPDX-License-Identifier: EUPL-1.2
"""The norm table: exactly the values of FACTS.md, the VT split and the kostendelersnorm."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from ontzorgen.bijstand.facts import Leefvorm
from ontzorgen.bijstand.norms import (
    AgeBand,
    NormNotFound,
    NormTable,
    kostendelersnorm,
    split_vt,
)
from tests.bijstand.factories import eur


@pytest.mark.parametrize(
    ("leefvorm", "band", "on", "incl"),
    [
        (Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, date(2025, 7, 1), "1.369,06"),
        (Leefvorm.ALLEENSTAANDE_OUDER, AgeBand.AGE_21_AOW, date(2025, 12, 31), "1.369,06"),
        (Leefvorm.GEHUWDEN, AgeBand.AGE_21_AOW, date(2025, 9, 1), "1.955,80"),
        (Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, date(2026, 1, 1), "1.401,50"),
        (Leefvorm.ALLEENSTAANDE_OUDER, AgeBand.AGE_21_AOW, date(2026, 3, 1), "1.401,50"),
        (Leefvorm.GEHUWDEN, AgeBand.AGE_21_AOW, date(2026, 1, 1), "2.002,13"),
        (Leefvorm.ALLEENSTAANDE, AgeBand.AOW, date(2026, 1, 1), "1.564,69"),
        (Leefvorm.GEHUWDEN, AgeBand.AOW, date(2026, 1, 1), "2.144,16"),
        (Leefvorm.ALLEENSTAANDE, AgeBand.AGE_18_20, date(2026, 1, 1), "345,99"),
    ],
)
def test_packaged_table_holds_the_facts_values(
    norms: NormTable, leefvorm: Leefvorm, band: AgeBand, on: date, incl: str
) -> None:
    norm = norms.norm(leefvorm, band, on)
    assert norm.incl_vt == eur(incl)
    assert "Normenbrief" in norm.source


def test_every_value_has_a_source(norms: NormTable) -> None:
    # 1-7-2025: 3 (alleenstaande, alleenstaande ouder, gehuwden); 1-1-2026: 7 (those 3,
    # AOW alleenstaande + ouder, AOW gehuwden, 18-20 alleenstaande).
    assert len(norms.norms) == 10
    assert all(n.source.strip() for n in norms.norms)


@pytest.mark.parametrize(
    ("incl", "excl", "vt"),
    [
        ("1.401,50", "1.331,43", "70,07"),
        ("2.002,13", "1.902,02", "100,11"),
        ("1.369,06", "1.300,61", "68,45"),
        ("345,99", "328,69", "17,30"),
    ],
)
def test_vt_split_art_19_lid_3(incl: str, excl: str, vt: str) -> None:
    assert split_vt(eur(incl)) == (eur(excl), eur(vt))


@pytest.mark.parametrize(
    ("a", "expected"),
    [(2, "1.001,07"), (3, "867,59"), (4, "800,85"), (5, "760,81")],
)
def test_kostendelersnorm_art_22a_1_januari_2026(a: int, expected: str) -> None:
    assert kostendelersnorm(eur("2.002,13"), a) == eur(expected)


def test_kostendelersnorm_needs_two(norms: NormTable) -> None:
    with pytest.raises(ValueError, match="A >= 2"):
        kostendelersnorm(eur("2.002,13"), 1)


def test_household_norm_alleenstaande_with_kostendelers(norms: NormTable) -> None:
    norm = norms.household_norm(Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, 3, date(2026, 1, 1))
    assert (norm.incl_vt, norm.excl_vt, norm.vt) == (eur("867,59"), eur("824,21"), eur("43,38"))
    assert norm.rule == "Pw art. 22a"


def test_household_norm_gehuwden_with_one_medebewoner_is_twice_a_3(norms: NormTable) -> None:
    norm = norms.household_norm(Leefvorm.GEHUWDEN, AgeBand.AGE_21_AOW, 3, date(2026, 1, 1))
    assert norm.incl_vt == eur("1.735,18")
    assert (norm.excl_vt, norm.vt) == (eur("1.648,42"), eur("86,76"))


def test_gehuwden_alone_get_the_gehuwden_norm(norms: NormTable) -> None:
    norm = norms.household_norm(Leefvorm.GEHUWDEN, AgeBand.AGE_21_AOW, 2, date(2026, 1, 1))
    assert (norm.excl_vt, norm.vt, norm.rule) == (eur("1.902,02"), eur("100,11"), "Pw art. 21")


def test_missing_combination_is_an_error_never_a_guess(norms: NormTable) -> None:
    with pytest.raises(NormNotFound, match="gehuwden"):
        norms.norm(Leefvorm.GEHUWDEN, AgeBand.AGE_18_20, date(2026, 1, 1))
    with pytest.raises(NormNotFound, match="geen norm"):
        norms.norm(Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, date(2025, 6, 30))
    with pytest.raises(NormNotFound, match="kostendelersnorm"):
        norms.household_norm(Leefvorm.ALLEENSTAANDE, AgeBand.AOW, 2, date(2026, 1, 1))


def test_a_newer_publication_without_the_combination_does_not_fall_back() -> None:
    table = NormTable.from_mapping(
        {
            "publications": [
                {
                    "valid_from": "2026-01-01",
                    "next_indexation": "2026-07-01",
                    "source": "test",
                    "normen": [
                        {"leefvormen": ["alleenstaande"], "age_band": "aow", "incl_vt": "1.564,69"}
                    ],
                },
                {
                    "valid_from": "2026-07-01",
                    "next_indexation": "2027-01-01",
                    "source": "test",
                    "normen": [
                        {"leefvormen": ["gehuwden"], "age_band": "21_aow", "incl_vt": "2.050,00"}
                    ],
                },
            ]
        }
    )
    with pytest.raises(NormNotFound, match="geen terugval"):
        table.norm(Leefvorm.ALLEENSTAANDE, AgeBand.AOW, date(2026, 8, 1))


def test_adding_1_juli_2026_is_a_data_change_only() -> None:
    text = resources.files("ontzorgen.bijstand.data").joinpath("normen.json").read_text("utf-8")
    data = json.loads(text)
    data["publications"].append(
        {
            "valid_from": "2026-07-01",
            "next_indexation": "2027-01-01",
            "source": "SZW Normenbrief 1 juli 2026 (hypothetical test value)",
            "normen": [
                {
                    "leefvormen": ["alleenstaande", "alleenstaande_ouder"],
                    "age_band": "21_aow",
                    "incl_vt": "1.420,00",
                }
            ],
        }
    )
    table = NormTable.from_json(json.dumps(data))
    assert table.norm(Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, date(2026, 6, 30)).incl_vt == eur(
        "1.401,50"
    )
    assert table.norm(Leefvorm.ALLEENSTAANDE, AgeBand.AGE_21_AOW, date(2026, 7, 1)).incl_vt == eur(
        "1.420,00"
    )


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (date(2006, 1, 2), date(2026, 1, 1), AgeBand.AGE_18_20),
        (date(2005, 1, 1), date(2026, 1, 1), AgeBand.AGE_21_AOW),
        (date(1959, 1, 1), date(2026, 1, 1), AgeBand.AOW),
        (date(1959, 1, 2), date(2026, 1, 1), AgeBand.AGE_21_AOW),
    ],
)
def test_age_band(norms: NormTable, born: date, on: date, band: AgeBand) -> None:
    assert norms.age_band(born, on) is band


def test_no_norm_under_18(norms: NormTable) -> None:
    with pytest.raises(NormNotFound, match="onder 18 jaar"):
        norms.age_band(date(2010, 1, 1), date(2026, 1, 1))


# -- the AOW age ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        # 67 in 2027: the AOW age of 2027 (67) applies, and stays applied in 2028.
        (date(1960, 12, 31), date(2027, 12, 31), AgeBand.AOW),
        (date(1960, 11, 15), date(2028, 1, 10), AgeBand.AOW),
        # 67 on 1-1-2028: the AOW age of 2028 is 67 years and 3 months, reached on 1-4-2028.
        (date(1961, 1, 1), date(2028, 3, 1), AgeBand.AGE_21_AOW),
        (date(1961, 1, 1), date(2028, 4, 1), AgeBand.AOW),
        # 67 and 3 months on 29-2-2032 would be after 2031: see the next test.
        (date(1964, 9, 30), date(2031, 12, 31), AgeBand.AOW),
        (date(1964, 10, 1), date(2031, 12, 31), AgeBand.AGE_21_AOW),
    ],
)
def test_the_aow_age_fixed_by_law_for_2028_to_2031(
    norms: NormTable, born: date, on: date, band: AgeBand
) -> None:
    assert norms.age_band(born, on) is band
    assert norms.assumed_aow_age(born, on) is None


def test_past_the_aow_table_the_last_known_age_is_used_and_named(norms: NormTable) -> None:
    born = date(1965, 6, 15)  # 67 and 3 months on 15-9-2032, after the table's last year
    assert norms.age_band(born, date(2032, 8, 1)) is AgeBand.AGE_21_AOW
    assert norms.assumed_aow_age(born, date(2032, 8, 1)) is None  # younger than any AOW age
    assert norms.age_band(born, date(2032, 10, 1)) is AgeBand.AOW
    assumed = norms.assumed_aow_age(born, date(2032, 10, 1))
    assert assumed is not None
    assert (assumed.years, assumed.months, assumed.valid_until) == (67, 3, date(2031, 12, 31))
    # Someone decades from the AOW age is not in doubt, whatever the date.
    assert norms.age_band(date(1990, 5, 1), date(2040, 1, 1)) is AgeBand.AGE_21_AOW
    assert norms.assumed_aow_age(date(1990, 5, 1), date(2040, 1, 1)) is None
