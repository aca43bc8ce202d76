# SPDX-License-Identifier: EUPL-1.2
"""Small builders for the facts the rules-engine tests use, with the figures of FACTS.md."""

from __future__ import annotations

from datetime import date

from ontzorgen.bijstand.facts import (
    AmountVersion,
    BijstandRight,
    Category,
    ConsentGround,
    Contract,
    Doelgroep,
    GemeentePolicy,
    Household,
    Leefvorm,
    Person,
    PersonRole,
)
from ontzorgen.money import Money

# Concrete payees of the test households (Amsterdam).
DE_KEY = "Woonstichting De Key"
VATTENFALL = "Vattenfall"
WATERNET = "Waternet"
ZILVEREN_KRUIS = "Zilveren Kruis"

POLICY = GemeentePolicy(
    minimum_leefgeld=Money.euros(250),
    minimum_leefgeld_per_extra_member=Money.euros(75),
)


def eur(text: str) -> Money:
    """Money from Dutch text: ``eur("1.331,43")``."""
    return Money.parse(text)


def person(
    person_id: str = "p1",
    *,
    born: date = date(1990, 5, 1),
    doelgroep: Doelgroep = Doelgroep.ASIELSTATUSHOUDER,
    asiel: bool = True,
    wi2021: bool = True,
    role: PersonRole = PersonRole.AANVRAGER,
) -> Person:
    """A person; by default an adult asielstatushouder under the Wi2021."""
    return Person(person_id, born, doelgroep, asiel, wi2021, role)


def household(
    *persons: Person,
    leefvorm: Leefvorm = Leefvorm.ALLEENSTAANDE,
    iban: bool = True,
    medebewoners: int = 0,
) -> Household:
    """A household; by default one alleenstaande asielstatushouder with an IBAN."""
    return Household("h1", leefvorm, persons or (person(),), iban, medebewoners)


def right(
    start: date,
    end: date | None = None,
    *,
    leefvorm: Leefvorm = Leefvorm.ALLEENSTAANDE,
    kostendelers: int | None = None,
) -> BijstandRight:
    """A bijstand right without kostendelers unless given."""
    return BijstandRight("r1", start, leefvorm, kostendelers or leefvorm.unit_size, end=end)


def contract(
    contract_id: str,
    category: Category,
    payee: str,
    amount: str,
    start: date,
    *,
    more: tuple[tuple[date, str], ...] = (),
    end: date | None = None,
    handover: date | None = None,
    consent: ConsentGround | None = None,
) -> Contract:
    """A contract with a first amount from ``start`` and later versions in ``more``."""
    later = tuple(AmountVersion(day, eur(text)) for day, text in more)
    versions = (AmountVersion(start, eur(amount)), *later)
    return Contract(
        contract_id,
        category,
        payee,
        f"{category.value} {contract_id} h1",
        start,
        versions,
        end=end,
        handover_date=handover,
        consent_ground=consent,
    )


def vaste_lasten(start: date) -> list[Contract]:
    """Huur € 712,00, stroom € 60,00, gas € 75,00, water € 22,50, zorgverzekering € 158,00."""
    return [
        contract("zorg", Category.ZORGVERZEKERING, ZILVEREN_KRUIS, "158,00", start),
        contract("water", Category.WATER, WATERNET, "22,50", start),
        contract("gas", Category.GAS, VATTENFALL, "75,00", start),
        contract("stroom", Category.STROOM, VATTENFALL, "60,00", start),
        contract("huur", Category.HUUR, DE_KEY, "712,00", start),
    ]
