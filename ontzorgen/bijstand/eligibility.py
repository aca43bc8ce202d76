# SPDX-License-Identifier: EUPL-1.2
"""Who is ontzorgd (Pw art. 56a lid 1), for how long (lid 2), and which vaste lasten are due.

The window: six months counted from the day the right to bijstand arises (art. 56a lid 2),
computed the Dutch way (:func:`~ontzorgen.bijstand.period.termijn_end`); it ends early when the
bijstand ends and runs longer only with a :class:`WindowExtension` that names its ground
(consent or an art. 57 decision).

A month's vaste last is **due** on the 1st of the month; in the month the window starts, on the
window's start date; for a contract that starts during the month, on the contract's start date.
It is withheld when that due date lies in the window, before the contract's handover date, and
the contract runs on that date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ontzorgen.bijstand import rules
from ontzorgen.bijstand.facts import (
    BijstandRight,
    Category,
    ConsentGround,
    Contract,
    Doelgroep,
    ExtensionGround,
    GemeentePolicy,
    Household,
    OptOut,
    Person,
    WindowExtension,
)
from ontzorgen.bijstand.period import Period, termijn_end

__all__ = [
    "ONTZORGEN_MONTHS",
    "ContractDue",
    "Eligibility",
    "OntzorgenWindow",
    "check_household",
    "check_person",
    "contract_due",
    "ontzorgen_window",
]

ONTZORGEN_MONTHS = 6


def _nl(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether art. 56a applies, why, and by which rule."""

    eligible: bool
    reason: str
    rule: str


def check_person(person: Person) -> Eligibility:
    """Art. 56a lid 1: inburgeringsplichtig under the Wi2021 **and** asylum permit (bepaalde tijd).

    Nareizigers hold an asylum-derived permit and are in; gezinsmigranten (regular permit) and
    people under the old inburgeringswet (the 'ondertussengroep') are out.
    """
    if person.doelgroep is Doelgroep.GEZINSMIGRANT:
        return Eligibility(
            False,
            "gezinsmigrant met een reguliere verblijfsvergunning: geen verblijfsvergunning "
            "asiel, dus geen ontzorgen",
            rules.ART_56A_LID_1,
        )
    if not person.inburgeringsplichtig_wi2021:
        return Eligibility(
            False,
            "niet inburgeringsplichtig onder de Wet inburgering 2021 (bijvoorbeeld oude wet, "
            "'ondertussengroep'): geen ontzorgen",
            rules.ART_56A_LID_1,
        )
    if not person.permit_asiel_bepaalde_tijd:
        return Eligibility(
            False,
            "geen verblijfsvergunning asiel voor bepaalde tijd: geen ontzorgen",
            rules.ART_56A_LID_1,
        )
    label = "nareiziger" if person.doelgroep is Doelgroep.NAREIZIGER else "statushouder"
    return Eligibility(
        True,
        f"{label}, inburgeringsplichtig onder de Wi2021 met een verblijfsvergunning asiel voor "
        "bepaalde tijd: ontzorgen verplicht",
        rules.ART_56A_LID_1,
    )


def check_household(household: Household) -> Eligibility:
    """The household is ontzorgd when the aanvrager or the partner meets art. 56a lid 1.

    The bijstand of gehuwden is one right for both; when one partner is in, the vaste lasten of
    the household are paid (the law names "de belanghebbende"; a mixed couple is a case the law
    does not spell out — decision recorded in docs/rules.md).
    """
    results = [check_person(p) for p in household.adults]
    for result in results:
        if result.eligible:
            return result
    return results[0]


@dataclass(frozen=True, slots=True)
class OntzorgenWindow:
    """The days (inclusive) on which vaste lasten are withheld for this right."""

    start: date
    end: date
    six_months_end: date
    extension: WindowExtension | None

    def contains(self, day: date) -> bool:
        """True if ``day`` lies in the window."""
        return self.start <= day <= self.end

    def describe(self) -> str:
        """``01-12-2026 t/m 31-05-2027``."""
        return f"{_nl(self.start)} t/m {_nl(self.end)}"


def ontzorgen_window(
    right: BijstandRight, extensions: Iterable[WindowExtension] = ()
) -> OntzorgenWindow:
    """The ontzorgen window of ``right``: six months from its start (art. 56a lid 2).

    It ends early when the bijstand ends; the latest extension that reaches beyond the six
    months moves the end (never beyond the end of the bijstand).
    """
    six = termijn_end(right.start, ONTZORGEN_MONTHS)
    end = six
    chosen: WindowExtension | None = None
    for extension in extensions:
        if extension.end_date > end:
            end = extension.end_date
            chosen = extension
    if right.end is not None and right.end < end:
        end = right.end
        if end <= six:
            chosen = None
    return OntzorgenWindow(start=right.start, end=end, six_months_end=six, extension=chosen)


@dataclass(frozen=True, slots=True)
class ContractDue:
    """The decision for one contract in one month: withhold on ``due_date``, or why not."""

    contract: Contract
    due_date: date
    withhold: bool
    rule: str
    reason: str


def _due_date(contract: Contract, period: Period, window: OntzorgenWindow) -> date:
    due = period.first_day
    if period.contains(window.start) and window.start > due:
        due = window.start
    if period.contains(contract.start) and contract.start > due:
        due = contract.start
    return due


def _withholding_rule(contract: Contract, due: date, window: OntzorgenWindow) -> str:
    if contract.category is Category.OTHER:
        return (
            rules.ART_57
            if contract.consent_ground is ConsentGround.ART57_DECISION
            else rules.TOESTEMMING
        )
    if due <= window.six_months_end or window.extension is None:
        return rules.ART_56A_LID_2
    if window.extension.ground is ExtensionGround.ART57_DECISION:
        return rules.ART_57
    return rules.TOESTEMMING


def contract_due(
    contract: Contract,
    period: Period,
    *,
    eligibility: Eligibility,
    window: OntzorgenWindow,
    policy: GemeentePolicy,
    opt_out: OptOut | None,
) -> ContractDue:
    """Decide whether ``contract`` is withheld in ``period``, with the rule or the reason."""
    due = _due_date(contract, period, window)

    def skip(rule: str, reason: str) -> ContractDue:
        return ContractDue(contract, due, False, rule, reason)

    if not eligibility.eligible:
        return skip(eligibility.rule, eligibility.reason)
    if not contract.runs_on(due):
        return skip(rules.ART_56A_LID_2, f"het contract loopt niet op {_nl(due)}")
    if not window.contains(due):
        return skip(
            rules.ART_56A_LID_2,
            f"vervaldatum {_nl(due)} valt buiten de ontzorgperiode {window.describe()}",
        )
    if contract.handover_date is not None and due >= contract.handover_date:
        return skip(
            rules.ART_56A_LID_2,
            f"het huishouden betaalt dit zelf vanaf {_nl(contract.handover_date)} (afbouw)",
        )
    if contract.category not in policy.withheld_categories:
        return skip(
            rules.BELEID_CATEGORIEEN,
            f"categorie {contract.category.value} wordt volgens het gemeentebeleid niet ingehouden",
        )
    if (
        opt_out is not None
        and policy.allow_opt_out
        and (opt_out.effective_from is None or due >= opt_out.effective_from)
    ):
        return skip(rules.BELEID_OPT_OUT, f"opt-out: {opt_out.reason}")
    return ContractDue(
        contract,
        due,
        True,
        _withholding_rule(contract, due, window),
        f"vervaldatum {_nl(due)} valt in de ontzorgperiode {window.describe()}",
    )
