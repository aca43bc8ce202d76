# SPDX-License-Identifier: EUPL-1.2
"""``ontzorgen bank …``, ``ontzorgen reconcile`` and ``ontzorgen period close``: the accountant's
commands. Thin, like the rest of the CLI: parse, call one service, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ontzorgen.cli import (
    RunArg,
    UserOption,
    _clock,
    _fail,
    _read_file,
    acting,
    app,
    bank_app,
    console,
    run_app,
    session_scope,
)
from ontzorgen.db import after_commit
from ontzorgen.money import Money
from ontzorgen.validation import MAX_ID

period_app = typer.Typer(help="Grootboekperioden: een maand afsluiten.", no_args_is_help=True)
app.add_typer(period_app, name="period")

GemeenteOption = Annotated[str, typer.Option(help="Gemeente code, e.g. 0439")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON with amounts in cents")]
IdOption = Annotated[int | None, typer.Option(min=1, max=MAX_ID)]


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@bank_app.command("import")
def bank_import(
    file: Annotated[Path, typer.Argument(help="A pain.002, camt.053 or camt.054 file")],
    gemeente: GemeenteOption,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read a bank file and book what it says: all or nothing, and never twice."""
    from ontzorgen.bank.importer import import_bank_file

    content = _read_file(file)
    clock = _clock()
    with session_scope() as session:
        summary = import_bank_file(
            session, acting(session, user), gemeente, content, filename=file.name,
            today=clock.today(), now=clock.now(),
        )  # fmt: skip
        data = summary.as_dict()
    if as_json:
        _echo_json(data)
        return
    if summary.already_imported:
        console.print(
            f"{file.name} is al ingelezen (bankbestand {summary.bank_file_id}); er is niets "
            "veranderd."
        )
        return
    counts, cents = data["counts"], data["cents"]
    labels = {
        "booked": "uitgevoerd", "rejected": "geweigerd", "returned": "teruggekomen",
        "accepted": "geaccepteerd", "unidentified": "ter controle (nog te bepalen)",
        "skipped": "zonder gevolg", "al_ingelezen": "al eerder ingelezen",
        "niet_geboekt": "nog niet geboekt door de bank (overgeslagen)",
    }  # fmt: skip
    console.print(f"Bankbestand {summary.bank_file_id} ingelezen ({summary.version}).")
    for key, label in labels.items():
        if counts.get(key):
            amount = f", {Money(cents[key])}" if key in cents else ""
            console.print(f"  {label}: {counts[key]}{amount}")


@bank_app.command("decide")
def bank_decide(
    gemeente: GemeenteOption,
    action: Annotated[str, typer.Option(help="herbetalen, aan_huishouden of vasthouden")],
    reason: Annotated[str, typer.Option(help="Why (recorded with the decision)")],
    payment: IdOption = None,
    item: Annotated[
        int | None, typer.Option(help="An unidentified bank item (id)", min=1, max=MAX_ID)
    ] = None,
    household: Annotated[
        int | None, typer.Option(help="Household id that gets the money", min=1, max=MAX_ID)
    ] = None,
    user: UserOption = None,
) -> None:
    """Decide what happens to a rejected or returned payment, or an unidentified credit.

    Paying happens in the next correction run (four eyes), e.g. `ontzorgen run prepare
    --correction-of N --reason "herbetaling"`.
    """
    from ontzorgen.bank.decisions import decide

    clock = _clock()
    with session_scope() as session:
        decided = decide(
            session, acting(session, user), gemeente, action=action, reason=reason,
            now=clock.now(), payment_id=payment, bank_item_id=item, household_id=household,
        )  # fmt: skip
        message = f"Besluit {decided.id} vastgelegd: {decided.label}."
        after_commit(session, lambda: console.print(message))


@bank_app.command("open")
def bank_open(
    gemeente: GemeenteOption, as_json: JsonOption = False, user: UserOption = None
) -> None:
    """What is still open: payments without an answer, returned money awaiting a decision,
    and bank lines nobody could match (with suggestions)."""
    from ontzorgen.bank.reconcile import OPEN_KIND_LABELS, open_items

    with session_scope() as session:
        items = open_items(session, acting(session, user), gemeente, suggest=True)
    if as_json:
        _echo_json({"open_items": items})
        return
    if not items:
        console.print("Niets open.")
        return
    table = Table(title=f"Open posten gemeente {gemeente}")
    for column in ("periode", "soort", "bedrag", "EndToEndId / bankpost", "reden", "suggestie"):
        table.add_column(column)
    for row in items:
        first = (row.get("suggestions") or [None])[0]
        hint = "" if first is None else f"{first['kind']} {first['id']}: {first['why'][0]}"
        table.add_row(
            row["period"], OPEN_KIND_LABELS[row["kind"]], str(Money(row["amount_cents"])),
            row["end_to_end_id"] or f"bankpost {row['bank_item_id']}", row["reason"], hint,
        )  # fmt: skip
    console.print(table)


@bank_app.command("approve")
def bank_approve(
    decision: Annotated[int, typer.Argument(help="Decision id", min=1, max=MAX_ID)],
    gemeente: GemeenteOption,
    user: UserOption = None,
) -> None:
    """Approve a re-issue or a refund (four eyes: not by the one who decided)."""
    from ontzorgen.bank.decisions import approve_decision

    clock = _clock()
    with session_scope() as session:
        approval = approve_decision(
            session, acting(session, user), gemeente, decision, now=clock.now()
        )
        message = (
            f"Besluit {approval.decision_id} geaccordeerd door {approval.approved_by}; de "
            "volgende correctierun voert het uit."
        )
        after_commit(session, lambda: console.print(message))


@bank_app.command("status")
def bank_status(
    payment: Annotated[int, typer.Argument(help="Payment id", min=1, max=MAX_ID)],
    gemeente: GemeenteOption,
    as_json: JsonOption = False,
    user: UserOption = None,
) -> None:
    """A payment's status with its history (te betalen → verzonden → uitgevoerd …)."""
    from ontzorgen.bank.status import payment_status

    with session_scope() as session:
        found = payment_status(session, acting(session, user), gemeente, payment).as_dict()
    if as_json:
        _echo_json(found)
        return
    console.print(
        f"Betaling {found['payment_id']} ({found['end_to_end_id']}, "
        f"{Money(found['amount_cents'])}): {found['label']}"
        + (f" — {found['reason']}" if found["reason"] else "")
    )
    for step in found["history"]:
        day = step["on"].strftime("%d-%m-%Y") if step["on"] else "—"
        console.print(
            f"  {day}  {step['label']}" + (f" ({step['reason']})" if step["reason"] else "")
        )
    if found["decision"]:
        d = found["decision"]
        console.print(f"  besluit {d['id']}: {d['label']} ({d['decided_by']}): {d['reason']}")
    for again in found["paid_again_by"]:
        console.print(f"  opnieuw betaald met betaling {again}")


@app.command()
def reconcile(
    gemeente: GemeenteOption,
    period: Annotated[str | None, typer.Option(help="Month as YYYY-MM")] = None,
    run: IdOption = None,
    as_json: JsonOption = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="CSV (semicolons) for a spreadsheet")
    ] = False,
    user: UserOption = None,
) -> None:
    """The reconciliation of a month (or one run): expected, booked, rejected, returned,
    reissued, open — and the difference, which must be € 0,00."""
    from ontzorgen.bank.reconcile import FIGURES, LABELS
    from ontzorgen.bank.reconcile import reconcile as reconcile_report

    if (period is None) == (run is None):
        _fail("kies --period of --run", 2)
    with session_scope() as session:
        report = reconcile_report(
            session, acting(session, user), gemeente, period=period, run_id=run
        )
    if as_json:
        _echo_json(report.as_dict())
        return
    if as_csv:
        typer.echo(report.as_csv(), nl=False)
        return
    what = f"betaalrun {run}" if run else f"periode {report.period}"
    table = Table(title=f"Afstemming {what}, gemeente {report.gemeente}")
    table.add_column("onderdeel")
    table.add_column("bedrag", justify="right")
    for name in FIGURES:
        table.add_row(LABELS[name], str(Money(getattr(report, name))))
    console.print(table)
    for item in report.open_items:
        where = item.end_to_end_id or f"bankpost {item.bank_item_id}"
        console.print(f"  open: {where} {Money(item.amount_cents)} — {item.reason}")
    if report.not_exported:
        console.print(
            f"  nog niet geëxporteerd: betaalrun {', '.join(map(str, report.not_exported))}"
        )
    verdict = "sluit aan" if report.reconciled else "SLUIT NIET AAN"
    console.print(f"Verschil {Money(report.difference_cents)}: {verdict}.")
    if not report.reconciled:
        raise typer.Exit(1)


@period_app.command("close")
def period_close(
    gemeente: GemeenteOption,
    period: Annotated[str, typer.Option(help="Month as YYYY-MM")],
    user: UserOption = None,
) -> None:
    """Close a month for good: only when it reconciles to zero and nothing is open."""
    from ontzorgen.bank.reconcile import close_period

    clock = _clock()
    with session_scope() as session:
        report = close_period(session, acting(session, user), gemeente, period,
                              now=clock.now())  # fmt: skip
        message = f"Periode {report.period} van gemeente {report.gemeente} is gesloten."
        after_commit(session, lambda: console.print(message))


@run_app.command("payments")
def run_payments(run: RunArg, as_json: JsonOption = False, user: UserOption = None) -> None:
    """Every payment of a run with its status (verzonden, uitgevoerd, geweigerd, …)."""
    from ontzorgen.bank.status import run_payment_statuses, status_totals

    with session_scope() as session:
        rows = run_payment_statuses(session, acting(session, user), run)
    totals = status_totals(rows)
    if as_json:
        _echo_json({"run_id": run, "statuses": totals, "payments": rows})
        return
    table = Table(title=f"Betalingen van betaalrun {run}")
    for column in ("betaling", "EndToEndId", "soort", "bedrag", "status", "reden"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["payment_id"]), row["end_to_end_id"], row["category"],
            str(Money(row["amount_cents"])), row["label"], row["reason"] or "",
        )  # fmt: skip
    console.print(table)
    for status, total in totals.items():
        console.print(f"  {status}: {total['count']} betalingen, {Money(total['amount_cents'])}")
