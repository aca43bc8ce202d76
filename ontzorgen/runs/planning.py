# SPDX-License-Identifier: EUPL-1.2
"""From plans to payments: what a run pays, to whom, when, and what its report says.

Reads the facts of a chunk of households, applies the rules, and derives per household the
ledger bookings (``booking.py``), the SEPA payments (a snapshot of creditor, account, address
and remittance) and the report lines (shortfalls, held leefgeld, signals). It writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.bijstand import rules
from ontzorgen.bijstand.facts import Category, DeductionKind, FactError
from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, PlanLine, Recipient
from ontzorgen.bijstand.norms import NormNotFound
from ontzorgen.bijstand.period import Period
from ontzorgen.bijstand.plan import PlanError
from ontzorgen.clients import models as cm
from ontzorgen.clients.facts import HouseholdRows, to_facts
from ontzorgen.clients.planning import period_from_text, plan_from_facts
from ontzorgen.errors import FieldProblem
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.service import policy_of
from ontzorgen.money import Money
from ontzorgen.runs.booking import (
    Booking,
    book_claim,
    book_difference,
    book_payout,
    book_plan,
    household_account,
    line_key,
)
from ontzorgen.runs.export import PaymentFields, end_to_end_id, pmt_inf_id
from ontzorgen.runs.models import PaymentRun
from ontzorgen.sepa.charset import SepaTextError, to_sepa_text
from ontzorgen.sepa.execution_date import (
    business_day_on_or_before,
    execution_date_for_period,
    is_business_day,
    next_business_day,
)
from ontzorgen.sepa.references import Betalingskenmerk, FreeText, parse_payment_reference
from ontzorgen.sepa.writer import NAME_MAX

_CATEGORY_NL = {
    "huur": "huur",
    "gas": "gas",
    "stroom": "stroom",
    "water": "water",
    "zorgverzekering": "zorgverzekering",
    "other": "overige vaste last",
}
_MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip


def month_label(period: Period) -> str:
    """``december 2026``."""
    return f"{_MONTHS_NL[period.month - 1]} {period.year}"


@dataclass
class PlannedPayment:
    """A payment-to-be, with the booking that pays it."""

    fields: PaymentFields
    household_id: int
    contract_id: int | None
    payee_id: int | None
    category: str
    end_to_end_id: str
    pmt_inf_id: str
    rule: str
    booking_key: str


@dataclass
class RunComputation:
    """What a chunk of households books and pays, and what the run's report says of them."""

    bookings: list[Booking] = field(default_factory=list)
    payments: list[PlannedPayment] = field(default_factory=list)
    households: int = 0
    shortfalls: list[dict[str, object]] = field(default_factory=list)
    held: list[dict[str, object]] = field(default_factory=list)
    signals: list[dict[str, object]] = field(default_factory=list)
    claims: list[dict[str, object]] = field(default_factory=list)
    released: list[dict[str, object]] = field(default_factory=list)
    # (household id, line key, signed cents, key of the booking or None): the run lines
    lines: list[tuple[int, str, int, str | None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HeldEarlier:
    """Leefgeld held for a household in an earlier period (net over that period's runs)."""

    period: str
    runs: tuple[int, ...]
    cents: int


@dataclass
class Prior:
    """What the ledger and the earlier runs say of one household before this run books."""

    booked: dict[str, int] = field(default_factory=dict)
    """Booked by earlier runs of this period that still count, by line key (signed cents)."""
    owed: int = 0
    """What the ledger owes the household now: minus the balance of its payable."""
    held: list[HeldEarlier] = field(default_factory=list)
    """Leefgeld held in earlier runs, newest period first."""


# Line keys that record what a run paid out or claimed, not a line of the plan.
PAYOUT_KEYS = frozenset({"held", "vrijgave", "vordering", "leefgeld-correctie"})


def _not_before_today(day: date, today: date) -> date:
    # A bank refuses an execution date in the past: pay as soon as possible instead.
    if day >= today:
        return day
    return today if is_business_day(today) else next_business_day(today)


def vaste_lasten_date(policy: PolicyParameters, period: Period, today: date) -> date:
    """Vaste lasten leave on the gemeente's payment day in the month before, moved earlier to
    a TARGET2 business day, so that rent is there on the 1st."""
    chosen = execution_date_for_period(period.first_day, day_of_month=policy.payment_day)
    return _not_before_today(chosen, today)


def leefgeld_date(line: PlanLine, period: Period, today: date) -> date:
    """Leefgeld leaves on its plan date (weekly or monthly), moved to a business day."""
    planned = line.pay_date or period.first_day
    return _not_before_today(business_day_on_or_before(planned), today)


def _remittance(reference: str) -> tuple[str, str]:
    parsed = parse_payment_reference(reference)
    if isinstance(parsed, Betalingskenmerk):
        return "betalingskenmerk", parsed.digits
    if isinstance(parsed, FreeText):
        return "ustrd", parsed.text
    return "rf", parsed.value


def _town_of(gemeente: Gemeente) -> str:
    return gemeente.name.removeprefix("Gemeente ").strip()


class RunContext:
    """What computing a run needs from the database, loaded once, set-based."""

    def __init__(self, session: Session, run: PaymentRun, today: date) -> None:
        self.run = run
        self.gemeente = session.get_one(Gemeente, run.gemeente_id)
        self.policy = policy_of(self.gemeente)
        self.period = period_from_text(run.period)
        self.today = today
        self.payees = {
            p.id: p
            for p in session.scalars(
                select(cm.Payee).where(cm.Payee.gemeente_id == run.gemeente_id)
            )
        }
        self.household_ids = list(
            session.scalars(
                select(cm.Household.id)
                .where(cm.Household.gemeente_id == run.gemeente_id)
                .order_by(cm.Household.id)
            )
        )
        self.vaste_date = vaste_lasten_date(self.policy, self.period, today)


def _describe(
    household_ref: str, period: Period, *, correction: bool = False
) -> Callable[[PlanLine], str]:
    def describe(line: PlanLine) -> str:
        what = line.kind.value if line.category is None else _CATEGORY_NL[line.category.value]
        return f"{month_label(period)} {household_ref}: {'correctie ' if correction else ''}{what}"

    return describe


def _run_suffix(ctx: RunContext) -> str:
    # A correction's payments carry its run in the key: one active payment per household,
    # contract and period per run, beside the payments of the runs it corrects.
    return "" if ctx.run.kind == "regular" else f":r{ctx.run.id}"


def payee_fields(
    payee: cm.Payee, *, payment_key: str, amount_cents: int, execution_date: date,
    remittance_kind: str, remittance: str, purpose: str | None,
) -> PaymentFields:  # fmt: skip
    """A vaste last to ``payee``'s account as it is stored now."""
    return PaymentFields(
        payment_key=payment_key,
        kind="vaste_last",
        amount_cents=amount_cents,
        execution_date=execution_date,
        creditor_name=payee.name,
        creditor_iban=payee.iban,
        creditor_bic=payee.bic,
        street=payee.street,
        building_number=payee.building_number,
        postcode=payee.postcode,
        town=payee.town,
        country=payee.country,
        remittance_kind=remittance_kind,
        remittance=remittance,
        purpose=purpose,
    )


def _vaste_last(
    ctx: RunContext, household: cm.Household, line: PlanLine, booking: Booking, execution: date
) -> PlannedPayment:
    assert line.contract_id is not None
    assert line.payee_id is not None
    assert line.payment_reference is not None
    assert line.category is not None
    payee = ctx.payees[int(line.payee_id)]
    kind, remittance = _remittance(line.payment_reference)
    return PlannedPayment(
        fields=payee_fields(
            payee,
            payment_key=f"c{line.contract_id}:{ctx.period.label()}{_run_suffix(ctx)}",
            amount_cents=line.amount.cents,
            execution_date=execution,
            remittance_kind=kind,
            remittance=remittance,
            purpose=ctx.policy.purpose_codes.get(line.category.value),
        ),
        household_id=household.id,
        contract_id=int(line.contract_id),
        payee_id=payee.id,
        category=line.category.value,
        end_to_end_id=end_to_end_id(
            ctx.run.period, ctx.run.id, household.id, f"C{line.contract_id}"
        ),
        pmt_inf_id=pmt_inf_id(ctx.run.msg_id or "", "vaste_last", execution),
        rule=line.rule,
        booking_key=booking.key,
    )


def _leefgeld(
    ctx: RunContext,
    rows: HouseholdRows,
    line: PlanLine,
    slot: int,
    booking: Booking,
    *,
    code: str | None = None,
    remittance: str | None = None,
    category: str = "leefgeld",
) -> PlannedPayment:
    """A payment to the household's own account: its leefgeld (slot ``L1``, ``L2``, …), or
    with ``code`` a correction's extra leefgeld (``LC``) or released held leefgeld (``V``)."""
    household = rows.household
    if code is None:
        code = f"L{slot}"
        key = f"l{household.id}:{ctx.period.label()}:{slot}{_run_suffix(ctx)}"
    else:
        key = f"{code.lower()}{household.id}:{ctx.period.label()}:r{ctx.run.id}"
    assert household.iban is not None
    execution = leefgeld_date(line, ctx.period, ctx.today)
    # The account holder's name, else the aanvrager's registered name (BRP).
    applicant = next((p.name for p in rows.persons if p.role == "aanvrager"), None)
    name = household.iban_name or applicant or household.reference
    return PlannedPayment(
        fields=PaymentFields(
            payment_key=key,
            kind="leefgeld",
            amount_cents=line.amount.cents,
            execution_date=execution,
            creditor_name=name,
            creditor_iban=household.iban,
            creditor_bic=None,
            street=household.street,
            building_number=household.building_number,
            postcode=household.postcode,
            town=household.town or _town_of(ctx.gemeente),
            country="NL",
            remittance_kind="ustrd",
            remittance=(remittance or f"Leefgeld {month_label(ctx.period)} {ctx.gemeente.name}")[
                :140
            ],
            purpose=ctx.policy.purpose_codes.get("leefgeld"),
        ),
        household_id=household.id,
        contract_id=None,
        payee_id=None,
        category=category,
        end_to_end_id=end_to_end_id(ctx.run.period, ctx.run.id, household.id, code),
        pmt_inf_id=pmt_inf_id(ctx.run.msg_id or "", "leefgeld", execution),
        rule=line.rule,
        booking_key=booking.key,
    )


def _payment_problems(
    payment: PlannedPayment, household_ref: str, payees: dict[int, cm.Payee]
) -> list[FieldProblem]:
    """What the bank would refuse, found at prepare so approval is never wasted on it.

    Payees are organisations and are named; for a household only its reference is shown.
    """
    fields = payment.fields
    if payment.payee_id is not None:
        payee = payees[payment.payee_id]
        who, record = f"betaalontvanger {payee.reference} ({payee.name})", payee.reference
    else:
        who, record = f"huishouden {household_ref}", household_ref
    problems = []
    if not fields.town or not fields.country:
        problems.append(FieldProblem(
            "town", f"{who} heeft geen plaats in het adres: banken weigeren sinds 15 november "
            "2026 overboekingen zonder gestructureerd adres (plaats en land)", record,
        ))  # fmt: skip
    try:
        to_sepa_text(fields.creditor_name, field="Cdtr/Nm", max_len=NAME_MAX)
    except SepaTextError as error:
        problems.append(FieldProblem(
            "name", f"de naam van {who} past niet in een SEPA-bestand ({error.reason}); "
            "leg de naam in Latijns schrift vast zoals in de BRP of bij de bank", record,
        ))  # fmt: skip
    return problems


def _report_lines(plan: MonthlyPlan, household: cm.Household, out: RunComputation) -> None:
    for line in plan.of_kind(LineKind.SHORTFALL):
        out.shortfalls.append({
            "household": household.reference, "amount_cents": line.amount.cents,
            "category": None if line.category is None else line.category.value,
            "reason": line.explanation, "rule": line.rule,
        })  # fmt: skip
    for line in plan.of_kind(LineKind.HELD):
        out.held.append({
            "household": household.reference, "amount_cents": line.amount.cents,
            "reason": line.explanation, "rule": line.rule,
        })  # fmt: skip
    for signal in plan.signals:
        out.signals.append(
            {"household": household.reference, "code": signal.code.value, "message": signal.message}
        )


def _vanished(key: str, rows: HouseholdRows) -> PlanLine | None:
    """A line an earlier run booked that the plan no longer has (a contract ended, a deduction
    was withdrawn): rebuilt from its key, so the correction can take it back."""
    kind, _, subject = key.partition(":")
    explanation = f"Vervalt bij herziening: {key}."
    match kind:
        case "bijstand" | "vt_accrual" | "vt_payout":
            return PlanLine(LineKind(kind), Money(1), rules.ART_54_LID_3, explanation)
        case "deduction":
            return PlanLine(
                LineKind.DEDUCTION, Money(1), rules.ART_54_LID_3, explanation, source_id=subject
            )
        case "voorschot":
            return PlanLine(
                LineKind.VOORSCHOT_SETTLEMENT, Money(1), rules.ART_54_LID_3, explanation,
                source_id=subject,
            )  # fmt: skip
        case "withholding":
            contract = next((c for c in rows.contracts if str(c.id) == subject), None)
            if contract is None:
                return None
            return PlanLine(
                LineKind.WITHHOLDING, Money(1), rules.ART_54_LID_3, explanation,
                contract_id=subject, payee_id=str(contract.payee_id),
                category=Category(contract.category),
            )  # fmt: skip
    return None


def _origin(held: list[HeldEarlier], amount: int) -> list[HeldEarlier]:
    """Which earlier held leefgeld an owed amount is, oldest first. Releases pay the oldest
    first, so what the ledger still owes is the most recently held."""
    picked: list[HeldEarlier] = []
    total = 0
    for earlier in held:
        if earlier.cents <= 0:
            continue
        picked.append(earlier)
        total += earlier.cents
        if total >= amount:
            break
    return picked[::-1]


def _months(origin: list[HeldEarlier]) -> str:
    if not origin:
        return "eerdere maanden"
    return ", ".join(month_label(period_from_text(o.period)) for o in origin)


def _runs(origin: list[HeldEarlier]) -> str:
    return "; ".join(f"{o.period} in betaalrun {', '.join(str(r) for r in o.runs)}" for o in origin)


class _Household:
    """One household's part of the run: its bookings, payments and run lines."""

    def __init__(
        self, ctx: RunContext, rows: HouseholdRows, out: RunComputation,
        problems: list[FieldProblem],
    ) -> None:  # fmt: skip
        self.ctx, self.rows, self.out, self.problems = ctx, rows, out, problems
        self.household = rows.household
        self.prefix = f"run{ctx.run.id}:h{self.household.id}"
        self.bookings: list[Booking] = []
        self.touched = False

    def book(self, booking: Booking, line_key: str | None, cents: int) -> None:
        self.touched = True
        self.bookings.append(booking)
        if line_key is not None:
            self.out.lines.append((self.household.id, line_key, cents, booking.key))

    def note(self, line_key: str, cents: int) -> None:
        """A run line without a booking (the household's share, held leefgeld)."""
        if cents:
            self.touched = True
            self.out.lines.append((self.household.id, line_key, cents, None))

    def pay(self, payment: PlannedPayment) -> None:
        self.problems.extend(_payment_problems(payment, self.household.reference, self.ctx.payees))
        self.out.payments.append(payment)

    def flush(self) -> None:
        """Hand the bookings to the run: those that fund the household's payable first, so
        that cancelling (newest first) never takes the payable past its limit."""
        payable = household_account(self.household.id)
        self.out.bookings.extend(
            sorted(
                self.bookings,
                key=lambda b: any(r == payable and a.cents > 0 for r, a in b.postings),
            )
        )

    def moved_on_payable(self) -> int:
        """What this run posted on the household's payable (debit positive)."""
        payable = household_account(self.household.id)
        return sum(a.cents for b in self.bookings for ref, a in b.postings if ref == payable)

    def claim(self, key: str, cents: int, reason: str, line: PlanLine) -> None:
        """Record ``cents`` paid too much as a claim on the household. ``key`` is the plan line
        it corrects (a vaste last paid to a payee), or ``vordering`` for leefgeld."""
        ctx, household = self.ctx, self.household
        description = f"{month_label(ctx.period)} {household.reference}: vordering, {reason}"
        own = key == "vordering"
        booking = book_claim(
            household.id, f"{self.prefix}:vordering" if own else f"{self.prefix}:{key}:vordering",
            Money(cents), description[:500], rules.ART_58_LID_2, line,
        )  # fmt: skip
        # A vaste last's claim counts as taking that line back: a next correction sees it.
        self.book(booking, key, cents if own else -cents)
        self.out.claims.append({
            "household": household.reference, "amount_cents": cents,
            "reason": f"{reason[:1].upper()}{reason[1:]}: {Money(cents)} is te veel betaald; "
            "terugvorderen of verrekenen na een besluit.", "rule": rules.ART_58_LID_2,
        })  # fmt: skip


def _first_booking(h: _Household, plan: MonthlyPlan, kinds: dict[str, DeductionKind]) -> None:
    """The household's first run of the period: the plan as it is."""
    ctx, household = h.ctx, h.household
    booked = book_plan(
        plan, household.id, f"run{ctx.run.id}", kinds, _describe(household.reference, ctx.period)
    )
    slot = 0
    for booking in booked.bookings:
        line = booking.line
        if line.kind is LineKind.LEEFGELD:
            slot += 1
            h.book(booking, None, 0)
            h.pay(_leefgeld(ctx, h.rows, line, slot, booking))
            continue
        h.book(booking, line_key(line), line.amount.cents)
        if line.kind is LineKind.WITHHOLDING:
            h.pay(_vaste_last(ctx, household, line, booking, ctx.vaste_date))
    h.note("share", (plan.leefgeld + plan.total(LineKind.HELD)).cents)
    h.note("held", plan.total(LineKind.HELD).cents)
    _report_lines(plan, household, h.out)


def _difference(
    h: _Household, plan: MonthlyPlan, kinds: dict[str, DeductionKind], prior: Prior
) -> int:
    """A later run of the period: book what the plan says now minus what was booked.
    Returns the change in the household's own share (leefgeld plus held)."""
    ctx, household = h.ctx, h.household
    describe = _describe(household.reference, ctx.period, correction=True)
    current = {
        line_key(line): line
        for line in plan.lines
        if line.kind not in (LineKind.LEEFGELD, LineKind.HELD, LineKind.SHORTFALL)
    }
    keys = (set(current) | set(prior.booked)) - PAYOUT_KEYS - {"share"}
    for key in sorted(keys):
        line = current.get(key) or _vanished(key, h.rows)
        if line is None:
            continue
        now = current[key].amount.cents if key in current else 0
        difference = now - prior.booked.get(key, 0)
        if not difference:
            continue
        if line.kind is LineKind.WITHHOLDING and difference < 0:
            # Paid to the payee already: it cannot be taken back by the run.
            payee = ctx.payees.get(int(line.payee_id or 0))
            what = _CATEGORY_NL[line.category.value] if line.category else "vaste last"
            h.claim(key, -difference, f"{what} {month_label(ctx.period)} aan "
                    f"{payee.name if payee else 'de betaalontvanger'}", line)  # fmt: skip
            continue
        booking = book_difference(
            line, Money(difference), household.id, f"{h.prefix}:{key}", kinds,
            describe(line)[:500],
        )  # fmt: skip
        assert booking is not None
        h.book(booking, key, difference)
        if line.kind is LineKind.WITHHOLDING:
            h.pay(_vaste_last(ctx, household, booking.line, booking, ctx.vaste_date))
    share = (plan.leefgeld + plan.total(LineKind.HELD)).cents - prior.booked.get("share", 0)
    h.note("share", share)
    return share


def _settle(h: _Household, plan: MonthlyPlan, prior: Prior, share: int, corrected: bool) -> None:
    """Whatever the ledger owes the household now reaches it, if it has an own account;
    whatever it was paid too much becomes a claim."""
    ctx, household = h.ctx, h.household
    owed = prior.owed - h.moved_on_payable()
    claimed = 0
    if owed < 0:
        claimed = -owed
        h.claim(
            "vordering",
            claimed,
            f"leefgeld {month_label(ctx.period)}",
            PlanLine(LineKind.LEEFGELD, Money(claimed), rules.ART_58_LID_2, "vordering"),
        )
        owed = 0
    if household.iban is None:
        if corrected:
            held = share + claimed
            h.note("held", held)
            if held > 0:
                h.out.held.append({
                    "household": household.reference, "amount_cents": held,
                    "reason": f"Leefgeld correctie {ctx.period}: {Money(held)} wordt "
                    "vastgehouden tot het huishouden een eigen rekening heeft.",
                    "rule": rules.BELEID_LEEFGELD,
                })  # fmt: skip
        return
    extra = min(max(share, 0), owed) if corrected else 0
    if extra:
        rule = next((line.rule for line in plan.of_kind(LineKind.LEEFGELD)), rules.ART_56A_LID_2)
        line = PlanLine(
            LineKind.LEEFGELD, Money(extra), rule,
            f"Leefgeld correctie {ctx.period}: {Money(extra)} extra naar de eigen rekening van "
            "het huishouden.", recipient=Recipient.HOUSEHOLD,
        )  # fmt: skip
        booking = book_payout(
            household.id, f"{h.prefix}:leefgeld-correctie", Money(extra),
            f"{month_label(ctx.period)} {household.reference}: correctie leefgeld", line,
        )  # fmt: skip
        h.book(booking, "leefgeld-correctie", extra)
        h.pay(_leefgeld(
            ctx, h.rows, line, 0, booking, code="LC",
            remittance=f"Leefgeld correctie {month_label(ctx.period)} {ctx.gemeente.name}",
        ))  # fmt: skip
    release = owed - extra
    if release <= 0:
        return
    origin = _origin(prior.held, release)
    months = _months(origin)
    cited = f" (vastgehouden: {_runs(origin)})" if origin else ""
    reduced = (
        f", verminderd met {Money(-share)} door de correctie van {ctx.period}"
        if corrected and share < 0 else ""
    )  # fmt: skip
    line = PlanLine(
        LineKind.LEEFGELD, Money(release), rules.BELEID_LEEFGELD,
        f"Vastgehouden leefgeld {months}: {Money(release)} naar de eigen rekening van het "
        f"huishouden, nu het die heeft{cited}{reduced}.", recipient=Recipient.HOUSEHOLD,
    )  # fmt: skip
    booking = book_payout(
        household.id, f"{h.prefix}:vrijgave", Money(release),
        f"{month_label(ctx.period)} {household.reference}: vastgehouden leefgeld {months}"
        f"{cited}"[:500], line,
    )  # fmt: skip
    h.book(booking, "vrijgave", release)
    h.pay(_leefgeld(
        ctx, h.rows, line, 0, booking, code="V", category="vastgehouden leefgeld",
        remittance=f"Vastgehouden leefgeld {months} {ctx.gemeente.name}",
    ))  # fmt: skip
    h.out.released.append({
        "household": household.reference, "amount_cents": release,
        "reason": line.explanation, "rule": line.rule,
        "origin": [
            {"period": o.period, "runs": list(o.runs), "amount_cents": o.cents} for o in origin
        ],
    })  # fmt: skip


def plan_chunk(
    ctx: RunContext,
    chunk: list[HouseholdRows],
    out: RunComputation,
    problems: list[FieldProblem],
    priors: dict[int, Prior] | None = None,
) -> None:
    """Plan a chunk of households and derive their bookings, payments, run lines and report
    lines: the whole plan where nothing of the period was booked yet, else the difference
    with what was; then what the ledger owes the household is paid or held, and what was paid
    too much claimed."""
    for rows in chunk:
        household = rows.household
        prior = (priors or {}).get(household.id) or Prior()
        try:
            facts = to_facts(rows)
            if not facts.right.covers(ctx.period):
                if not prior.booked and not (prior.owed > 0 and household.iban):
                    continue  # no bijstand this month, nothing owed to pay: not in the run
                # The right no longer runs: take back what was booked, pay what is owed.
                plan = None
            else:
                plan = plan_from_facts(facts, ctx.policy.to_facts(), ctx.period)
        except (FactError, PlanError, NormNotFound) as error:
            problems.append(FieldProblem("household", str(error), household.reference))
            continue
        h = _Household(ctx, rows, out, problems)
        kinds = {d.id: d.kind for d in facts.deductions}
        if plan is None:
            plan = _empty_plan(household, ctx.period)
        corrected = bool(prior.booked)
        if corrected:
            share = _difference(h, plan, kinds, prior)
        else:
            _first_booking(h, plan, kinds)
            share = 0
        _settle(h, plan, prior, share, corrected)
        h.flush()
        if not corrected:
            out.households += 1
        elif h.touched:  # a correction lists only the households it changes
            out.households += 1
            out.signals.extend(
                {"household": household.reference, "code": sig.code.value, "message": sig.message}
                for sig in plan.signals
            )


def _empty_plan(household: cm.Household, period: Period) -> MonthlyPlan:
    return MonthlyPlan(
        household_id=str(household.id), right_id="", period=period, eligible=False,
        eligibility_reason="het recht op bijstand loopt niet meer in deze maand",
        window_start=period.first_day, window_end=period.first_day, lines=(), signals=(),
        skipped=(),
    )  # fmt: skip


# -- the lifecycle -----------------------------------------------------------------------
