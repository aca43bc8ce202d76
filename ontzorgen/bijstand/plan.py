# SPDX-License-Identifier: EUPL-1.2
"""The monthly plan: facts and a period in, cited lines out. Pure and deterministic.

The order in which the month's money is used (the "waterfall"):

1. **Sources**: the month's net bijstand excl. VT, plus any vakantietoeslag paid out.
2. **Inkomsten** (Pw art. 31 en 32) reduce the bijstand first; they can take it to zero.
3. The **minimum leefgeld** (gemeente policy; pro rata in a partial month) is set aside. Only
   the room above it may be used by steps 4–6. If the bijstand is below it, steps 4–6 take
   nothing and everything due becomes a shortfall.
4. **Vaste lasten** due in the ontzorgen window (Pw art. 56a lid 2), in the policy's priority
   order; the one that no longer fits is paid in part; the rest of it and all after it are
   **shortfall** lines with their reason.
5. **Voorschotten** (Pw art. 52) outstanding are set off, oldest first, as far as the room
   reaches; what is left is carried to the next month. Vaste lasten come first because
   preventing debts with landlords and suppliers is the purpose of art. 56a, and the
   voorschot is an interest-free claim of the gemeente that can wait.
6. **Aflossingen** (Pw art. 51 loans) as far as the room reaches; the unpaid part is a
   shortfall line.
7. The **remainder** is leefgeld to the household's own IBAN (weekly parts if the policy says
   so), or ``held`` when the household has no IBAN yet.

Settling voorschotten needs to know what earlier months settled, so :func:`make_plan`
recomputes the months from the start of the right up to the requested one — still a pure
function of its arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ontzorgen.bijstand import rules
from ontzorgen.bijstand.amounts import MonthAmount, month_amount
from ontzorgen.bijstand.eligibility import (
    ContractDue,
    Eligibility,
    OntzorgenWindow,
    check_household,
    contract_due,
    ontzorgen_window,
)
from ontzorgen.bijstand.facts import (
    BijstandRight,
    Contract,
    Deduction,
    DeductionKind,
    FactError,
    GemeentePolicy,
    Household,
    LeefgeldFrequency,
    OptOut,
    Voorschot,
    WindowExtension,
)
from ontzorgen.bijstand.leefgeld import leefgeld_payments
from ontzorgen.bijstand.lines import (
    LineKind,
    MonthlyPlan,
    PlanLine,
    Recipient,
    Signal,
    SignalCode,
    SkippedContract,
)
from ontzorgen.bijstand.norms import NormTable
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.prorata import pro_rata
from ontzorgen.bijstand.vakantietoeslag import vt_payout
from ontzorgen.money import Money

__all__ = ["PlanError", "make_plan", "plan_months"]


class PlanError(ValueError):
    """The plan cannot be made for this period (e.g. the right does not run in it)."""


def _nl(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True, slots=True)
class _Context:
    household: Household
    right: BijstandRight
    contracts: tuple[Contract, ...]
    policy: GemeentePolicy
    norms: NormTable
    voorschotten: tuple[Voorschot, ...]
    deductions: tuple[Deduction, ...]
    window: OntzorgenWindow
    eligibility: Eligibility
    opt_out: OptOut | None
    amounts: dict[Period, MonthAmount] = field(default_factory=dict)

    def amount(self, period: Period) -> MonthAmount:
        if period not in self.amounts:
            self.amounts[period] = month_amount(
                self.household, self.right, self.policy, self.norms, period
            )
        return self.amounts[period]


class _Builder:
    """Collects the lines of one month and keeps track of the room above the minimum."""

    def __init__(self) -> None:
        self.lines: list[PlanLine] = []
        self.signals: list[Signal] = []
        self.skipped: list[SkippedContract] = []

    def add(self, line: PlanLine) -> None:
        if line.amount:
            self.lines.append(line)

    def signal(self, code: SignalCode, message: str) -> None:
        self.signals.append(Signal(code, message))


def _validate(household: Household, right: BijstandRight) -> None:
    if household.leefvorm is not right.leefvorm:
        raise FactError(
            "BijstandRight.leefvorm",
            f"the right says {right.leefvorm}, the household {household.leefvorm}",
        )


def _context(
    household: Household,
    right: BijstandRight,
    contracts: Iterable[Contract],
    policy: GemeentePolicy,
    norms: NormTable,
    voorschotten: Iterable[Voorschot],
    deductions: Iterable[Deduction],
    extensions: Iterable[WindowExtension],
    opt_out: OptOut | None,
) -> _Context:
    _validate(household, right)
    return _Context(
        household=household,
        right=right,
        contracts=tuple(contracts),
        policy=policy,
        norms=norms,
        voorschotten=tuple(sorted(voorschotten, key=lambda v: (v.paid_on, v.id))),
        deductions=tuple(sorted(deductions, key=lambda d: (d.first, d.id))),
        window=ontzorgen_window(right, extensions),
        eligibility=check_household(household),
        opt_out=opt_out,
    )


def _sources(ctx: _Context, period: Period, out: _Builder) -> tuple[MonthAmount, Money]:
    amount = ctx.amount(period)
    out.signals.extend(amount.signals)
    out.add(PlanLine(LineKind.BIJSTAND, amount.bijstand, amount.rule, amount.explanation))
    out.add(
        PlanLine(LineKind.VT_ACCRUAL, amount.vt_accrual, rules.ART_19_LID_3, amount.vt_explanation)
    )
    payout = vt_payout(ctx.right, period, lambda p: ctx.amount(p).vt_accrual)
    if payout.amount:
        months = f"{payout.periods[0]} t/m {payout.periods[-1]} ({len(payout.periods)} maanden)"
        when = "bij het einde van de bijstand" if payout.at_end else "in juni"
        out.add(
            PlanLine(
                LineKind.VT_PAYOUT,
                payout.amount,
                rules.ART_45_LID_1,
                f"Vakantietoeslag over {months} wordt {when} uitbetaald: {payout.amount}.",
            )
        )
    if period == ctx.right.last_period and ctx.right.end is not None:
        out.signal(
            SignalCode.RIGHT_ENDS,
            f"De bijstand eindigt op {_nl(ctx.right.end)}; de nog niet uitbetaalde "
            f"vakantietoeslag ({payout.amount}) is in dit plan opgenomen.",
        )
    return amount, amount.bijstand + payout.amount


def _income(ctx: _Context, period: Period, available: Money, out: _Builder) -> Money:
    for deduction in ctx.deductions:
        if deduction.kind is not DeductionKind.INKOMSTEN or not deduction.applies_to(period):
            continue
        take = deduction.amount.min(available)
        available -= take
        out.add(
            PlanLine(
                LineKind.DEDUCTION,
                take,
                rules.ART_31_32,
                f"{deduction.reason}: {take} wordt in mindering gebracht op de bijstand.",
                source_id=deduction.id,
            )
        )
        if take != deduction.amount:
            out.signal(
                SignalCode.INCOME_EXCEEDS_BIJSTAND,
                f"{deduction.reason} ({deduction.amount}) is meer dan de bijstand van deze "
                f"maand; {take} is verrekend. Controleer of het recht nog bestaat.",
            )
    return available


def _minimum(ctx: _Context, amount: MonthAmount, period: Period) -> Money:
    full = ctx.policy.minimum_for(ctx.household)
    return pro_rata(full, period, amount.first_day, amount.last_day, ctx.policy.pro_rata_method)


def _withholdings(
    ctx: _Context, period: Period, room: Money, minimum: Money, out: _Builder
) -> Money:
    decisions: list[ContractDue] = [
        contract_due(
            contract,
            period,
            eligibility=ctx.eligibility,
            window=ctx.window,
            policy=ctx.policy,
            opt_out=ctx.opt_out,
        )
        for contract in ctx.contracts
    ]
    due = sorted(
        (d for d in decisions if d.withhold),
        key=lambda d: (
            ctx.policy.rank(d.contract.category),
            d.due_date,
            d.contract.start,
            d.contract.id,
        ),
    )
    for decision in decisions:
        if not decision.withhold:
            out.skipped.append(
                SkippedContract(decision.contract.id, decision.reason, decision.rule)
            )
            if (
                decision.rule == rules.BELEID_CATEGORIEEN
                and decision.contract.consent_ground is not None
            ):
                # Consented to, yet never paid: the consulent must act (policy or contract).
                out.signal(
                    SignalCode.CONSENTED_NOT_WITHHELD,
                    f"Contract {decision.contract.id} ({decision.contract.category.value}) heeft "
                    "toestemming, maar de gemeente houdt deze categorie niet in "
                    "(beleidsparameter withheld_categories): het wordt niet betaald.",
                )
    unpaid: list[str] = []
    for decision in due:
        contract = decision.contract
        owed = contract.amount_on(decision.due_date)
        pay = owed.min(room)
        room -= pay
        category = contract.category.value
        out.add(
            PlanLine(
                LineKind.WITHHOLDING,
                pay,
                decision.rule,
                f"{category.capitalize()} {period}: {pay}"
                + ("" if pay == owed else f" van {owed}")
                + " wordt namens het huishouden betaald aan "
                + f"{contract.payee_name or contract.payee_id}; "
                + decision.reason
                + ".",
                recipient=Recipient.PAYEE,
                contract_id=contract.id,
                payee_id=contract.payee_id,
                payment_reference=contract.payment_reference,
                category=contract.category,
                pay_date=decision.due_date,
            )
        )
        if pay != owed:
            rest = owed - pay
            out.add(
                PlanLine(
                    LineKind.SHORTFALL,
                    rest,
                    rules.BELEID_PRIORITEIT,
                    f"{category.capitalize()} {period}: {rest} kan niet worden betaald; de "
                    f"bijstand boven het minimum leefgeld van {minimum} is op (volgorde: "
                    f"{', '.join(c.value for c in ctx.policy.priority)}).",
                    contract_id=contract.id,
                    payee_id=contract.payee_id,
                    payment_reference=contract.payment_reference,
                    category=contract.category,
                    pay_date=decision.due_date,
                )
            )
            unpaid.append(f"{category} {rest}")
    if unpaid:
        out.signal(
            SignalCode.SHORTFALL,
            "Tekort: niet (volledig) betaald: " + "; ".join(unpaid) + ". Neem contact op met "
            "het huishouden en de schuldeisers.",
        )
    return room


def _voorschotten(
    ctx: _Context, period: Period, room: Money, settled: dict[str, Money], out: _Builder
) -> Money:
    for voorschot in ctx.voorschotten:
        if voorschot.paid_on > period.last_day:
            continue
        open_amount = voorschot.amount - settled.get(voorschot.id, Money.zero())
        if not open_amount:
            continue
        take = open_amount.min(room)
        room -= take
        settled[voorschot.id] = settled.get(voorschot.id, Money.zero()) + take
        out.add(
            PlanLine(
                LineKind.VOORSCHOT_SETTLEMENT,
                take,
                rules.ART_52,
                f"Voorschot van {_nl(voorschot.paid_on)} ({voorschot.amount}): {take} wordt "
                f"verrekend met de bijstand, nog open {open_amount - take}.",
                recipient=Recipient.GEMEENTE,
                source_id=voorschot.id,
            )
        )
    outstanding = Money.sum(
        v.amount - settled.get(v.id, Money.zero())
        for v in ctx.voorschotten
        if v.paid_on <= period.last_day
    )
    if outstanding:
        if period == ctx.right.last_period:
            message = (
                f"De bijstand eindigt en {outstanding} voorschot is niet verrekend: "
                "terugvordering nodig (Pw art. 52)."
            )
        else:
            message = f"Nog {outstanding} voorschot te verrekenen in de volgende maanden."
        out.signal(SignalCode.VOORSCHOT_OUTSTANDING, message)
    return room


def _aflossingen(ctx: _Context, period: Period, room: Money, out: _Builder) -> Money:
    for deduction in ctx.deductions:
        if deduction.kind is not DeductionKind.AFLOSSING or not deduction.applies_to(period):
            continue
        take = deduction.amount.min(room)
        room -= take
        out.add(
            PlanLine(
                LineKind.DEDUCTION,
                take,
                rules.ART_51,
                f"{deduction.reason}: {take} wordt ingehouden en aan de gemeente terugbetaald.",
                recipient=Recipient.GEMEENTE,
                source_id=deduction.id,
            )
        )
        if take != deduction.amount:
            rest = deduction.amount - take
            out.add(
                PlanLine(
                    LineKind.SHORTFALL,
                    rest,
                    rules.BELEID_MINIMUM_LEEFGELD,
                    f"{deduction.reason}: {rest} kan deze maand niet worden ingehouden zonder "
                    "onder het minimum leefgeld te komen.",
                    source_id=deduction.id,
                )
            )
            out.signal(
                SignalCode.SHORTFALL,
                f"{deduction.reason}: {rest} niet ingehouden; pas de aflossing aan.",
            )
    return room


def _remainder(
    ctx: _Context, period: Period, amount: MonthAmount, remainder: Money, out: _Builder
) -> None:
    if not remainder:
        return
    if not ctx.household.has_own_iban:
        out.add(
            PlanLine(
                LineKind.HELD,
                remainder,
                rules.BELEID_LEEFGELD,
                f"Leefgeld {period}: {remainder} wordt vastgehouden tot het huishouden een "
                "eigen rekening heeft.",
                recipient=Recipient.GEMEENTE,
            )
        )
        out.signal(
            SignalCode.HELD_NO_IBAN,
            f"Geen eigen IBAN: {remainder} leefgeld wordt vastgehouden. Help het huishouden "
            "een rekening te openen.",
        )
        return
    rule = rules.ART_56A_LID_2 if ctx.eligibility.eligible else rules.ART_45
    payments = leefgeld_payments(remainder, ctx.policy, period, amount.first_day, amount.last_day)
    weekly = ctx.policy.leefgeld_frequency is LeefgeldFrequency.WEEKLY
    for number, (pay_date, part) in enumerate(payments, start=1):
        label = f"week {number} van {len(payments)}, " if weekly else ""
        out.add(
            PlanLine(
                LineKind.LEEFGELD,
                part,
                rules.BELEID_LEEFGELD if weekly else rule,
                f"Leefgeld {period} ({label}{_nl(pay_date)}): {part} naar de eigen rekening "
                f"van het huishouden (rest van de bijstand {remainder}).",
                recipient=Recipient.HOUSEHOLD,
                pay_date=pay_date,
            )
        )


def _window_signals(ctx: _Context, period: Period, out: _Builder) -> None:
    if not ctx.eligibility.eligible:
        out.signal(SignalCode.NOT_ELIGIBLE, f"Geen inhoudingen: {ctx.eligibility.reason}.")
        return
    window = ctx.window
    if period.first_day > window.end:
        out.signal(
            SignalCode.OUTSIDE_WINDOW,
            f"De ontzorgperiode ({window.describe()}) is voorbij: geen inhoudingen; het "
            "huishouden betaalt de vaste lasten zelf.",
        )
    elif period.contains(window.end) and window.end != ctx.right.end:
        out.signal(
            SignalCode.WINDOW_ENDS_THIS_MONTH,
            f"De ontzorgperiode eindigt op {_nl(window.end)}: dit is de laatste maand met "
            "inhoudingen.",
        )
    elif period.next().contains(window.end) and window.end != ctx.right.end:
        out.signal(
            SignalCode.WINDOW_ENDS_NEXT_MONTH,
            f"De ontzorgperiode eindigt op {_nl(window.end)}: bespreek de overdracht van de "
            "vaste lasten met het huishouden.",
        )
    extension = window.extension
    in_extension = period.last_day > window.six_months_end and period.first_day <= window.end
    if extension is not None and in_extension:
        out.signal(
            SignalCode.EXTENDED,
            f"Ontzorgen verlengd tot {_nl(window.end)} ({extension.ground.value}): "
            f"{extension.reason}.",
        )
    if ctx.opt_out is not None:
        if ctx.policy.allow_opt_out:
            out.signal(SignalCode.OPT_OUT, f"Opt-out vastgelegd: {ctx.opt_out.reason}.")
        else:
            out.signal(
                SignalCode.OPT_OUT_NOT_ALLOWED,
                f"Opt-out gevraagd ({ctx.opt_out.reason}) maar het gemeentebeleid staat geen "
                "opt-out toe; de vaste lasten worden ingehouden (Pw art. 56a lid 2). Weigeren "
                "kan tot een verlaging leiden (Pw art. 18 lid 2).",
            )


def _plan_month(ctx: _Context, period: Period, settled: dict[str, Money]) -> MonthlyPlan:
    out = _Builder()
    amount, available = _sources(ctx, period, out)
    available = _income(ctx, period, available, out)
    minimum = _minimum(ctx, amount, period)
    room = (available - minimum).max(Money.zero())
    if available < minimum:
        out.signal(
            SignalCode.BIJSTAND_BELOW_MINIMUM,
            f"De bijstand na inkomsten ({available}) is lager dan het minimum leefgeld "
            f"({minimum}): er wordt niets ingehouden.",
        )
    _window_signals(ctx, period, out)
    room_left = _withholdings(ctx, period, room, minimum, out)
    room_left = _voorschotten(ctx, period, room_left, settled, out)
    room_left = _aflossingen(ctx, period, room_left, out)
    remainder = available - (room - room_left)
    _remainder(ctx, period, amount, remainder, out)
    return MonthlyPlan(
        household_id=ctx.household.id,
        right_id=ctx.right.id,
        period=period,
        eligible=ctx.eligibility.eligible,
        eligibility_reason=ctx.eligibility.reason,
        window_start=ctx.window.start,
        window_end=ctx.window.end,
        lines=tuple(out.lines),
        signals=tuple(out.signals),
        skipped=tuple(out.skipped),
    )


def plan_months(
    household: Household,
    right: BijstandRight,
    contracts: Sequence[Contract],
    policy: GemeentePolicy,
    norms: NormTable,
    first: Period | tuple[int, int],
    last: Period | tuple[int, int],
    *,
    voorschotten: Iterable[Voorschot] = (),
    deductions: Iterable[Deduction] = (),
    extensions: Iterable[WindowExtension] = (),
    opt_out: OptOut | None = None,
) -> tuple[MonthlyPlan, ...]:
    """The plans of the months ``first``..``last`` (inclusive), each as :func:`make_plan` gives.

    Raises :class:`PlanError` when the right does not run in one of these months.
    """
    first_period, last_period = Period.coerce(first), Period.coerce(last)
    if last_period < first_period:
        raise PlanError(f"{last_period} ligt vóór {first_period}")
    for period in (first_period, last_period):
        if not right.covers(period):
            raise PlanError(
                f"het recht op bijstand ({_nl(right.start)} t/m "
                f"{'onbepaald' if right.end is None else _nl(right.end)}) loopt niet in {period}"
            )
    ctx = _context(
        household, right, contracts, policy, norms, voorschotten, deductions, extensions, opt_out
    )
    settled: dict[str, Money] = {}
    plans: list[MonthlyPlan] = []
    start = right.first_period if ctx.voorschotten else first_period
    for period in start.until(last_period):
        plan = _plan_month(ctx, period, settled)
        if period >= first_period:
            plans.append(plan)
    return tuple(plans)


def make_plan(
    household: Household,
    right: BijstandRight,
    contracts: Sequence[Contract],
    policy: GemeentePolicy,
    norms: NormTable,
    period: Period | tuple[int, int],
    *,
    voorschotten: Iterable[Voorschot] = (),
    deductions: Iterable[Deduction] = (),
    extensions: Iterable[WindowExtension] = (),
    opt_out: OptOut | None = None,
) -> MonthlyPlan:
    """The monthly plan of ``household`` for ``period`` (a Period or ``(year, month)``).

    Pure and deterministic: the same facts always give the same plan. The plan balances
    (bijstand + vt_payout = deductions + voorschot settlements + withholdings + leefgeld +
    held) or construction fails. Raises :class:`PlanError` when the right does not run in
    ``period``, :class:`~ontzorgen.bijstand.facts.FactError` when the facts contradict each
    other, and :class:`~ontzorgen.bijstand.norms.NormNotFound` when the norm table lacks a
    value.
    """
    target = Period.coerce(period)
    return plan_months(
        household,
        right,
        contracts,
        policy,
        norms,
        target,
        target,
        voorschotten=voorschotten,
        deductions=deductions,
        extensions=extensions,
        opt_out=opt_out,
    )[0]
