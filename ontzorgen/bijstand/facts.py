# SPDX-License-Identifier: EUPL-1.2
"""The facts the rules engine reads: households, the bijstand right, contracts, policy.

These are plain, immutable values. The database layer (``ontzorgen.clients``) turns stored rows
into them; the rules engine never sees a database. Each class checks itself on construction and
raises :class:`FactError` naming the field and the reason, so bad data stops at the door.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum
from types import MappingProxyType

from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money

__all__ = [
    "WITHHOLDABLE_56A",
    "AmountVersion",
    "BijstandRight",
    "Category",
    "ConsentGround",
    "Contract",
    "Deduction",
    "DeductionKind",
    "Doelgroep",
    "ExtensionGround",
    "FactError",
    "GemeentePolicy",
    "Household",
    "LeefgeldFrequency",
    "Leefvorm",
    "OptOut",
    "Person",
    "PersonRole",
    "ProRataMethod",
    "SuppliedAmount",
    "Voorschot",
    "Weekday",
    "WindowExtension",
]

MAX_REFERENCE_LENGTH = 140  # SEPA unstructured remittance information (RmtInf/Ustrd)


class FactError(ValueError):
    """A fact is invalid. ``field`` names the offending field (``Class.field``)."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


def _require(condition: bool, field_name: str, reason: str) -> None:
    if not condition:
        raise FactError(field_name, reason)


def _require_text(value: str, field_name: str) -> None:
    _require(isinstance(value, str) and value.strip() != "", field_name, "must not be empty")


def _require_money(value: object, field_name: str, *, positive: bool = False) -> None:
    _require(isinstance(value, Money), field_name, "must be Money (integer eurocents)")
    assert isinstance(value, Money)
    if positive:
        _require(value.is_positive(), field_name, f"must be more than € 0,00, not {value.cents}c")
    else:
        _require(not value.is_negative(), field_name, f"must not be negative ({value.cents}c)")


# -- people and households -----------------------------------------------------------------


class Doelgroep(StrEnum):
    """The inburgering target group (Wet inburgering 2021; Purmerend beleidsplan §3.4)."""

    ASIELSTATUSHOUDER = "asielstatushouder"
    NAREIZIGER = "nareiziger"
    GEZINSMIGRANT = "gezinsmigrant"
    OVERIG = "overig"


class PersonRole(StrEnum):
    """A person's place in the household: the aanvrager, a partner, or a child."""

    AANVRAGER = "aanvrager"
    PARTNER = "partner"
    KIND = "kind"


class Leefvorm(StrEnum):
    """The leefvorm that decides the norm (Pw art. 21)."""

    ALLEENSTAANDE = "alleenstaande"
    ALLEENSTAANDE_OUDER = "alleenstaande_ouder"
    GEHUWDEN = "gehuwden"

    @property
    def unit_size(self) -> int:
        """How many adults the bijstand is for: 2 for gehuwden, else 1."""
        return 2 if self is Leefvorm.GEHUWDEN else 1


@dataclass(frozen=True, slots=True)
class Person:
    """One member of a household, without BSN or name (those live in ``clients``)."""

    id: str
    date_of_birth: date
    doelgroep: Doelgroep
    permit_asiel_bepaalde_tijd: bool
    inburgeringsplichtig_wi2021: bool
    role: PersonRole = PersonRole.AANVRAGER

    def __post_init__(self) -> None:
        _require_text(self.id, "Person.id")
        _require(isinstance(self.date_of_birth, date), "Person.date_of_birth", "must be a date")
        _require(isinstance(self.doelgroep, Doelgroep), "Person.doelgroep", "must be a Doelgroep")
        _require(
            not (self.doelgroep is Doelgroep.GEZINSMIGRANT and self.permit_asiel_bepaalde_tijd),
            "Person.permit_asiel_bepaalde_tijd",
            "a gezinsmigrant has a regular permit, not a verblijfsvergunning asiel",
        )


@dataclass(frozen=True, slots=True)
class Household:
    """A household as the rules see it.

    ``kostendelende_medebewoners`` counts the other people of 27 or older (Pw art. 19a) who
    share the home but are not the aanvrager or partner; they are not in ``persons``.
    """

    id: str
    leefvorm: Leefvorm
    persons: tuple[Person, ...]
    has_own_iban: bool
    kostendelende_medebewoners: int = 0

    def __post_init__(self) -> None:
        _require_text(self.id, "Household.id")
        _require(len(self.persons) > 0, "Household.persons", "must hold at least the aanvrager")
        ids = [p.id for p in self.persons]
        _require(len(set(ids)) == len(ids), "Household.persons", "person ids must be unique")
        roles = [p.role for p in self.persons]
        _require(
            roles.count(PersonRole.AANVRAGER) == 1,
            "Household.persons",
            "must hold exactly one aanvrager",
        )
        partners = roles.count(PersonRole.PARTNER)
        if self.leefvorm is Leefvorm.GEHUWDEN:
            _require(partners == 1, "Household.persons", "gehuwden need exactly one partner")
        else:
            _require(partners == 0, "Household.persons", f"{self.leefvorm} has no partner")
        if self.leefvorm is Leefvorm.ALLEENSTAANDE_OUDER:
            _require(
                PersonRole.KIND in roles,
                "Household.persons",
                "an alleenstaande ouder needs at least one kind",
            )
        _require(
            self.kostendelende_medebewoners >= 0,
            "Household.kostendelende_medebewoners",
            "must not be negative",
        )

    @property
    def adults(self) -> tuple[Person, ...]:
        """The aanvrager and partner: the people the bijstand is for."""
        return tuple(p for p in self.persons if p.role is not PersonRole.KIND)

    @property
    def kostendelers(self) -> int:
        """A in art. 22a: the medebewoners plus the aanvrager (and partner)."""
        return self.kostendelende_medebewoners + self.leefvorm.unit_size


# -- the right to bijstand -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuppliedAmount:
    """A month's net bijstand (excl. VT) already computed by the gemeente's inkomen system.

    ``vt_accrual`` is the VT reserved for that month; ``None`` means: reserve 5 % of the norm
    as the engine computes it (art. 19 lid 3).
    """

    amount: Money
    reference: str
    vt_accrual: Money | None = None

    def __post_init__(self) -> None:
        _require_money(self.amount, "SuppliedAmount.amount")
        _require_text(self.reference, "SuppliedAmount.reference")
        if self.vt_accrual is not None:
            _require_money(self.vt_accrual, "SuppliedAmount.vt_accrual")


@dataclass(frozen=True, slots=True)
class BijstandRight:
    """The decision (beschikking) that grants bijstand.

    ``start`` is the day the right arises (never before the melding, art. 44 lid 1); the
    ontzorgen window counts from it. ``end`` is the last day of bijstand, inclusive.
    ``kostendelers`` is A of art. 22a: the kostendelende medebewoners including the aanvrager
    (and partner): 1 for an alleenstaande alone, 2 for gehuwden alone.
    """

    id: str
    start: date
    leefvorm: Leefvorm
    kostendelers: int
    end: date | None = None
    supplied_amounts: Mapping[Period, SuppliedAmount] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def __post_init__(self) -> None:
        _require_text(self.id, "BijstandRight.id")
        _require(isinstance(self.start, date), "BijstandRight.start", "must be a date")
        if self.end is not None:
            _require(self.end >= self.start, "BijstandRight.end", "lies before the start")
        _require(
            self.kostendelers >= self.leefvorm.unit_size,
            "BijstandRight.kostendelers",
            f"A counts the aanvrager (and partner): at least {self.leefvorm.unit_size} "
            f"for {self.leefvorm}, not {self.kostendelers}",
        )
        object.__setattr__(self, "supplied_amounts", MappingProxyType(dict(self.supplied_amounts)))
        for period, supplied in self.supplied_amounts.items():
            _require(
                isinstance(period, Period) and isinstance(supplied, SuppliedAmount),
                "BijstandRight.supplied_amounts",
                "must map Period to SuppliedAmount",
            )
            _require(
                self.covers(period),
                "BijstandRight.supplied_amounts",
                f"{period} lies outside the right",
            )

    @property
    def first_period(self) -> Period:
        """The month the right starts in."""
        return Period.of(self.start)

    @property
    def last_period(self) -> Period | None:
        """The month the right ends in, if it ends."""
        return None if self.end is None else Period.of(self.end)

    def covers(self, period: Period) -> bool:
        """True if the right runs on at least one day of ``period``."""
        if period.last_day < self.start:
            return False
        return self.end is None or period.first_day <= self.end

    def days_in(self, period: Period) -> tuple[date, date]:
        """The first and last day of ``period`` on which the right runs."""
        first = max(period.first_day, self.start)
        last = period.last_day if self.end is None else min(period.last_day, self.end)
        return first, last


@dataclass(frozen=True, slots=True)
class Voorschot:
    """A voorschot (Pw art. 52): an interest-free advance, set off against later bijstand."""

    id: str
    paid_on: date
    amount: Money

    def __post_init__(self) -> None:
        _require_text(self.id, "Voorschot.id")
        _require_money(self.amount, "Voorschot.amount", positive=True)


class DeductionKind(StrEnum):
    """What a deduction is: it decides the rule and who receives the money."""

    INKOMSTEN = "inkomsten"
    """Income that reduces the bijstand (Pw art. 31 en 32); nobody is paid."""
    AFLOSSING = "aflossing"
    """Repayment of a loan such as an inrichtingskrediet (Pw art. 51); paid to the gemeente."""


@dataclass(frozen=True, slots=True)
class Deduction:
    """A monthly amount taken from the bijstand in each month ``first``..``last`` inclusive.

    ``reason`` is the recorded text, e.g. "inkomsten uit deeltijdwerk" or "aflossing
    inrichtingskrediet".
    """

    id: str
    kind: DeductionKind
    reason: str
    amount: Money
    first: Period
    last: Period | None = None

    def __post_init__(self) -> None:
        _require_text(self.id, "Deduction.id")
        _require(isinstance(self.kind, DeductionKind), "Deduction.kind", "must be a DeductionKind")
        _require_text(self.reason, "Deduction.reason")
        _require_money(self.amount, "Deduction.amount", positive=True)
        if self.last is None:
            object.__setattr__(self, "last", self.first)
        assert self.last is not None
        _require(self.last >= self.first, "Deduction.last", "lies before Deduction.first")

    def applies_to(self, period: Period) -> bool:
        """True if this deduction is taken in ``period``."""
        assert self.last is not None
        return self.first <= period <= self.last


# -- contracts -----------------------------------------------------------------------------


class Category(StrEnum):
    """The kind of vaste last. The first five are named in Pw art. 56a lid 2."""

    HUUR = "huur"
    GAS = "gas"
    STROOM = "stroom"
    WATER = "water"
    ZORGVERZEKERING = "zorgverzekering"
    OTHER = "other"


WITHHOLDABLE_56A: frozenset[Category] = frozenset(
    {Category.HUUR, Category.GAS, Category.STROOM, Category.WATER, Category.ZORGVERZEKERING}
)


class ConsentGround(StrEnum):
    """Why a vaste last outside art. 56a may be paid from the bijstand."""

    ART57_DECISION = "art57_decision"
    WRITTEN_CONSENT = "written_consent"


@dataclass(frozen=True, slots=True)
class AmountVersion:
    """The monthly amount of a contract from ``valid_from`` on (until the next version)."""

    valid_from: date
    amount: Money

    def __post_init__(self) -> None:
        _require_money(self.amount, "AmountVersion.amount", positive=True)


@dataclass(frozen=True, slots=True)
class Contract:
    """A vaste last: who is paid, how much, from when, with which reference.

    A rent increase is a new :class:`AmountVersion`, never an edit. ``handover_date`` is the
    day from which the household pays this contract itself (afbouw). ``end`` is inclusive.
    """

    id: str
    category: Category
    payee_id: str
    payment_reference: str
    start: date
    amounts: tuple[AmountVersion, ...]
    end: date | None = None
    handover_date: date | None = None
    consent_ground: ConsentGround | None = None
    payee_name: str | None = None  # for explanations only; payee_id is the key

    def __post_init__(self) -> None:
        _require_text(self.id, "Contract.id")
        _require(isinstance(self.category, Category), "Contract.category", "must be a Category")
        _require_text(self.payee_id, "Contract.payee_id")
        _require_text(self.payment_reference, "Contract.payment_reference")
        _require(
            len(self.payment_reference) <= MAX_REFERENCE_LENGTH,
            "Contract.payment_reference",
            f"at most {MAX_REFERENCE_LENGTH} characters (SEPA)",
        )
        if self.category is Category.OTHER:
            _require(
                self.consent_ground is not None,
                "Contract.consent_ground",
                "a vaste last outside Pw art. 56a lid 2 is only paid with written consent or "
                "an art. 57 decision",
            )
        else:
            _require(
                self.consent_ground is None,
                "Contract.consent_ground",
                f"{self.category} is withheld under Pw art. 56a; a consent ground is only for "
                "category other",
            )
        _require(len(self.amounts) > 0, "Contract.amounts", "needs at least one amount version")
        dates = [v.valid_from for v in self.amounts]
        _require(
            all(a < b for a, b in itertools.pairwise(dates)),
            "Contract.amounts",
            "versions must have strictly increasing valid_from dates",
        )
        _require(
            dates[0] <= self.start,
            "Contract.amounts",
            "the first version must be valid on the contract's start date",
        )
        if self.end is not None:
            _require(self.end >= self.start, "Contract.end", "lies before the start")
        if self.handover_date is not None:
            _require(
                self.handover_date >= self.start,
                "Contract.handover_date",
                "lies before the start",
            )

    def runs_on(self, day: date) -> bool:
        """True if the contract is in force on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)

    def amount_on(self, day: date) -> Money:
        """The monthly amount of the version in force on ``day``."""
        current = self.amounts[0].amount
        for version in self.amounts:
            if version.valid_from <= day:
                current = version.amount
        return current


# -- window changes ------------------------------------------------------------------------


class ExtensionGround(StrEnum):
    """The legal ground for paying vaste lasten after the six months (Pw art. 57, or consent)."""

    CONSENT = "consent"
    ART57_DECISION = "art57_decision"


@dataclass(frozen=True, slots=True)
class WindowExtension:
    """An extension of the ontzorgen window to ``end_date`` (inclusive), with its ground."""

    ground: ExtensionGround
    reason: str
    end_date: date

    def __post_init__(self) -> None:
        _require(
            isinstance(self.ground, ExtensionGround),
            "WindowExtension.ground",
            "an extension needs a ground: consent or art57_decision",
        )
        _require_text(self.reason, "WindowExtension.reason")


@dataclass(frozen=True, slots=True)
class OptOut:
    """A recorded opt-out from ontzorgen, from ``effective_from`` (or the whole window)."""

    reason: str
    effective_from: date | None = None

    def __post_init__(self) -> None:
        _require_text(self.reason, "OptOut.reason")


# -- gemeente policy -----------------------------------------------------------------------


class LeefgeldFrequency(StrEnum):
    """How leefgeld is paid out."""

    MONTHLY = "monthly"
    WEEKLY = "weekly"


class Weekday(IntEnum):
    """Day of the week, as :meth:`datetime.date.weekday` counts (Monday = 0)."""

    MAANDAG = 0
    DINSDAG = 1
    WOENSDAG = 2
    DONDERDAG = 3
    VRIJDAG = 4
    ZATERDAG = 5
    ZONDAG = 6


class ProRataMethod(StrEnum):
    """The day rate for a partial month (Pw art. 45 lid 3 leaves it open)."""

    CALENDAR_DAYS = "calendar_days"
    """amount × days / days in the month."""
    THIRTY_DAYS = "thirty_days"
    """amount × days / 30, at most 30 days."""


DEFAULT_PRIORITY: tuple[Category, ...] = (
    Category.HUUR,
    Category.STROOM,
    Category.GAS,
    Category.WATER,
    Category.ZORGVERZEKERING,
    Category.OTHER,
)


@dataclass(frozen=True, slots=True)
class GemeentePolicy:
    """The gemeente's parameters where the law leaves room (policy, not law).

    ``minimum_leefgeld`` and ``minimum_leefgeld_per_extra_member`` have no default: no source
    gives a figure, so each gemeente must set them.
    """

    minimum_leefgeld: Money
    minimum_leefgeld_per_extra_member: Money
    withheld_categories: frozenset[Category] = WITHHOLDABLE_56A
    priority: tuple[Category, ...] = DEFAULT_PRIORITY
    leefgeld_frequency: LeefgeldFrequency = LeefgeldFrequency.MONTHLY
    leefgeld_weekday: Weekday | None = None
    payment_day: int = 1
    pro_rata_method: ProRataMethod = ProRataMethod.CALENDAR_DAYS
    allow_opt_out: bool = False

    def __post_init__(self) -> None:
        _require_money(self.minimum_leefgeld, "GemeentePolicy.minimum_leefgeld")
        _require_money(
            self.minimum_leefgeld_per_extra_member,
            "GemeentePolicy.minimum_leefgeld_per_extra_member",
        )
        object.__setattr__(self, "withheld_categories", frozenset(self.withheld_categories))
        _require(
            len(set(self.priority)) == len(self.priority),
            "GemeentePolicy.priority",
            "lists a category twice",
        )
        missing = sorted(c.value for c in self.withheld_categories if c not in self.priority)
        _require(
            not missing,
            "GemeentePolicy.priority",
            f"must rank every withheld category; missing: {', '.join(missing)}",
        )
        if self.leefgeld_frequency is LeefgeldFrequency.WEEKLY:
            _require(
                self.leefgeld_weekday is not None,
                "GemeentePolicy.leefgeld_weekday",
                "weekly leefgeld needs a weekday",
            )
        _require(
            1 <= self.payment_day <= 28,
            "GemeentePolicy.payment_day",
            "must be 1..28 so it exists in every month",
        )

    def minimum_for(self, household: Household) -> Money:
        """The minimum leefgeld for this household per month."""
        extra = len(household.persons) - 1
        return self.minimum_leefgeld + self.minimum_leefgeld_per_extra_member * extra

    def rank(self, category: Category) -> int:
        """The position of ``category`` in the priority order (lower is paid first)."""
        return self.priority.index(category) if category in self.priority else len(self.priority)
