# SPDX-License-Identifier: EUPL-1.2
"""Every table, imported in one place so that the metadata is complete (Alembic, tests)."""

from ontzorgen.clients.models import (
    BijstandRight,
    Contract,
    ContractAmount,
    Deduction,
    Household,
    Payee,
    Person,
    SuppliedAmount,
    Voorschot,
    WindowExtension,
)
from ontzorgen.db import Base
from ontzorgen.gemeenten.models import Gemeente

__all__ = [
    "Base",
    "BijstandRight",
    "Contract",
    "ContractAmount",
    "Deduction",
    "Gemeente",
    "Household",
    "Payee",
    "Person",
    "SuppliedAmount",
    "Voorschot",
    "WindowExtension",
]
