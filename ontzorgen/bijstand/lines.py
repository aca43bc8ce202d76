# SPDX-License-Identifier: EUPL-1.2
"""The output of the rules engine: a monthly plan of cited lines, that balances to the cent.

Booking meaning of each :class:`LineKind` (for the payment run and the ledger):

* ``bijstand`` — the month's net bijstand excl. VT that the gemeente grants: the **source**.
* ``vt_payout`` — vakantietoeslag paid out this month from the reserve: also a **source**.
* ``vt_accrual`` — 5 % reserved this month (art. 19 lid 3): booked to the VT reserve; neither a
  source nor a use of this month's money.
* ``deduction`` — taken from the bijstand: kind ``inkomsten`` reduces the bijstand (nobody is
  paid), kind ``aflossing`` repays a loan to the gemeente.
* ``voorschot_settlement`` — sets off an outstanding voorschot (art. 52) with the gemeente.
* ``withholding`` — paid to a payee (landlord, supplier, insurer) in the household's name.
* ``leefgeld`` — paid to the household's own IBAN (one line per payment date).
* ``held`` — kept by the gemeente (suspense) because it cannot be paid out yet (no IBAN).
* ``shortfall`` — **not paid**: what a vaste last or aflossing could not get this month, with
  its reason, so nothing is silently dropped; it moves no money.

The balance, checked on construction: bijstand + vt_payout = deduction + voorschot_settlement +
withholding + leefgeld + held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from ontzorgen.bijstand.facts import Category
from ontzorgen.bijstand.period import Period
from ontzorgen.money import Money

__all__ = [
    "SOURCES",
    "USES",
    "LineKind",
    "MonthlyPlan",
    "PlanBalanceError",
    "PlanLine",
    "Recipient",
    "Signal",
    "SignalCode",
    "SkippedContract",
]


class LineKind(StrEnum):
    """What a plan line is; see the module docstring for how each is booked."""

    BIJSTAND = "bijstand"
    VT_ACCRUAL = "vt_accrual"
    VT_PAYOUT = "vt_payout"
    DEDUCTION = "deduction"
    VOORSCHOT_SETTLEMENT = "voorschot_settlement"
    WITHHOLDING = "withholding"
    SHORTFALL = "shortfall"
    LEEFGELD = "leefgeld"
    HELD = "held"


SOURCES: frozenset[LineKind] = frozenset({LineKind.BIJSTAND, LineKind.VT_PAYOUT})
USES: frozenset[LineKind] = frozenset(
    {
        LineKind.DEDUCTION,
        LineKind.VOORSCHOT_SETTLEMENT,
        LineKind.WITHHOLDING,
        LineKind.LEEFGELD,
        LineKind.HELD,
    }
)


class Recipient(StrEnum):
    """Who receives the money of a line."""

    NONE = "none"
    """Nobody: a source, a reserve, a reduction or an unpaid shortfall."""
    PAYEE = "payee"
    """The contract's payee (``payee_id``)."""
    HOUSEHOLD = "household"
    """The household's own IBAN."""
    GEMEENTE = "gemeente"
    """The gemeente itself: a loan repayment, a voorschot set off, or money held."""


class SignalCode(StrEnum):
    """Things a consulent must look at."""

    SHORTFALL = "shortfall"
    BIJSTAND_BELOW_MINIMUM = "bijstand_below_minimum"
    HELD_NO_IBAN = "held_no_iban"
    WINDOW_ENDS_THIS_MONTH = "window_ends_this_month"
    WINDOW_ENDS_NEXT_MONTH = "window_ends_next_month"
    NOT_ELIGIBLE = "not_eligible"
    OUTSIDE_WINDOW = "outside_window"
    OPT_OUT = "opt_out"
    OPT_OUT_NOT_ALLOWED = "opt_out_not_allowed"
    VOORSCHOT_OUTSTANDING = "voorschot_outstanding"
    INCOME_EXCEEDS_BIJSTAND = "income_exceeds_bijstand"
    NORMS_OUTDATED = "norms_outdated"
    KOSTENDELERS_MISMATCH = "kostendelers_mismatch"
    AGE_BAND_CHANGES = "age_band_changes"
    RIGHT_ENDS = "right_ends"
    EXTENDED = "extended"
    CONSENTED_NOT_WITHHELD = "consented_not_withheld"


@dataclass(frozen=True, slots=True)
class Signal:
    """One thing to look at, in Dutch."""

    code: SignalCode
    message: str


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One line of the plan: an amount, what it is, who receives it, and which rule made it."""

    kind: LineKind
    amount: Money
    rule: str
    explanation: str
    recipient: Recipient = Recipient.NONE
    contract_id: str | None = None
    payee_id: str | None = None
    payment_reference: str | None = None
    category: Category | None = None
    pay_date: date | None = None
    source_id: str | None = None
    """The deduction or voorschot this line comes from, if any."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the amount in cents, dates in ISO form, empty fields left out."""
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "amount_cents": self.amount.cents,
            "rule": self.rule,
            "explanation": self.explanation,
            "recipient": self.recipient.value,
        }
        optional = {
            "contract_id": self.contract_id,
            "payee_id": self.payee_id,
            "payment_reference": self.payment_reference,
            "category": None if self.category is None else self.category.value,
            "pay_date": None if self.pay_date is None else self.pay_date.isoformat(),
            "source_id": self.source_id,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data


@dataclass(frozen=True, slots=True)
class SkippedContract:
    """A contract that is not withheld this month, and why (for the consulent)."""

    contract_id: str
    reason: str
    rule: str


class PlanBalanceError(AssertionError):
    """The plan does not balance: a bug in the engine, never a data problem."""


@dataclass(frozen=True, slots=True)
class MonthlyPlan:
    """A household's month: the cited lines, the signals, and what was not withheld."""

    household_id: str
    right_id: str
    period: Period
    eligible: bool
    eligibility_reason: str
    window_start: date
    window_end: date
    lines: tuple[PlanLine, ...]
    signals: tuple[Signal, ...]
    skipped: tuple[SkippedContract, ...]

    def __post_init__(self) -> None:
        sources = self.total(*SOURCES)
        uses = self.total(*USES)
        if sources != uses:
            raise PlanBalanceError(
                f"plan {self.household_id} {self.period} does not balance: sources "
                f"{sources.cents}c, uses {uses.cents}c"
            )
        for line in self.lines:
            if line.amount.is_negative():
                raise PlanBalanceError(f"negative {line.kind} line: {line.amount.cents}c")

    def of_kind(self, kind: LineKind) -> tuple[PlanLine, ...]:
        """The lines of one kind, in plan order."""
        return tuple(line for line in self.lines if line.kind is kind)

    def total(self, *kinds: LineKind) -> Money:
        """The sum of the lines of these kinds."""
        return Money.sum(line.amount for line in self.lines if line.kind in kinds)

    @property
    def bijstand(self) -> Money:
        """The month's net bijstand excl. VT."""
        return self.total(LineKind.BIJSTAND)

    @property
    def leefgeld(self) -> Money:
        """What reaches the household's own IBAN this month."""
        return self.total(LineKind.LEEFGELD)

    @property
    def withheld(self) -> Money:
        """What is paid to payees this month."""
        return self.total(LineKind.WITHHOLDING)

    def has_signal(self, code: SignalCode) -> bool:
        """True if the plan raises a signal with this code."""
        return any(signal.code is code for signal in self.signals)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: amounts in cents, each line with its rule."""
        return {
            "household_id": self.household_id,
            "right_id": self.right_id,
            "period": self.period.label(),
            "eligible": self.eligible,
            "eligibility_reason": self.eligibility_reason,
            "window": {
                "start": self.window_start.isoformat(),
                "end": self.window_end.isoformat(),
            },
            "lines": [line.as_dict() for line in self.lines],
            "totals_cents": {kind.value: self.total(kind).cents for kind in LineKind},
            "signals": [{"code": s.code.value, "message": s.message} for s in self.signals],
            "skipped": [
                {"contract_id": s.contract_id, "reason": s.reason, "rule": s.rule}
                for s in self.skipped
            ],
        }
