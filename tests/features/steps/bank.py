# SPDX-License-Identifier: EUPL-1.2
"""Steps of ``tests/features/bank/*.feature`` (vocabulary: ``bank/STAPPEN.md``).

The gemeente, payees, households and runs come from the betaalrun steps. The bank is the test
bank (``ontzorgen.sepa.testbank``): it answers the run's stored pain.001; the answers go through
the real import (``import_bank_file``), decisions, correction runs and reconciliation, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.bank.decisions import approve_decision, decide, to_carry_out
from ontzorgen.bank.importer import ImportSummary, import_bank_file
from ontzorgen.bank.models import BankItem
from ontzorgen.bank.reconcile import LABELS, close_period, open_items, reconcile
from ontzorgen.bank.status import STATUS_LABELS, payment_status
from ontzorgen.clients import models as cm
from ontzorgen.clients.service import find_household
from ontzorgen.errors import DomainError, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger.balances import balance
from ontzorgen.ledger.models import LedgerAccount
from ontzorgen.money import Money
from ontzorgen.runs.files import stored_file
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.sepa import testbank
from tests.factories import actor_for, at_noon
from tests.features.steps.betaalrun import (
    GEMEENTE,
    Betaalrun,
    accorderen,
    exporteren,
    voorbereiden,
)
from tests.features.steps.dutch import BEDRAG, DATUM, MAAND, dutch_date, dutch_month, money

READER = actor_for("lezer")

REASON = r"[A-Z0-9]{4}"


@dataclass
class Bank:
    """The last bank file, what its import said, and the first run of the scenario."""

    file: bytes | None = None
    summary: ImportSummary | None = None
    first_run: int | None = None
    decision: int | None = None  # the last decision taken
    rejected: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def bank() -> Bank:
    return Bank()


def _pain001(session: Session, run_id: int) -> bytes:
    stored = stored_file(session, session.get_one(PaymentRun, run_id))
    assert stored is not None, f"betaalrun {run_id} is niet geëxporteerd"
    return stored.content


def _payment(session: Session, betaalrun: Betaalrun, naam: str, bank: Bank) -> Payment:
    """The scenario's first run's payment to ``naam``."""
    run_id = bank.first_run or betaalrun.run
    return session.scalars(
        select(Payment).where(Payment.run_id == run_id, Payment.creditor_name == naam)
    ).one()


def _first(bank: Bank, betaalrun: Betaalrun) -> int:
    if bank.first_run is None:
        bank.first_run = betaalrun.run
    return bank.first_run


# -- Gegeven: the run of the Achtergrond, with the betaalrun steps --------------------------
given(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" de betaalrun voor (?P<maand>{MAAND}) voorbereidt op '
        rf"(?P<datum>{DATUM})"
    )
)(voorbereiden)
given(parsers.re(rf'"(?P<medewerker>[a-z.]+)" de betaalrun accordeert op (?P<datum>{DATUM})'))(
    accorderen
)
given(parsers.re(rf'"(?P<medewerker>[a-z.]+)" het betaalbestand exporteert op (?P<datum>{DATUM})'))(
    exporteren
)


# -- Als ---------------------------------------------------------------------------------------


@when(parsers.re(rf"de bank de vaste lasten van de run afschrijft op (?P<datum>{DATUM})"))
def vaste_lasten_afschrijven(
    session: Session, betaalrun: Betaalrun, bank: Bank, datum: str
) -> None:
    _first(bank, betaalrun)
    content = _pain001(session, betaalrun.run)
    batches = [
        b.pmt_inf_id for b in testbank.read_pain001(content).batches if "-VL-" in b.pmt_inf_id
    ]
    rejected = bank.rejected if betaalrun.run == bank.first_run else {}
    bank.file = testbank.camt053(content, booking_date=dutch_date(datum), pmt_inf_ids=batches,
                                 rejected=rejected)  # fmt: skip


@when(parsers.re(rf"de bank het leefgeld van de eerste run afschrijft op (?P<datum>{DATUM})"))
def leefgeld_afschrijven(session: Session, betaalrun: Betaalrun, bank: Bank, datum: str) -> None:
    content = _pain001(session, _first(bank, betaalrun))
    batches = [
        b.pmt_inf_id for b in testbank.read_pain001(content).batches if "-LG-" in b.pmt_inf_id
    ]
    bank.file = testbank.camt053(content, booking_date=dutch_date(datum), pmt_inf_ids=batches)


@when(
    parsers.re(
        rf'de bank de betaling aan "(?P<naam>[^"]+)" terugboekt op (?P<datum>{DATUM}) met reden '
        rf"(?P<code>{REASON})"
    )
)
def terugboeken(
    session: Session, betaalrun: Betaalrun, bank: Bank, naam: str, datum: str, code: str
) -> None:
    run_id = _first(bank, betaalrun)
    payment = _payment(session, betaalrun, naam, bank)
    bank.file = testbank.camt054(_pain001(session, run_id), booking_date=dutch_date(datum),
                                 returned={payment.end_to_end_id: code})  # fmt: skip


@when(
    parsers.re(rf'de bank de betaling aan "(?P<naam>[^"]+)" weigert met reden (?P<code>{REASON})')
)
def weigeren(session: Session, betaalrun: Betaalrun, bank: Bank, naam: str, code: str) -> None:
    run_id = _first(bank, betaalrun)
    payment = _payment(session, betaalrun, naam, bank)
    bank.rejected[payment.end_to_end_id] = code
    bank.file = testbank.pain002(_pain001(session, run_id), rejected={payment.end_to_end_id: code})


@when(
    parsers.re(
        rf'de bank een bijschrijving van (?P<bedrag>{BEDRAG}) boekt van "(?P<naam>[^"]+)" met '
        rf'omschrijving "(?P<omschrijving>[^"]+)" op (?P<datum>{DATUM})'
    )
)
def bijschrijving(
    session: Session, betaalrun: Betaalrun, bank: Bank, bedrag: str, naam: str,
    omschrijving: str, datum: str,
) -> None:  # fmt: skip
    run_id = _first(bank, betaalrun)
    payee = session.scalars(select(cm.Payee).where(cm.Payee.name == naam)).one()
    credit = testbank.Credit(money(bedrag).cents, naam, payee.iban, omschrijving)
    bank.file = testbank.camt053(_pain001(session, run_id), booking_date=dutch_date(datum),
                                 booked=False, extra_credits=[credit])  # fmt: skip


def _read(session: Session, bank: Bank, medewerker: str, datum: str) -> None:
    assert bank.file is not None, "de bank heeft nog geen bestand gestuurd"
    day = dutch_date(datum)
    bank.summary = import_bank_file(session, actor_for(medewerker), GEMEENTE, bank.file,
                                    filename="bank.xml", today=day, now=at_noon(day))  # fmt: skip
    session.commit()


@when(parsers.re(rf'"(?P<medewerker>[a-z.]+)" het bankbestand inleest op (?P<datum>{DATUM})'))
def inlezen(session: Session, bank: Bank, medewerker: str, datum: str) -> None:
    _read(session, bank, medewerker, datum)


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" hetzelfde bankbestand nog eens inleest op (?P<datum>{DATUM})'
    )
)
def nog_eens_inlezen(session: Session, bank: Bank, medewerker: str, datum: str) -> None:
    _read(session, bank, medewerker, datum)


@when(
    parsers.re(
        r'"(?P<medewerker>[a-z.]+)" besluit de betaling aan "(?P<naam>[^"]+)" opnieuw te betalen '
        r'met reden "(?P<reden>[^"]+)"'
    )
)
def opnieuw_betalen(
    session: Session, betaalrun: Betaalrun, bank: Bank, medewerker: str, naam: str, reden: str
) -> None:
    payment = _payment(session, betaalrun, naam, bank)
    bank.decision = decide(
        session, actor_for(medewerker), GEMEENTE, action="herbetalen", reason=reden,
        payment_id=payment.id, now=at_noon(betaalrun.today or date(2026, 12, 1)),
    ).id  # fmt: skip
    session.commit()


@when(
    parsers.re(
        rf'"(?P<medewerker>[a-z.]+)" de bijschrijving van (?P<bedrag>{BEDRAG}) toewijst aan '
        r'(?P<referentie>[A-Z0-9-]+) met reden "(?P<reden>[^"]+)"'
    )
)
def toewijzen(
    session: Session, betaalrun: Betaalrun, bank: Bank, medewerker: str, bedrag: str,
    referentie: str, reden: str,
) -> None:  # fmt: skip
    item = session.scalars(
        select(BankItem).where(
            BankItem.kind == "unidentified", BankItem.amount_cents == money(bedrag).cents
        )
    ).one()
    household = find_household(session, referentie, GEMEENTE)
    bank.decision = decide(
        session, actor_for(medewerker), GEMEENTE, action="aan_huishouden", reason=reden,
        bank_item_id=item.id, household_id=household.id,
        now=at_noon(betaalrun.today or date(2026, 12, 1)),
    ).id  # fmt: skip
    session.commit()


@when(parsers.re(r'"(?P<medewerker>[a-z.]+)" het besluit accordeert$'))
def besluit_accorderen(session: Session, betaalrun: Betaalrun, bank: Bank, medewerker: str) -> None:
    assert bank.decision is not None
    approve_decision(session, actor_for(medewerker), GEMEENTE, bank.decision,
                     now=at_noon(betaalrun.today or date(2026, 12, 1)))  # fmt: skip
    session.commit()


@then(parsers.re(r'mag "(?P<medewerker>[a-z.]+)" het besluit niet zelf accorderen$'))
def niet_zelf_accorderen(
    session: Session, betaalrun: Betaalrun, bank: Bank, medewerker: str
) -> None:
    assert bank.decision is not None
    with pytest.raises(NotPermitted) as refused:
        approve_decision(session, actor_for(medewerker), GEMEENTE, bank.decision,
                         now=at_noon(betaalrun.today or date(2026, 12, 1)))  # fmt: skip
    session.rollback()
    assert "vier ogen" in str(refused.value)


@then("betaalt een correctierun het besluit niet zolang niemand anders het accordeerde")
def niet_uitgevoerd_zonder_accordering(session: Session, betaalrun: Betaalrun) -> None:
    gemeente_id = session.scalars(select(Gemeente.id).where(Gemeente.code == GEMEENTE)).one()
    assert to_carry_out(session, gemeente_id) == []


# -- Dan ---------------------------------------------------------------------------------------


@then(parsers.re(r'staat de betaling aan "(?P<naam>[^"]+)" als "(?P<status>[^"]+)"$'))
def status_van(session: Session, betaalrun: Betaalrun, bank: Bank, naam: str, status: str) -> None:
    payment = _payment(session, betaalrun, naam, bank)
    found = payment_status(session, READER, betaalrun.gemeente_id, payment.id)
    assert found.label == status, found.label
    assert status in STATUS_LABELS.values()


@then(
    parsers.re(
        r'staat de betaling aan "(?P<naam>[^"]+)" als "(?P<status>[^"]+)" met reden '
        r'"(?P<reden>[^"]+)"'
    )
)
def status_met_reden(
    session: Session, betaalrun: Betaalrun, bank: Bank, naam: str, status: str, reden: str
) -> None:
    payment = _payment(session, betaalrun, naam, bank)
    found = payment_status(session, READER, betaalrun.gemeente_id, payment.id)
    assert (found.label, found.reason) == (status, reden)


def _account(session: Session, code: str) -> Money:
    account = session.scalar(select(LedgerAccount.id).where(LedgerAccount.code == code))
    return Money(0) if account is None else balance(session, account)


@then(parsers.re(rf'is het saldo van de crediteur "(?P<naam>[^"]+)" (?P<bedrag>{BEDRAG})'))
def saldo_crediteur(session: Session, naam: str, bedrag: str) -> None:
    payee = session.scalars(select(cm.Payee).where(cm.Payee.name == naam)).one()
    assert _account(session, f"crediteuren/payee:{payee.id}") == -money(bedrag)


@then(parsers.re(rf"is het saldo van de tussenrekening (?P<bedrag>{BEDRAG})"))
def saldo_tussenrekening(session: Session, bedrag: str) -> None:
    # A liability: what it holds is its credit balance.
    assert _account(session, "tussenrekening") == -money(bedrag)


@then(parsers.re(rf"is het saldo van de bankrekening (?P<bedrag>-?{BEDRAG})"))
def saldo_bank(session: Session, bedrag: str) -> None:
    negative = bedrag.startswith("-")
    amount = money(bedrag.removeprefix("-"))
    assert _account(session, "bank") == (-amount if negative else amount)


@then(
    parsers.re(
        rf'is "(?P<onderdeel>[^"]+)" in de afstemming van (?P<maand>{MAAND}) (?P<bedrag>{BEDRAG})'
    )
)
def onderdeel(session: Session, onderdeel: str, maand: str, bedrag: str) -> None:
    report = reconcile(session, READER, GEMEENTE, period=dutch_month(maand).label())
    field_name = next(name for name, label in LABELS.items() if label == onderdeel)
    assert Money(getattr(report, field_name)) == money(bedrag), report.as_dict()


@then(
    parsers.re(
        rf"is het verschil in de afstemming van (?P<maand>{MAAND}) (?P<bedrag>{BEDRAG}) met "
        r"(?P<aantal>\d+) open posten"
    )
)
def verschil(session: Session, maand: str, bedrag: str, aantal: str) -> None:
    report = reconcile(session, READER, GEMEENTE, period=dutch_month(maand).label())
    assert Money(report.difference_cents) == money(bedrag)
    assert len(report.open_items) == int(aantal), report.open_items


@then("meldt het inlezen dat het bestand al is ingelezen")
def al_ingelezen(bank: Bank) -> None:
    assert bank.summary is not None
    assert bank.summary.already_imported


@then(
    parsers.re(
        rf"staat er (?P<bedrag>{BEDRAG}) ter controle in de afstemming van (?P<maand>{MAAND}), "
        r"met als suggestie (?P<referentie>[A-Z0-9-]+)"
    )
)
def ter_controle(session: Session, bedrag: str, maand: str, referentie: str) -> None:
    report = reconcile(session, READER, GEMEENTE, period=dutch_month(maand).label())
    assert Money(report.unidentified_cents) == money(bedrag)
    household = find_household(session, referentie, GEMEENTE)
    [row] = [
        r
        for r in open_items(session, READER, GEMEENTE, suggest=True)
        if r["kind"] == "ter_controle"
    ]
    assert any(s["kind"] == "huishouden" and s["id"] == household.id for s in row["suggestions"])


def _close(session: Session, medewerker: str, maand: str) -> None:
    close_period(session, actor_for(medewerker), GEMEENTE, dutch_month(maand).label(),
                 now=at_noon(date(2027, 2, 1)))  # fmt: skip
    session.commit()


@then(parsers.re(rf'kan "(?P<medewerker>[a-z.]+)" de periode (?P<maand>{MAAND}) sluiten$'))
def sluiten(session: Session, medewerker: str, maand: str) -> None:
    _close(session, medewerker, maand)
    period = dutch_month(maand).label()
    runs = session.scalars(select(PaymentRun.state).where(PaymentRun.period == period)).all()
    assert runs  # the month had runs, and it closed with every one reconciled


@then(
    parsers.re(
        rf'kan "(?P<medewerker>[a-z.]+)" de periode (?P<maand>{MAAND}) niet sluiten, met de '
        r'melding "(?P<melding>[^"]+)"'
    )
)
def niet_sluiten(session: Session, medewerker: str, maand: str, melding: str) -> None:
    with pytest.raises(DomainError) as refused:
        _close(session, medewerker, maand)
    session.rollback()
    assert melding in str(refused.value)
