# SPDX-License-Identifier: EUPL-1.2
"""Netto normbedragen: the effective-dated, cited table and the arithmetic on it.

The figures live in ``data/normen.json`` (packaged, loaded with :mod:`importlib.resources`),
never in code: adding the norms of 1-7-2026 is a data change. Every norm in the table is the
monthly amount **including** vakantietoeslag (art. 19 lid 3). A combination the table does not
hold is a :class:`NormNotFound` error, never a guess.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Final

from ontzorgen.bijstand import rules
from ontzorgen.bijstand.facts import Leefvorm
from ontzorgen.bijstand.period import add_months_clamped
from ontzorgen.money import Money, divide_half_up

__all__ = [
    "AgeBand",
    "HouseholdNorm",
    "Norm",
    "NormNotFound",
    "NormTable",
    "kostendelersnorm",
    "load_norms",
    "split_vt",
]


class NormNotFound(LookupError):
    """The norm table holds no value for this combination (it never guesses)."""


class AgeBand(StrEnum):
    """The age groups of art. 20–22 with their own norms."""

    AGE_18_20 = "18_20"
    AGE_21_AOW = "21_aow"
    AOW = "aow"


_AGE_BAND_LABELS: Final = {
    AgeBand.AGE_18_20: "leeftijd 18 tot 21 jaar",
    AgeBand.AGE_21_AOW: "leeftijd 21 jaar tot de AOW-leeftijd",
    AgeBand.AOW: "AOW-leeftijd",
}


def age_band_label(band: AgeBand) -> str:
    """The Dutch words for an age band, as messages show it."""
    return _AGE_BAND_LABELS[band]


def _leefvorm(leefvorm: Leefvorm) -> str:
    return leefvorm.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Norm:
    """One cited table value: the monthly norm incl. VT from ``valid_from``."""

    leefvorm: Leefvorm
    age_band: AgeBand
    incl_vt: Money
    valid_from: date
    next_indexation: date
    source: str


@dataclass(frozen=True, slots=True)
class AowAge:
    """The AOW age in force between two dates."""

    valid_from: date
    valid_until: date
    years: int
    months: int
    source: str


@dataclass(frozen=True, slots=True)
class HouseholdNorm:
    """The month's full norm for a household, split into payment and VT (art. 19 lid 3)."""

    incl_vt: Money
    excl_vt: Money
    vt: Money
    rule: str
    description: str
    source: str
    valid_from: date
    next_indexation: date


def split_vt(incl_vt: Money) -> tuple[Money, Money]:
    """Split a norm into (excl. VT, VT): excl = incl × 95 % half up, VT = incl − excl.

    >>> split_vt(Money(140150))
    (Money(cents=133143), Money(cents=7007))
    """
    excl = incl_vt.fraction(95, 100)
    return excl, incl_vt - excl


def kostendelersnorm(gehuwden_norm: Money, kostendelers: int) -> Money:
    """Art. 22a: (40 + A × 30) / (A × 100) × B, in cents, rounded half up once.

    ``gehuwden_norm`` is B (incl. VT), ``kostendelers`` is A (at least 2).

    >>> kostendelersnorm(Money(200213), 3)
    Money(cents=86759)
    """
    if kostendelers < 2:
        raise ValueError(f"the kostendelersnorm needs A >= 2, not {kostendelers}")
    return Money(divide_half_up(gehuwden_norm.cents * (40 + kostendelers * 30), kostendelers * 100))


def _birthday(date_of_birth: date, years: int, months: int = 0) -> date:
    """The day someone reaches an age; born on 29 February: 28 February in other years."""
    return add_months_clamped(date_of_birth, years * 12 + months)[0]


def _parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise ValueError(f"normen.json {where}: expected an ISO date, got {value!r}")
    return date.fromisoformat(value)


class NormTable:
    """The effective-dated table of netto normbedragen (incl. VT) and AOW ages."""

    def __init__(self, norms: Iterable[Norm], aow_ages: Iterable[AowAge]) -> None:
        self._norms = tuple(sorted(norms, key=lambda n: n.valid_from))
        self._aow_ages = tuple(sorted(aow_ages, key=lambda row: row.valid_from))
        keys = [(n.leefvorm, n.age_band, n.valid_from) for n in self._norms]
        if len(set(keys)) != len(keys):
            raise ValueError("normen.json: a leefvorm/age band appears twice in one publication")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> NormTable:
        """Build a table from the parsed JSON structure of ``normen.json``."""
        norms: list[Norm] = []
        for index, publication in enumerate(data["publications"]):
            where = f"publications[{index}]"
            valid_from = _parse_date(publication["valid_from"], where + ".valid_from")
            next_indexation = _parse_date(
                publication["next_indexation"], where + ".next_indexation"
            )
            source = str(publication["source"])
            if not source.strip():
                raise ValueError(f"normen.json {where}: every value needs its source")
            for row in publication["normen"]:
                amount = Money.parse(str(row["incl_vt"]))
                for leefvorm in row["leefvormen"]:
                    norms.append(
                        Norm(
                            leefvorm=Leefvorm(leefvorm),
                            age_band=AgeBand(row["age_band"]),
                            incl_vt=amount,
                            valid_from=valid_from,
                            next_indexation=next_indexation,
                            source=source,
                        )
                    )
        aow = [
            AowAge(
                valid_from=_parse_date(row["valid_from"], "aow_leeftijd.valid_from"),
                valid_until=_parse_date(row["valid_until"], "aow_leeftijd.valid_until"),
                years=int(row["years"]),
                months=int(row["months"]),
                source=str(row["source"]),
            )
            for row in data.get("aow_leeftijd", [])
        ]
        return cls(norms, aow)

    @classmethod
    def from_json(cls, text: str) -> NormTable:
        """Build a table from JSON text in the format of ``normen.json``."""
        return cls.from_mapping(json.loads(text))

    @property
    def norms(self) -> tuple[Norm, ...]:
        """Every value in the table, oldest first."""
        return self._norms

    def norm(self, leefvorm: Leefvorm, age_band: AgeBand, on: date) -> Norm:
        """The norm in force on ``on`` for this leefvorm and age band."""
        candidates = [
            n
            for n in self._norms
            if n.leefvorm is leefvorm and n.age_band is age_band and n.valid_from <= on
        ]
        if not candidates:
            raise NormNotFound(
                f"de normtabel heeft geen norm voor leefvorm {_leefvorm(leefvorm)}, "
                f"{age_band_label(age_band)}, op {on.isoformat()}"
            )
        latest = max(n.valid_from for n in self._norms if n.valid_from <= on)
        found = candidates[-1]
        if found.valid_from != latest:
            # A newer publication exists that lacks this combination: using the older
            # value would be a guess.
            raise NormNotFound(
                f"de publicatie van {latest.isoformat()} heeft geen norm voor leefvorm "
                f"{_leefvorm(leefvorm)}, {age_band_label(age_band)}; de oudere norm van "
                f"{found.valid_from.isoformat()} wordt niet gebruikt (geen terugval)"
            )
        return found

    def aow_age(self, on: date) -> AowAge:
        """The AOW age in force on ``on``; past the table's end, its last known value."""
        for row in self._aow_ages:
            if row.valid_from <= on <= row.valid_until:
                return row
        if self._aow_ages and on > self._aow_ages[-1].valid_until:
            return self._aow_ages[-1]
        raise NormNotFound(f"de normtabel heeft geen AOW-leeftijd voor {on.isoformat()}")

    def _aow_date(self, date_of_birth: date) -> tuple[date, AowAge, bool]:
        """The day someone reaches the AOW age, the row it comes from, and whether that row is
        only assumed (the person reaches it after the table's last year).

        The AOW age of a calendar year applies to whoever reaches it in that year (art. 7a);
        the age never goes down, so the last known age is the least it can be later.
        """
        rows = self._aow_ages
        for row in rows:
            reached = _birthday(date_of_birth, row.years, row.months)
            if row.valid_from <= reached <= row.valid_until:
                return reached, row, False
        first, last = rows[0], rows[-1]
        reached = _birthday(date_of_birth, first.years, first.months)
        if reached < first.valid_from:
            return reached, first, False  # reached before the table starts: AOW throughout it
        return _birthday(date_of_birth, last.years, last.months), last, True

    def assumed_aow_age(self, date_of_birth: date, on: date) -> AowAge | None:
        """The last known AOW age when someone's band on ``on`` rests on it (they reach that
        age after the table's last year, and ``on`` is past it); None when the table decides.
        """
        if not self._aow_ages or on < _birthday(date_of_birth, 21):
            return None
        reached, row, assumed = self._aow_date(date_of_birth)
        return row if assumed and on >= reached else None

    def age_band(self, date_of_birth: date, on: date) -> AgeBand:
        """The age band of someone born on ``date_of_birth``, on ``on``."""
        if on < _birthday(date_of_birth, 18):
            # No date of birth in the message: it reaches people and must not carry personal data.
            raise NormNotFound(f"geen bijstandsnorm onder 18 jaar (op {on.isoformat()})")
        if on < _birthday(date_of_birth, 21):
            return AgeBand.AGE_18_20
        if not self._aow_ages or on < self._aow_ages[0].valid_from:
            raise NormNotFound(f"no AOW age for {on.isoformat()} in the norm table")
        reached, _row, _assumed = self._aow_date(date_of_birth)
        return AgeBand.AOW if on >= reached else AgeBand.AGE_21_AOW

    def household_norm(
        self, leefvorm: Leefvorm, age_band: AgeBand, kostendelers: int, on: date
    ) -> HouseholdNorm:
        """The full month's norm for a household, with kostendelersnorm where A > unit size.

        For gehuwden with kostendelers both partners get the kostendelersnorm (2 × art. 22a).
        """
        unit = leefvorm.unit_size
        if kostendelers <= unit:
            norm = self.norm(leefvorm, age_band, on)
            incl = norm.incl_vt
            rule = rules.ART_21
            description = f"norm {leefvorm.value.replace('_', ' ')}"
        else:
            if age_band is not AgeBand.AGE_21_AOW:
                raise NormNotFound(
                    f"de normtabel heeft geen kostendelersnorm voor {age_band_label(age_band)}"
                )
            norm = self.norm(Leefvorm.GEHUWDEN, age_band, on)
            per_person = kostendelersnorm(norm.incl_vt, kostendelers)
            incl = per_person * unit
            rule = rules.ART_22A
            description = (
                f"kostendelersnorm A={kostendelers}: (40 + {kostendelers} × 30) / "
                f"({kostendelers} × 100) × {norm.incl_vt} = {per_person} per persoon"
            )
        excl, vt = split_vt(incl)
        return HouseholdNorm(
            incl_vt=incl,
            excl_vt=excl,
            vt=vt,
            rule=rule,
            description=description,
            source=norm.source,
            valid_from=norm.valid_from,
            next_indexation=norm.next_indexation,
        )


@cache
def load_norms() -> NormTable:
    """The packaged norm table (``ontzorgen/bijstand/data/normen.json``), read once."""
    text = resources.files("ontzorgen.bijstand.data").joinpath("normen.json").read_text("utf-8")
    return NormTable.from_json(text)
