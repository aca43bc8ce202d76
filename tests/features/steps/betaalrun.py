# SPDX-License-Identifier: EUPL-1.2
"""Steps of ``tests/features/betaalrun/*.feature`` (vocabulary: ``betaalrun/STAPPEN.md``).

The gemeente is created with ``create_gemeente``; payees and households go into an
``ontzorgen-import/1`` file that is imported (``import_households``) before the first run step.
The run steps call the real run services (``create_run``, ``prepare_run``, ``approve_run``,
``cancel_run``, ``export_run``, ``run_overview``) and commit, on SQLite and PostgreSQL. The
exported pain.001 is read back with lxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lxml import etree
from pytest_bdd import given, parsers, then, when
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ontzorgen.clients import models as cm
from ontzorgen.clients.schemas import AccountIn
from ontzorgen.clients.service import find_household, import_households, set_household_account
from ontzorgen.errors import Conflict, DomainError, InvalidInput, NotPermitted
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente
from ontzorgen.ledger.balances import balance
from ontzorgen.ledger.models import LedgerAccount
from ontzorgen.money import Money
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import Payment, PaymentRun, RunLine, state_label
from ontzorgen.runs.overview import run_overview
from ontzorgen.runs.service import approve_run, cancel_run, create_run, get_run, prepare_run
from tests.factories import actor_for, at_noon
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

READER = actor_for("lezer")

GEMEENTE = "0439"
IMPORTER = actor_for("import.inkomen")
CONTRACT_CATEGORIES = {
    "huurcontract": ("huur", "woningcorporatie"),
    "stroomcontract": ("stroom", "energieleverancier"),
    "gascontract": ("gas", "energieleverancier"),
    "watercontract": ("water", "waterbedrijf"),
    "zorgverzekering": ("zorgverzekering", "zorgverzekeraar"),
}
IBAN = r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}"


@dataclass
class Betaalrun:
    """The scenario's gemeente, import file, current run, last refusal and exported file."""

    gemeente_id: int
    payees: dict[str, dict[str, Any]] = field(default_factory=dict)
    households: dict[str, dict[str, Any]] = field(default_factory=dict)
    bsns: list[str] = field(default_factory=bsn_numbers)
    imported: bool = False
    imported_households: set[str] = field(default_factory=set)
    run_id: int | None = None
    error: DomainError | None = None
    file: etree._Element | None = None
    today: date | None = None  # the scenario's last date: a cancellation is booked then

    def on(self, datum: str) -> date:
        """The scenario's day, remembered for the steps that give none."""
        self.today = dutch_date(datum)
        return self.today

    @property
    def run(self) -> int:
        assert self.run_id is not None, "er is nog geen betaalrun"
        return self.run_id

    @property
    def transfers(self) -> list[etree._Element]:
        assert self.file is not None, "er is nog geen betaalbestand geëxporteerd"
        return list(self.file.iterfind(".//{*}CdtTrfTxInf"))


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.text


def ensure_imported(session: Session, run: Betaalrun) -> None:
    """Import the scenario's payees and households through the import service: all of them
    before the first run, and a household registered later (``Gegeven`` after a run) before
    the next run."""
    households = [h for ref, h in run.households.items() if ref not in run.imported_households]
    if run.imported and not households:
        return
    import_households(
        session,
        IMPORTER,
        {
            "format": "ontzorgen-import/1",
            "gemeente": GEMEENTE,
            "payees": [] if run.imported else [p for p in run.payees.values() if p.get("town")],
            "households": households,
        },
    )
    session.commit()
    run.imported = True
    run.imported_households.update(h["reference"] for h in households)


def _fail(session: Session, run: Betaalrun, error: DomainError) -> None:
    session.rollback()
    run.error = error


# -- Gegeven -----------------------------------------------------------------------------------


@given(
    parsers.re(
        r"de gemeente Purmerend met betaaldag (?P<dag>\d+) en een minimum leefgeld van "
        rf"(?P<minimum>{BEDRAG}) en (?P<extra>{BEDRAG}) per extra gezinslid"
    ),
    target_fixture="betaalrun",
)
def gemeente(session: Session, dag: str, minimum: str, extra: str) -> Betaalrun:
    policy = PolicyParameters(
        minimum_leefgeld_cents=money(minimum).cents,
        minimum_leefgeld_per_extra_member_cents=money(extra).cents,
        payment_day=int(dag),
    )
    created = create_gemeente(
        session,
        IMPORTER,
        GemeenteIn(
            code=GEMEENTE,
            name="Gemeente Purmerend",
            debtor_name="Gemeente Purmerend",
            debtor_iban="NL14BNGH0285001234",
            policy=policy,
        ),
    )
    session.commit()
    return Betaalrun(gemeente_id=created.id)


@given(parsers.re(rf'de begunstigde "(?P<naam>[^"]+)" met IBAN (?P<iban>{IBAN}) in (?P<plaats>.+)'))
def begunstigde(betaalrun: Betaalrun, naam: str, iban: str, plaats: str) -> None:
    betaalrun.payees[naam] = {
        "reference": reference_of(naam),
        "kind": "overig",
        "name": naam,
        "iban": iban,
        "town": plaats,
    }


@given(parsers.re(rf'de begunstigde "(?P<naam>[^"]+)" met IBAN (?P<iban>{IBAN}) zonder plaats'))
def begunstigde_zonder_plaats(session: Session, betaalrun: Betaalrun, naam: str, iban: str) -> None:
    # The import format requires a town, so this payee row is written with the ORM.
    session.add(
        cm.Payee(
            gemeente_id=betaalrun.gemeente_id,
            reference=reference_of(naam),
            kind="overig",
            name=naam,
            iban=iban,
            town=None,
            country="NL",
        )
    )
    session.commit()
    betaalrun.payees[naam] = {"reference": reference_of(naam)}


def _household(betaalrun: Betaalrun, referentie: str, datum: str, account: dict[str, str]) -> None:
    start = dutch_date(datum).isoformat()
    betaalrun.households[referentie] = {
        "reference": referentie,
        "leefvorm": "alleenstaande",
        **account,
        "persons": [
            {
                "bsn": betaalrun.bsns.pop(0),
                "name": "A. Haile",
                "date_of_birth": "1990-05-01",
                "doelgroep": "asielstatushouder",
                "permit_asiel_bepaalde_tijd": True,
                "inburgeringsplichtig_wi2021": True,
            }
        ],
        "right": {
            "reference": f"BS-{referentie}",
            "start": start,
            "leefvorm": "alleenstaande",
            "kostendelers": 1,
        },
        "contracts": [],
    }


@given(
    parsers.re(
        r"huishouden (?P<referentie>[A-Z0-9-]+): een alleenstaande asielstatushouder met recht "
        rf"op bijstand vanaf (?P<datum>{DATUM}) en rekening (?P<iban>{IBAN}) op naam van "
        r'"(?P<naam>[^"]+)"'
    )
)
def huishouden(betaalrun: Betaalrun, referentie: str, datum: str, iban: str, naam: str) -> None:
    _household(betaalrun, referentie, datum, {"iban": iban, "iban_name": naam})


@given(
    parsers.re(
        r"huishouden (?P<referentie>[A-Z0-9-]+): een alleenstaande asielstatushouder met recht "
        rf"op bijstand vanaf (?P<datum>{DATUM}), zonder eigen IBAN"
    )
)
def huishouden_zonder_iban(betaalrun: Betaalrun, referentie: str, datum: str) -> None:
    _household(betaalrun, referentie, datum, {})


@given(
    parsers.re(
        r"huishouden (?P<referentie>[A-Z0-9-]+) heeft een (?P<soort>[a-z]+) van "
        rf'(?P<bedrag>{BEDRAG}) per maand met "(?P<begunstigde>[^"]+)" onder kenmerk '
        r'"(?P<kenmerk>[^"]+)"'
    )
)
def contract(
    betaalrun: Betaalrun, referentie: str, soort: str, bedrag: str, begunstigde: str, kenmerk: str
) -> None:
    category, payee_kind = CONTRACT_CATEGORIES[soort]
    household = betaalrun.households[referentie]
    payee = betaalrun.payees[begunstigde]
    if "kind" in payee:
        payee["kind"] = payee_kind
    start = household["right"]["start"]
    household["contracts"].append(
        {
            "reference": f"{referentie}-{category}",
            "category": category,
            "payee": payee["reference"],
            "payment_reference": kenmerk,
            "start": start,
            "amounts": [{"valid_from": start, "amount_cents": money(bedrag).cents}],
        }
    )


# -- Als ---------------------------------------------------------------------------------------


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" de betaalrun voor (?P<maand>{MAAND}) voorbereidt op '
        rf"(?P<datum>{DATUM})"
    )
)
def voorbereiden(
    session: Session, betaalrun: Betaalrun, medewerker: str, maand: str, datum: str
) -> None:
    ensure_imported(session, betaalrun)
    actor = actor_for(medewerker)
    created = create_run(session, actor, GEMEENTE, dutch_month(maand).label())
    prepare_run(
        session, actor, created.id, today=betaalrun.on(datum), now=at_noon(betaalrun.on(datum))
    )
    session.commit()
    betaalrun.run_id = created.id


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" de betaalrun voor (?P<maand>{MAAND}) probeert voor te '
        rf"bereiden op (?P<datum>{DATUM})"
    )
)
def proberen_voor_te_bereiden(
    session: Session, betaalrun: Betaalrun, medewerker: str, maand: str, datum: str
) -> None:
    ensure_imported(session, betaalrun)
    actor = actor_for(medewerker)
    created = create_run(session, actor, GEMEENTE, dutch_month(maand).label())
    session.commit()
    betaalrun.run_id = created.id
    try:
        prepare_run(
            session, actor, created.id, today=betaalrun.on(datum), now=at_noon(betaalrun.on(datum))
        )
    except DomainError as error:
        _fail(session, betaalrun, error)


@when(parsers.re(rf'"(?P<medewerker>[a-z.]+)" de betaalrun accordeert op (?P<datum>{DATUM})'))
def accorderen(session: Session, betaalrun: Betaalrun, medewerker: str, datum: str) -> None:
    approve_run(
        session,
        actor_for(medewerker),
        betaalrun.run,
        today=betaalrun.on(datum),
        now=at_noon(betaalrun.on(datum)),
    )
    session.commit()


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" de betaalrun probeert te accorderen op (?P<datum>{DATUM})'
    )
)
def proberen_te_accorderen(
    session: Session, betaalrun: Betaalrun, medewerker: str, datum: str
) -> None:
    try:
        approve_run(
            session,
            actor_for(medewerker),
            betaalrun.run,
            today=betaalrun.on(datum),
            now=at_noon(betaalrun.on(datum)),
        )
    except DomainError as error:
        _fail(session, betaalrun, error)


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" een tweede reguliere betaalrun voor (?P<maand>{MAAND}) '
        r"probeert aan te maken"
    )
)
def tweede_run(session: Session, betaalrun: Betaalrun, medewerker: str, maand: str) -> None:
    try:
        create_run(session, actor_for(medewerker), GEMEENTE, dutch_month(maand).label())
    except DomainError as error:
        _fail(session, betaalrun, error)


@when(parsers.re(r'"(?P<medewerker>[a-z.]+)" de betaalrun annuleert met reden "(?P<reden>[^"]+)"'))
def annuleren(session: Session, betaalrun: Betaalrun, medewerker: str, reden: str) -> None:
    assert betaalrun.today is not None, "een annulering volgt op een gedateerde stap"
    today = betaalrun.today
    cancel_run(
        session, actor_for(medewerker), betaalrun.run, reden, today=today, now=at_noon(today)
    )
    session.commit()


@when(parsers.re(rf'"(?P<medewerker>[a-z.]+)" het betaalbestand exporteert op (?P<datum>{DATUM})'))
def exporteren(session: Session, betaalrun: Betaalrun, medewerker: str, datum: str) -> None:
    file = export_run(
        session,
        actor_for(medewerker),
        betaalrun.run,
        today=betaalrun.on(datum),
        now=at_noon(betaalrun.on(datum)),
    )
    session.commit()
    betaalrun.file = etree.fromstring(file.content)


@when(
    parsers.re(
        rf"de huur van (?P<referentie>[A-Z0-9-]+) wordt per (?P<datum>{DATUM}) "
        rf"(?P<bedrag>{BEDRAG})"
    )
)
def nieuwe_huur(session: Session, referentie: str, datum: str, bedrag: str) -> None:
    contract_id = session.scalars(
        select(cm.Contract.id).where(cm.Contract.reference == f"{referentie}-huur")
    ).one()
    session.add(
        cm.ContractAmount(
            contract_id=contract_id,
            valid_from=dutch_date(datum),
            amount_cents=money(bedrag).cents,
        )
    )
    session.commit()


@when(parsers.re(rf'de IBAN van "(?P<naam>[^"]+)" wordt gewijzigd in (?P<iban>{IBAN})'))
def nieuwe_iban(session: Session, naam: str, iban: str) -> None:
    session.execute(update(cm.Payee).where(cm.Payee.name == naam).values(iban=iban))
    session.commit()


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" een correctierun voor (?P<maand>{MAAND}) voorbereidt op '
        rf'(?P<datum>{DATUM}) met reden "(?P<reden>[^"]+)"'
    )
)
def correctierun(
    session: Session, betaalrun: Betaalrun, medewerker: str, maand: str, datum: str, reden: str
) -> None:
    ensure_imported(session, betaalrun)
    actor = actor_for(medewerker)
    created = create_run(
        session, actor, GEMEENTE, dutch_month(maand).label(), corrects=betaalrun.run, reason=reden
    )
    prepare_run(session, actor, created.id, today=dutch_date(datum), now=at_noon(dutch_date(datum)))
    session.commit()
    betaalrun.run_id = created.id


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" nog een correctierun voor (?P<maand>{MAAND}) probeert voor '
        rf'te bereiden op (?P<datum>{DATUM}) met reden "(?P<reden>[^"]+)"'
    )
)
def nog_een_correctierun(
    session: Session, betaalrun: Betaalrun, medewerker: str, maand: str, datum: str, reden: str
) -> None:
    actor = actor_for(medewerker)
    created = create_run(
        session, actor, GEMEENTE, dutch_month(maand).label(), corrects=betaalrun.run, reason=reden
    )
    session.commit()
    try:
        prepare_run(
            session, actor, created.id, today=dutch_date(datum), now=at_noon(dutch_date(datum))
        )
    except DomainError as error:
        _fail(session, betaalrun, error)


@when(
    parsers.re(
        rf"huishouden (?P<referentie>[A-Z0-9-]+) krijgt rekening (?P<iban>{IBAN}) op naam van "
        r'"(?P<naam>[^"]+)"'
    )
)
def eigen_rekening(session: Session, referentie: str, iban: str, naam: str) -> None:
    household = find_household(session, referentie, GEMEENTE)
    set_household_account(session, IMPORTER, household, AccountIn(iban=iban, iban_name=naam))
    session.commit()


# -- Dan ---------------------------------------------------------------------------------------


@then(parsers.re(r'is de betaalrun "(?P<status>[^"]+)"'))
def status(session: Session, betaalrun: Betaalrun, status: str) -> None:
    session.expire_all()
    assert state_label(get_run(session, betaalrun.run).state) == status


@then(
    parsers.re(
        rf"bevat het betaalbestand (?P<aantal>\d+) betalingen van samen (?P<bedrag>{BEDRAG})"
    )
)
def aantal_betalingen(betaalrun: Betaalrun, aantal: str, bedrag: str) -> None:
    assert betaalrun.file is not None
    total = money(bedrag)
    assert len(betaalrun.transfers) == int(aantal)
    assert _text(betaalrun.file, ".//{*}GrpHdr/{*}NbOfTxs") == aantal
    assert Money.parse(_text(betaalrun.file, ".//{*}GrpHdr/{*}CtrlSum") or "") == total
    amounts = [Money.parse(_text(t, "{*}Amt/{*}InstdAmt") or "") for t in betaalrun.transfers]
    assert Money.sum(amounts) == total


def _transfer(betaalrun: Betaalrun, naam: str, iban: str, bedrag: str) -> list[etree._Element]:
    return [
        t
        for t in betaalrun.transfers
        if _text(t, "{*}Cdtr/{*}Nm") == naam
        and _text(t, "{*}CdtrAcct/{*}Id/{*}IBAN") == iban
        and Money.parse(_text(t, "{*}Amt/{*}InstdAmt") or "") == money(bedrag)
    ]


def _check_end_to_end(session: Session, betaalrun: Betaalrun, transfer: etree._Element) -> None:
    e2e = _text(transfer, "{*}PmtId/{*}EndToEndId")
    payment = session.scalars(
        select(Payment).where(Payment.run_id == betaalrun.run, Payment.end_to_end_id == e2e)
    ).one()
    assert Money(payment.amount_cents) == Money.parse(_text(transfer, "{*}Amt/{*}InstdAmt") or "")
    assert payment.creditor_iban == _text(transfer, "{*}CdtrAcct/{*}Id/{*}IBAN")


@then(
    parsers.re(
        rf'betaalt het bestand (?P<bedrag>{BEDRAG}) aan "(?P<naam>[^"]+)" op IBAN '
        rf'(?P<iban>{IBAN}) met omschrijving "(?P<omschrijving>[^"]+)"'
    )
)
def betaling_met_omschrijving(
    session: Session, betaalrun: Betaalrun, bedrag: str, naam: str, iban: str, omschrijving: str
) -> None:
    found = [
        t
        for t in _transfer(betaalrun, naam, iban, bedrag)
        if _text(t, "{*}RmtInf/{*}Ustrd") == omschrijving
    ]
    assert len(found) == 1, f"{len(found)} betalingen van {bedrag} aan {naam} ({omschrijving})"
    assert found[0].find("{*}RmtInf/{*}Strd") is None
    _check_end_to_end(session, betaalrun, found[0])


@then(
    parsers.re(
        rf'betaalt het bestand (?P<bedrag>{BEDRAG}) aan "(?P<naam>[^"]+)" op IBAN '
        rf'(?P<iban>{IBAN}) met betalingskenmerk "(?P<kenmerk>\d+)"'
    )
)
def betaling_met_kenmerk(
    session: Session, betaalrun: Betaalrun, bedrag: str, naam: str, iban: str, kenmerk: str
) -> None:
    found = [
        t
        for t in _transfer(betaalrun, naam, iban, bedrag)
        if _text(t, "{*}RmtInf/{*}Strd/{*}CdtrRefInf/{*}Ref") == kenmerk
    ]
    assert len(found) == 1, f"{len(found)} betalingen van {bedrag} aan {naam} ({kenmerk})"
    assert found[0].find("{*}RmtInf/{*}Ustrd") is None
    _check_end_to_end(session, betaalrun, found[0])


@then(
    parsers.re(
        r'staat betalingskenmerk "(?P<kenmerk>\d+)" in Strd/CdtrRefInf met code '
        r'"(?P<code>[A-Z]+)" en uitgever "(?P<uitgever>[A-Z]+)"'
    )
)
def gestructureerd_kenmerk(betaalrun: Betaalrun, kenmerk: str, code: str, uitgever: str) -> None:
    infos = [
        info
        for t in betaalrun.transfers
        for info in t.iterfind("{*}RmtInf/{*}Strd/{*}CdtrRefInf")
        if _text(info, "{*}Ref") == kenmerk
    ]
    assert len(infos) == 1, f"kenmerk {kenmerk} staat {len(infos)} keer gestructureerd"
    assert _text(infos[0], "{*}Tp/{*}CdOrPrtry/{*}Cd") == code
    assert _text(infos[0], "{*}Tp/{*}Issr") == uitgever


@then("wordt elke inhouding precies één keer betaald, met een eigen EndToEndId")
def elke_inhouding_eenmaal(session: Session, betaalrun: Betaalrun) -> None:
    ids = [_text(t, "{*}PmtId/{*}EndToEndId") for t in betaalrun.transfers]
    assert len(set(ids)) == len(ids), f"dubbele EndToEndId: {ids}"
    contracts = session.scalars(select(cm.Contract.id)).all()
    payments = session.scalars(
        select(Payment).where(Payment.run_id == betaalrun.run, Payment.active.is_(True))
    ).all()
    paid = sorted(p.contract_id for p in payments if p.contract_id is not None)
    assert paid == sorted(contracts), "niet elk contract precies één keer betaald"
    assert sorted(p.end_to_end_id for p in payments) == sorted(i or "" for i in ids)
    for payment in payments:
        if payment.contract_id is not None:
            assert payment.end_to_end_id.endswith(
                f"-H{payment.household_id}-C{payment.contract_id}"
            )


@then(parsers.re(rf"is de uitvoeringsdatum van de vaste lasten (?P<datum>{DATUM})"))
def uitvoeringsdatum(session: Session, betaalrun: Betaalrun, datum: str) -> None:
    day = dutch_date(datum)
    assert get_run(session, betaalrun.run).execution_date == day
    assert betaalrun.file is not None
    dates = {
        _text(batch, "{*}PmtInfId"): _text(batch, "{*}ReqdExctnDt/{*}Dt")
        for batch in betaalrun.file.iterfind(".//{*}PmtInf")
    }
    vaste_lasten = [d for batch_id, d in dates.items() if batch_id and "-VL-" in batch_id]
    assert vaste_lasten == [day.isoformat()], dates


@then(parsers.re(r'wordt dat geweigerd met de melding "(?P<melding>[^"]+)"'))
def geweigerd(betaalrun: Betaalrun, melding: str) -> None:
    assert isinstance(betaalrun.error, Conflict), f"verwacht een Conflict: {betaalrun.error!r}"
    assert melding in betaalrun.error.detail


@then(parsers.re(r'wordt dat niet toegestaan met de melding "(?P<melding>[^"]+)"'))
def niet_toegestaan(betaalrun: Betaalrun, melding: str) -> None:
    assert isinstance(betaalrun.error, NotPermitted), f"verwacht NotPermitted: {betaalrun.error!r}"
    assert melding in betaalrun.error.detail


@then(
    parsers.re(
        r'kan de betaalrun niet worden voorbereid omdat betaalontvanger "(?P<naam>[^"]+)" '
        r"geen plaats heeft"
    )
)
def geen_plaats(betaalrun: Betaalrun, naam: str) -> None:
    error = betaalrun.error
    assert isinstance(error, InvalidInput), f"verwacht InvalidInput: {error!r}"
    assert [(p.record, p.field) for p in error.problems] == [(reference_of(naam), "town")]
    assert naam in error.problems[0].reason
    assert "geen plaats" in error.detail


@then(
    parsers.re(
        rf"wordt (?P<bedrag>{BEDRAG}) leefgeld van (?P<referentie>[A-Z0-9-]+) vastgehouden en in "
        r"het verslag van de betaalrun genoemd"
    )
)
def vastgehouden(session: Session, betaalrun: Betaalrun, bedrag: str, referentie: str) -> None:
    held = run_overview(session, READER, betaalrun.run).report["held"]
    listed = [h for h in held if h["household"] == referentie]
    assert len(listed) == 1, held
    assert Money(int(str(listed[0]["amount_cents"]))) == money(bedrag)


@then(parsers.re(r"krijgt (?P<referentie>[A-Z0-9-]+) geen leefgeld in de betaalrun"))
def geen_leefgeld(session: Session, betaalrun: Betaalrun, referentie: str) -> None:
    household_id = session.scalars(
        select(cm.Household.id).where(cm.Household.reference == referentie)
    ).one()
    categories = session.scalars(
        select(Payment.category).where(
            Payment.run_id == betaalrun.run, Payment.household_id == household_id
        )
    ).all()
    assert categories, f"{referentie} staat niet in de betaalrun"
    assert "leefgeld" not in categories


def _household_id(session: Session, referentie: str) -> int:
    return find_household(session, referentie, GEMEENTE).id


def _balance(session: Session, code: str, referentie: str) -> Money:
    account = session.scalar(
        select(LedgerAccount.id).where(
            LedgerAccount.code == f"{code}/household:{_household_id(session, referentie)}"
        )
    )
    return Money(0) if account is None else balance(session, account)


@then(
    parsers.re(
        rf"noemt het verslag van de betaalrun (?P<bedrag>{BEDRAG}) vastgehouden leefgeld van "
        rf"(?P<referentie>[A-Z0-9-]+) uit (?P<maand>{MAAND}) dat nu wordt uitbetaald"
    )
)
def vrijgegeven(
    session: Session, betaalrun: Betaalrun, bedrag: str, referentie: str, maand: str
) -> None:
    released = run_overview(session, READER, betaalrun.run).report["released"]
    listed = [r for r in released if r["household"] == referentie]
    assert len(listed) == 1, released
    assert Money(int(str(listed[0]["amount_cents"]))) == money(bedrag)
    origin = listed[0]["origin"]
    assert isinstance(origin, list)
    assert [o["period"] for o in origin] == [dutch_month(maand).label()]
    assert maand in str(listed[0]["reason"])


@then(
    parsers.re(
        rf"staat in het verslag van de betaalrun een vordering van (?P<bedrag>{BEDRAG}) op "
        r"(?P<referentie>[A-Z0-9-]+) voor (?P<wat>.+)"
    )
)
def vordering(
    session: Session, betaalrun: Betaalrun, bedrag: str, referentie: str, wat: str
) -> None:
    claims = run_overview(session, READER, betaalrun.run).report["claims"]
    listed = [c for c in claims if c["household"] == referentie]
    assert len(listed) == 1, claims
    assert Money(int(str(listed[0]["amount_cents"]))) == money(bedrag)
    assert str(listed[0]["reason"]).lower().startswith(wat.lower())
    assert _balance(session, "vorderingen", referentie) == money(bedrag)


@then(parsers.re(r"is het grootboek (?P<referentie>[A-Z0-9-]+) niets meer verschuldigd"))
def niets_verschuldigd(session: Session, referentie: str) -> None:
    assert _balance(session, "te-betalen-huishoudens", referentie) == Money(0)


@then(parsers.re(r"krijgt (?P<referentie>[A-Z0-9-]+) niets in de betaalrun"))
def niets(session: Session, betaalrun: Betaalrun, referentie: str) -> None:
    paid = session.scalars(
        select(Payment.id).where(
            Payment.run_id == betaalrun.run,
            Payment.household_id == _household_id(session, referentie),
        )
    ).all()
    assert paid == []


@then(
    parsers.re(
        rf"is de bijstand van (?P<maand>{MAAND}) voor elk huishouden precies één keer geboekt"
    )
)
def bijstand_eenmaal(session: Session, maand: str) -> None:
    period = dutch_month(maand).label()
    counts = session.execute(
        select(RunLine.household_id, func.count())
        .join(PaymentRun, PaymentRun.id == RunLine.run_id)
        .where(
            RunLine.period == period,
            RunLine.line_key == "bijstand",
            PaymentRun.state != "cancelled",
        )
        .group_by(RunLine.household_id)
    ).all()
    households = session.scalars(select(cm.Household.id)).all()
    assert sorted((int(h), int(n)) for h, n in counts) == sorted((h, 1) for h in households)
