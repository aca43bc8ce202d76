# SPDX-License-Identifier: EUPL-1.2
"""Carry out decisions on returned money in a correction run: pay a payee again, or pay the
household, from the suspense account the bank feedback booked the money on.

=================================  =========================  ==================================
decision                           debit                      credit
=================================  =========================  ==================================
herbetalen (vaste last)            tussenrekening             crediteur (payee)
aan huishouden (a payment)         tussenrekening             betalingen onderweg
aan huishouden (unknown credit)    nog te bepalen             betalingen onderweg
=================================  =========================  ==================================

The new payment goes to the payee's or the household's account as it is stored now (the
corrected IBAN), carries the original remittance, and is linked to the decision (and so to the
returned payment) in ``bank_reissue``. Cancelling the run reverses it like every booking of the
run, and the decision waits for the next correction run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.bank.decisions import to_carry_out
from ontzorgen.bank.models import BankDecision, BankItem, BankReissue
from ontzorgen.clients import models as cm
from ontzorgen.db import insert_rows
from ontzorgen.errors import FieldProblem
from ontzorgen.ledger import service as ledger
from ontzorgen.money import Money
from ontzorgen.runs.booking import BETALINGEN_ONDERWEG, CREDITEUREN, NOG_TE_BEPALEN, TUSSENREKENING
from ontzorgen.runs.export import PAYMENT_ROW_COLUMNS, PaymentFields, end_to_end_id, pmt_inf_id
from ontzorgen.runs.models import Payment, PaymentRun
from ontzorgen.runs.planning import RunContext, month_label, payee_fields

RULE = "herbetaling na weigering of retour door de bank (besluit {id})"


def _to_household(
    ctx: RunContext, household: cm.Household, amount: int, remittance: str, execution: date
) -> PaymentFields | None:
    if household.iban is None:
        return None
    return PaymentFields(
        payment_key="",
        kind="leefgeld",
        amount_cents=amount,
        execution_date=execution,
        creditor_name=household.iban_name or household.reference,
        creditor_iban=household.iban,
        creditor_bic=None,
        street=household.street,
        building_number=household.building_number,
        postcode=household.postcode,
        town=household.town or ctx.gemeente.name.removeprefix("Gemeente ").strip(),
        country="NL",
        remittance_kind="ustrd",
        remittance=remittance[:140],
        purpose=ctx.policy.purpose_codes.get("leefgeld"),
    )


def _to_payee(original: Payment, payee: cm.Payee, execution: date) -> PaymentFields:
    return payee_fields(
        payee,
        payment_key="",  # set with the decision below
        amount_cents=original.amount_cents,
        execution_date=execution,
        remittance_kind=original.remittance_kind,
        remittance=original.remittance,
        purpose=original.purpose,
    )


def book_reissues(
    session: Session, actor: Actor, ctx: RunContext, run: PaymentRun, problems: list[FieldProblem]
) -> int:
    """Add a payment for every decision waiting to be carried out; returns how many."""
    decisions = to_carry_out(session, run.gemeente_id)
    if not decisions:
        return 0
    originals = {
        p.id: p
        for p in session.scalars(
            select(Payment).where(Payment.id.in_([d.payment_id for d in decisions if d.payment_id]))
        )
    }
    items = {
        i.id: i
        for i in session.scalars(
            select(BankItem).where(
                BankItem.id.in_([d.bank_item_id for d in decisions if d.bank_item_id])
            )
        )
    }
    households = {
        h.id: h
        for h in session.scalars(
            select(cm.Household).where(cm.Household.id.in_({d.household_id for d in decisions}))
        )
    }
    execution = ctx.vaste_date
    planned: list[tuple[BankDecision, PaymentFields, str, int | None, int | None, str]] = []
    for decision in decisions:
        assert decision.household_id is not None
        household = households[decision.household_id]
        record = f"besluit {decision.id}"
        label = f"Herbetaling {month_label(ctx.period)} {ctx.gemeente.name}"
        if decision.payment_id is not None:
            original = originals[decision.payment_id]
            source = TUSSENREKENING
            if decision.action == "herbetalen" and original.kind == "vaste_last":
                assert original.payee_id is not None
                payee = ctx.payees[original.payee_id]
                fields: PaymentFields | None = _to_payee(original, payee, execution)
                category, contract, payee_id = original.category, original.contract_id, payee.id
            else:
                fields = _to_household(ctx, household, original.amount_cents, label, execution)
                category, contract, payee_id = "herbetaling", None, None
        else:
            item = items[cast(int, decision.bank_item_id)]
            source = NOG_TE_BEPALEN
            fields = _to_household(
                ctx,
                household,
                item.amount_cents,
                f"Ontvangen bedrag {ctx.gemeente.name}",
                execution,
            )
            category, contract, payee_id = "ontvangst", None, None
        if fields is None:
            problems.append(
                FieldProblem("iban", "het huishouden heeft geen eigen rekening (IBAN)", record)
            )
            continue
        key = f"b{decision.id}"
        planned.append(
            (
                decision,
                replace(fields, payment_key=key),
                category,
                contract,
                payee_id,
                source,
            )
        )
    if problems or not planned:
        return 0
    chart = ledger.open_default_chart(session, run.gemeente_id)
    payee_codes = sorted(
        {ledger.subaccount_code(CREDITEUREN, f"payee:{p[4]}") for p in planned if p[4] is not None}
    )
    accounts = chart | ledger.account_ids(session, run.gemeente_id, payee_codes)
    booking_date = ctx.period.first_day
    transactions = []
    for decision, fields, _, _, payee_id, source in planned:
        clearing = (
            BETALINGEN_ONDERWEG
            if payee_id is None
            else ledger.subaccount_code(CREDITEUREN, f"payee:{payee_id}")
        )
        amount = Money(fields.amount_cents)
        transactions.append(
            ledger.NewTransaction(
                idempotency_key=f"run{run.id}:reissue:d{decision.id}",
                booking_date=booking_date,
                value_date=fields.execution_date,
                period=run.period,
                description=f"Betaalrun {run.id}: {decision.action.replace('_', ' ')} "
                f"(besluit {decision.id})",
                rule=RULE.format(id=decision.id),
                postings=((accounts[source], amount), (accounts[clearing], -amount)),
            )
        )
    tids = ledger.post_batch(session, actor, run.gemeente_id, transactions)
    rows = []
    for (decision, fields, category, contract, payee_id, _), tid in zip(planned, tids, strict=True):
        assert decision.household_id is not None
        rows.append(
            (
                run.gemeente_id, run.id, decision.household_id, contract, payee_id, run.period,
                True, category,
                end_to_end_id(run.period, run.id, decision.household_id, f"B{decision.id}"),
                pmt_inf_id(run.msg_id or "", fields.kind, fields.execution_date),
                RULE.format(id=decision.id), tid,
                *(getattr(fields, name) for name in PaymentFields.__slots__),
            )
        )  # fmt: skip
    insert_rows(session, cast(Table, Payment.__table__), PAYMENT_ROW_COLUMNS, rows)
    ids = dict(
        session.execute(
            select(Payment.payment_key, Payment.id).where(
                Payment.run_id == run.id,
                Payment.payment_key.in_([p[1].payment_key for p in planned]),
            )
        ).all()
    )
    session.add_all(
        BankReissue(
            gemeente_id=run.gemeente_id,
            decision_id=decision.id,
            payment_id=ids[fields.payment_key],
            run_id=run.id,
        )
        for decision, fields, *_ in planned
    )
    session.flush()
    return len(planned)
