# SPDX-License-Identifier: EUPL-1.2
"""Plans → ledger transactions and payments, as plain data (no database here).

Every money-moving plan line becomes one balanced ledger transaction citing that line's rule,
so every amount in the ledger leads back to its rule. Postings (debit positive):

============================  =========================================  =====================
plan line                     debit                                      credit
============================  =========================================  =====================
bijstand                      bijstandslasten                            te betalen huishouden
vt_accrual                    bijstandslasten                            VT-reserve huishouden
vt_payout                     VT-reserve huishouden                      te betalen huishouden
deduction (inkomsten)         te betalen huishouden                      bijstandslasten
deduction (aflossing)         te betalen huishouden                      te vorderen
voorschot_settlement          te betalen huishouden                      voorschotten
withholding                   te betalen huishouden                      crediteur (payee)
leefgeld                      te betalen huishouden                      betalingen onderweg
held, shortfall               — (held stays owed to the household; a shortfall moves nothing)
released held leefgeld        te betalen huishouden                      betalingen onderweg
claim (te veel betaald)       vorderingen huishouden                     te betalen huishouden
============================  =========================================  =====================

A correction run books the difference per line: a line that went up with the legs above, one
that went down with the legs swapped — except a payment (withholding, leefgeld), which cannot
be taken back: what was paid too much becomes a claim.

The payee's crediteur account and *betalingen onderweg* are cleared when the bank books the
payment (bank feedback).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ontzorgen.bijstand.facts import DeductionKind
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, PlanLine
from ontzorgen.money import Money

# Chart-of-accounts codes used by the run (see docs/ledger.md).
BIJSTANDSLASTEN = "bijstand-lasten"
TE_BETALEN_HUISHOUDENS = "te-betalen-huishoudens"
VT_RESERVE = "vt-reserve"
CREDITEUREN = "crediteuren"
VOORSCHOTTEN = "voorschotten"
TE_VORDEREN = "te-vorderen"
BETALINGEN_ONDERWEG = "betalingen-onderweg"
VORDERINGEN = "vorderingen"
# Where bank feedback parks money: returned or rejected payments, and lines nobody matched.
TUSSENREKENING = "tussenrekening"
NOG_TE_BEPALEN = "nog-te-bepalen-ontvangsten"


@dataclass(frozen=True, slots=True)
class AccountRef:
    """A chart account (``subject`` None) or a sub-account of one, opened on demand."""

    code: str
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """One balanced transaction-to-be for one plan line."""

    key: str
    description: str
    rule: str
    postings: tuple[tuple[AccountRef, Money], ...]
    line: PlanLine
    reversed: bool = False  # a correction taking back part of a line (legs swapped)


@dataclass
class HouseholdBooking:
    """The bookings of one household's plan, and which of them are payments."""

    household_id: int
    bookings: list[Booking] = field(default_factory=list)


def household_account(household_id: int) -> AccountRef:
    """What the gemeente owes the household (its bijstand, until paid out)."""
    return AccountRef(TE_BETALEN_HUISHOUDENS, f"household:{household_id}")


def vt_account(household_id: int) -> AccountRef:
    """The household's vakantietoeslag reserve."""
    return AccountRef(VT_RESERVE, f"household:{household_id}")


def payee_account(payee_id: str) -> AccountRef:
    """What the gemeente owes a payee until the bank books the payment."""
    return AccountRef(CREDITEUREN, f"payee:{payee_id}")


def claim_account(household_id: int) -> AccountRef:
    """What the household owes the gemeente because it was paid too much (a claim)."""
    return AccountRef(VORDERINGEN, f"household:{household_id}")


def line_key(line: PlanLine, slot: int = 0) -> str:
    """A key for a plan line that stays the same when the plan is made again (the index of a
    line does not: a new contract shifts it). Leefgeld lines are numbered by ``slot``."""
    match line.kind:
        case LineKind.DEDUCTION:
            return f"deduction:{line.source_id}"
        case LineKind.VOORSCHOT_SETTLEMENT:
            return f"voorschot:{line.source_id}"
        case LineKind.WITHHOLDING:
            return f"withholding:{line.contract_id}"
        case LineKind.LEEFGELD:
            return f"leefgeld:{slot}"
        case _:
            return line.kind.value


def _deduction_credit(line: PlanLine, deduction_kinds: dict[str, DeductionKind]) -> AccountRef:
    kind = deduction_kinds.get(line.source_id or "", DeductionKind.INKOMSTEN)
    return AccountRef(TE_VORDEREN if kind is DeductionKind.AFLOSSING else BIJSTANDSLASTEN)


def legs(
    line: PlanLine, household_id: int, deduction_kinds: dict[str, DeductionKind]
) -> tuple[AccountRef, AccountRef] | None:
    """(debit, credit) for a plan line, or None when it moves no money now."""
    owed = household_account(household_id)
    match line.kind:
        case LineKind.BIJSTAND:
            return AccountRef(BIJSTANDSLASTEN), owed
        case LineKind.VT_ACCRUAL:
            return AccountRef(BIJSTANDSLASTEN), vt_account(household_id)
        case LineKind.VT_PAYOUT:
            return vt_account(household_id), owed
        case LineKind.DEDUCTION:
            return owed, _deduction_credit(line, deduction_kinds)
        case LineKind.VOORSCHOT_SETTLEMENT:
            return owed, AccountRef(VOORSCHOTTEN)
        case LineKind.WITHHOLDING:
            assert line.payee_id is not None
            return owed, payee_account(line.payee_id)
        case LineKind.LEEFGELD:
            return owed, AccountRef(BETALINGEN_ONDERWEG)
        case LineKind.HELD | LineKind.SHORTFALL:
            return None


def book_plan(
    plan: MonthlyPlan,
    household_id: int,
    key_prefix: str,
    deduction_kinds: dict[str, DeductionKind],
    describe: Callable[[PlanLine], str],
) -> HouseholdBooking:
    """The transactions for one household's plan (one per money-moving line)."""
    result = HouseholdBooking(household_id)
    slot = 0
    for line in plan.lines:
        found = legs(line, household_id, deduction_kinds)
        if found is None or not line.amount:
            continue
        if line.kind is LineKind.LEEFGELD:
            slot += 1
        debit, credit = found
        result.bookings.append(
            Booking(
                key=f"{key_prefix}:h{household_id}:{line_key(line, slot)}",
                description=describe(line),
                rule=line.rule,
                postings=((debit, line.amount), (credit, -line.amount)),
                line=line,
            )
        )
    return result


def book_difference(
    line: PlanLine,
    difference: Money,
    household_id: int,
    key: str,
    deduction_kinds: dict[str, DeductionKind],
    description: str,
) -> Booking | None:
    """A correction of one line by ``difference`` (signed): the line's own legs when it went
    up, swapped when it went down. Not for payments that went down: those are claims."""
    found = legs(line, household_id, deduction_kinds)
    if found is None or not difference:
        return None
    debit, credit = found
    if difference.is_negative():
        debit, credit = credit, debit
    amount = abs(difference.cents)
    return Booking(
        key=key,
        description=description,
        rule=line.rule,
        postings=((debit, Money(amount)), (credit, -Money(amount))),
        line=replace(line, amount=Money(amount)),
        reversed=difference.is_negative(),
    )


def book_claim(
    household_id: int, key: str, amount: Money, description: str, rule: str, line: PlanLine
) -> Booking:
    """Record what was paid too much as a claim on the household: the household's payable
    returns to what it is owed, and nothing is silently set off."""
    return Booking(
        key=key,
        description=description,
        rule=rule,
        postings=(
            (claim_account(household_id), amount),
            (household_account(household_id), -amount),
        ),
        line=line,
    )


def book_payout(
    household_id: int, key: str, amount: Money, description: str, line: PlanLine
) -> Booking:
    """Pay what the ledger owes the household (released held leefgeld, a correction's extra
    leefgeld) to its own account."""
    return Booking(
        key=key,
        description=description,
        rule=line.rule,
        postings=(
            (household_account(household_id), amount),
            (AccountRef(BETALINGEN_ONDERWEG), -amount),
        ),
        line=line,
    )
