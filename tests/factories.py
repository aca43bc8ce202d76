# SPDX-License-Identifier: EUPL-1.2
"""Typed factory functions shared by the tests (real service calls, no mocks)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente

DATA = Path(__file__).parent / "data"
CLERK = Actor("medewerker.inkomen")


def make_gemeente(session: Session, code: str = "0439", **policy: Any) -> Gemeente:
    """Purmerend (or another code) with a BNG account and a minimum leefgeld policy."""
    parameters = {
        "minimum_leefgeld_cents": 30000,
        "minimum_leefgeld_per_extra_member_cents": 10000,
        **policy,
    }
    return create_gemeente(
        session,
        CLERK,
        GemeenteIn(
            code=code,
            name=f"Gemeente {code}",
            debtor_name=f"Gemeente {code}",
            debtor_iban="NL14BNGH0285001234",
            policy=PolicyParameters.model_validate(parameters),
        ),
    )


def example_import() -> dict[str, Any]:
    """A fresh copy of the example import file (two households, four payees)."""
    raw: dict[str, Any] = json.loads((DATA / "import" / "purmerend-december-2026.json").read_text())
    return copy.deepcopy(raw)
