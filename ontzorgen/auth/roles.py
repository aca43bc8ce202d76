# SPDX-License-Identifier: EUPL-1.2
"""Roles, what each may do, and which households each may see (least privilege).

The table here is the authorization policy; docs/security.md shows it for the CISO, and the
matrix test (tests/auth/test_matrix.py) checks every route against its own, hand-written copy.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    """A role a user has within one gemeente."""

    INKOMEN = "inkomen-medewerker"
    ACCORDEERDER = "accordeerder"
    BUDGETCOACH = "budgetcoach"
    ACCOUNTANT = "accountant"
    BEHEERDER = "beheerder"
    INBURGERAAR = "inburgeraar"


class Permission(StrEnum):
    """One thing a role may do. The value is the Dutch name shown in a refusal."""

    GEMEENTE_READ = "gemeente inzien"
    GEMEENTE_MANAGE = "gemeente-instellingen wijzigen"
    USERS_MANAGE = "gebruikers en rollen beheren"
    AUDIT_READ = "auditlog inzien"
    HOUSEHOLD_READ = "huishouden inzien"
    HOUSEHOLD_WRITE = "huishoudens en contracten wijzigen"
    BANK_DETAILS_READ = "bankgegevens van personen inzien"
    RUN_READ = "betaalrun inzien"
    RUN_PREPARE = "betaalrun voorbereiden"
    RUN_APPROVE = "betaalrun accorderen"
    RUN_EXPORT = "betaalbestand aanmaken"
    RUN_CANCEL = "betaalrun annuleren"
    PAYMENT_READ = "betaalstatus inzien"
    BANK_IMPORT = "bankbestand inlezen"
    BANK_DECIDE = "besluit over teruggekomen geld nemen"
    DECISION_APPROVE = "herbetaling of terugbetaling accorderen"
    LEDGER_READ = "grootboek en afstemming inzien"
    PERIOD_CLOSE = "periode afsluiten"


class HouseholdScope(IntEnum):
    """Which households of a gemeente a role sees; higher sees more."""

    NONE = 0
    OWN = 1  # the inburgeraar's own household, matched on the BSN of the login
    CASELOAD = 2  # the budgetcoach's assigned households
    ALL = 3


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INKOMEN: frozenset(
        {
            P.GEMEENTE_READ,
            P.HOUSEHOLD_READ,
            P.HOUSEHOLD_WRITE,
            P.BANK_DETAILS_READ,
            P.RUN_READ,
            P.RUN_PREPARE,
            P.RUN_EXPORT,
            P.RUN_CANCEL,
            P.PAYMENT_READ,
        }
    ),
    Role.ACCORDEERDER: frozenset(
        {
            P.GEMEENTE_READ,
            P.HOUSEHOLD_READ,
            P.BANK_DETAILS_READ,
            P.RUN_READ,
            P.RUN_APPROVE,
            P.DECISION_APPROVE,
            P.PAYMENT_READ,
        }
    ),
    Role.BUDGETCOACH: frozenset({P.HOUSEHOLD_READ, P.PAYMENT_READ}),
    Role.ACCOUNTANT: frozenset(
        {
            P.GEMEENTE_READ,
            P.HOUSEHOLD_READ,
            P.BANK_DETAILS_READ,
            P.RUN_READ,
            P.PAYMENT_READ,
            P.BANK_IMPORT,
            P.BANK_DECIDE,
            P.LEDGER_READ,
            P.PERIOD_CLOSE,
        }
    ),
    Role.BEHEERDER: frozenset({P.GEMEENTE_READ, P.GEMEENTE_MANAGE, P.USERS_MANAGE, P.AUDIT_READ}),
    Role.INBURGERAAR: frozenset({P.HOUSEHOLD_READ, P.PAYMENT_READ}),
}

ROLE_HOUSEHOLDS: dict[Role, HouseholdScope] = {
    Role.INKOMEN: HouseholdScope.ALL,
    Role.ACCORDEERDER: HouseholdScope.ALL,
    Role.ACCOUNTANT: HouseholdScope.ALL,
    Role.BUDGETCOACH: HouseholdScope.CASELOAD,
    Role.INBURGERAAR: HouseholdScope.OWN,
    Role.BEHEERDER: HouseholdScope.NONE,
}

# Roles given to staff by a beheerder; inburgeraar comes from the BSN of a DigiD login only.
STAFF_ROLES = tuple(role for role in Role if role is not Role.INBURGERAAR)


def role_from_text(text: str) -> Role:
    """The role named ``text`` (its Dutch name), or a ValueError listing the valid names."""
    try:
        return Role(text)
    except ValueError:
        names = ", ".join(role.value for role in STAFF_ROLES)
        raise ValueError(f"onbekende rol {text!r}; kies uit {names}") from None
