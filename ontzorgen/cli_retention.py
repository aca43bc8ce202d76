# SPDX-License-Identifier: EUPL-1.2
"""``ontzorgen retention apply``: remove personal data after the retention period.

Without ``--as`` it runs as the installation's operator; with ``--as`` it needs a beheerder of
the gemeente. The cut-off is the gemeente's choice (docs/privacy.md).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from ontzorgen.cli import OperatorOption, app, console, operator, session_scope
from ontzorgen.db import after_commit

retention_app = typer.Typer(
    help="Bewaartermijn: persoonsgegevens verwijderen na afloop (docs/privacy.md).",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("een datum als JJJJ-MM-DD", param_hint="--before") from None


@retention_app.command("apply")
def retention_apply(
    gemeente: Annotated[str, typer.Option(help="Gemeente code, e.g. 0439")],
    before: Annotated[
        str, typer.Option(help="Households whose ontzorgen ended before this day (YYYY-MM-DD)")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go")] = False,
    user: OperatorOption = None,
) -> None:
    """Remove the personal data of households whose ontzorgen ended before --before; the
    amounts, the ledger and the references stay."""
    from ontzorgen.auth.retention import apply_retention

    cut_off = _day(before)
    with session_scope() as session:
        result = apply_retention(session, operator(session, user), gemeente, cut_off,
                                 dry_run=dry_run)  # fmt: skip
        verb = "zouden worden" if dry_run else "zijn"
        lines = [
            f"Huishoudens van wie de persoonsgegevens {verb} verwijderd "
            f"(ontzorgen geëindigd voor {cut_off:%d-%m-%Y}): {len(result.removed)}",
            *(f"  {reference}" for reference in result.removed),
            f"Opgeslagen SEPA-bestanden die {verb} gepseudonimiseerd: {result.files}",
        ]
        if result.waiting:
            lines.append(
                f"Nog niet verwijderd, want er staat nog geld open: {result.waiting} huishouden(s)"
            )
        if dry_run:
            lines.append("Proefdraai: er is niets gewijzigd.")
        after_commit(session, lambda: console.print("\n".join(lines), highlight=False))
