# SPDX-License-Identifier: EUPL-1.2
"""The household file for staff: a household with its persons, right, contracts and window,
as the actor may see it, and the search by reference.

What leaves here is already fit to show: the BSN masked (``*****6789``), people's IBANs masked
unless the actor has :attr:`Permission.BANK_DETAILS_READ` in the household's gemeente. Every
read is logged (``huishouden.bekeken``; a search logs each household listed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import household_condition
from ontzorgen.bijstand.eligibility import OntzorgenWindow, check_household, ontzorgen_window
from ontzorgen.bijstand.facts import FactError
from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import load_rows, to_facts
from ontzorgen.clients.service import readable_household
from ontzorgen.errors import NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.validation import MAX_ID

SEARCH_LIMIT = 50


def mask_bsn(bsn: str) -> str:
    """``*****6789``: the last four digits, enough to tell two people apart on the phone."""
    return "*" * max(len(bsn) - 4, 0) + bsn[-4:]


def mask_iban(iban: str) -> str:
    """``NL** **** **** **43 00``: the country and the last four characters only."""
    compact = iban.replace(" ", "")
    return f"{compact[:2]}** …{compact[-4:]}"


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    role: str
    name: str
    bsn_masked: str
    date_of_birth: date
    preferred_language: str
    doelgroep: str


@dataclass(frozen=True, slots=True)
class AmountView:
    valid_from: date
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ContractView:
    id: int
    reference: str
    category: str
    payee_id: int
    payee_reference: str
    payee_name: str
    payee_iban: str  # an organisation's account: shown to those who see bank data, else masked
    payment_reference: str
    start: date
    end: date | None
    handover_date: date | None
    amounts: list[AmountView]

    @property
    def latest_from(self) -> date | None:
        return self.amounts[-1].valid_from if self.amounts else None


@dataclass(frozen=True, slots=True)
class HouseholdFile:
    id: int
    reference: str
    gemeente_code: str
    gemeente_name: str
    leefvorm: str
    vestigingsdatum: date | None
    iban: str | None  # masked unless bank_details
    iban_name: str | None
    bank_details: bool
    may_change: bool
    persons: list[PersonView]
    right_reference: str | None
    right_start: date | None
    right_end: date | None
    window: OntzorgenWindow | None
    eligible: bool | None
    eligibility_reason: str | None
    extensions: list[tuple[str, str, date]]  # ground, reason, end date
    contracts: list[ContractView]
    problem: str | None  # the facts do not hold (the plan cannot be made)

    @property
    def months(self) -> list[Period]:
        """The months of the ontzorgen window."""
        if self.window is None:
            return []
        return list(Period.of(self.window.start).until(Period.of(self.window.end)))


def household_file(session: Session, actor: Actor, household_id: int) -> HouseholdFile:
    """The file of the household with database id ``household_id``, if ``actor`` may see it
    (else not found, whichever gemeente it is in); the view is logged."""
    if not 0 < household_id <= MAX_ID:
        household_id = 0
    household = readable_household(session, actor, household_id)
    gemeente = session.get_one(Gemeente, household.gemeente_id)
    audit.record(session, actor, "huishouden.bekeken", gemeente_id=gemeente.id,
                 household_id=household.id, ref=f"huishouden:{household.id}")  # fmt: skip
    bank = actor.can(Permission.BANK_DETAILS_READ, gemeente.code)
    rows = load_rows(session, gemeente.id, [household.id])[0]
    payees = {
        p.id: p
        for p in session.scalars(
            select(m.Payee).where(m.Payee.id.in_({c.payee_id for c in rows.contracts}))
        )
    }
    window = eligible = reason = problem = None
    try:
        facts = to_facts(rows)
        window = ontzorgen_window(facts.right, facts.extensions)
        eligibility = check_household(facts.household)
        eligible, reason = eligibility.eligible, eligibility.reason
    except FactError as error:
        problem = f"{error.field}: {error.reason}"
    right = max(rows.rights, key=lambda r: r.start) if rows.rights else None
    return HouseholdFile(
        id=household.id, reference=household.reference, gemeente_code=gemeente.code,
        gemeente_name=gemeente.name, leefvorm=household.leefvorm,
        vestigingsdatum=household.vestigingsdatum,
        iban=None if household.iban is None else (household.iban if bank
                                                  else mask_iban(household.iban)),
        iban_name=household.iban_name if bank else None, bank_details=bank,
        may_change=actor.can(Permission.HOUSEHOLD_WRITE, gemeente.code),
        persons=[
            PersonView(p.id, p.role, p.name, mask_bsn(p.bsn), p.date_of_birth,
                       p.preferred_language, p.doelgroep)
            for p in rows.persons
        ],
        right_reference=None if right is None else right.reference,
        right_start=None if right is None else right.start,
        right_end=None if right is None else right.end,
        window=window, eligible=eligible, eligibility_reason=reason,
        extensions=[(e.ground, e.reason, e.end_date)
                    for e in sorted(rows.extensions, key=lambda e: e.end_date)],
        contracts=[
            ContractView(
                id=c.id, reference=c.reference, category=c.category, payee_id=c.payee_id,
                payee_reference=payees[c.payee_id].reference, payee_name=payees[c.payee_id].name,
                payee_iban=payees[c.payee_id].iban if bank
                else mask_iban(payees[c.payee_id].iban),
                payment_reference=c.payment_reference, start=c.start, end=c.end,
                handover_date=c.handover_date,
                amounts=[AmountView(a.valid_from, a.amount_cents)
                         for a in sorted(rows.amounts.get(c.id, []), key=lambda a: a.valid_from)],
            )
            for c in rows.contracts
        ],
        problem=problem,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    id: int
    reference: str
    gemeente_code: str
    persons: int
    contracts: int


def search_households(
    session: Session, actor: Actor, reference: str = "", limit: int = SEARCH_LIMIT
) -> list[HouseholdRow]:
    """The households ``actor`` may see whose reference contains ``reference`` (a coach: the
    caseload only), at most ``limit``; each one listed is logged."""
    if not actor.system and not actor.gemeenten_with(Permission.HOUSEHOLD_READ):
        raise NotPermitted(f"u heeft geen recht om dit te doen: {Permission.HOUSEHOLD_READ.value}")
    query = (
        select(m.Household.id, m.Household.reference, Gemeente.code)
        .join(Gemeente, Gemeente.id == m.Household.gemeente_id)
        .where(household_condition(actor))
        .order_by(Gemeente.code, m.Household.reference)
        .limit(limit)
    )
    text = reference.strip()[:35]
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(m.Household.reference.ilike(f"%{escaped}%", escape="\\"))
    found = session.execute(query).all()
    if not found:
        return []
    ids = [row.id for row in found]
    persons = _counts(session, m.Person.household_id, ids)
    contracts = _counts(session, m.Contract.household_id, ids)
    by_gemeente: dict[str, list[int]] = {}
    for row in found:
        by_gemeente.setdefault(row.code, []).append(row.id)
    for code, household_ids in by_gemeente.items():
        gemeente_id = session.scalars(select(Gemeente.id).where(Gemeente.code == code)).one()
        audit.record_households(
            session, actor, "huishoudens.gezocht", gemeente_id=gemeente_id,
            household_ids=select(m.Household.id).where(m.Household.id.in_(household_ids)),
            ref="zoeken",
        )  # fmt: skip
    return [
        HouseholdRow(row.id, row.reference, row.code, persons.get(row.id, 0),
                     contracts.get(row.id, 0))
        for row in found
    ]  # fmt: skip


def _counts(session: Session, column: InstrumentedAttribute[int], ids: list[int]) -> dict[int, int]:
    query = select(column, func.count()).where(column.in_(ids)).group_by(column)
    return {key: count for key, count in session.execute(query)}
