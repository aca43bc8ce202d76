# SPDX-License-Identifier: EUPL-1.2
"""The monthly plan of stored households: load the facts, apply the rules (a pure function)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, audit
from ontzorgen.bijstand.facts import FactError, GemeentePolicy
from ontzorgen.bijstand.lines import MonthlyPlan
from ontzorgen.bijstand.norms import NormNotFound, load_norms
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError, make_plan
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import HouseholdFacts, load_rows, parse_period, to_facts
from ontzorgen.clients.service import readable_household
from ontzorgen.errors import InvalidInput
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import policy_of


def period_from_text(text: str) -> Period:
    """``2026-12`` → a Period, or InvalidInput naming ``period``."""
    try:
        return parse_period(text)
    except ValueError:
        raise InvalidInput("period", "een maand als JJJJ-MM, bijvoorbeeld 2026-12") from None


def plan_from_facts(facts: HouseholdFacts, policy: GemeentePolicy, period: Period) -> MonthlyPlan:
    """Apply the rules to one household's facts."""
    return make_plan(
        facts.household,
        facts.right,
        facts.contracts,
        policy,
        load_norms(),
        period,
        voorschotten=facts.voorschotten,
        deductions=facts.deductions,
        extensions=facts.extensions,
        opt_out=facts.opt_out,
    )


def plan_for_household(session: Session, household: m.Household, period: Period) -> MonthlyPlan:
    """The plan of one stored household for ``period``; bad facts become InvalidInput."""
    gemeente = session.get_one(Gemeente, household.gemeente_id)
    rows = load_rows(session, household.gemeente_id, [household.id])
    try:
        return plan_from_facts(to_facts(rows[0]), policy_of(gemeente).to_facts(), period)
    except (FactError, PlanError, NormNotFound) as error:
        raise InvalidInput("household", str(error)) from None


@dataclass(frozen=True, slots=True)
class PayeeView:
    """What a plan shows of a payee: its reference and organisation name."""

    reference: str
    name: str


def view_plan(
    session: Session, actor: Actor, ref: str | int, gemeente: str | None, period: Period
) -> tuple[m.Household, MonthlyPlan]:
    """A household's plan for ``period`` as ``actor`` may see it; the view is logged."""
    household = readable_household(session, actor, ref, gemeente)
    audit.record(
        session, actor, "maandplan.bekeken", gemeente_id=household.gemeente_id,
        household_id=household.id, ref=f"periode:{period.label()}",
    )  # fmt: skip
    return household, plan_for_household(session, household, period)


def payees_of(session: Session, plan: MonthlyPlan) -> dict[str, PayeeView]:
    """The payees a plan pays, by id, for display."""
    ids = {int(line.payee_id) for line in plan.lines if line.payee_id is not None}
    if not ids:
        return {}
    rows = session.scalars(select(m.Payee).where(m.Payee.id.in_(ids)))
    return {str(p.id): PayeeView(p.reference, p.name) for p in rows}


def plan_as_json(session: Session, household: m.Household, plan: MonthlyPlan) -> dict[str, Any]:
    """The plan as JSON for people and other systems: beside each internal id (``contract_id``,
    ``payee_id``) the gemeente's own reference (``contract_reference``, ``payee_reference``)."""
    data = {"household_reference": household.reference, **plan.as_dict()}
    contract_ids = {int(line.contract_id) for line in plan.lines if line.contract_id is not None}
    contract_ids |= {int(s.contract_id) for s in plan.skipped}
    query = select(m.Contract.id, m.Contract.reference).where(m.Contract.id.in_(contract_ids))
    contracts: dict[int, str] = {}
    if contract_ids:
        contracts = {contract_id: reference for contract_id, reference in session.execute(query)}
    payees = payees_of(session, plan)
    for line in [*data["lines"], *data["skipped"]]:
        if "contract_id" in line:
            line["contract_reference"] = contracts[int(line["contract_id"])]
        if "payee_id" in line:
            line["payee_reference"] = payees[line["payee_id"]].reference
    return data
