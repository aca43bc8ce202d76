# SPDX-License-Identifier: EUPL-1.2
"""A monthly plan as a readable table for the terminal (rich)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ontzorgen.bijstand.lines import LineKind, MonthlyPlan, Recipient
from ontzorgen.clients.planning import PayeeView

_KIND = {
    LineKind.BIJSTAND: "Bijstand",
    LineKind.VT_ACCRUAL: "Vakantietoeslag gereserveerd",
    LineKind.VT_PAYOUT: "Vakantietoeslag uitbetaald",
    LineKind.DEDUCTION: "Korting",
    LineKind.VOORSCHOT_SETTLEMENT: "Verrekening voorschot",
    LineKind.WITHHOLDING: "Ingehouden en betaald",
    LineKind.SHORTFALL: "Tekort (niet betaald)",
    LineKind.LEEFGELD: "Leefgeld",
    LineKind.HELD: "Vastgehouden",
}
_RECIPIENT = {
    Recipient.NONE: "",
    Recipient.HOUSEHOLD: "huishouden (eigen rekening)",
    Recipient.GEMEENTE: "gemeente",
}


def plan_table(plan: MonthlyPlan, payees: dict[str, PayeeView], reference: str) -> Group:
    """The plan as a table: kind, amount, recipient, rule, explanation; then the signals."""
    table = Table(title=f"Maandplan {plan.period.label()} — huishouden {reference}")
    table.add_column("Soort")
    table.add_column("Bedrag", justify="right")
    table.add_column("Aan")
    table.add_column("Regel")
    table.add_column("Toelichting")
    for line in plan.lines:
        if line.recipient is Recipient.PAYEE and line.payee_id in payees:
            to = payees[line.payee_id].name
        else:
            to = _RECIPIENT.get(line.recipient, "")
        table.add_row(_KIND[line.kind], line.amount.format(), to, line.rule, line.explanation)
    window = (
        f"Ontzorgperiode {plan.window_start.isoformat()} t/m {plan.window_end.isoformat()}; "
        f"{plan.eligibility_reason}"
    )
    parts: list[Table | Text] = [table, Text(window)]
    parts += [Text(f"⚠ {signal.message}", style="bold yellow") for signal in plan.signals]
    return Group(*parts)
