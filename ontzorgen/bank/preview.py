# SPDX-License-Identifier: EUPL-1.2
"""A look at a bank file before importing it: what ``bank inspect`` sees (kind, entries,
credit and debit totals) and which lines will find their payment. Read-only: nothing is
stored, nothing is booked.

"What will match" uses the importer's own lookups (:mod:`ontzorgen.bank.matching`): by
EndToEndId, by batch (``PmtInfId`` with the count and total of its payments not rejected) and,
for a pain.002, by the original message. The import itself decides; a line that finds nothing
here is booked as *nog te bepalen*.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bank import matching
from ontzorgen.bank.models import BankFile
from ontzorgen.errors import InvalidInput
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.sepa.bankfile import BankFileError
from ontzorgen.sepa.bankinspect import inspect_bank_file

__all__ = ["BankFilePreview", "PreviewLine", "preview_bank_file"]

# What a line will do when it is imported.
OUTCOMES = {
    "betaling": "vindt zijn betaling",
    "batch": "vindt zijn batch",
    "nog_te_bepalen": "nog te bepalen (geen betaling gevonden)",
    "niet_geboekt": "nog niet geboekt door de bank: overgeslagen",
    "status": "status van een betaling",
}


@dataclass(frozen=True, slots=True)
class PreviewLine:
    """One entry (camt) or transaction status (pain.002), and what the import will do."""

    direction: str | None  # CRDT, DBIT; None for a pain.002 status
    amount_cents: int | None
    booking_date: str | None
    reference: str  # EndToEndId, PmtInfId, or the bank's reference
    status: str | None  # BOOK, PDNG, RJCT, ACCP …
    reason_code: str | None
    outcome: str  # a key of OUTCOMES
    payment_id: int | None = None
    payments: int = 0  # how many payments it finds


@dataclass
class BankFilePreview:
    kind: str
    version: str
    msg_id: str
    sha256: str
    size: int
    already_imported: int | None  # the bank file's id when this file was imported before
    entry_count: int = 0
    credit_cents: int = 0
    debit_cents: int = 0
    currencies: list[str] = field(default_factory=list)
    original_msg_id: str | None = None
    run_id: int | None = None  # the run a pain.002 answers
    group_status: str | None = None
    lines: list[PreviewLine] = field(default_factory=list)

    @property
    def outcome_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for line in self.lines:
            counts[line.outcome] += 1
        return {k: v for k, v in counts.items() if v}

    @property
    def non_euro(self) -> bool:
        return any(c != "EUR" for c in self.currencies)


def _inspect(data: bytes) -> dict[str, Any]:
    try:
        return inspect_bank_file(data)
    except BankFileError as error:
        where = f"regel {error.line}: " if error.line else ""
        raise InvalidInput("bestand", f"{where}{error.message}") from None


def preview_bank_file(
    session: Session, actor: Actor, gemeente_ref: str | int, data: bytes
) -> BankFilePreview:
    """What the file holds and what importing it would match, without storing anything.
    A malformed or hostile file raises InvalidInput naming the reason (in Dutch)."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.BANK_IMPORT, "gemeente")
    shown = _inspect(data)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = session.scalar(
        select(BankFile.id).where(BankFile.gemeente_id == gemeente.id, BankFile.sha256 == sha256)
    )
    preview = BankFilePreview(
        kind=shown["kind"],
        version=shown["version"],
        msg_id=shown["msg_id"],
        sha256=sha256,
        size=len(data),
        already_imported=earlier,
    )
    if "entries" in shown:
        _camt(session, gemeente.id, shown, preview)
    else:
        _pain002(session, gemeente.id, shown, preview)
    return preview


def _camt(session: Session, gemeente_id: int, shown: dict[str, Any], out: BankFilePreview) -> None:
    entries: list[dict[str, Any]] = shown["entries"]
    out.entry_count = shown["entry_count"]
    out.credit_cents = shown["credit_cents"]
    out.debit_cents = shown["debit_cents"]
    out.currencies = sorted({e["currency"] for e in entries if e.get("currency")})
    e2e = {
        ref
        for e in entries
        for tx in e["transactions"]
        for ref in (tx.get("original_end_to_end_id"), tx.get("end_to_end_id"))
        if ref and ref != "NOTPROVIDED"
    }
    known = matching.by_end_to_end_id(session, gemeente_id, e2e) if e2e else {}
    batch_ids = {b["pmt_inf_id"] for e in entries for b in e["batches"] if b.get("pmt_inf_id")}
    batches = matching.by_batch(session, gemeente_id, batch_ids) if batch_ids else {}
    for entry in entries:
        common = {
            "direction": entry["direction"],
            "booking_date": entry["booking_date"],
            "status": entry["status"],
        }
        if entry["status"] not in (None, "BOOK"):
            ref = entry["acct_svcr_ref"] or ""
            out.lines.append(
                PreviewLine(
                    **common,
                    amount_cents=entry["amount_cents"],
                    reference=ref,
                    reason_code=None,
                    outcome="niet_geboekt",
                )
            )
            continue
        with_e2e = [
            tx
            for tx in entry["transactions"]
            if (tx.get("original_end_to_end_id") or tx.get("end_to_end_id") or "NOTPROVIDED")
            != "NOTPROVIDED"
        ]
        if with_e2e:
            for tx in with_e2e:
                ref = tx.get("original_end_to_end_id") or tx["end_to_end_id"]
                payment = known.get(ref)
                amount = tx.get("amount_cents") or entry["amount_cents"]
                found = payment is not None and payment.amount_cents == amount
                out.lines.append(
                    PreviewLine(
                        **common,
                        amount_cents=amount,
                        reference=ref,
                        reason_code=tx.get("reason_code"),
                        outcome="betaling" if found else "nog_te_bepalen",
                        payment_id=payment.id if found and payment else None,
                        payments=1 if found else 0,
                    )
                )
            continue
        batch = entry["batch"]
        if batch is not None and batch.get("pmt_inf_id") in batches:
            payments = [p for p in batches[batch["pmt_inf_id"]] if "geweigerd" not in p.statuses]
            fits = (batch.get("nb_of_txs") in (None, len(payments))) and batch.get(
                "ttl_amt_cents"
            ) in (None, sum(p.amount_cents for p in payments))
            fits = fits and entry["amount_cents"] == sum(p.amount_cents for p in payments)
            out.lines.append(
                PreviewLine(
                    **common,
                    amount_cents=entry["amount_cents"],
                    reference=batch["pmt_inf_id"],
                    reason_code=None,
                    outcome="batch" if fits else "nog_te_bepalen",
                    payments=len(payments) if fits else 0,
                )
            )
            continue
        tx = entry["transactions"][0] if entry["transactions"] else {}
        ref = tx.get("remittance") or entry["acct_svcr_ref"] or ""
        out.lines.append(
            PreviewLine(
                **common,
                amount_cents=entry["amount_cents"],
                reference=ref[:140],
                reason_code=None,
                outcome="nog_te_bepalen",
            )
        )


def _pain002(
    session: Session, gemeente_id: int, shown: dict[str, Any], out: BankFilePreview
) -> None:
    out.original_msg_id = shown.get("original_msg_id")
    group = shown.get("group_status") or {}
    out.group_status = group.get("status")
    run = matching.exported_run(session, gemeente_id, out.original_msg_id or "")
    out.run_id = run.id if run is not None else None
    refs = {tx["end_to_end_id"] for b in shown["batches"] for tx in b["transactions"]}
    known = matching.by_end_to_end_id(session, gemeente_id, refs) if refs and run else {}
    for batch in shown["batches"]:
        for tx in batch["transactions"]:
            payment = known.get(tx["end_to_end_id"])
            found = payment is not None and run is not None and payment.run_id == run.id
            out.lines.append(
                PreviewLine(
                    direction=None,
                    amount_cents=tx.get("amount_cents"),
                    booking_date=None,
                    reference=tx["end_to_end_id"],
                    status=tx["status"] or batch["status"],
                    reason_code=(tx["reason_codes"] or batch["reason_codes"] or [None])[0],
                    outcome="status" if found else "nog_te_bepalen",
                    payment_id=payment.id if found and payment else None,
                    payments=1 if found else 0,
                )
            )
        if not batch["transactions"]:
            out.lines.append(
                PreviewLine(
                    direction=None,
                    amount_cents=batch.get("original_ctrl_sum_cents"),
                    booking_date=None,
                    reference=batch["pmt_inf_id"] or "",
                    status=batch["status"],
                    reason_code=(batch["reason_codes"] or [None])[0],
                    outcome="status" if run is not None else "nog_te_bepalen",
                    payments=batch.get("original_nb_of_txs") or 0,
                )
            )
    out.entry_count = len(out.lines)
