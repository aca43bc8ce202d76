# SPDX-License-Identifier: EUPL-1.2
"""The demo's bank answers: the test bank answers the demo run's pain.001, and ontzorgen
imports what it says, so the reconciliation report of the demo month shows real figures.

The bank rejects one huur payment (AC01, wrong IBAN) in its pain.002, books every batch on its
execution date in a camt.053, returns one energy payment (AC04, account closed) and credits a
year-end refund of an energy supplier that names a household. Deterministic: the same run gives
the same bank files, so running the demo again imports nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import Role, staff
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.reconcile import Reconciliation, open_items, reconcile
from ontzorgen.clients.models import Household, Payee
from ontzorgen.db import unit_of_work
from ontzorgen.runs.models import Payment
from ontzorgen.sepa import testbank

ACCOUNTANT = staff("demo-accountant", [Role.ACCOUNTANT], ["9999"], channel="cli")
REFUND_CENTS = 4312


@dataclass(frozen=True, slots=True)
class BankDemo:
    """The bank files the demo imported and the month's reconciliation."""

    files: tuple[Path, ...]
    reconciliation: Reconciliation
    open_items: int  # of every month: the refund is booked in the month the bank credited it


def _first(session: Session, run_id: int, category: str) -> Payment | None:
    return session.scalar(
        select(Payment)
        .where(Payment.run_id == run_id, Payment.category == category, Payment.active.is_(True))
        .order_by(Payment.id)
        .limit(1)
    )


def answer_demo_run(
    session_factory: sessionmaker[Session],
    gemeente_code: str,
    run_id: int,
    period: str,
    pain001: bytes,
    *,
    out: Path | None,
    today: date,
    now: datetime,
) -> BankDemo:
    """Let the test bank answer the run, import the answers, and reconcile the month."""
    with unit_of_work(session_factory) as session:
        rejected = _first(session, run_id, "huur")
        returned = _first(session, run_id, "stroom") or _first(session, run_id, "gas")
        refund_from = None
        if returned is not None and returned.payee_id is not None:
            payee = session.get_one(Payee, returned.payee_id)
            household = session.get_one(Household, returned.household_id)
            refund_from = testbank.Credit(
                REFUND_CENTS, payee.name, payee.iban, f"Eindafrekening {household.reference}"
            )
    rejects = {} if rejected is None else {rejected.end_to_end_id: "AC01"}
    returns = {} if returned is None else {returned.end_to_end_id: "AC04"}
    order = testbank.read_pain001(pain001)
    by_day: dict[date, list[str]] = defaultdict(list)
    for batch in order.batches:
        by_day[batch.execution_date].append(batch.pmt_inf_id)
    files: list[tuple[str, bytes]] = [
        ("pain.002.xml", testbank.pain002(pain001, rejected=rejects, only_rejects=True))
    ]
    for number, day in enumerate(sorted(by_day), start=1):
        in_batches = {p.end_to_end_id for b in order.batches if b.execution_date == day
                      for p in b.payments}  # fmt: skip
        files.append(
            (
                f"camt.053-{number}.xml",
                testbank.camt053(
                    pain001,
                    booking_date=day,
                    pmt_inf_ids=by_day[day],
                    rejected={k: v for k, v in rejects.items() if k in in_batches},
                    returned={k: v for k, v in returns.items() if k in in_batches},
                    extra_credits=(refund_from,) if refund_from and number == 1 else (),
                ),
            )
        )
    paths: list[Path] = []
    for name, content in files:
        with unit_of_work(session_factory) as session:
            import_bank_file(session, ACCOUNTANT, gemeente_code, content, filename=name,
                             today=today, now=now)  # fmt: skip
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)
            paths.append(out / name)
    with unit_of_work(session_factory) as session:
        report = reconcile(session, ACCOUNTANT, gemeente_code, period=period)
        still_open = len(open_items(session, ACCOUNTANT, gemeente_code))
    return BankDemo(tuple(paths), report, still_open)
