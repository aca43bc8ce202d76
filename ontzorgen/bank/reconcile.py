# SPDX-License-Identifier: EUPL-1.2
"""The reconciliation of a run or a month: every euro of the pain.001 followed to where it is.

Each figure comes from its own source: *expected* from the approved runs (what the pain.001
said), *booked*, *rejected* and *returned* from what the bank files said, *reissued* and *paid
to the household* from the decisions carried out in exported correction runs, *open* from the
payments still without an answer and the returned money still waiting for a decision. So::

    difference = expected − (booked − returned) − reissued − paid_to_household − open

is zero when every euro is accounted for. An open item is not a difference, but a period closes
only when the difference is zero and nothing is open.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bank.decisions import ACTION_LABELS, carried_out_by, current_decisions
from ontzorgen.bank.models import BankDecision, BankItem
from ontzorgen.bank.reasons import describe
from ontzorgen.clients.planning import period_from_text
from ontzorgen.errors import Conflict, NotFound
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.ledger import service as ledger
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, PaymentRun

FIGURES = (
    "expected_cents",
    "booked_cents",
    "rejected_cents",
    "returned_cents",
    "reissued_cents",
    "paid_to_household_cents",
    "open_cents",
    "received_cents",
    "unidentified_cents",
    "difference_cents",
)
LABELS = {
    "expected_cents": "Verwacht (volgens de pain.001)",
    "booked_cents": "Afgeschreven door de bank",
    "rejected_cents": "Geweigerd door de bank",
    "returned_cents": "Teruggekomen",
    "reissued_cents": "Opnieuw betaald",
    "paid_to_household_cents": "Aan het huishouden betaald",
    "open_cents": "Open (onderweg of wacht op besluit)",
    "received_cents": "Ontvangen en afgeletterd",
    "unidentified_cents": "Nog te bepalen (ter controle)",
    "difference_cents": "Verschil",
}


OPEN_KIND_LABELS = {
    "onderweg": "onderweg",
    "wacht_op_besluit": "wacht op besluit",
    "ter_controle": "ter controle",
}


@dataclass(frozen=True, slots=True)
class OpenItem:
    """Something not settled yet: a payment without an answer, returned money without a
    decision, or a bank line nobody could match."""

    kind: str  # onderweg, wacht_op_besluit, ter_controle
    amount_cents: int
    reason: str
    end_to_end_id: str | None = None
    payment_id: int | None = None
    bank_item_id: int | None = None
    run_id: int | None = None


@dataclass
class Reconciliation:
    """The figures of one run or one month, in cents, and what is still open."""

    gemeente: str
    period: str
    run_id: int | None
    runs: list[int]
    expected_cents: int = 0
    booked_cents: int = 0
    rejected_cents: int = 0
    returned_cents: int = 0
    reissued_cents: int = 0
    paid_to_household_cents: int = 0
    open_cents: int = 0
    received_cents: int = 0
    unidentified_cents: int = 0
    difference_cents: int = 0
    not_exported: list[int] = field(default_factory=list)
    open_items: list[OpenItem] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        return self.difference_cents == 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reconciled"] = self.reconciled
        return data

    def as_csv(self) -> str:
        """One row per figure, then one per open item: for a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["onderdeel", "bedrag_centen", "bedrag"])
        for name in FIGURES:
            cents = getattr(self, name)
            writer.writerow([LABELS[name], cents, Money(cents).format()])
        writer.writerow([])
        writer.writerow(
            ["open post", "bedrag_centen", "end_to_end_id", "betaling", "bankpost", "reden"]
        )
        for item in self.open_items:
            writer.writerow(
                [
                    item.kind,
                    item.amount_cents,
                    item.end_to_end_id or "",
                    item.payment_id or "",
                    item.bank_item_id or "",
                    item.reason,
                ]
            )
        return out.getvalue()


def _runs(
    session: Session, gemeente_id: int, period: str | None, run_id: int | None
) -> list[PaymentRun]:
    query = select(PaymentRun).where(
        PaymentRun.gemeente_id == gemeente_id, PaymentRun.state != "cancelled"
    )
    if run_id is not None:
        query = query.where(PaymentRun.id == run_id)
    else:
        query = query.where(PaymentRun.period == period)
    return list(session.scalars(query.order_by(PaymentRun.id)))


def _items_by_payment(session: Session, run_ids: list[int]) -> dict[int, dict[str, BankItem]]:
    found: dict[int, dict[str, BankItem]] = defaultdict(dict)
    rows = session.scalars(
        select(BankItem).where(
            BankItem.run_id.in_(run_ids),
            BankItem.kind.in_(("booked", "rejected", "returned")),
        )
    )
    for item in rows:
        assert item.payment_id is not None
        found[item.payment_id][item.kind] = item
    return found


def reconcile(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    *,
    period: str | None = None,
    run_id: int | None = None,
    log_view: bool = True,
) -> Reconciliation:
    """The reconciliation of one run (``run_id``) or of every run of a month (``period``);
    the view is logged unless a service that logs its own step asks (``log_view``)."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.LEDGER_READ, "gemeente")
    if log_view:
        audit.record(session, actor, "afstemming.bekeken", gemeente_id=gemeente.id,
                     ref=f"run:{run_id}" if run_id else f"periode:{period}")  # fmt: skip
    if run_id is None and period is None:
        raise NotFound("kies een periode of een betaalrun")
    if period is not None:
        period = period_from_text(period).label()
    runs = _runs(session, gemeente.id, period, run_id)
    if run_id is not None and not runs:
        raise NotFound(f"betaalrun {run_id} bestaat niet in deze gemeente")
    label = period if period is not None else runs[0].period
    report = Reconciliation(gemeente.code, label, run_id, [r.id for r in runs])
    exported = [r for r in runs if r.state == "exported"]
    # Still to pay: every run not exported, except an approved run with nothing for the bank
    # (claims only) — that one is done.
    report.not_exported = [
        r.id
        for r in runs
        if r.state != "exported" and not (r.state == "approved" and not r.payment_count)
    ]
    report.expected_cents = sum(r.total_cents for r in exported)
    run_ids = [r.id for r in exported]
    items = _items_by_payment(session, run_ids) if run_ids else {}
    current = current_decisions(session, gemeente.id)
    carried = carried_out_by(session, [d.id for d in current])
    decisions = {d.payment_id: d for d in current if d.payment_id}
    payments = (
        session.execute(
            select(Payment.id, Payment.run_id, Payment.end_to_end_id, Payment.amount_cents)
            .where(Payment.run_id.in_(run_ids), Payment.active.is_(True))
            .order_by(Payment.id)
        ).all()
        if run_ids
        else []
    )
    for payment_id, run, e2e, cents in payments:
        said = items.get(payment_id, {})
        booked, rejected, returned = said.get("booked"), said.get("rejected"), said.get("returned")
        report.booked_cents += booked.amount_cents if booked else 0
        report.rejected_cents += rejected.amount_cents if rejected else 0
        report.returned_cents += returned.amount_cents if returned else 0
        if booked is None and rejected is None:
            report.open_items.append(
                OpenItem(
                    "onderweg",
                    cents,
                    "verzonden, nog niet afgeschreven door de bank",
                    e2e,
                    payment_id,
                    run_id=run,
                )
            )
            continue
        back = rejected or returned
        if back is None:
            continue
        decision = decisions.get(payment_id)
        done = carried.get(decision.id) if decision else None
        if decision is not None and done is not None and done[1] == "exported":
            if decision.action == "herbetalen":
                report.reissued_cents += back.amount_cents
            else:
                report.paid_to_household_cents += back.amount_cents
            continue
        why = describe(back.reason_code)
        if decision is None:
            reason = f"{why}; wacht op een besluit"
        elif done is not None:
            reason = f"{why}; {ACTION_LABELS[decision.action]} in betaalrun, nog niet verzonden"
        else:
            reason = f"{why}; besluit: {ACTION_LABELS[decision.action]}"
        report.open_items.append(
            OpenItem("wacht_op_besluit", back.amount_cents, reason, e2e, payment_id, back.id, run)
        )
    report.open_cents = sum(i.amount_cents for i in report.open_items)
    month = label if run_id is None else None
    _unidentified(session, gemeente.id, month, run_ids, current, carried, report)
    report.difference_cents = (
        report.expected_cents
        - (report.booked_cents - report.returned_cents)
        - report.reissued_cents
        - report.paid_to_household_cents
        - report.open_cents
    )
    return report


def _unidentified(
    session: Session, gemeente_id: int, period: str | None, run_ids: list[int],
    current: list[BankDecision], carried: dict[int, tuple[int, str]], report: Reconciliation,
) -> None:  # fmt: skip
    """Bank lines nobody could match: those about the runs in the report, and (for a month)
    those booked in it that name no run. Received once carried out, else open."""
    about_runs: ColumnElement[bool] = BankItem.run_id.in_(run_ids)
    if period is None:
        scope = about_runs
    else:
        month = period_from_text(period)
        in_month = and_(
            BankItem.run_id.is_(None),
            BankItem.booking_date >= month.first_day,
            BankItem.booking_date <= month.last_day,
        )
        scope = or_(about_runs, in_month)
    items = list(
        session.scalars(
            select(BankItem)
            .where(BankItem.gemeente_id == gemeente_id, BankItem.kind == "unidentified", scope)
            .order_by(BankItem.id)
        )
    )
    if not items:
        return
    decisions = {d.bank_item_id: d for d in current if d.bank_item_id}
    for item in items:
        decision = decisions.get(item.id)
        done = carried.get(decision.id) if decision else None
        if done is not None and done[1] == "exported":
            report.received_cents += item.amount_cents
            continue
        direction = "bijschrijving" if item.direction == "CRDT" else "afschrijving"
        reason = f"{direction} zonder betaling: {item.note or 'niet herkend'}"
        if decision is not None:
            reason += f"; besluit: {ACTION_LABELS[decision.action]}"
        report.unidentified_cents += item.amount_cents
        report.open_items.append(
            OpenItem("ter_controle", item.amount_cents, reason, item.end_to_end_id, None, item.id)
        )


def _where(item: OpenItem) -> str:
    return item.end_to_end_id or f"bankpost {item.bank_item_id}"


def close_period(
    session: Session, actor: Actor, gemeente_ref: str | int, period: str, *, now: datetime
) -> Reconciliation:
    """Close a ledger period, but only when its month reconciles to zero with nothing open."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.PERIOD_CLOSE, "gemeente")
    report = reconcile(session, actor, gemeente.id, period=period, log_view=False)
    problems = []
    if report.not_exported:
        runs = ", ".join(str(r) for r in report.not_exported)
        problems.append(f"betaalrun {runs} is nog niet geëxporteerd of geannuleerd")
    if report.difference_cents:
        problems.append(f"het verschil is {Money(report.difference_cents)}, niet € 0,00")
    if report.open_items:
        shown = "; ".join(
            _where(i) + f" ({Money(i.amount_cents)}): {i.reason}" for i in report.open_items[:5]
        )
        more = len(report.open_items) - 5
        problems.append(
            f"{len(report.open_items)} open posten: {shown}"
            + (f" en {more} meer" if more > 0 else "")
        )
    if problems:
        raise Conflict(f"periode {report.period} kan niet sluiten: " + "; ".join(problems))
    ledger.close_period(session, actor, gemeente.id, report.period, now=now)
    audit.record(session, actor, "periode.gesloten", gemeente_id=gemeente.id,
                 ref=f"periode:{report.period}", at=now)  # fmt: skip
    return report


def suggestions(session: Session, gemeente_id: int, item: BankItem) -> list[dict[str, Any]]:
    """Who an unidentified line may belong to, best first: the counter-IBAN of a household or
    payee, a returned payment of the same amount, words of the description."""
    from ontzorgen.clients.models import Household, Payee

    found: dict[tuple[str, int], dict[str, Any]] = {}

    def add(kind: str, id_: int, score: int, why: str) -> None:
        entry = found.setdefault((kind, id_), {"kind": kind, "id": id_, "score": 0, "why": []})
        entry["score"] += score
        entry["why"].append(why)

    iban = (item.counterparty_iban or "").replace(" ", "").upper()
    if iban:
        for (hid,) in session.execute(
            select(Household.id).where(Household.gemeente_id == gemeente_id, Household.iban == iban)
        ):
            add("huishouden", hid, 3, "IBAN van de tegenrekening is van dit huishouden")
        for (pid,) in session.execute(
            select(Payee.id).where(Payee.gemeente_id == gemeente_id, Payee.iban == iban)
        ):
            add("begunstigde", pid, 3, "IBAN van de tegenrekening is van deze begunstigde")
    words = {w.strip(".,:;()").upper() for w in (item.remittance or "").split() if len(w) >= 4}
    if words:
        for hid, reference in session.execute(
            select(Household.id, Household.reference).where(Household.gemeente_id == gemeente_id)
        ):
            if reference.upper() in words:
                add("huishouden", hid, 2, "de omschrijving noemt de referentie van dit huishouden")
    same_amount = session.scalars(
        select(BankItem.payment_id)
        .where(
            BankItem.gemeente_id == gemeente_id,
            BankItem.kind.in_(("rejected", "returned")),
            BankItem.amount_cents == item.amount_cents,
        )
        .limit(5)
    ).all()
    for payment_id in same_amount:
        if payment_id is not None:
            add("betaling", payment_id, 1, "een teruggekomen betaling van hetzelfde bedrag")
    return sorted(found.values(), key=lambda s: (-s["score"], s["kind"], s["id"]))


def open_items(
    session: Session, actor: Actor, gemeente_ref: str | int, *, suggest: bool = False
) -> list[dict[str, Any]]:
    """Every open item of the gemeente ('ter controle'), month by month; with ``suggest``,
    who each unidentified line may belong to."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.LEDGER_READ, "gemeente")
    audit.record(session, actor, "open_posten.bekeken", gemeente_id=gemeente.id)
    periods = session.scalars(
        select(PaymentRun.period)
        .where(PaymentRun.gemeente_id == gemeente.id, PaymentRun.state == "exported")
        .distinct()
    ).all()
    months = set(periods) | {
        ledger.period_of(d)
        for d in session.scalars(
            select(BankItem.booking_date)
            .where(BankItem.gemeente_id == gemeente.id, BankItem.kind == "unidentified")
            .distinct()
        )
    }
    result = []
    for month in sorted(months):
        for item in reconcile(session, actor, gemeente.id, period=month, log_view=False).open_items:
            row: dict[str, Any] = {"period": month, **asdict(item)}
            if suggest and item.bank_item_id is not None and item.kind == "ter_controle":
                line = session.get_one(BankItem, item.bank_item_id)
                row["suggestions"] = suggestions(session, gemeente.id, line)
            result.append(row)
    return result


__all__ = ["FIGURES", "OpenItem", "Reconciliation", "close_period", "open_items", "reconcile"]
