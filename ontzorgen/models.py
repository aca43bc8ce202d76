# SPDX-License-Identifier: EUPL-1.2
"""Every table, imported in one place so that the metadata is complete (Alembic, tests)."""

from ontzorgen.auth.models import (
    AppUser,
    AuditEvent,
    CaseloadAssignment,
    LoginSession,
    UserRole,
)
from ontzorgen.bank.models import (
    BankDecision,
    BankFile,
    BankItem,
    BankReissue,
    DecisionApproval,
    HouseholdEvent,
    PaymentEvent,
)
from ontzorgen.clients.models import (
    BijstandRight,
    Contract,
    ContractAmount,
    Deduction,
    Household,
    Payee,
    PayeeLetter,
    Person,
    RetentionSwitch,
    SuppliedAmount,
    Voorschot,
    WindowExtension,
)
from ontzorgen.db import Base
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.ledger.models import (
    LedgerAccount,
    LedgerBalance,
    LedgerPeriod,
    LedgerPosting,
    LedgerTransaction,
)
from ontzorgen.runs.models import Payment, PaymentRun, RunFile, RunLine

__all__ = [
    "AppUser",
    "AuditEvent",
    "BankDecision",
    "BankFile",
    "BankItem",
    "BankReissue",
    "Base",
    "BijstandRight",
    "CaseloadAssignment",
    "Contract",
    "ContractAmount",
    "DecisionApproval",
    "Deduction",
    "Gemeente",
    "Household",
    "HouseholdEvent",
    "LedgerAccount",
    "LedgerBalance",
    "LedgerPeriod",
    "LedgerPosting",
    "LedgerTransaction",
    "LoginSession",
    "Payee",
    "PayeeLetter",
    "Payment",
    "PaymentEvent",
    "PaymentRun",
    "Person",
    "RetentionSwitch",
    "RunFile",
    "RunLine",
    "SuppliedAmount",
    "UserRole",
    "Voorschot",
    "WindowExtension",
]
