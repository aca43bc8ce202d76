# SPDX-License-Identifier: EUPL-1.2
"""Letters to payees: the landlord or supplier hears who pays a contract from which date.

Two letters per contract, derived from the stored facts with the same rules as the plan
(:func:`~ontzorgen.bijstand.eligibility.contract_due`), never stored as "to do":

- ``start``: the gemeente pays the contract on the household's behalf from the first day it
  is withheld (the later of the ontzorgen window's start and the contract's start);
- ``overdracht``: the household pays it itself again from the first day it is no longer
  withheld — its handover date (afbouwplan), the day after the window ends, or an opt-out's
  date, whichever comes first (no letter when the contract ends before that).

A letter is due from :data:`LEAD_DAYS` before its date until it is marked sent (table
``payee_letter``, migration 0011: once, and for good). A changed handover date gives a new
letter, because the payee must hear the new date. Letters name the payee, the date, the
payment reference and the household's address if known: never a BSN or a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import household_condition, require_household
from ontzorgen.bijstand.eligibility import check_household, contract_due, ontzorgen_window
from ontzorgen.bijstand.facts import FactError, GemeentePolicy
from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import HouseholdFacts, HouseholdRows, load_rows, to_facts
from ontzorgen.db import session_now
from ontzorgen.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import policy_of
from ontzorgen.validation import MAX_ID

START, HANDOVER = "start", "overdracht"
KINDS: Final = (START, HANDOVER)
# A letter is due this many days before its date: time for the payee to adjust its records.
LEAD_DAYS: Final = 42


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as stored (parts may be missing)."""

    street: str | None
    building_number: str | None
    postcode: str | None
    town: str | None

    @property
    def lines(self) -> list[str]:
        first = " ".join(p for p in (self.street, self.building_number) if p)
        second = " ".join(p for p in (self.postcode, self.town) if p)
        return [line for line in (first, second) if line]


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter to a payee, due or sent."""

    gemeente_id: int
    gemeente_code: str
    gemeente_name: str
    household_id: int
    household_reference: str
    household_address: Address
    contract_id: int
    contract_reference: str
    category: str
    payment_reference: str
    amount_cents: int  # the monthly amount on the letter's date
    payee_name: str
    payee_address: Address
    kind: str
    effective_date: date
    sent_at: datetime | None = None
    sent_by: str | None = None

    @property
    def due_from(self) -> date:
        return self.effective_date - timedelta(days=LEAD_DAYS)

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    def is_due(self, today: date) -> bool:
        return not self.sent and today >= self.due_from


@dataclass(frozen=True, slots=True)
class LetterDate:
    """What the rules say: from ``effective_date`` on, the contract is paid by the other."""

    contract_id: int
    kind: str
    effective_date: date


def letter_dates(facts: HouseholdFacts, policy: GemeentePolicy) -> list[LetterDate]:
    """The start and handover dates of a household's contracts (pure: from the facts)."""
    window = ontzorgen_window(facts.right, facts.extensions)
    eligibility = check_household(facts.household)
    found: list[LetterDate] = []
    for contract in facts.contracts:
        start = max(window.start, contract.start)
        decision = contract_due(
            contract, Period.of(start), eligibility=eligibility, window=window, policy=policy,
            opt_out=facts.opt_out,
        )  # fmt: skip
        if not decision.withhold or decision.due_date != start:
            continue  # the gemeente never starts paying it (or not on its first day)
        stops = [window.end + timedelta(days=1)]
        if contract.handover_date is not None:
            stops.append(contract.handover_date)
        opt_out = facts.opt_out
        if opt_out is not None and policy.allow_opt_out and opt_out.effective_from is not None:
            stops.append(opt_out.effective_from)
        stop = min(stops)
        found.append(LetterDate(int(contract.id), START, start))
        if stop > start and (contract.end is None or contract.end >= stop):
            found.append(LetterDate(int(contract.id), HANDOVER, stop))
    return found


def _amount_on(rows: HouseholdRows, contract_id: int, day: date) -> int:
    versions = sorted(rows.amounts.get(contract_id, []), key=lambda a: a.valid_from)
    valid = [a for a in versions if a.valid_from <= day] or versions[:1]
    return valid[-1].amount_cents if valid else 0


def _letters(session: Session, gemeente: Gemeente, household_ids: list[int]) -> list[Letter]:
    """Every letter of these households (of one gemeente), with the sent ones marked."""
    if not household_ids:
        return []
    policy = policy_of(gemeente).to_facts()
    sent = {
        (row.contract_id, row.kind, row.effective_date): row
        for row in session.scalars(
            select(m.PayeeLetter)
            .join(m.Contract, m.Contract.id == m.PayeeLetter.contract_id)
            .where(
                m.PayeeLetter.gemeente_id == gemeente.id,
                m.Contract.household_id.in_(household_ids),
            )
        )
    }
    rows_of = load_rows(session, gemeente.id, household_ids)
    payee_ids = {c.payee_id for rows in rows_of for c in rows.contracts}
    payees = {p.id: p for p in session.scalars(select(m.Payee).where(m.Payee.id.in_(payee_ids)))}
    letters: list[Letter] = []
    for rows in rows_of:
        try:
            facts = to_facts(rows)
        except FactError:
            continue  # a household whose facts do not hold is not planned, nor written about
        contracts = {c.id: c for c in rows.contracts}
        h = rows.household
        for found in letter_dates(facts, policy):
            contract = contracts[found.contract_id]
            payee = payees[contract.payee_id]
            record = sent.get((found.contract_id, found.kind, found.effective_date))
            letters.append(
                Letter(
                    gemeente_id=gemeente.id, gemeente_code=gemeente.code,
                    gemeente_name=gemeente.name, household_id=h.id,
                    household_reference=h.reference,
                    household_address=Address(h.street, h.building_number, h.postcode, h.town),
                    contract_id=contract.id, contract_reference=contract.reference,
                    category=contract.category, payment_reference=contract.payment_reference,
                    amount_cents=_amount_on(rows, contract.id, found.effective_date),
                    payee_name=payee.name,
                    payee_address=Address(payee.street, payee.building_number, payee.postcode,
                                          payee.town),
                    kind=found.kind, effective_date=found.effective_date,
                    sent_at=None if record is None else record.sent_at,
                    sent_by=None if record is None else record.sent_by,
                )
            )  # fmt: skip
    return letters


def _gemeenten(session: Session, actor: Actor) -> list[Gemeente]:
    codes = sorted(actor.gemeenten_with(Permission.HOUSEHOLD_WRITE))
    if actor.system:
        return list(session.scalars(select(Gemeente).order_by(Gemeente.code)))
    if not codes:
        return []
    return list(session.scalars(select(Gemeente).where(Gemeente.code.in_(codes))))


def due_letters(session: Session, actor: Actor, today: date) -> list[Letter]:
    """The letters due today in every gemeente where ``actor`` changes households (the
    inkomen-medewerker), by date; the households listed are logged."""
    gemeenten = _gemeenten(session, actor)
    if not gemeenten:
        raise NotPermitted(f"u heeft geen recht om dit te doen: {Permission.HOUSEHOLD_WRITE.value}")
    letters: list[Letter] = []
    visible = household_condition(actor, Permission.HOUSEHOLD_WRITE)
    for gemeente in gemeenten:
        ids = list(
            session.scalars(
                select(m.Household.id).where(m.Household.gemeente_id == gemeente.id, visible)
            )
        )
        due = [letter for letter in _letters(session, gemeente, ids) if letter.is_due(today)]
        if due:
            audit.record_households(
                session, actor, "brieven.bekeken", gemeente_id=gemeente.id,
                household_ids=select(m.Household.id).where(
                    m.Household.id.in_(sorted({letter.household_id for letter in due}))
                ),
                ref="brieven:te-versturen",
            )  # fmt: skip
        letters.extend(due)
    return sorted(letters, key=lambda x: (x.effective_date, x.gemeente_code, x.contract_id))


@dataclass(frozen=True, slots=True)
class SentLetter:
    """A letter marked sent, as the letters page lists it."""

    contract_reference: str
    household_id: int
    household_reference: str
    kind: str
    effective_date: date
    sent_at: datetime
    sent_by: str


def sent_letters(session: Session, actor: Actor, limit: int = 50) -> list[SentLetter]:
    """The letters marked sent most recently, in the gemeenten where ``actor`` may see them."""
    visible = household_condition(actor, Permission.HOUSEHOLD_WRITE)
    rows = session.execute(
        select(m.PayeeLetter, m.Contract.reference, m.Household.id, m.Household.reference)
        .join(m.Contract, m.Contract.id == m.PayeeLetter.contract_id)
        .join(m.Household, m.Household.id == m.Contract.household_id)
        .where(visible)
        .order_by(m.PayeeLetter.sent_at.desc(), m.PayeeLetter.id.desc())
        .limit(limit)
    ).all()
    return [
        SentLetter(contract, household_id, household, row.kind, row.effective_date,
                   row.sent_at, row.sent_by)
        for row, contract, household_id, household in rows
    ]  # fmt: skip


def _contract(session: Session, actor: Actor, contract_id: int) -> m.Contract:
    contract = session.get(m.Contract, contract_id) if 0 < contract_id <= MAX_ID else None
    if contract is None:
        raise NotFound("contract niet gevonden")
    require_household(
        session, actor, session.get_one(m.Household, contract.household_id),
        Permission.HOUSEHOLD_WRITE,
    )  # fmt: skip
    return contract


def letter_for(session: Session, actor: Actor, contract_id: int, kind: str) -> Letter:
    """The contract's letter of ``kind`` as the facts are now (due or sent); logged."""
    if kind not in KINDS:
        raise NotFound("brief niet gevonden")
    contract = _contract(session, actor, contract_id)
    gemeente = session.get_one(Gemeente, contract.gemeente_id)
    for letter in _letters(session, gemeente, [contract.household_id]):
        if letter.contract_id == contract.id and letter.kind == kind:
            audit.record(
                session, actor, "brief.bekeken", gemeente_id=gemeente.id,
                household_id=contract.household_id, ref=f"brief:{contract.id}:{kind}",
            )  # fmt: skip
            return letter
    raise NotFound("voor dit contract is zo'n brief er niet")


def mark_sent(
    session: Session, actor: Actor, contract_id: int, kind: str, effective_date: date
) -> m.PayeeLetter:
    """Record that the letter was sent. ``effective_date`` is the date the letter named: if
    the facts have changed since (a new handover date), the letter is refused (send the new
    one). A letter is marked sent once; the database keeps that too (migration 0011)."""
    letter = letter_for(session, actor, contract_id, kind)
    if letter.effective_date != effective_date:
        raise InvalidInput(
            "effective_date",
            f"de brief noemt nu {letter.effective_date.isoformat()}: de gegevens zijn gewijzigd; "
            "druk de nieuwe brief af",
        )
    if letter.sent_at is not None:
        raise Conflict(f"deze brief is al als verzonden gemarkeerd (door {letter.sent_by})")
    row = m.PayeeLetter(
        gemeente_id=letter.gemeente_id, contract_id=letter.contract_id, kind=kind,
        effective_date=letter.effective_date,
        sent_at=session_now(session), sent_by=actor.user_id,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("deze brief is al als verzonden gemarkeerd") from None
    audit.record(
        session, actor, "brief.verzonden", gemeente_id=letter.gemeente_id,
        household_id=letter.household_id, ref=f"brief:{contract_id}:{kind}",
    )  # fmt: skip
    return row


def letters_of_household(session: Session, household: m.Household) -> list[Letter]:
    """A household's letters (for its file; the caller has checked who may see it)."""
    return _letters(session, session.get_one(Gemeente, household.gemeente_id), [household.id])


__all__ = [
    "HANDOVER", "KINDS", "LEAD_DAYS", "START", "Address", "Letter", "LetterDate", "SentLetter",
    "due_letters", "letter_dates", "letter_for", "letters_of_household", "mark_sent",
    "sent_letters",
]  # fmt: skip
