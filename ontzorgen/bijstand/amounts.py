# SPDX-License-Identifier: EUPL-1.2
"""The month's bijstand and vakantietoeslag reserve for one household.

Net bijstand per month = the norm (or kostendelersnorm) **excluding** VT: the norm incl. VT is
split once into 95 % (paid) and 5 % (reserved, art. 19 lid 3), and for a partial month both
parts are taken pro rata with the gemeente's method (art. 45 lid 3). When the gemeente's
inkomen system supplied the month's net amount, that amount is used with its reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ontzorgen.bijstand import rules
from ontzorgen.bijstand.facts import BijstandRight, GemeentePolicy, Household
from ontzorgen.bijstand.lines import Signal, SignalCode
from ontzorgen.bijstand.norms import (
    AgeBand,
    HouseholdNorm,
    NormNotFound,
    NormTable,
    age_band_label,
)
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.prorata import describe, pro_rata
from ontzorgen.money import Money

__all__ = ["MonthAmount", "age_band_of", "month_amount"]


@dataclass(frozen=True, slots=True)
class MonthAmount:
    """The bijstand (excl. VT) and VT reserve of one month, with how they were made."""

    period: Period
    first_day: date
    last_day: date
    bijstand: Money
    vt_accrual: Money
    rule: str
    explanation: str
    vt_explanation: str
    norm: HouseholdNorm | None
    signals: tuple[Signal, ...]


def age_band_of(household: Household, norms: NormTable, on: date) -> AgeBand:
    """The age band of the household's adults on ``on``; mixed bands are not in the table."""
    bands = {norms.age_band(person.date_of_birth, on) for person in household.adults}
    if len(bands) != 1:
        raise NormNotFound(
            "partners in verschillende leeftijdsgroepen ("
            + ", ".join(sorted(age_band_label(b) for b in bands))
            + ") hebben geen norm in de normtabel; lever het bedrag aan uit het inkomenssysteem"
        )
    return bands.pop()


def _household_norm(
    household: Household, right: BijstandRight, norms: NormTable, first: date, last: date
) -> tuple[HouseholdNorm, list[Signal]]:
    signals: list[Signal] = []
    band = age_band_of(household, norms, first)
    if age_band_of(household, norms, last) is not band:
        signals.append(
            Signal(
                SignalCode.AGE_BAND_CHANGES,
                "Een volwassene komt deze maand in een andere leeftijdsgroep; de nieuwe norm "
                "geldt vanaf volgende maand. Controleer de beschikking.",
            )
        )
    norm = norms.household_norm(right.leefvorm, band, right.kostendelers, first)
    if first >= norm.next_indexation:
        signals.append(
            Signal(
                SignalCode.NORMS_OUTDATED,
                f"De normentabel heeft geen normen per {norm.next_indexation:%d-%m-%Y}; de "
                f"normen van {norm.valid_from:%d-%m-%Y} zijn gebruikt. Werk de tabel bij.",
            )
        )
    for person in household.adults:
        assumed = norms.assumed_aow_age(person.date_of_birth, first)
        if assumed is not None:
            # Degrades like the norms do: the last known value, and the consulent is told.
            signals.append(
                Signal(
                    SignalCode.NORMS_OUTDATED,
                    f"De normentabel heeft geen AOW-leeftijd na {assumed.valid_until:%d-%m-%Y}; "
                    f"de laatst bekende AOW-leeftijd ({assumed.years} jaar en {assumed.months} "
                    "maanden) is gebruikt. Werk de tabel bij.",
                )
            )
            break
    return norm, signals


def month_amount(
    household: Household,
    right: BijstandRight,
    policy: GemeentePolicy,
    norms: NormTable,
    period: Period,
) -> MonthAmount:
    """The month's net bijstand excl. VT and its VT reserve, pro rata where partial."""
    if not right.covers(period):
        raise ValueError(f"right {right.id} does not run in {period}")
    first, last = right.days_in(period)
    fraction = describe(period, first, last, policy.pro_rata_method)
    partial = fraction != "hele maand"
    signals: list[Signal] = []
    if household.kostendelers != right.kostendelers:
        signals.append(
            Signal(
                SignalCode.KOSTENDELERS_MISMATCH,
                f"Het huishouden telt {household.kostendelers} kostendelers, de beschikking "
                f"{right.kostendelers}; de beschikking is gebruikt. Controleer de woonsituatie.",
            )
        )
    supplied = right.supplied_amounts.get(period)
    norm: HouseholdNorm | None = None
    if supplied is None or supplied.vt_accrual is None:
        norm, norm_signals = _household_norm(household, right, norms, first, last)
        signals.extend(norm_signals)

    excl = vt = Money.zero()
    if norm is not None:
        excl = pro_rata(norm.excl_vt, period, first, last, policy.pro_rata_method)
        vt = pro_rata(norm.vt, period, first, last, policy.pro_rata_method)
    if supplied is not None:
        bijstand = supplied.amount
        rule = rules.ART_45
        explanation = (
            f"Bijstand {period}: {bijstand} zonder vakantietoeslag, vastgesteld door het "
            f"inkomenssysteem van de gemeente (kenmerk {supplied.reference})."
        )
        if supplied.vt_accrual is not None:
            vt = supplied.vt_accrual
    else:
        assert norm is not None
        bijstand = excl
        rule = norm.rule if not partial else f"{norm.rule} en art. 45 lid 3"
        part = f" per maand, {fraction}: {bijstand}" if partial else ""
        explanation = (
            f"Bijstand {period}: {norm.description} {norm.incl_vt} inclusief vakantietoeslag, "
            f"zonder de 5 % vakantietoeslag {norm.excl_vt}{part} (bron: {norm.source})."
        )
    vt_explanation = (
        f"Vakantietoeslag {period}: 5 % van de norm, {vt}, wordt gereserveerd en in juni of "
        "na het einde van de bijstand uitbetaald."
    )
    return MonthAmount(
        period=period,
        first_day=first,
        last_day=last,
        bijstand=bijstand,
        vt_accrual=vt,
        rule=rule,
        explanation=explanation,
        vt_explanation=vt_explanation,
        norm=norm,
        signals=tuple(signals),
    )
