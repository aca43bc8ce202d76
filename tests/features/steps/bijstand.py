# SPDX-License-Identifier: EUPL-1.2
"""Steps of ``tests/features/bijstand/*.feature`` (vocabulary: ``bijstand/STAPPEN.md``).

The ``Gegeven`` steps write the scenario's facts into an ``ontzorgen-import/1`` file (a dict)
and the gemeente's :class:`PolicyParameters`. The ``Als`` step — or a ``Dan`` step that needs
no plan — stores them through the real services (``create_gemeente``, ``import_households``),
commits, and plans with ``plan_for_household`` on this test's own database (SQLite and
PostgreSQL). Errors the features expect come from that same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.bijstand.eligibility import ontzorgen_window
from ontzorgen.bijstand.facts import Category, DeductionKind
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, PlanLine, Recipient, SignalCode
from ontzorgen.clients import models as cm
from ontzorgen.clients.facts import HouseholdFacts, load_rows, to_facts
from ontzorgen.clients.planning import PayeeView, payees_of, plan_for_household
from ontzorgen.clients.service import find_household, import_households
from ontzorgen.errors import InvalidInput
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente
from ontzorgen.money import Money
from tests.factories import actor_for
from tests.features.steps.dutch import (
    BEDRAG,
    DATUM,
    MAAND,
    bsn_numbers,
    dutch_date,
    dutch_month,
    money,
    reference_of,
)

CLERK = actor_for("medewerker.inkomen")
GEMEENTE = "0439"
HOUSEHOLD = "HH-FEATURE-1"
PAYEE_IBANS = (
    "NL91ABNA0417164300", "NL20INGB0001234567", "NL44RABO0123456789", "NL66ASNB0707070707",
    "NL86BUNQ2000000001", "NL39RABO0300065264",
)  # fmt: skip
OWN_IBAN = "NL63TRIO0212345678"
CATEGORIES = {
    "huur": Category.HUUR,
    "stroom": Category.STROOM,
    "gas": Category.GAS,
    "water": Category.WATER,
    "zorgverzekering": Category.ZORGVERZEKERING,
    "overige": Category.OTHER,
}
CONTRACT_KINDS = {
    "huurcontract": Category.HUUR,
    "stroomcontract": Category.STROOM,
    "gascontract": Category.GAS,
    "watercontract": Category.WATER,
}
PAYEE_KINDS = {
    Category.HUUR: "woningcorporatie",
    Category.STROOM: "energieleverancier",
    Category.GAS: "energieleverancier",
    Category.WATER: "waterbedrijf",
    Category.ZORGVERZEKERING: "zorgverzekeraar",
    Category.OTHER: "overig",
}
DOELGROEPEN = {
    "asielstatushouder": "asielstatushouder",
    "asielstatushouders": "asielstatushouder",
    "nareiziger": "nareiziger",
    "nareizigers": "nareiziger",
    "gezinsmigrant": "gezinsmigrant",
}
INBURGERING = {
    "inburgeringsplichtig onder de Wi2021": True,
    "inburgeringsplichtig onder de oude wet": False,
}
CONSENT = {  # grondslag → (consent_ground, the recorded consent_reason the import requires)
    "met schriftelijke toestemming": ("written_consent", "schriftelijke toestemming"),
    "met een besluit op grond van Pw art. 57": ("art57_decision", "besluit Pw art. 57"),
    "zonder grondslag": (None, None),
}
EXTENSION_GROUNDS = {
    "op grond van een besluit Pw art. 57": "art57_decision",
    "met toestemming van het huishouden": "consent",
    "zonder grondslag": None,
}
PRO_RATA = {"kalenderdagen": "calendar_days", "dertig dagen": "thirty_days"}
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
FAR_PERIOD = "2099-12"  # an aflossing "per maand vanaf": open-ended


# -- the scenario's facts --------------------------------------------------------------------


@dataclass
class Stored:
    """What the import stored: the household and the payees' database ids by name."""

    household_id: int
    payee_ids: dict[str, int]


@dataclass
class Feiten:
    """The scenario's facts, as an import file and a policy, until they are stored."""

    policy: dict[str, Any]
    household: dict[str, Any] | None = None
    medebewoners: int = 0
    payees: dict[str, dict[str, Any]] = field(default_factory=dict)
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    bsns: list[str] = field(default_factory=bsn_numbers)
    stored: Stored | None = None

    @property
    def huishouden(self) -> dict[str, Any]:
        assert self.household is not None, "eerst een Gegeven-stap met het huishouden"
        return self.household

    def person(self, role: str, born: str, doelgroep: str, wi2021: bool) -> dict[str, Any]:
        return {
            "role": role,
            "bsn": self.bsns.pop(0),
            "name": f"{role.capitalize()} {len(self.bsns)}",
            "date_of_birth": born,
            "doelgroep": doelgroep,
            "permit_asiel_bepaalde_tijd": doelgroep != "gezinsmigrant",
            "inburgeringsplichtig_wi2021": wi2021,
        }

    def payee(self, name: str, category: Category) -> str:
        if name not in self.payees:
            self.payees[name] = {
                "reference": reference_of(name),
                "kind": PAYEE_KINDS[category],
                "name": name,
                "iban": PAYEE_IBANS[len(self.payees)],
                "town": "Amsterdam",
            }
        return str(self.payees[name]["reference"])

    def add_contract(
        self, contract_id: str, category: Category, amount: Money, payee: str, start: str | None
    ) -> dict[str, Any]:
        begin = start or self.huishouden["right"]["start"]
        contract: dict[str, Any] = {
            "reference": reference_of(contract_id),
            "category": category.value,
            "payee": self.payee(payee, category),
            "payment_reference": f"{contract_id} {payee}",
            "start": begin,
            "amounts": [{"valid_from": begin, "amount_cents": amount.cents}],
        }
        self.contracts[contract_id] = contract
        return contract

    def import_file(self) -> dict[str, Any]:
        household = dict(self.huishouden)
        unit = 2 if household["leefvorm"] == "gehuwden" else 1
        household["kostendelende_medebewoners"] = self.medebewoners
        household["right"] = {**household["right"], "kostendelers": self.medebewoners + unit}
        household["contracts"] = list(self.contracts.values())
        return {
            "format": "ontzorgen-import/1",
            "gemeente": GEMEENTE,
            "payees": list(self.payees.values()),
            "households": [household],
        }


def store(session: Session, feiten: Feiten) -> Stored:
    """Create the gemeente, import the file (both through the services) and commit; once.

    An opt-out the gemeente's policy does not allow is refused by the import (it checks the
    policy), so such an opt-out is recorded on the stored household afterwards — as when the
    policy changed after the opt-out was recorded. See the report: not expressible in an import.
    """
    if feiten.stored is not None:
        return feiten.stored
    policy = PolicyParameters.model_validate(feiten.policy)
    create_gemeente(
        session,
        CLERK,
        GemeenteIn(
            code=GEMEENTE,
            name="Gemeente Purmerend",
            debtor_name="Gemeente Purmerend",
            debtor_iban="NL14BNGH0285001234",
            policy=policy,
        ),
    )
    data = feiten.import_file()
    opt_out = data["households"][0].pop("opt_out", None)
    if opt_out is not None and policy.allow_opt_out:
        data["households"][0]["opt_out"] = opt_out
        opt_out = None
    import_households(session, CLERK, data)
    household = find_household(session, HOUSEHOLD, GEMEENTE)
    if opt_out is not None:
        household.opt_out_reason = opt_out["reason"]
        household.opt_out_from = opt_out.get("effective_from")
    session.commit()
    payee_ids = {
        name: session.scalars(
            select(cm.Payee.id).where(cm.Payee.reference == payee["reference"])
        ).one()
        for name, payee in feiten.payees.items()
    }
    feiten.stored = Stored(household.id, payee_ids)
    return feiten.stored


def stored_facts(session: Session, stored: Stored) -> HouseholdFacts:
    """The stored household's facts, as the planner reads them."""
    household = session.get_one(cm.Household, stored.household_id)
    return to_facts(load_rows(session, household.gemeente_id, [household.id])[0])


@dataclass
class Uitkomst:
    """The plan (or the refusal) of the ``Als`` step, and the line the last step looked at."""

    stored: Stored
    facts: HouseholdFacts
    result: MonthlyPlan | None
    error: InvalidInput | None = None
    payees: dict[str, PayeeView] = field(default_factory=dict)
    line: PlanLine | None = None

    @property
    def plan(self) -> MonthlyPlan:
        assert self.result is not None, f"geen maandplan: {self.error}"
        return self.result

    def only(self, kind: LineKind, category: Category | None = None) -> PlanLine:
        lines = [
            line
            for line in self.plan.of_kind(kind)
            if category is None or line.category is category
        ]
        assert len(lines) == 1, f"verwacht één {kind.value}-regel ({category}), gevonden: {lines}"
        self.line = lines[0]
        return lines[0]

    def deduction_lines(self, kind: DeductionKind, reason: str) -> list[PlanLine]:
        ids = {d.id for d in self.facts.deductions if d.kind is kind and d.reason == reason}
        assert ids, f"geen {kind.value} met reden {reason!r} opgeslagen"
        return [line for line in self.plan.of_kind(LineKind.DEDUCTION) if line.source_id in ids]


# -- Gegeven: de gemeente --------------------------------------------------------------------


@given(
    parsers.re(
        rf"het gemeentebeleid met een minimum leefgeld van (?P<minimum>{BEDRAG}) en "
        rf"(?P<extra>{BEDRAG}) per extra gezinslid"
    ),
    target_fixture="feiten",
)
def gemeentebeleid(minimum: str, extra: str) -> Feiten:
    return Feiten(
        policy={
            "minimum_leefgeld_cents": money(minimum).cents,
            "minimum_leefgeld_per_extra_member_cents": money(extra).cents,
            "payment_day": 1,  # the default of GemeentePolicy (STAPPEN.md)
        }
    )


@given(parsers.re(r"de gemeente rekent een deel van een maand naar (?P<methode>.+)"))
def pro_rata_methode(feiten: Feiten, methode: str) -> None:
    feiten.policy["pro_rata_method"] = PRO_RATA[methode]


@given(parsers.re(r"de gemeente betaalt leefgeld per week op (?P<weekdag>[a-z]+)"))
def leefgeld_per_week(feiten: Feiten, weekdag: str) -> None:
    feiten.policy["leefgeld_frequency"] = "weekly"
    feiten.policy["leefgeld_weekday"] = WEEKDAYS.index(weekdag)


@given(parsers.re(r"de gemeente betaalt leefgeld per maand op dag (?P<dag>\d+)"))
def leefgeld_per_maand(feiten: Feiten, dag: str) -> None:
    feiten.policy["leefgeld_frequency"] = "monthly"
    feiten.policy["payment_day"] = int(dag)


@given("de gemeente staat een opt-out met vastgelegde reden toe")
def opt_out_toegestaan(feiten: Feiten) -> None:
    feiten.policy["allow_opt_out"] = True


@given("de gemeente houdt ook overige vaste lasten met toestemming in")
def overige_vaste_lasten(feiten: Feiten) -> None:
    feiten.policy["withheld_categories"] = [c.value for c in Category]


@given(parsers.re(r"de volgorde bij tekort is (?P<volgorde>[a-z, ]+)"))
def volgorde_bij_tekort(feiten: Feiten, volgorde: str) -> None:
    feiten.policy["priority"] = [CATEGORIES[c.strip()].value for c in volgorde.split(",")]


# -- Gegeven: het huishouden en het recht ------------------------------------------------------


def _huishouden(feiten: Feiten, leefvorm: str, persons: list[dict[str, Any]], start: str) -> None:
    feiten.household = {
        "reference": HOUSEHOLD,
        "leefvorm": leefvorm,
        "iban": OWN_IBAN,
        "iban_name": "A. Aanvrager",
        "persons": persons,
        "right": {"reference": "BS-FEATURE-1", "start": start, "leefvorm": leefvorm},
    }


@given(
    parsers.re(
        r"een (?P<leefvorm>alleenstaande ouder|alleenstaande) (?P<doelgroep>[a-z]+), "
        rf"(?P<inburgering>[^,]+), met recht op bijstand vanaf (?P<datum>{DATUM})"
    )
)
def alleenstaande(
    feiten: Feiten, leefvorm: str, doelgroep: str, inburgering: str, datum: str
) -> None:
    aanvrager = feiten.person(
        "aanvrager", "1990-05-01", DOELGROEPEN[doelgroep], INBURGERING[inburgering]
    )
    _huishouden(feiten, leefvorm.replace(" ", "_"), [aanvrager], dutch_date(datum).isoformat())


@given(
    parsers.re(
        r"gehuwde (?P<doelgroep>[a-z]+), (?P<inburgering>[^,]+), met recht op bijstand "
        rf"vanaf (?P<datum>{DATUM})"
    )
)
def gehuwden(feiten: Feiten, doelgroep: str, inburgering: str, datum: str) -> None:
    wi2021 = INBURGERING[inburgering]
    persons = [
        feiten.person("aanvrager", "1990-05-01", DOELGROEPEN[doelgroep], wi2021),
        feiten.person("partner", "1992-05-01", DOELGROEPEN[doelgroep], wi2021),
    ]
    _huishouden(feiten, "gehuwden", persons, dutch_date(datum).isoformat())


@given(parsers.re(rf"het recht op bijstand eindigt op (?P<datum>{DATUM})"))
def recht_eindigt(feiten: Feiten, datum: str) -> None:
    feiten.huishouden["right"]["end"] = dutch_date(datum).isoformat()


@given(
    parsers.re(
        r"het huishouden deelt de woning met (?P<aantal>\d+) kostendelende "
        r"(?:medebewoner|medebewoners)"
    )
)
def kostendelers(feiten: Feiten, aantal: str) -> None:
    feiten.medebewoners = int(aantal)


@given(parsers.re(r"het huishouden heeft (?P<aantal>\d+) kinderen"))
def kinderen(feiten: Feiten, aantal: str) -> None:
    aanvrager = feiten.huishouden["persons"][0]
    for _ in range(int(aantal)):
        feiten.huishouden["persons"].append(
            feiten.person("kind", "2018-05-01", aanvrager["doelgroep"], False)
        )


@given("het huishouden heeft geen eigen IBAN")
def geen_iban(feiten: Feiten) -> None:
    feiten.huishouden.pop("iban")
    feiten.huishouden.pop("iban_name")


@given(
    parsers.re(
        rf"het inkomenssysteem stelde de bijstand voor (?P<maand>{MAAND}) vast op "
        rf'(?P<bedrag>{BEDRAG}) met kenmerk "(?P<kenmerk>[^"]+)"'
    )
)
def vastgesteld_bedrag(feiten: Feiten, maand: str, bedrag: str, kenmerk: str) -> None:
    feiten.huishouden["right"].setdefault("supplied_amounts", []).append(
        {
            "period": dutch_month(maand).label(),
            "amount_cents": money(bedrag).cents,
            "reference": kenmerk,
        }
    )


# -- Gegeven: contracten ---------------------------------------------------------------------


@given(
    parsers.re(
        r"een (?P<soort>huurcontract|stroomcontract|gascontract|watercontract) van "
        rf"(?P<bedrag>{BEDRAG}) per maand met (?P<begunstigde>.+?)"
        rf"(?: vanaf (?P<datum>{DATUM}))?"
    )
)
def contract(feiten: Feiten, soort: str, bedrag: str, begunstigde: str, datum: str | None) -> None:
    category = CONTRACT_KINDS[soort]
    start = None if datum is None else dutch_date(datum).isoformat()
    feiten.add_contract(category.value, category, money(bedrag), begunstigde, start)


@given(
    parsers.re(rf"een zorgverzekering van (?P<bedrag>{BEDRAG}) per maand bij (?P<begunstigde>.+)")
)
def zorgverzekering(feiten: Feiten, bedrag: str, begunstigde: str) -> None:
    category = Category.ZORGVERZEKERING
    feiten.add_contract(category.value, category, money(bedrag), begunstigde, None)


@given(
    parsers.re(
        r"de (?P<categorie>huur|stroom|gas|water|zorgverzekering) wordt per "
        rf"(?P<datum>{DATUM}) (?P<bedrag>{BEDRAG})"
    )
)
def nieuwe_bedragversie(feiten: Feiten, categorie: str, datum: str, bedrag: str) -> None:
    feiten.contracts[categorie]["amounts"].append(
        {"valid_from": dutch_date(datum).isoformat(), "amount_cents": money(bedrag).cents}
    )


@given(
    parsers.re(
        r"het huishouden betaalt de (?P<categorie>huur|stroom|gas|water|zorgverzekering) "
        rf"zelf vanaf (?P<datum>{DATUM})"
    )
)
def overdracht(feiten: Feiten, categorie: str, datum: str) -> None:
    feiten.contracts[categorie]["handover_date"] = dutch_date(datum).isoformat()


@given(
    parsers.re(
        rf'een overige vaste last "(?P<omschrijving>[^"]+)" van (?P<bedrag>{BEDRAG}) per maand '
        r"bij (?P<begunstigde>.+?) (?P<grondslag>met schriftelijke toestemming|"
        r"met een besluit op grond van Pw art\. 57|zonder grondslag)"
    )
)
def overige_vaste_last(
    feiten: Feiten, omschrijving: str, bedrag: str, begunstigde: str, grondslag: str
) -> None:
    contract = feiten.add_contract(omschrijving, Category.OTHER, money(bedrag), begunstigde, None)
    ground, reason = CONSENT[grondslag]
    if ground is not None:
        contract["consent_ground"] = ground
        contract["consent_reason"] = reason


# -- Gegeven: andere feiten ------------------------------------------------------------------


@given(parsers.re(rf"een voorschot van (?P<bedrag>{BEDRAG}) betaald op (?P<datum>{DATUM})"))
def voorschot(feiten: Feiten, bedrag: str, datum: str) -> None:
    feiten.huishouden.setdefault("voorschotten", []).append(
        {"paid_on": dutch_date(datum).isoformat(), "amount_cents": money(bedrag).cents}
    )


@given(
    parsers.re(
        rf'inkomsten "(?P<omschrijving>[^"]+)" van (?P<bedrag>{BEDRAG}) in (?P<maand>{MAAND})'
    )
)
def inkomsten(feiten: Feiten, omschrijving: str, bedrag: str, maand: str) -> None:
    period = dutch_month(maand).label()
    feiten.huishouden.setdefault("deductions", []).append(
        {
            "kind": "inkomsten",
            "reason": omschrijving,
            "amount_cents": money(bedrag).cents,
            "first_period": period,
            "last_period": period,
        }
    )


@given(
    parsers.re(
        rf'een aflossing "(?P<omschrijving>[^"]+)" van (?P<bedrag>{BEDRAG}) per maand '
        rf"vanaf (?P<maand>{MAAND})"
    )
)
def aflossing(feiten: Feiten, omschrijving: str, bedrag: str, maand: str) -> None:
    feiten.huishouden.setdefault("deductions", []).append(
        {
            "kind": "aflossing",
            "reason": omschrijving,
            "amount_cents": money(bedrag).cents,
            "first_period": dutch_month(maand).label(),
            "last_period": FAR_PERIOD,
        }
    )


@given(
    parsers.re(
        rf"de ontzorgperiode is verlengd tot (?P<datum>{DATUM}) (?P<grondslag>.+) "
        r'met reden "(?P<reden>[^"]+)"'
    )
)
def verlenging(feiten: Feiten, datum: str, grondslag: str, reden: str) -> None:
    extension: dict[str, Any] = {"reason": reden, "end_date": dutch_date(datum).isoformat()}
    ground = EXTENSION_GROUNDS[grondslag]
    if ground is not None:
        extension["ground"] = ground
    feiten.huishouden.setdefault("extensions", []).append(extension)


@given(
    parsers.re(
        rf'het huishouden vraagt een opt-out met reden "(?P<reden>[^"]+)"'
        rf"(?: vanaf (?P<datum>{DATUM}))?"
    )
)
def opt_out(feiten: Feiten, reden: str, datum: str | None) -> None:
    feiten.huishouden["opt_out"] = {
        "reason": reden,
        **({} if datum is None else {"effective_from": dutch_date(datum).isoformat()}),
    }


# -- Als -------------------------------------------------------------------------------------


@when(
    parsers.re(rf"het maandplan voor (?P<maand>{MAAND}) wordt gemaakt"),
    target_fixture="uitkomst",
)
def maandplan_maken(session: Session, feiten: Feiten, maand: str) -> Uitkomst:
    stored = store(session, feiten)
    household = session.get_one(cm.Household, stored.household_id)
    facts = stored_facts(session, stored)
    try:
        plan = plan_for_household(session, household, dutch_month(maand))
    except InvalidInput as error:
        return Uitkomst(stored, facts, None, error)
    return Uitkomst(stored, facts, plan, payees=payees_of(session, plan))


# -- Dan: het maandplan ----------------------------------------------------------------------


@then(parsers.re(rf"is de bijstand (?P<bedrag>{BEDRAG})"))
def bijstand(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.only(LineKind.BIJSTAND).amount == money(bedrag)


@then(parsers.re(rf"is de reservering vakantietoeslag (?P<bedrag>{BEDRAG})"))
def vt_reservering(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.only(LineKind.VT_ACCRUAL).amount == money(bedrag)


@then(parsers.re(rf"wordt (?P<bedrag>{BEDRAG}) vakantietoeslag uitbetaald"))
def vt_uitbetaald(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.only(LineKind.VT_PAYOUT).amount == money(bedrag)


@then("wordt geen vakantietoeslag uitbetaald")
def geen_vt(uitkomst: Uitkomst) -> None:
    assert uitkomst.plan.of_kind(LineKind.VT_PAYOUT) == ()


@then(
    parsers.re(
        rf"wordt (?P<bedrag>{BEDRAG}) ingehouden voor (?P<categorie>[a-z]+) en betaald aan "
        r"(?P<begunstigde>.+)"
    )
)
def ingehouden(uitkomst: Uitkomst, bedrag: str, categorie: str, begunstigde: str) -> None:
    line = uitkomst.only(LineKind.WITHHOLDING, CATEGORIES[categorie])
    assert line.amount == money(bedrag)
    assert line.recipient is Recipient.PAYEE
    assert line.payee_id == str(uitkomst.stored.payee_ids[begunstigde])
    assert uitkomst.payees[line.payee_id].name == begunstigde


@then(parsers.re(rf"wordt in totaal (?P<bedrag>{BEDRAG}) ingehouden"))
def totaal_ingehouden(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.plan.withheld == money(bedrag)


@then(parsers.re(r"wordt niets ingehouden voor (?P<categorie>[a-z]+)"))
def niets_ingehouden(uitkomst: Uitkomst, categorie: str) -> None:
    category = CATEGORIES[categorie]
    assert [x for x in uitkomst.plan.of_kind(LineKind.WITHHOLDING) if x.category is category] == []


@then(parsers.re(rf"is er een tekort van (?P<bedrag>{BEDRAG}) op (?P<waarop>.+)"))
def tekort(uitkomst: Uitkomst, bedrag: str, waarop: str) -> None:
    if waarop in CATEGORIES:
        line = uitkomst.only(LineKind.SHORTFALL, CATEGORIES[waarop])
    else:
        ids = {d.id for d in uitkomst.facts.deductions if d.reason == waarop}
        lines = [x for x in uitkomst.plan.of_kind(LineKind.SHORTFALL) if x.source_id in ids]
        assert len(lines) == 1, f"verwacht één tekort op {waarop!r}: {lines}"
        line = uitkomst.line = lines[0]
    assert line.amount == money(bedrag)


@then(parsers.re(rf"ontvangt het huishouden (?P<bedrag>{BEDRAG}) leefgeld"))
def leefgeld(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.plan.leefgeld == money(bedrag)


@then(parsers.re(rf"ontvangt het huishouden (?P<bedrag>{BEDRAG}) leefgeld op (?P<datum>{DATUM})"))
def leefgeld_op(uitkomst: Uitkomst, bedrag: str, datum: str) -> None:
    day = dutch_date(datum)
    lines = [x for x in uitkomst.plan.of_kind(LineKind.LEEFGELD) if x.pay_date == day]
    assert len(lines) == 1, f"verwacht één leefgeldbetaling op {day}: {uitkomst.plan.lines}"
    uitkomst.line = lines[0]
    assert lines[0].amount == money(bedrag)
    assert lines[0].recipient is Recipient.HOUSEHOLD


@then(parsers.re(rf"wordt (?P<bedrag>{BEDRAG}) leefgeld vastgehouden"))
def vastgehouden(uitkomst: Uitkomst, bedrag: str) -> None:
    assert uitkomst.only(LineKind.HELD).amount == money(bedrag)


@then(parsers.re(rf"wordt (?P<bedrag>{BEDRAG}) voorschot verrekend"))
def voorschot_verrekend(uitkomst: Uitkomst, bedrag: str) -> None:
    lines = uitkomst.plan.of_kind(LineKind.VOORSCHOT_SETTLEMENT)
    uitkomst.line = lines[0] if lines else None
    assert uitkomst.plan.total(LineKind.VOORSCHOT_SETTLEMENT) == money(bedrag)


@then(parsers.re(rf'wordt (?P<bedrag>{BEDRAG}) in mindering gebracht wegens "(?P<reden>[^"]+)"'))
def in_mindering(uitkomst: Uitkomst, bedrag: str, reden: str) -> None:
    lines = uitkomst.deduction_lines(DeductionKind.INKOMSTEN, reden)
    assert len(lines) == 1, f"verwacht één korting wegens {reden!r}: {lines}"
    uitkomst.line = lines[0]
    assert lines[0].amount == money(bedrag)


@then(parsers.re(rf'wordt (?P<bedrag>{BEDRAG}) afgelost aan de gemeente wegens "(?P<reden>[^"]+)"'))
def afgelost(uitkomst: Uitkomst, bedrag: str, reden: str) -> None:
    lines = uitkomst.deduction_lines(DeductionKind.AFLOSSING, reden)
    assert len(lines) == 1, f"verwacht één aflossing wegens {reden!r}: {lines}"
    uitkomst.line = lines[0]
    assert lines[0].amount == money(bedrag)
    assert lines[0].recipient is Recipient.GEMEENTE


@then(parsers.re(r'is de regel "(?P<regel>[^"]+)"'))
def regel(uitkomst: Uitkomst, regel: str) -> None:
    assert uitkomst.line is not None, "de vorige stap wees geen regel van het plan aan"
    assert uitkomst.line.rule == regel


@then(parsers.re(r'krijgt de consulent het signaal "(?P<code>[a-z_]+)"'))
def signaal(uitkomst: Uitkomst, code: str) -> None:
    codes = [s.code.value for s in uitkomst.plan.signals]
    assert uitkomst.plan.has_signal(SignalCode(code)), f"signalen: {codes}"


@then(parsers.re(rf"eindigt de ontzorgperiode op (?P<datum>{DATUM})"))
def einde_ontzorgperiode(session: Session, feiten: Feiten, datum: str) -> None:
    facts = stored_facts(session, store(session, feiten))
    assert ontzorgen_window(facts.right, facts.extensions).end == dutch_date(datum)


@then("valt het huishouden onder ontzorgen")
def onder_ontzorgen(uitkomst: Uitkomst) -> None:
    assert uitkomst.plan.eligible, uitkomst.plan.eligibility_reason


@then(parsers.re(r'valt het huishouden niet onder ontzorgen met reden "(?P<tekst>[^"]+)"'))
def niet_onder_ontzorgen(uitkomst: Uitkomst, tekst: str) -> None:
    assert not uitkomst.plan.eligible
    assert tekst in uitkomst.plan.eligibility_reason


@then("kan het maandplan niet worden gemaakt")
def geen_maandplan(uitkomst: Uitkomst) -> None:
    assert uitkomst.result is None, "er is toch een maandplan gemaakt"
    assert uitkomst.error is not None
    [problem] = uitkomst.error.problems
    assert problem.field == "household"
    assert "loopt niet in" in problem.reason, problem.reason


def _refused(session: Session, feiten: Feiten, record: str, veld: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        store(session, feiten)
    session.rollback()
    problems = [p for p in caught.value.problems if p.field.endswith(veld)]
    assert problems, f"geen probleem met {veld!r}: {caught.value.problems}"
    assert [(p.record, p.field.split(".")[0].split("[")[0]) for p in problems] == [
        ("households[0]", record)
    ]
    assert len(caught.value.problems) == 1, caught.value.problems


@then(parsers.re(r'wordt het contract geweigerd omdat "(?P<veld>[a-z_]+)" ontbreekt'))
def contract_geweigerd(session: Session, feiten: Feiten, veld: str) -> None:
    _refused(session, feiten, "Contract", veld)


@then(parsers.re(r'wordt de verlenging geweigerd omdat "(?P<veld>[a-z_]+)" ontbreekt'))
def verlenging_geweigerd(session: Session, feiten: Feiten, veld: str) -> None:
    _refused(session, feiten, "extensions", veld)
