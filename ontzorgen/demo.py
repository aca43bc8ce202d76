# SPDX-License-Identifier: EUPL-1.2
"""Demo data: a gemeente to click through (later issues grow it into a full demo month)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente

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


@dataclass(frozen=True)
class DemoSummary:
    """What the demo made."""

    gemeente_code: str
    gemeente_created: bool


def load_demo(session: Session, actor: Actor) -> DemoSummary:
    """Create the demo gemeente (once; running the demo again changes nothing)."""
    existing = session.scalar(select(Gemeente).where(Gemeente.code == DEMO_GEMEENTE.code))
    if existing is not None:
        return DemoSummary(existing.code, gemeente_created=False)
    gemeente = create_gemeente(session, actor, DEMO_GEMEENTE)
    return DemoSummary(gemeente.code, gemeente_created=True)
