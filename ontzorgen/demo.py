# SPDX-License-Identifier: EUPL-1.2
"""The demo: gemeente 9999 "Demo Waterland" with a realistic month of statushouders.

:func:`build_demo_import` makes a deterministic ``ontzorgen-import/1`` file of households in
the situations the rules know, relative to the month being paid (new this month, month 6 of
the window, window over, kostendelers, shortfall, no IBAN yet, rent increase, voorschot,
deductions, gezinsmigrant, extension with a ground). :func:`run_demo` loads it and takes the
next month's payment run from create to export, each step in its own unit of work, and is
idempotent: running it again changes nothing and gives the same pain.001.

All people, landlords, suppliers and accounts are fictional; IBANs, BSNs and payment
references are made valid (check digits) so that every check in the product passes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from schwifty import IBAN
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10
from stdnum.nl import bsn as stdnum_bsn

from ontzorgen.auth import SYSTEM, Role, staff
from ontzorgen.bijstand.facts import Leefvorm
from ontzorgen.bijstand.norms import AgeBand, load_norms
from ontzorgen.bijstand.period import Period, add_months_clamped
from ontzorgen.clients import models as cm
from ontzorgen.clients.schemas import ImportFile
from ontzorgen.clients.service import import_households
from ontzorgen.db import unit_of_work
from ontzorgen.demo_bank import BankDemo, answer_demo_run
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import (
    approve_run,
    create_run,
    get_run,
    mark_failed,
    prepare_run,
    retry_failed,
)
from ontzorgen.sepa.references import make_betalingskenmerk

__all__ = [
    "DEMO_GEMEENTE",
    "DEMO_REFERENCE_PREFIX",
    "DemoSummary",
    "build_demo_import",
    "demo_period",
    "run_demo",
]

DEMO_GEMEENTE = GemeenteIn(
    code="9999",
    name="Demo Waterland",
    debtor_name="Gemeente Demo Waterland",
    debtor_iban="NL14BNGH0285001234",
    debtor_bic="BNGHNL2G",
    policy=PolicyParameters(
        minimum_leefgeld_cents=30000,
        minimum_leefgeld_per_extra_member_cents=10000,
        payment_day=24,
    ),
)
DEMO_REFERENCE_PREFIX = "DEMO-"
# One demo user per staff role (the development login lists them); the demo acts as them.
DEMO_USERS: dict[str, tuple[str, Role]] = {
    "demo-inkomen": ("Demo Inkomen", Role.INKOMEN),
    "demo-accordeerder": ("Demo Accordeerder", Role.ACCORDEERDER),
    "demo-coach": ("Demo Budgetcoach", Role.BUDGETCOACH),
    "demo-accountant": ("Demo Accountant", Role.ACCOUNTANT),
    "demo-beheerder": ("Demo Beheerder", Role.BEHEERDER),
}
PREPARER = staff("demo-inkomen", [Role.INKOMEN], ["9999"], channel="cli")
APPROVER = staff("demo-accordeerder", [Role.ACCORDEERDER], ["9999"], channel="cli")
PAIN001_NAME = "pain.001.xml"

# BSNs of the example import (tests/data/import): the demo never uses them, so that the
# example can still be imported into the demo gemeente.
_RESERVED_BSNS = frozenset({"628194821", "252760189", "507529170"})

# -- payees (fictional organisations, real Dutch bank codes) --------------------------------

_PAYEES: tuple[dict[str, str], ...] = (
    {"reference": "DEMO-ZEEVANG-WONEN", "kind": "woningcorporatie",
     "name": "Woonstichting Zeevanger Wonen", "bank": "RABO", "street": "Havenstraat",
     "building_number": "4", "postcode": "1141 AB", "town": "Monnickendam"},
    {"reference": "DEMO-BEEMSTERHOF", "kind": "woningcorporatie",
     "name": "Wooncoöperatie Beemsterhof", "bank": "INGB", "street": "Middenweg",
     "building_number": "120", "postcode": "1462 HN", "town": "Middenbeemster"},
    {"reference": "DEMO-PURMERLAND", "kind": "woningcorporatie",
     "name": "Stichting Woonzorg Purmerland", "bank": "ABNA", "street": "Kerkstraat",
     "building_number": "17a", "postcode": "1446 BD", "town": "Purmerend"},
    {"reference": "DEMO-POLDERSTROOM", "kind": "energieleverancier",
     "name": "Polderstroom Energie B.V.", "bank": "ABNA", "street": "Zuiderzeeweg",
     "building_number": "2", "postcode": "1095 KJ", "town": "Amsterdam"},
    {"reference": "DEMO-GROENEDIJK", "kind": "energieleverancier",
     "name": "Groenedijk Energie N.V.", "bank": "INGB", "street": "Maasboulevard",
     "building_number": "88", "postcode": "3011 TX", "town": "Rotterdam"},
    {"reference": "DEMO-NOORDKWARTIER", "kind": "waterbedrijf",
     "name": "Waterbedrijf Noordkwartier N.V.", "bank": "BNGH", "street": "Spaarnedijk",
     "building_number": "31", "postcode": "2031 BA", "town": "Haarlem"},
    {"reference": "DEMO-POLDERZORG", "kind": "zorgverzekeraar",
     "name": "Zorgverzekeraar Polderzorg U.A.", "bank": "RABO", "street": "Catharijnesingel",
     "building_number": "50", "postcode": "3511 GC", "town": "Utrecht"},
    {"reference": "DEMO-EEMLAND-ZORG", "kind": "zorgverzekeraar",
     "name": "Onderlinge Zorgverzekering Eemland", "bank": "ABNA", "street": "Stationsplein",
     "building_number": "9", "postcode": "3818 LE", "town": "Amersfoort"},
)  # fmt: skip
_LANDLORDS = ("DEMO-ZEEVANG-WONEN", "DEMO-BEEMSTERHOF", "DEMO-PURMERLAND")
_ENERGY = ("DEMO-POLDERSTROOM", "DEMO-GROENEDIJK")
_WATER = "DEMO-NOORDKWARTIER"
_INSURERS = ("DEMO-POLDERZORG", "DEMO-EEMLAND-ZORG")
_HOUSEHOLD_BANKS = ("INGB", "ABNA", "RABO", "TRIO", "SNSB", "BUNQ", "ASNB", "KNAB")

# -- people (fictional names; own script where the BRP has it in Latin only) ----------------

# (name, name in own script or "", preferred language)
_ADULTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "eritrea": (
        ("Saba Tesfay", "ሳባ ተስፋይ", "ti"),
        ("Yonas Gebremedhin", "ዮናስ ገብረመድህን", "ti"),
        ("Selam Berhane", "ሰላም በርሃነ", "ti"),
        ("Filmon Tekle", "ፍልሞን ተኽለ", "ti"),
        ("Helen Weldemariam", "ሄለን ወልደማርያም", "ti"),
        ("Daniel Habtom", "ዳንኤል ሃብቶም", "ti"),
    ),
    "syria": (
        ("Rania Al-Khatib", "رانيا الخطيب", "ar"),
        ("Omar Haddad", "عمر حداد", "ar"),
        ("Layla Darwish", "ليلى درويش", "ar"),
        ("Khaled Mansour", "خالد منصور", "ar"),
        ("Nour Al-Sayed", "نور السيد", "ar"),
        ("Tarek Hamoud", "طارق حمود", "ar"),
    ),
    "afghanistan": (
        ("Fariba Ahmadi", "فریبا احمدی", "fa"),
        ("Mohammad Rahimi", "محمد رحیمی", "fa"),
        ("Zahra Hosseini", "زهرا حسینی", "fa"),
        ("Ahmad Karimi", "احمد کریمی", "fa"),
    ),
    "morocco": (
        ("Fatima Benali", "فاطمة بن علي", "ar"),
        ("Youssef El Amrani", "يوسف العمراني", "ar"),
    ),
    "yemen": (
        ("Abdullah Al-Qadhi", "عبدالله القاضي", "ar"),
        ("Amal Bamatraf", "أمل بامطرف", "ar"),
    ),
    "turkey": (
        ("Mehmet Çelik", "", "tr"),
        ("Elif Ğül", "", "tr"),
        ("Ayşe Yıldız", "", "tr"),
        ("Hüseyin Öztürk", "", "tr"),
    ),
    "other": (
        ("Øystein Haugland", "", "no"),
        ("María Ñúñez", "", "es"),
        ("Hodan Warsame", "", "so"),
        ("Anatolii Kovalenko", "Анатолій Коваленко", "uk"),
    ),
}
_CHILD_NAMES = (
    "Adam", "Lina", "Yusuf", "Maryam", "Noah", "Sara", "Ibrahim", "Hana", "Elias", "Sami",
    "Aisha", "Mussie", "Ruta", "Dawit", "Rahel", "Bilal",
)  # fmt: skip
_STREETS = {
    "Monnickendam": ("Noordeinde", "Zarken", "Middendam", "Haringburgwal", "Kerkstraat"),
    "Broek in Waterland": ("Dorpstraat", "Roomeinde", "Laan"),
    "Ilpendam": ("Kerkepad", "Dorpsstraat", "Weegbree"),
    "Marken": ("Havenbuurt", "Kets", "Moeneweg"),
}
_POSTCODES = {
    "Monnickendam": "1141",
    "Broek in Waterland": "1151",
    "Ilpendam": "1452",
    "Marken": "1156",
}


@dataclass(frozen=True, slots=True)
class _Scenario:
    """One household's situation, relative to the paid month."""

    name: str
    origin: str
    leefvorm: str  # alleenstaande, alleenstaande_ouder, gehuwden
    children: int
    months_before: int  # the right starts this many months before the paid month
    start_day: int
    medebewoners: int = 0
    own_iban: bool = True
    doelgroep: str = "asielstatushouder"
    rent_cents: int | None = None
    gas: bool = True
    rent_increase: str | None = None  # "1 july": a new amount version during the window
    future_rent_increase: bool = False
    voorschot_cents: int | None = None
    income_cents: int | None = None
    aflossing_cents: int | None = None
    extension_months: int | None = None  # extension (consent) to the end of period + n
    shortfall: bool = False  # the vaste lasten are meant not to fit (else they are fitted)


# The named situations first; the rest of the households are ordinary months 2-5.
_SCENARIOS: tuple[_Scenario, ...] = (
    _Scenario("nieuw: recht vanaf de 1e", "eritrea", "alleenstaande", 0, 0, 1),
    _Scenario("nieuw: recht halverwege de maand", "syria", "gehuwden", 2, 0, 15),
    _Scenario("nieuw: alleenstaande ouder, recht vanaf de 10e", "afghanistan",
              "alleenstaande_ouder", 1, 0, 10),
    _Scenario("maand 6, huurverhoging per 1 juli", "eritrea", "alleenstaande", 0, 6, 16,
              rent_cents=72500, rent_increase="1 july"),
    _Scenario("maand 6: gehuwden met drie kinderen", "syria", "gehuwden", 3, 5, 1),
    _Scenario("ontzorgperiode voorbij", "turkey", "alleenstaande", 0, 8, 1),
    _Scenario("kostendelers A=2", "turkey", "alleenstaande", 0, 2, 1, medebewoners=1),
    _Scenario("kostendelers A=3, bijstand te laag (tekort)", "eritrea", "alleenstaande", 0, 3,
              1, medebewoners=2, rent_cents=86500, shortfall=True),
    _Scenario("nog geen eigen IBAN (leefgeld vastgehouden)", "yemen", "alleenstaande", 0, 0, 1,
              own_iban=False),
    _Scenario("deeltijdwerk: bijstand te laag voor alle vaste lasten", "syria",
              "alleenstaande_ouder", 2, 3, 1, income_cents=65000, rent_cents=89000,
              shortfall=True),
    _Scenario("inkomsten uit deeltijdwerk", "afghanistan", "gehuwden", 1, 2, 1,
              income_cents=25000),
    _Scenario("voorschot te verrekenen", "eritrea", "alleenstaande", 0, 1, 20,
              voorschot_cents=50000),
    _Scenario("aflossing inrichtingskrediet", "syria", "gehuwden", 2, 4, 1,
              aflossing_cents=7500),
    _Scenario("gezinsmigrant: geen ontzorgen, alleen leefgeld", "morocco", "alleenstaande_ouder",
              1, 2, 1, doelgroep="gezinsmigrant"),
    _Scenario("verlengd met toestemming", "afghanistan", "alleenstaande", 0, 7, 1,
              extension_months=2),
    _Scenario("Øystein en María: namen met diakrieten", "other", "gehuwden", 1, 1, 1),
    _Scenario("gehuwden met een kostendelende medebewoner (A=3)", "afghanistan", "gehuwden", 0,
              3, 1, medebewoners=1),
    _Scenario("huurverhoging per 1 juli volgend jaar al vastgelegd", "eritrea", "alleenstaande",
              0, 1, 1, future_rent_increase=True),
    _Scenario("nog geen eigen IBAN, gehuwden", "eritrea", "gehuwden", 1, 1, 1, own_iban=False),
    _Scenario("alleen stroom (all-electric)", "turkey", "alleenstaande", 0, 2, 1, gas=False),
)  # fmt: skip
_ORDINARY_LEEFVORMEN = (
    ("alleenstaande", 0), ("gehuwden", 1), ("alleenstaande", 0), ("alleenstaande_ouder", 2),
    ("gehuwden", 3), ("alleenstaande", 0), ("gehuwden", 0), ("alleenstaande_ouder", 1),
)  # fmt: skip


class _Generator:
    """Deterministic values: everything comes from one seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.bsns: set[str] = set(_RESERVED_BSNS)
        self.used_names: dict[str, int] = {}

    def bsn(self) -> str:
        while True:
            candidate = f"{self.rng.randrange(100_000_000, 1_000_000_000):09d}"
            if stdnum_bsn.is_valid(candidate) and candidate not in self.bsns:
                self.bsns.add(candidate)
                return candidate

    def iban(self, bank: str) -> str:
        account = f"{self.rng.randrange(100_000_000, 10_000_000_000):010d}"
        return str(IBAN.generate("NL", bank_code=bank, account_code=account).compact)

    def cents(self, low_euros: int, high_euros: int) -> int:
        """A round-ish monthly amount: whole euros with a 0/50 cent tail, in cents."""
        euros = self.rng.randrange(low_euros, high_euros + 1)
        return euros * 100 + (self.rng.choice((0, 0, 50)) if euros < high_euros else 0)

    def adult(self, origin: str) -> tuple[str, str, str]:
        pool = _ADULTS[origin]
        index = self.used_names.get(origin, 0)
        self.used_names[origin] = index + 1
        return pool[index % len(pool)]

    def betalingskenmerk(self, digits: int) -> str:
        number = "".join(str(self.rng.randrange(10)) for _ in range(digits))
        return make_betalingskenmerk(str(int(number[0]) or 1) + number[1:])

    def rf_reference(self, body: str) -> str:
        check = mod_97_10.calc_check_digits(body + "RF")
        return str(iso11649.validate(f"RF{check}{body}"))


def _months_back(period: Period, months: int, day: int) -> date:
    first, _ = add_months_clamped(period.first_day, -months)
    return first.replace(day=min(day, Period.of(first).days))


def _rent_increase_date(start: date, period: Period) -> date:
    """1 July after ``start`` that the paid month has reached, else the paid month's 1st."""
    for year in (period.year, period.year - 1):
        july = date(year, 7, 1)
        if start < july <= period.first_day:
            return july
    return max(period.first_day, start + timedelta(days=1))


def _person(
    gen: _Generator, role: str, name: str, own: str, language: str, born: date, doelgroep: str
) -> dict[str, Any]:
    person: dict[str, Any] = {
        "role": role,
        "bsn": gen.bsn(),
        "name": name,
        "date_of_birth": born.isoformat(),
        "preferred_language": language,
        "doelgroep": doelgroep,
        "permit_asiel_bepaalde_tijd": doelgroep != "gezinsmigrant",
        "inburgeringsplichtig_wi2021": role != "kind",
    }
    if own:
        person["name_own_script"] = own
    return person


def _birth(gen: _Generator, period: Period, low: int, high: int) -> date:
    years = gen.rng.randrange(low, high + 1)
    return date(period.year - years, gen.rng.randrange(1, 13), gen.rng.randrange(1, 29))


def _persons(gen: _Generator, s: _Scenario, period: Period) -> list[dict[str, Any]]:
    name, own, language = gen.adult(s.origin)
    family = name.split(" ", 1)[1]
    persons = [
        _person(gen, "aanvrager", name, own, language, _birth(gen, period, 23, 58), s.doelgroep)
    ]
    if s.leefvorm == "gehuwden":
        if s.origin == "other":
            partner, partner_own, partner_language = gen.adult("other")
        else:
            partner, partner_own, partner_language = gen.adult(s.origin)
            partner = f"{partner.split(' ', 1)[0]} {family}"
            partner_own = ""
        doelgroep = "nareiziger" if s.doelgroep == "asielstatushouder" else s.doelgroep
        persons.append(
            _person(
                gen,
                "partner",
                partner,
                partner_own,
                partner_language,
                _birth(gen, period, 22, 55),
                doelgroep,
            )
        )
    for _ in range(s.children):
        child = f"{gen.rng.choice(_CHILD_NAMES)} {family}"
        persons.append(
            _person(gen, "kind", child, "", language, _birth(gen, period, 1, 16), s.doelgroep)
        )
    return persons


def _contract(
    number: int,
    category: str,
    payee: str,
    reference: str,
    start: date,
    amounts: list[tuple[date, int]],
) -> dict[str, Any]:
    return {
        "reference": f"{DEMO_REFERENCE_PREFIX}{number:04d}-{category.upper()}",
        "category": category,
        "payee": payee,
        "payment_reference": reference,
        "start": start.isoformat(),
        "amounts": [{"valid_from": d.isoformat(), "amount_cents": c} for d, c in amounts],
    }


def _room(s: _Scenario, persons: int, period: Period) -> int:
    """What a full month leaves above the minimum leefgeld for vaste lasten (estimate, cents).

    Used to give ordinary households vaste lasten that fit, as most do in practice; the
    situations meant to fall short keep their amounts.
    """
    leefvorm = Leefvorm(s.leefvorm)
    kostendelers = s.medebewoners + leefvorm.unit_size
    norm = load_norms().household_norm(leefvorm, AgeBand.AGE_21_AOW, kostendelers, period.first_day)
    minimum = DEMO_GEMEENTE.policy.minimum_leefgeld_cents
    minimum += DEMO_GEMEENTE.policy.minimum_leefgeld_per_extra_member_cents * (persons - 1)
    reserved = (s.income_cents or 0) + (s.aflossing_cents or 0) + (s.voorschot_cents or 0) // 3
    return norm.excl_vt.cents - minimum - reserved - 2500  # a little room to spare


def _household(gen: _Generator, number: int, s: _Scenario, period: Period) -> dict[str, Any]:
    start = _months_back(period, s.months_before, s.start_day)
    persons = _persons(gen, s, period)
    adults = sum(1 for p in persons if p["role"] != "kind")
    town = gen.rng.choice(sorted(_STREETS))
    street = gen.rng.choice(_STREETS[town])
    building = str(gen.rng.randrange(1, 140))
    letters = gen.rng.choice("ABCDEGHJKLMNPRST") + gen.rng.choice("ABDEGHJKLNRSTVWX")
    postcode = f"{_POSTCODES[town]} {letters}"
    ref = f"{DEMO_REFERENCE_PREFIX}{number:04d}"

    family = adults > 1 or len(persons) > 1
    rent = s.rent_cents or (gen.cents(650, 900) if family else gen.cents(550, 720))
    if s.medebewoners and not s.shortfall:
        rent = rent // (s.medebewoners + 1) // 100 * 100  # their share of the rent
    stroom = gen.cents(90, 140) if family else gen.cents(60, 100)
    gas = (gen.cents(70, 120) if family else gen.cents(40, 80)) if s.gas else 0
    water = gen.cents(25, 35) if family else gen.cents(18, 26)
    zorg = sum(gen.cents(140, 165) for _ in range(adults))
    if not s.shortfall:
        spare = _room(s, len(persons), period) - (rent + stroom + gas + water + zorg)
        if spare < 0:  # a cheaper home: the woningcorporatie matched the rent to the income
            rent = max(rent + spare, 55000 // (s.medebewoners + 1)) // 100 * 100
    rent_amounts = [(start, rent)]
    if s.rent_increase:
        before = rent * 100 // 105 // 100 * 100  # the rent before a 5 % increase, whole euros
        rent_amounts = [(start, before), (_rent_increase_date(start, period), rent)]
    if s.future_rent_increase:
        july = date(period.year + (1 if period.month >= 7 else 0), 7, 1)
        rent_amounts.append((july, rent + gen.cents(15, 30)))
    landlord = gen.rng.choice(_LANDLORDS)
    energy = gen.rng.choice(_ENERGY)
    insurer = gen.rng.choice(_INSURERS)
    contracts = [
        _contract(
            number,
            "huur",
            landlord,
            f"Huur {street} {building} {town} contract {gen.rng.randrange(10000, 99999)}",
            start,
            rent_amounts,
        ),
        _contract(number, "stroom", energy, gen.betalingskenmerk(15), start, [(start, stroom)]),
    ]
    if gas:
        contracts.append(
            _contract(number, "gas", energy, gen.betalingskenmerk(15), start, [(start, gas)])
        )
    water_reference = gen.rf_reference(f"WNK{gen.rng.randrange(10**8, 10**9)}")
    contracts.append(_contract(number, "water", _WATER, water_reference, start, [(start, water)]))
    contracts.append(
        _contract(
            number, "zorgverzekering", insurer, gen.betalingskenmerk(12), start, [(start, zorg)]
        )
    )

    right: dict[str, Any] = {
        "reference": f"{DEMO_REFERENCE_PREFIX}BS-{number:04d}",
        "start": start.isoformat(),
        "leefvorm": s.leefvorm,
        "kostendelers": s.medebewoners + (2 if s.leefvorm == "gehuwden" else 1),
    }
    household: dict[str, Any] = {
        "reference": ref,
        "leefvorm": s.leefvorm,
        "kostendelende_medebewoners": s.medebewoners,
        "vestigingsdatum": (start - timedelta(days=gen.rng.randrange(0, 10))).isoformat(),
        "street": street,
        "building_number": building,
        "postcode": postcode,
        "town": town,
        "persons": persons,
        "right": right,
        "contracts": contracts,
    }
    if s.own_iban:
        household["iban"] = gen.iban(gen.rng.choice(_HOUSEHOLD_BANKS))
        if gen.rng.random() < 0.5:  # else the aanvrager's registered name is used
            household["iban_name"] = persons[0]["name"]
    if s.voorschot_cents is not None:
        household["voorschotten"] = [
            {"paid_on": start.isoformat(), "amount_cents": s.voorschot_cents}
        ]
    deductions: list[dict[str, Any]] = []
    if s.income_cents is not None:
        deductions.append(
            {
                "kind": "inkomsten",
                "reason": "inkomsten uit deeltijdwerk",
                "amount_cents": s.income_cents,
                "first_period": Period.of(start).label(),
                "last_period": Period.of(add_months_clamped(period.first_day, 6)[0]).label(),
            }
        )
    if s.aflossing_cents is not None:
        deductions.append(
            {
                "kind": "aflossing",
                "reason": "aflossing inrichtingskrediet",
                "amount_cents": s.aflossing_cents,
                "first_period": Period.of(start).next().label(),
                "last_period": Period.of(add_months_clamped(start, 36)[0]).label(),
            }
        )
    if deductions:
        household["deductions"] = deductions
    if s.extension_months is not None:
        until = Period.of(add_months_clamped(period.first_day, s.extension_months)[0])
        household["extensions"] = [
            {
                "ground": "consent",
                "reason": "schriftelijke toestemming: vaste lasten doorbetalen tot het "
                "schuldhulptraject is afgerond",
                "end_date": until.last_day.isoformat(),
            }
        ]
    return household


def _ordinary(index: int, gen: _Generator) -> _Scenario:
    leefvorm, children = _ORDINARY_LEEFVORMEN[index % len(_ORDINARY_LEEFVORMEN)]
    origin = ("eritrea", "syria", "afghanistan", "syria", "eritrea", "yemen")[index % 6]
    return _Scenario(
        "gewone maand in de ontzorgperiode",
        origin,
        leefvorm,
        children,
        months_before=1 + index % 4,
        start_day=gen.rng.choice((1, 1, 1, 8, 12, 19, 25)),
        gas=gen.rng.random() < 0.8,
    )


def build_demo_import(
    gemeente_code: str, period: Period, *, households: int = 48, seed: int = 2026
) -> dict[str, Any]:
    """A deterministic ``ontzorgen-import/1`` file for ``period`` (the month being paid).

    The first households are the named situations (see ``_SCENARIOS``), the others ordinary
    months in the window; ``households`` must be at least the number of named situations.
    The same arguments always give the same file; the result is validated by ``ImportFile``.
    """
    if households < len(_SCENARIOS):
        raise ValueError(f"the demo needs at least {len(_SCENARIOS)} households")
    gen = _Generator(seed)
    payees = [
        {
            **{k: v for k, v in payee.items() if k != "bank"},
            "iban": gen.iban(payee["bank"]),
            "country": "NL",
        }
        for payee in _PAYEES
    ]
    scenarios = [*_SCENARIOS]
    scenarios += [_ordinary(i, gen) for i in range(households - len(_SCENARIOS))]
    data: dict[str, Any] = {
        "format": "ontzorgen-import/1",
        "gemeente": gemeente_code,
        "payees": payees,
        "households": [
            _household(gen, number, s, period) for number, s in enumerate(scenarios, start=1)
        ],
    }
    ImportFile.model_validate(data)  # a broken demo must fail here, not in the run
    return data


def demo_scenarios(households: int = 48) -> dict[str, str]:
    """The situation of each demo household by its reference (for people and tests)."""
    names = [s.name for s in _SCENARIOS]
    names += ["gewone maand in de ontzorgperiode"] * (households - len(names))
    return {f"{DEMO_REFERENCE_PREFIX}{n:04d}": name for n, name in enumerate(names, start=1)}


def demo_period(today: date) -> Period:
    """The month the demo pays: the month after ``today``."""
    return Period.of(today).next()


# -- running the demo month ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo month holds: the run, its totals and the exported file."""

    gemeente_code: str
    period: str
    run_id: int
    households: int
    payments: int
    total_cents: int
    shortfall_cents: int
    held_cents: int
    execution_date: date | None
    file_path: Path | None
    sha256: str
    gemeente_created: bool
    households_imported: bool
    run_created: bool
    bank: BankDemo


def _ensure_gemeente(session: Session) -> bool:
    if session.scalar(select(Gemeente.id).where(Gemeente.code == DEMO_GEMEENTE.code)):
        return False
    create_gemeente(session, SYSTEM, DEMO_GEMEENTE)
    return True


def _ensure_users(session: Session) -> bool:
    """The demo users, each with their role in the demo gemeente; the coach gets the first
    household as caseload."""
    from ontzorgen.auth.models import AppUser
    from ontzorgen.auth.users import add_user

    if session.scalar(select(AppUser.id).where(AppUser.login.in_(list(DEMO_USERS)))):
        return False
    for login, (name, role) in DEMO_USERS.items():
        add_user(session, SYSTEM, login, display_name=name, gemeente=DEMO_GEMEENTE.code,
                 roles=[role])  # fmt: skip
    return True


def _ensure_caseload(session: Session) -> None:
    from ontzorgen.auth.models import CaseloadAssignment
    from ontzorgen.auth.users import assign_coach
    from ontzorgen.clients.models import Household

    if session.scalar(select(CaseloadAssignment.id)) is None:
        first = session.scalars(
            select(Household.reference)
            .join(Gemeente, Gemeente.id == Household.gemeente_id)
            .where(Gemeente.code == DEMO_GEMEENTE.code)
            .order_by(Household.id)
        ).first()
        if first is not None:
            assign_coach(session, SYSTEM, DEMO_GEMEENTE.code, first, "demo-coach")


def _ensure_households(session: Session, period: Period) -> bool:
    gemeente_id = session.scalar(select(Gemeente.id).where(Gemeente.code == DEMO_GEMEENTE.code))
    first = f"{DEMO_REFERENCE_PREFIX}0001"
    present = session.scalar(
        select(cm.Household.id).where(
            cm.Household.gemeente_id == gemeente_id, cm.Household.reference == first
        )
    )
    if present is not None:
        return False
    import_households(session, PREPARER, build_demo_import(DEMO_GEMEENTE.code, period))
    return True


def _find_or_create_run(session: Session, period: Period) -> tuple[int, bool]:
    existing = session.scalar(
        select(PaymentRun.id)
        .join(Gemeente, Gemeente.id == PaymentRun.gemeente_id)
        .where(
            Gemeente.code == DEMO_GEMEENTE.code,
            PaymentRun.period == period.label(),
            PaymentRun.kind == "regular",
            PaymentRun.state != "cancelled",
        )
    )
    if existing is not None:
        return existing, False
    return create_run(session, PREPARER, DEMO_GEMEENTE.code, period.label()).id, True


def run_demo(
    session_factory: sessionmaker[Session],
    *,
    out: Path | None = None,
    today: date,
    now: datetime,
) -> DemoSummary:
    """Make the demo month: gemeente 9999, its households and the paid month's run, exported.

    Idempotent: what exists is reused (a second call returns the same file, byte for byte).
    Each step (gemeente, import, create, prepare, approve, export) is its own unit of work;
    the run is prepared by ``demo-inkomen`` and approved by ``demo-accordeerder`` (four eyes).
    With ``out``, the exported pain.001 is written as ``out/pain.001.xml``.
    """
    period = demo_period(today)
    with unit_of_work(session_factory) as session:
        gemeente_created = _ensure_gemeente(session)
    with unit_of_work(session_factory) as session:
        _ensure_users(session)
    with unit_of_work(session_factory) as session:
        imported = _ensure_households(session, period)
        _ensure_caseload(session)
    with unit_of_work(session_factory) as session:
        run_id, run_created = _find_or_create_run(session, period)
        state = get_run(session, run_id).state
    if state == "failed":
        with unit_of_work(session_factory) as session:
            state = retry_failed(session, run_id).state
    if state == "queued":
        try:
            with unit_of_work(session_factory) as session:
                prepare_run(session, PREPARER, run_id, today=today, now=now)
        except Exception as error:
            with unit_of_work(session_factory) as session:
                mark_failed(session, run_id, f"{type(error).__name__}: {error}")
            raise
        state = "prepared"
    if state == "prepared":
        with unit_of_work(session_factory) as session:
            approve_run(session, APPROVER, run_id, today=today, now=now)
    with unit_of_work(session_factory) as session:
        file = export_run(session, PREPARER, run_id, today=today, now=now)
        content, sha256 = file.content, file.sha256
        run = get_run(session, run_id)
    path: Path | None = None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        path = out / PAIN001_NAME
        path.write_bytes(content)
    bank = answer_demo_run(
        session_factory, DEMO_GEMEENTE.code, run.id, run.period, content, out=out, today=today,
        now=now,
    )  # fmt: skip
    return DemoSummary(
        gemeente_code=DEMO_GEMEENTE.code,
        period=run.period,
        run_id=run.id,
        households=run.household_count,
        payments=run.payment_count,
        total_cents=run.total_cents,
        shortfall_cents=run.shortfall_cents,
        held_cents=run.held_cents,
        execution_date=run.execution_date,
        file_path=path,
        sha256=sha256,
        gemeente_created=gemeente_created,
        households_imported=imported,
        run_created=run_created,
        bank=bank,
    )
