# SPDX-License-Identifier: EUPL-1.2
"""Stored rows → the facts the rules engine reads.

One mapper, used both to validate an import before it is committed and to load the households
of a gemeente for a plan or a payment run (set-based: a fixed number of queries however many
households there are). Fact ids are the database ids as text, so every plan line leads back to
its row.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ontzorgen import __version__
from ontzorgen.bijstand import facts as f
from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as m
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.money import Money


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """Everything the rules need about one household."""

    household: f.Household
    right: f.BijstandRight
    contracts: tuple[f.Contract, ...]
    voorschotten: tuple[f.Voorschot, ...]
    deductions: tuple[f.Deduction, ...]
    extensions: tuple[f.WindowExtension, ...]
    opt_out: f.OptOut | None


def parse_period(text: str) -> Period:
    """``"2026-12"`` → ``Period(2026, 12)``."""
    year, month = text.split("-")
    return Period(int(year), int(month))


@dataclass
class HouseholdRows:
    """The stored rows of one household, gathered for mapping."""

    household: m.Household
    persons: list[m.Person]
    rights: list[m.BijstandRight]
    supplied: list[m.SuppliedAmount]
    contracts: list[m.Contract]
    amounts: dict[int, list[m.ContractAmount]]
    voorschotten: list[m.Voorschot]
    deductions: list[m.Deduction]
    extensions: list[m.WindowExtension]
    payee_names: dict[int, str]


def to_facts(rows: HouseholdRows) -> HouseholdFacts:
    """Map one household's rows to facts; raises :class:`~ontzorgen.bijstand.facts.FactError`."""
    h = rows.household
    household = f.Household(
        id=str(h.id),
        leefvorm=f.Leefvorm(h.leefvorm),
        persons=tuple(
            f.Person(
                id=str(p.id),
                date_of_birth=p.date_of_birth,
                doelgroep=f.Doelgroep(p.doelgroep),
                permit_asiel_bepaalde_tijd=p.permit_asiel_bepaalde_tijd,
                inburgeringsplichtig_wi2021=p.inburgeringsplichtig_wi2021,
                role=f.PersonRole(p.role),
            )
            for p in rows.persons
        ),
        has_own_iban=h.iban is not None,
        kostendelende_medebewoners=h.kostendelende_medebewoners,
    )
    if not rows.rights:
        raise f.FactError("right", "het huishouden heeft geen recht op bijstand vastgelegd")
    r = max(rows.rights, key=lambda right: right.start)
    right = f.BijstandRight(
        id=str(r.id),
        start=r.start,
        end=r.end,
        leefvorm=f.Leefvorm(r.leefvorm),
        kostendelers=r.kostendelers,
        supplied_amounts={
            parse_period(s.period): f.SuppliedAmount(
                amount=Money(s.amount_cents),
                reference=s.reference,
                vt_accrual=None if s.vt_accrual_cents is None else Money(s.vt_accrual_cents),
            )
            for s in rows.supplied
            if s.right_id == r.id
        },
    )
    contracts = tuple(
        f.Contract(
            id=str(c.id),
            category=f.Category(c.category),
            payee_id=str(c.payee_id),
            payment_reference=c.payment_reference,
            start=c.start,
            end=c.end,
            handover_date=c.handover_date,
            consent_ground=None if c.consent_ground is None else f.ConsentGround(c.consent_ground),
            payee_name=rows.payee_names.get(c.payee_id),
            amounts=tuple(
                f.AmountVersion(a.valid_from, Money(a.amount_cents))
                for a in sorted(rows.amounts.get(c.id, []), key=lambda a: a.valid_from)
            ),
        )
        for c in rows.contracts
    )
    return HouseholdFacts(
        household=household,
        right=right,
        contracts=contracts,
        voorschotten=tuple(
            f.Voorschot(str(v.id), v.paid_on, Money(v.amount_cents)) for v in rows.voorschotten
        ),
        deductions=tuple(
            f.Deduction(
                id=str(d.id),
                kind=f.DeductionKind(d.kind),
                reason=d.reason,
                amount=Money(d.amount_cents),
                first=parse_period(d.first_period),
                last=None if d.last_period is None else parse_period(d.last_period),
            )
            for d in rows.deductions
        ),
        extensions=tuple(
            f.WindowExtension(f.ExtensionGround(e.ground), e.reason, e.end_date)
            for e in rows.extensions
        ),
        opt_out=None if h.opt_out_reason is None else f.OptOut(h.opt_out_reason, h.opt_out_from),
    )


_Owned = TypeVar(
    "_Owned", m.Person, m.BijstandRight, m.Contract, m.Voorschot, m.Deduction, m.WindowExtension
)


def _by_household(rows: Iterable[_Owned]) -> dict[int, list[_Owned]]:
    grouped: dict[int, list[_Owned]] = defaultdict(list)
    for row in rows:
        grouped[row.household_id].append(row)
    return grouped


def load_rows(
    session: Session, gemeente_id: int, household_ids: Sequence[int] | None = None
) -> list[HouseholdRows]:
    """The rows of the gemeente's households (all, or ``household_ids``), in id order.

    A fixed number of queries, each scoped to the gemeente, however many households.
    """

    def owned(model: type[_Owned]) -> list[_Owned]:
        query = select(model).where(model.gemeente_id == gemeente_id)
        if household_ids is not None:
            query = query.where(model.household_id.in_(household_ids))
        return list(session.scalars(query))

    household_query = select(m.Household).where(m.Household.gemeente_id == gemeente_id)
    supplied_query = (
        select(m.SuppliedAmount)
        .join(m.BijstandRight, m.SuppliedAmount.right_id == m.BijstandRight.id)
        .where(m.BijstandRight.gemeente_id == gemeente_id)
    )
    amount_query = (
        select(m.ContractAmount)
        .join(m.Contract, m.ContractAmount.contract_id == m.Contract.id)
        .where(m.Contract.gemeente_id == gemeente_id)
    )
    if household_ids is not None:
        household_query = household_query.where(m.Household.id.in_(household_ids))
        supplied_query = supplied_query.where(m.BijstandRight.household_id.in_(household_ids))
        amount_query = amount_query.where(m.Contract.household_id.in_(household_ids))

    households = sorted(session.scalars(household_query), key=lambda h: h.id)
    payee_names = dict(
        session.execute(
            select(m.Payee.id, m.Payee.name).where(m.Payee.gemeente_id == gemeente_id)
        ).all()
    )
    persons = _by_household(owned(m.Person))
    rights = _by_household(owned(m.BijstandRight))
    contracts = _by_household(owned(m.Contract))
    voorschotten = _by_household(owned(m.Voorschot))
    deductions = _by_household(owned(m.Deduction))
    extensions = _by_household(owned(m.WindowExtension))
    supplied: dict[int, list[m.SuppliedAmount]] = defaultdict(list)
    for s in session.scalars(supplied_query):
        supplied[s.right_id].append(s)
    amounts: dict[int, list[m.ContractAmount]] = defaultdict(list)
    for a in session.scalars(amount_query):
        amounts[a.contract_id].append(a)
    return [
        HouseholdRows(
            household=h,
            persons=sorted(persons.get(h.id, []), key=lambda p: p.id),
            rights=rights.get(h.id, []),
            supplied=[s for r in rights.get(h.id, []) for s in supplied.get(r.id, [])],
            contracts=sorted(contracts.get(h.id, []), key=lambda c: c.id),
            amounts=amounts,
            voorschotten=voorschotten.get(h.id, []),
            deductions=deductions.get(h.id, []),
            extensions=extensions.get(h.id, []),
            payee_names=payee_names,
        )
        for h in households
    ]


def inputs_fingerprint(session: Session, gemeente_id: int) -> str:
    """A SHA-256 over every stored fact a gemeente's plans are computed from.

    Households, persons, rights and their supplied amounts, contracts and their amounts,
    voorschotten, deductions, extensions, payees, the gemeente's policy and bank account, the
    packaged norm table and the software version: if none of these changed, the plans and the
    payments made from them are the same (the plan is a pure function of them). Read with
    plain rows, in primary-key order.
    """
    digest = hashlib.sha256(__version__.encode())
    digest.update(resources.files("ontzorgen.bijstand.data").joinpath("normen.json").read_bytes())
    sources: list[Select[Any]] = [
        select(Gemeente.__table__).where(Gemeente.id == gemeente_id),
        *(
            select(model.__table__).where(model.gemeente_id == gemeente_id).order_by(model.id)
            for model in (m.Household, m.Person, m.BijstandRight, m.Contract, m.Voorschot,
                          m.Deduction, m.WindowExtension, m.Payee)
        ),
        select(m.SuppliedAmount.__table__)
        .join(m.BijstandRight, m.SuppliedAmount.right_id == m.BijstandRight.id)
        .where(m.BijstandRight.gemeente_id == gemeente_id)
        .order_by(m.SuppliedAmount.id),
        select(m.ContractAmount.__table__)
        .join(m.Contract, m.ContractAmount.contract_id == m.Contract.id)
        .where(m.Contract.gemeente_id == gemeente_id)
        .order_by(m.ContractAmount.id),
    ]  # fmt: skip
    for query in sources:
        digest.update(b"\x1e")
        # Streamed: a large gemeente's rows are never all in memory at once.
        for row in session.execute(query.execution_options(yield_per=10_000)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
