# SPDX-License-Identifier: EUPL-1.2
"""/api/v1/imports and /api/v1/gemeenten/{gemeente}/huishoudens/{ref}/maandplannen/{period}"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from ontzorgen.api.deps import ActorDep, SessionDep
from ontzorgen.api.problems import PROBLEM_RESPONSES
from ontzorgen.clients.planning import period_from_text, plan_as_json, view_plan
from ontzorgen.clients.schemas import (
    AccountIn,
    AmountIn,
    AmountOut,
    ExtensionIn,
    ExtensionOut,
    HandoverIn,
    ImportResult,
    MonthlyPlanOut,
    PayeeAccountIn,
    RightEndIn,
)
from ontzorgen.clients.service import (
    add_contract_amount,
    change_payee_account,
    end_bijstand,
    extend_window,
    hand_over_contract,
    import_households,
    readable_household,
    set_household_account,
)

router = APIRouter(tags=["huishoudens"], responses=PROBLEM_RESPONSES)


@router.post("/imports", status_code=201)
def create_import(
    session: SessionDep,
    actor: ActorDep,
    data: dict[str, Any] = Body(description="An ontzorgen-import/1 file (import-format)"),  # noqa: B008
) -> ImportResult:
    """Import households, rights and contracts: all-or-nothing, every problem named."""
    summary = import_households(session, actor, data)
    return ImportResult.model_validate(summary, from_attributes=True)


@router.get("/gemeenten/{gemeente}/huishoudens/{household}/maandplannen/{period}")
def get_monthly_plan(
    gemeente: str, household: str, period: str, session: SessionDep, actor: ActorDep
) -> MonthlyPlanOut:
    """A household's monthly plan: each line with amount (cents), recipient and rule."""
    found, plan = view_plan(session, actor, household, gemeente, period_from_text(period))
    return MonthlyPlanOut.model_validate(plan_as_json(session, found, plan))


@router.post("/gemeenten/{gemeente}/contracten/{contract}/bedragen", status_code=201)
def add_amount(
    gemeente: str, contract: str, change: AmountIn, session: SessionDep, actor: ActorDep
) -> AmountOut:
    """A new monthly amount from a date on (e.g. the rent from 1 July): never an edit."""
    amount = add_contract_amount(session, actor, gemeente, contract, change)
    return AmountOut(valid_from=amount.valid_from, amount_cents=amount.amount_cents)


@router.put("/gemeenten/{gemeente}/huishoudens/{household}/rekening", status_code=204)
def set_account(
    gemeente: str, household: str, account: AccountIn, session: SessionDep, actor: ActorDep
) -> None:
    """Record the household's own account; leefgeld is no longer held from the next run."""
    set_household_account(
        session, actor, readable_household(session, actor, household, gemeente), account
    )


@router.put("/gemeenten/{gemeente}/huishoudens/{household}/bijstand/einde", status_code=204)
def set_bijstand_end(
    gemeente: str, household: str, change: RightEndIn, session: SessionDep, actor: ActorDep
) -> None:
    """The last day of bijstand: the window ends with it; the VT reserve is paid out."""
    end_bijstand(session, actor, readable_household(session, actor, household, gemeente), change)


@router.post("/gemeenten/{gemeente}/huishoudens/{household}/verlengingen", status_code=201)
def add_extension(
    gemeente: str, household: str, extension: ExtensionIn, session: SessionDep, actor: ActorDep
) -> ExtensionOut:
    """Extend ontzorgen beyond six months: only with a ground (consent or Pw art. 57)."""
    row = extend_window(
        session, actor, readable_household(session, actor, household, gemeente), extension
    )
    return ExtensionOut.model_validate({"ground": row.ground, "end_date": row.end_date})


@router.put("/gemeenten/{gemeente}/contracten/{contract}/overdracht", status_code=204)
def set_handover(
    gemeente: str, contract: str, change: HandoverIn, session: SessionDep, actor: ActorDep
) -> None:
    """From this date the household pays this vaste last itself (afbouwplan)."""
    hand_over_contract(session, actor, gemeente, contract, change)


@router.put("/gemeenten/{gemeente}/betaalontvangers/{payee}/rekening", status_code=204)
def set_payee_account(
    gemeente: str, payee: str, change: PayeeAccountIn, session: SessionDep, actor: ActorDep
) -> None:
    """A payee's new bank account, used from the next run on."""
    change_payee_account(session, actor, gemeente, payee, change)
