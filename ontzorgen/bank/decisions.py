# SPDX-License-Identifier: EUPL-1.2
"""Decisions on money in suspense: a rejected or returned payment, or an unidentified credit.

A decision is recorded with who, when and why. One that pays out is approved by a second person
(:func:`approve_decision`, four eyes); paying happens in the next correction run of the gemeente
(see :mod:`ontzorgen.bank.reissue`), which goes through the same four-eyes approval as every
run. Until a decision is carried out, a newer one replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bank.models import (
    BankDecision,
    BankItem,
    BankReissue,
    DecisionApproval,
    PaymentEvent,
)
from ontzorgen.clients.models import Household
from ontzorgen.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.validation import MAX_ID

ACTION_LABELS: Final = {
    "herbetalen": "opnieuw betalen aan de begunstigde",
    "aan_huishouden": "betalen aan het huishouden",
    "vasthouden": "vasthouden op de tussenrekening",
}


@dataclass(frozen=True, slots=True)
class Decided:
    """A recorded decision, as the CLI and the API show it."""

    id: int
    action: str
    label: str
    payment_id: int | None
    bank_item_id: int | None
    household_id: int | None


def _payment(session: Session, gemeente_id: int, payment_id: int) -> Payment:
    payment = None
    if 0 < payment_id <= MAX_ID:
        payment = session.get(Payment, payment_id)
    if payment is None or payment.gemeente_id != gemeente_id:
        raise NotFound(f"betaling {payment_id} bestaat niet in deze gemeente")
    return payment


def carried_out_by(session: Session, decision_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Decision id → (the payment that carries it out, the state of that payment's run), for
    the decisions carried out in a run that is not cancelled."""
    if not decision_ids:
        return {}
    rows = session.execute(
        select(BankReissue.decision_id, BankReissue.payment_id, PaymentRun.state)
        .join(PaymentRun, PaymentRun.id == BankReissue.run_id)
        .where(BankReissue.decision_id.in_(decision_ids), PaymentRun.state != "cancelled")
    )
    return {decision_id: (payment_id, state) for decision_id, payment_id, state in rows}


def carried_out(session: Session, decision_ids: list[int]) -> set[int]:
    """The decisions already carried out by a payment in a run that is not cancelled."""
    return set(carried_out_by(session, decision_ids))


def _subject_done(
    session: Session, *, payment_id: int | None = None, bank_item_id: int | None = None
) -> bool:
    """Whether an earlier decision on this payment or bank item was carried out already."""
    column = BankDecision.payment_id if payment_id is not None else BankDecision.bank_item_id
    ids = list(
        session.scalars(select(BankDecision.id).where(column == (payment_id or bank_item_id)))
    )
    return bool(carried_out(session, ids))


def decide(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    *,
    action: str,
    reason: str,
    now: datetime,
    payment_id: int | None = None,
    bank_item_id: int | None = None,
    household_id: int | None = None,
) -> Decided:
    """Record what happens to a rejected or returned payment (``payment_id``) or an
    unidentified credit (``bank_item_id``, paid to ``household_id``). A decision that pays
    out needs a second person's approval (:func:`approve_decision`) before it is carried out."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.BANK_DECIDE, "gemeente")
    if action not in ACTION_LABELS:
        raise InvalidInput("action", f"kies {', '.join(ACTION_LABELS)}")
    if not reason.strip():
        raise InvalidInput("reason", "een besluit heeft een vastgelegde reden nodig")
    if (payment_id is None) == (bank_item_id is None):
        raise InvalidInput("payment_id", "kies een betaling of een bankpost, niet beide")
    if payment_id is not None:
        payment = _payment(session, gemeente.id, payment_id)
        statuses = set(
            session.scalars(
                select(PaymentEvent.status).where(PaymentEvent.payment_id == payment.id)
            )
        )
        if not statuses & {"geweigerd", "teruggekomen"}:
            raise Conflict(
                f"betaling {payment.id} is niet geweigerd of teruggekomen: er is niets te besluiten"
            )
        if _subject_done(session, payment_id=payment.id):
            raise Conflict(
                f"over betaling {payment.id} is al besloten en het besluit is uitgevoerd"
            )
        household_id = payment.household_id
        if action == "aan_huishouden" or payment.kind == "leefgeld":
            _require_iban(session, gemeente.id, household_id)
    else:
        assert bank_item_id is not None
        item = session.get(BankItem, bank_item_id) if 0 < bank_item_id <= MAX_ID else None
        if item is None or item.gemeente_id != gemeente.id:
            raise NotFound(f"bankpost {bank_item_id} bestaat niet in deze gemeente")
        if item.kind != "unidentified":
            raise Conflict(f"bankpost {item.id} is al aan een betaling gekoppeld")
        if action == "herbetalen":
            raise InvalidInput("action", "een onbekende bijschrijving betaal je aan een huishouden")
        if action == "aan_huishouden":
            if item.direction != "CRDT":
                raise InvalidInput(
                    "bank_item_id", "alleen een bijschrijving kan aan een huishouden worden betaald"
                )
            if household_id is None:
                raise InvalidInput("household_id", "kies het huishouden dat het geld krijgt")
            _require_iban(session, gemeente.id, household_id)
        if _subject_done(session, bank_item_id=item.id):
            raise Conflict(f"over bankpost {item.id} is al besloten en het besluit is uitgevoerd")
    decision = BankDecision(
        gemeente_id=gemeente.id,
        payment_id=payment_id,
        bank_item_id=bank_item_id,
        household_id=household_id,
        action=action,
        reason=reason.strip()[:500],
        decided_by=actor.user_id,
        decided_at=now,
    )
    session.add(decision)
    session.flush()
    audit.record(session, actor, "besluit.genomen", gemeente_id=gemeente.id,
                 household_id=household_id, ref=f"besluit:{decision.id}", at=now)  # fmt: skip
    return Decided(
        decision.id, action, ACTION_LABELS[action], payment_id, bank_item_id, household_id
    )


NEEDS_APPROVAL: Final = frozenset({"herbetalen", "aan_huishouden"})


def approve_decision(
    session: Session, actor: Actor, gemeente_ref: str | int, decision_id: int, *, now: datetime
) -> DecisionApproval:
    """Four eyes on a re-issue or a refund: an accordeerder other than the one who decided
    approves it; only then does the next correction run carry it out."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.DECISION_APPROVE, "gemeente")
    decision = session.get(BankDecision, decision_id) if 0 < decision_id <= MAX_ID else None
    if decision is None or decision.gemeente_id != gemeente.id:
        raise NotFound(f"besluit {decision_id} bestaat niet in deze gemeente")
    if decision.action not in NEEDS_APPROVAL:
        raise Conflict(f"besluit {decision.id} betaalt niets uit: er is niets te accorderen")
    if decision.id not in {d.id for d in current_decisions(session, gemeente.id)}:
        raise Conflict(f"besluit {decision.id} is vervangen door een nieuwer besluit")
    if decision.decided_by == actor.user_id:
        raise NotPermitted(
            "vier ogen: wie het besluit nam mag het niet accorderen; een tweede medewerker "
            "moet accorderen"
        )
    if session.scalar(
        select(DecisionApproval.id).where(DecisionApproval.decision_id == decision.id)
    ):
        raise Conflict(f"besluit {decision.id} is al geaccordeerd")
    approval = DecisionApproval(
        gemeente_id=gemeente.id, decision_id=decision.id, decided_by=decision.decided_by,
        approved_by=actor.user_id, approved_at=now,
    )  # fmt: skip
    session.add(approval)
    session.flush()
    audit.record(
        session, actor, "besluit.geaccordeerd", gemeente_id=gemeente.id,
        household_id=decision.household_id, ref=f"besluit:{decision.id}", at=now,
    )  # fmt: skip
    return approval


def approved(session: Session, decision_ids: list[int]) -> dict[int, str]:
    """Who approved each of these decisions (those approved)."""
    if not decision_ids:
        return {}
    return dict(
        session.execute(
            select(DecisionApproval.decision_id, DecisionApproval.approved_by).where(
                DecisionApproval.decision_id.in_(decision_ids)
            )
        ).all()
    )


def _require_iban(session: Session, gemeente_id: int, household_id: int) -> None:
    household = session.get(Household, household_id) if 0 < household_id <= MAX_ID else None
    if household is None or household.gemeente_id != gemeente_id:
        raise NotFound(f"huishouden {household_id} bestaat niet in deze gemeente")
    if not household.iban:
        raise Conflict(
            f"huishouden {household.id} heeft geen eigen rekening (IBAN): leg die eerst vast"
        )


def current_decisions(session: Session, gemeente_id: int) -> list[BankDecision]:
    """Per payment or bank item, its newest decision (carried out or not)."""
    newest = (
        select(func.max(BankDecision.id))
        .where(BankDecision.gemeente_id == gemeente_id)
        .group_by(BankDecision.payment_id, BankDecision.bank_item_id)
    )
    return list(
        session.scalars(
            select(BankDecision).where(BankDecision.id.in_(newest)).order_by(BankDecision.id)
        )
    )


def to_carry_out(session: Session, gemeente_id: int) -> list[BankDecision]:
    """The decisions that pay out and are not carried out yet: for the next correction run.

    A subject (payment or bank item) whose money was paid out by an earlier decision never
    pays twice, whatever newer decision follows."""
    every = list(
        session.scalars(select(BankDecision).where(BankDecision.gemeente_id == gemeente_id))
    )
    done = carried_out(session, [d.id for d in every])
    paid = {(d.payment_id, d.bank_item_id) for d in every if d.id in done}
    current = current_decisions(session, gemeente_id)
    seen = approved(session, [d.id for d in current])
    return [
        d
        for d in current
        if d.action in NEEDS_APPROVAL
        and d.id in seen
        and (d.payment_id, d.bank_item_id) not in paid
    ]
