# SPDX-License-Identifier: EUPL-1.2
"""The ``ontzorgen`` command (Typer). Thin: parse, call one service, print."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from ontzorgen import migrate
from ontzorgen.auth import Actor
from ontzorgen.config import get_settings
from ontzorgen.db import make_engine, make_session_factory, unit_of_work
from ontzorgen.errors import DomainError
from ontzorgen.logs import configure_logging

app = typer.Typer(
    help="ontzorgen: financieel ontzorgen voor gemeenten (Participatiewet art. 56a).",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
sepa_app = typer.Typer(help="SEPA files: check a pain.001 from any system.", no_args_is_help=True)
app.add_typer(sepa_app, name="sepa")

console = Console()
err_console = Console(stderr=True)


@app.callback()
def _main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work for a CLI command; domain errors become a clear message and exit 1."""
    engine = make_engine(get_settings().database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    except DomainError as error:
        err_console.print(f"[bold red]Fout:[/] {error.detail}")
        for problem in error.problems:
            err_console.print(f"  - {problem}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Migrate the database (ONTZORGEN_DATABASE_URL) up to the newest schema."""
    migrate.upgrade(revision=revision)
    console.print(f"Database op revisie {revision}.")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base': empty)")],
) -> None:
    """Migrate the database down to REVISION."""
    migrate.downgrade(revision=revision)
    console.print(f"Database op revisie {revision}.")


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the API and pages with uvicorn."""
    import uvicorn

    from ontzorgen.api.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_config=None)


@app.command()
def demo(
    out: Annotated[
        Path | None, typer.Option(help="Folder for the demo's files (pain.001.xml)")
    ] = None,
    user: Annotated[str, typer.Option("--as", help="Acting user")] = "demo",
) -> None:
    """Load the demo gemeente (and, as the product grows, a full demo month)."""
    from ontzorgen.demo import load_demo

    with session_scope() as session:
        summary = load_demo(session, Actor(user))
    state = "aangemaakt" if summary.gemeente_created else "bestond al"
    console.print(f"Demo-gemeente {summary.gemeente_code} {state}.")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="JSON file in the ontzorgen-import/1 format")],
    user: Annotated[str, typer.Option("--as", help="Acting user")] = "import",
) -> None:
    """Import households, rights and contracts (all-or-nothing; see docs/import-format.md)."""
    from ontzorgen.clients.service import import_households

    if not file.is_file():
        err_console.print(f"[bold red]Fout:[/] bestand niet gevonden: {file}")
        raise typer.Exit(2)
    with session_scope() as session:
        summary = import_households(session, Actor(user), file.read_bytes())
    console.print(
        f"Geïmporteerd in gemeente {summary.gemeente}: {summary.households} huishoudens, "
        f"{summary.persons} personen, {summary.contracts} contracten, "
        f"{summary.payees} betaalontvangers."
    )


@app.command()
def plan(
    household: Annotated[str, typer.Option(help="Household id or the gemeente's reference")],
    period: Annotated[str, typer.Option(help="Month as YYYY-MM, e.g. 2026-12")],
    gemeente: Annotated[
        str | None, typer.Option(help="Gemeente code (needed when a reference is ambiguous)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with amounts in cents")] = False,
) -> None:
    """Show a household's monthly plan: every line with its amount, recipient and rule."""
    import json

    from ontzorgen.clients.planning import payees_of, period_from_text, plan_for_household
    from ontzorgen.clients.service import find_household
    from ontzorgen.clients.views import plan_table

    with session_scope() as session:
        found = find_household(session, household, gemeente)
        monthly = plan_for_household(session, found, period_from_text(period))
        payees = payees_of(session, monthly)
        reference = found.reference
    if as_json:
        typer.echo(json.dumps({"household_reference": reference, **monthly.as_dict()}, indent=2))
        return
    console.print(plan_table(monthly, payees, reference))


@sepa_app.command("check")
def sepa_check(
    file: Annotated[Path, typer.Argument(help="A pain.001.001.03 or .09 file")],
    today: Annotated[
        str | None,
        typer.Option(help="Judge execution dates against this day (YYYY-MM-DD; default today)"),
    ] = None,
    no_date_check: Annotated[
        bool, typer.Option("--no-date-check", help="Do not flag execution dates in the past")
    ] = False,
) -> None:
    """Check a pain.001 against the XSD and the Dutch bank rules; exit 1 on any error."""
    from datetime import date

    from ontzorgen.sepa.check import check_pain001

    if not file.is_file():
        err_console.print(f"[bold red]Fout:[/] bestand niet gevonden: {file}")
        raise typer.Exit(2)
    try:
        day = None if no_date_check else (date.fromisoformat(today) if today else date.today())
    except ValueError:
        err_console.print("[bold red]Fout:[/] --today: een datum als JJJJ-MM-DD")
        raise typer.Exit(2) from None
    report = check_pain001(file.read_bytes(), today=day)
    typer.echo(report.format())
    raise typer.Exit(0 if report.ok else 1)
