# SPDX-License-Identifier: EUPL-1.2
"""The batch overview of a run: what the accordeerder checks and signs.

Totals per batch (PmtInf), per category and per payee, the number of payments, the execution
dates and the digest the approval is bound to — as data, so that the CLI, the API and a
printed page all show the same figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.clients.models import Payee
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.money import Money
from ontzorgen.runs.models import Payment, RunFile, kind_label, state_label
from ontzorgen.runs.service import audit_run, readable_run


@dataclass(frozen=True, slots=True)
class Total:
    """A labelled count and sum."""

    label: str
    count: int
    total: Money


@dataclass(frozen=True, slots=True)
class BatchTotal:
    """One PmtInf of the file: its id, execution date, count and sum."""

    pmt_inf_id: str
    execution_date: date
    kind: str
    count: int
    total: Money


@dataclass(frozen=True)
class RunOverview:
    """Everything the accordeerder signs for."""

    run_id: int
    gemeente: str
    gemeente_name: str
    period: str
    kind: str
    state: str
    msg_id: str | None
    digest: str | None
    households: int
    payments: int
    total: Money
    shortfall: Money
    held: Money
    execution_date: date | None
    prepared_by: str | None
    prepared_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    exported_by: str | None
    exported_at: datetime | None
    file_sha256: str | None
    progress: tuple[int, int]
    batches: list[BatchTotal] = field(default_factory=list)
    categories: list[Total] = field(default_factory=list)
    payees: list[Total] = field(default_factory=list)
    report: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, amounts in cents."""

        def total(t: Total) -> dict[str, object]:
            return {"label": t.label, "count": t.count, "total_cents": t.total.cents}

        return {
            "run_id": self.run_id, "gemeente": self.gemeente, "period": self.period,
            "kind": self.kind, "kind_label": kind_label(self.kind),
            "state": self.state, "state_label": state_label(self.state), "msg_id": self.msg_id,
            "digest": self.digest, "households": self.households, "payments": self.payments,
            "total_cents": self.total.cents, "shortfall_cents": self.shortfall.cents,
            "held_cents": self.held.cents,
            "execution_date": self.execution_date and self.execution_date.isoformat(),
            "prepared_by": self.prepared_by, "approved_by": self.approved_by,
            "exported_by": self.exported_by, "file_sha256": self.file_sha256,
            "progress": {"done": self.progress[0], "total": self.progress[1]},
            "batches": [
                {"pmt_inf_id": b.pmt_inf_id, "execution_date": b.execution_date.isoformat(),
                 "kind": b.kind, "count": b.count, "total_cents": b.total.cents}
                for b in self.batches
            ],
            "categories": [total(t) for t in self.categories],
            "payees": [total(t) for t in self.payees],
            "report": self.report,
        }  # fmt: skip


def run_overview(session: Session, actor: Actor, run_id: int) -> RunOverview:
    """The overview of a run, aggregated in the database (no row-by-row work)."""
    run = readable_run(session, actor, run_id)
    audit_run(session, actor, run, "betaalrun.bekeken")
    gemeente = session.get_one(Gemeente, run.gemeente_id)
    active = (Payment.run_id == run.id, Payment.active.is_(True))
    batches = [
        BatchTotal(pmt_inf_id, execution_date, kind, count, Money(int(total)))
        for pmt_inf_id, execution_date, kind, count, total in session.execute(
            select(
                Payment.pmt_inf_id, Payment.execution_date, Payment.kind,
                func.count(), func.sum(Payment.amount_cents),
            )
            .where(*active)
            .group_by(Payment.pmt_inf_id, Payment.execution_date, Payment.kind)
            .order_by(Payment.execution_date, Payment.pmt_inf_id)
        )
    ]  # fmt: skip
    categories = [
        Total(category, count, Money(int(total)))
        for category, count, total in session.execute(
            select(Payment.category, func.count(), func.sum(Payment.amount_cents))
            .where(*active)
            .group_by(Payment.category)
            .order_by(Payment.category)
        )
    ]
    payees = [
        Total(name, count, Money(int(total)))
        for name, count, total in session.execute(
            select(Payee.name, func.count(), func.sum(Payment.amount_cents))
            .join(Payee, Payee.id == Payment.payee_id)
            .where(*active)
            .group_by(Payee.name)
            .order_by(Payee.name)
        )
    ]
    file = session.scalar(select(RunFile.sha256).where(RunFile.run_id == run.id))
    return RunOverview(
        run_id=run.id, gemeente=gemeente.code, gemeente_name=gemeente.name, period=run.period,
        kind=run.kind, state=run.state, msg_id=run.msg_id, digest=run.digest,
        households=run.household_count, payments=run.payment_count,
        total=Money(run.total_cents), shortfall=Money(run.shortfall_cents),
        held=Money(run.held_cents), execution_date=run.execution_date,
        prepared_by=run.prepared_by, prepared_at=run.prepared_at,
        approved_by=run.approved_by, approved_at=run.approved_at,
        exported_by=run.exported_by, exported_at=run.exported_at, file_sha256=file,
        progress=(run.progress_done, run.progress_total), batches=batches,
        categories=categories, payees=payees,
        report=json.loads(run.report) if run.report else {},
    )  # fmt: skip


def overview_text(overview: RunOverview) -> str:
    """A plain-text overview to print and sign (fixed-width, Dutch)."""
    o = overview
    lines = [
        f"Betaalrun {o.run_id} — {o.gemeente_name} ({o.gemeente}) — periode {o.period}",
        f"Soort: {kind_label(o.kind)}   Status: {state_label(o.state)}   "
        f"Bericht: {o.msg_id or '-'}",
        f"Huishoudens: {o.households}   Betalingen: {o.payments}   Totaal: {o.total}",
        f"Tekorten (niet betaald): {o.shortfall}   Vastgehouden (geen IBAN): {o.held}",
        f"Voorbereid door {o.prepared_by or '-'}   Geaccordeerd door {o.approved_by or '-'}",
        f"Digest: {o.digest or '-'}",
        "",
        "Batches (één afschrijving per batch op het bankafschrift):",
    ]
    lines += [
        f"  {b.pmt_inf_id:<35} {b.execution_date.isoformat()}  {b.count:>7}  {b.total!s:>16}"
        for b in o.batches
    ]
    lines += ["", "Per categorie:"]
    lines += [f"  {t.label:<35} {t.count:>7}  {t.total!s:>16}" for t in o.categories]
    lines += ["", "Per betaalontvanger:"]
    lines += [f"  {t.label[:35]:<35} {t.count:>7}  {t.total!s:>16}" for t in o.payees]
    shortfalls = o.report.get("shortfalls", [])
    if shortfalls:
        lines += ["", "Tekorten (niet betaald, voor de consulent):"]
        lines += [
            f"  {s['household']!s:<20} {s.get('category') or '':<16} "
            f"{Money(int(str(s['amount_cents'])))!s:>14}"
            for s in shortfalls
        ]
    held = o.report.get("held", [])
    if held:
        lines += ["", "Leefgeld vastgehouden (geen eigen IBAN):"]
        lines += [
            f"  {h['household']!s:<37} {Money(int(str(h['amount_cents'])))!s:>14}" for h in held
        ]
    released = o.report.get("released", [])
    if released:
        lines += ["", "Vastgehouden leefgeld nu uitbetaald (eigen rekening):"]
        lines += [
            f"  {r['household']!s:<37} {Money(int(str(r['amount_cents'])))!s:>14}  "
            + ", ".join(str(origin["period"]) for origin in r.get("origin", []))  # type: ignore[attr-defined]
            for r in released
        ]
    claims = o.report.get("claims", [])
    if claims:
        lines += ["", "Vorderingen (te veel betaald, Pw art. 58 lid 2):"]
        lines += [
            f"  {c['household']!s:<20} {Money(int(str(c['amount_cents'])))!s:>14}  {c['reason']}"
            for c in claims
        ]
    if o.file_sha256:
        lines += ["", f"Bestand SHA-256: {o.file_sha256}"]
    lines += [
        "",
        "Voor akkoord (accordeerder): ______________________   Datum: ____________",
    ]
    return "\n".join(lines)
