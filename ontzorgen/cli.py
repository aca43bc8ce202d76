# SPDX-License-Identifier: EUPL-1.2
"""The ``ontzorgen`` command (Typer). Thin: parse, call one service, print."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from ontzorgen import migrate
from ontzorgen.auth import Actor
from ontzorgen.clock import Clock
from ontzorgen.config import get_settings
from ontzorgen.db import (
    after_commit,
    is_sqlite,
    make_engine,
    make_session_factory,
    unit_of_work,
)
from ontzorgen.errors import DomainError
from ontzorgen.logs import configure_logging
from ontzorgen.money import Money

app = typer.Typer(
    help="ontzorgen: financieel ontzorgen voor gemeenten (Participatiewet art. 56a).",
    no_args_is_help=True,
    # A traceback's local variables could hold a BSN, a name or an IBAN: never print them.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
run_app = typer.Typer(
    help="Payment runs: prepare, approve (four eyes), export one pain.001, cancel.",
    no_args_is_help=True,
)
app.add_typer(run_app, name="run")
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
        _print_domain_error(error)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def _clock() -> Clock:
    """The one clock of a command (``ONTZORGEN_TODAY`` pins it); a bad setting exits 2."""
    try:
        return get_settings().clock()
    except DomainError as error:
        _print_domain_error(error)
        raise typer.Exit(2) from None


def _print_domain_error(error: DomainError) -> None:
    err_console.print(f"[bold red]Fout:[/] {error.detail}")
    for problem in error.problems:
        err_console.print(f"  - {problem}")


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
    """Serve the API (OpenAPI at /openapi.json, docs at /docs) with uvicorn."""
    import uvicorn

    from ontzorgen.api.app import create_app

    uvicorn.run(create_app(clock=_clock()), host=host, port=port, log_config=None)


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Folder for the demo's pain.001.xml")] = None,
) -> None:
    """Load the demo gemeente and its households, and run next month's payment run.

    "Next month" is the month after today (ONTZORGEN_TODAY=YYYY-MM-DD pins the day).
    Prepared by demo-inkomen, approved by demo-accordeerder (four eyes), exported; running it
    again changes nothing and writes the same file.
    """
    from ontzorgen.demo import run_demo

    clock = _clock()
    engine = make_engine(get_settings().database_url)
    try:
        summary = run_demo(
            make_session_factory(engine), out=out, today=clock.today(), now=clock.now()
        )
    except DomainError as error:
        _print_domain_error(error)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    state = "aangemaakt" if summary.gemeente_created else "bestond al"
    console.print(
        f"Demo-gemeente {summary.gemeente_code} {state}; betaalrun {summary.run_id} voor "
        f"{summary.period} (de maand na {clock.today():%d-%m-%Y}): "
        f"{summary.households} huishoudens, {summary.payments} betalingen, "
        f"totaal {Money(summary.total_cents)}, tekort {Money(summary.shortfall_cents)}, "
        f"vastgehouden {Money(summary.held_cents)}, uitvoerdatum {summary.execution_date}."
    )
    if summary.file_path is not None:
        console.print(f"Betaalbestand: {summary.file_path} (SHA-256 {summary.sha256})")


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
        day = None if no_date_check else (date.fromisoformat(today) if today else _clock().today())
    except ValueError:
        err_console.print("[bold red]Fout:[/] --today: een datum als JJJJ-MM-DD")
        raise typer.Exit(2) from None
    report = check_pain001(file.read_bytes(), today=day)
    typer.echo(report.format())
    raise typer.Exit(0 if report.ok else 1)


def _default_user() -> str:
    import getpass

    return getpass.getuser()


UserOption = Annotated[str, typer.Option("--as", help="Acting user (login name)")]


@run_app.command("prepare")
def run_prepare(
    gemeente: Annotated[str, typer.Option(help="Gemeente code, e.g. 0439")],
    period: Annotated[str, typer.Option(help="Month as YYYY-MM, e.g. 2026-12")],
    user: Annotated[str | None, typer.Option("--as", help="Acting user")] = None,
    correction_of: Annotated[
        int | None, typer.Option(help="Make a correction run for this run id")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Reason (required for a correction)")] = None,
    wait: Annotated[
        bool,
        typer.Option(help="PostgreSQL: work the job queue here until the run is prepared"),
    ] = True,
) -> None:
    """Plan every household of the gemeente for PERIOD and book the run (all or nothing).

    On PostgreSQL the run is prepared by a job (procrastinate); with --no-wait the command
    returns at once and a worker (`ontzorgen worker`) prepares it. With SQLite it runs here.
    """
    from ontzorgen import jobs
    from ontzorgen.runs.service import create_run

    settings = get_settings()
    actor = Actor(user or _default_user())
    with session_scope() as session:
        run_id = create_run(
            session, actor, gemeente, period, corrects=correction_of, reason=reason
        ).id
    if is_sqlite(settings.database_url):
        with _progress_bar() as progress:
            try:
                jobs.run_prepare(
                    settings.database_url, run_id, actor.user_id, progress, clock=_clock()
                )
            except DomainError as error:
                _print_domain_error(error)
                raise typer.Exit(1) from None
    else:
        jobs.defer_prepare(settings.database_url, run_id, actor.user_id)
        if not wait:
            console.print(f"Betaalrun {run_id} staat in de wachtrij.")
            return
        with _progress_bar() as progress:
            _work_queue_showing(settings.database_url, run_id, progress)
    _show_run(run_id)


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    from rich.progress import Progress

    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("Huishoudens plannen", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _work_queue_showing(url: str, run_id: int, progress: Callable[[int, int], None]) -> None:
    """Work the queue here while a thread shows the run's progress from its row."""
    import threading

    from ontzorgen import jobs
    from ontzorgen.runs.service import get_run

    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.5):
            with session_scope() as session:
                run = get_run(session, run_id)
                progress(run.progress_done, run.progress_total)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        jobs.run_worker(url, wait=False)
    finally:
        done.set()
        watcher.join()


def _show_run(run_id: int) -> None:
    from ontzorgen.runs.overview import overview_text, run_overview

    with session_scope() as session:
        overview = run_overview(session, run_id)
    console.print(overview_text(overview))
    if overview.state == "failed":
        raise typer.Exit(1)


@app.command()
def worker() -> None:
    """Work the payment-run job queue (PostgreSQL) until stopped; requeues orphaned runs."""
    from ontzorgen import jobs

    url = get_settings().database_url
    if is_sqlite(url):
        err_console.print(
            "[bold red]Fout:[/] de wachtrij draait op PostgreSQL; met SQLite is er niets te doen"
        )
        raise typer.Exit(2)
    jobs.requeue_orphans(url)
    jobs.run_worker(url, wait=True)


@run_app.command("show")
def run_show(
    run: Annotated[int, typer.Argument(help="Run id")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON with amounts in cents")] = False,
) -> None:
    """Show a run: state, progress, batches, totals per category and payee, shortfalls."""
    import json

    from ontzorgen.runs.overview import overview_text, run_overview

    with session_scope() as session:
        overview = run_overview(session, run)
    if as_json:
        typer.echo(json.dumps(overview.as_dict(), indent=2, ensure_ascii=False))
    else:
        console.print(overview_text(overview))


@run_app.command("approve")
def run_approve(run: Annotated[int, typer.Argument(help="Run id")], user: UserOption) -> None:
    """Approve a prepared run (four eyes: not by the preparer; refused if data changed)."""
    from ontzorgen.runs.service import approve_run

    clock = _clock()
    with session_scope() as session:
        approved = approve_run(session, Actor(user), run, today=clock.today(), now=clock.now())
        message = f"Betaalrun {approved.id} geaccordeerd door {approved.approved_by}."
        # Said only once the approval has committed: a failed commit approved nothing.
        after_commit(session, lambda: console.print(message))


@run_app.command("export")
def run_export(
    run: Annotated[int, typer.Argument(help="Run id")],
    out: Annotated[Path, typer.Option(help="Where to write the pain.001 file")],
    user: Annotated[str | None, typer.Option("--as", help="Acting user")] = None,
    pain03: Annotated[
        bool, typer.Option("--pain-001-001-03", help="Old format, only for a bank that asks")
    ] = False,
) -> None:
    """Write the approved run's pain.001.001.09 (the stored file: same bytes every time)."""
    from ontzorgen.runs.files import export_run

    clock = _clock()
    with session_scope() as session:
        file = export_run(
            session,
            Actor(user or _default_user()),
            run,
            version="pain.001.001.03" if pain03 else "pain.001.001.09",
            today=clock.today(),
            now=clock.now(),
        )
        content, sha256 = file.content, file.sha256
    out.write_bytes(content)
    console.print(f"{out} geschreven ({len(content)} bytes, SHA-256 {sha256}).")


@run_app.command("cancel")
def run_cancel(
    run: Annotated[int, typer.Argument(help="Run id")],
    reason: Annotated[str, typer.Option(help="Why the run is cancelled (recorded)")],
    user: Annotated[str | None, typer.Option("--as", help="Acting user")] = None,
) -> None:
    """Cancel a run before export: its bookings are reversed, its payments made inactive."""
    from ontzorgen.runs.service import cancel_run

    clock = _clock()
    with session_scope() as session:
        cancel_run(
            session,
            Actor(user or _default_user()),
            run,
            reason,
            today=clock.today(),
            now=clock.now(),
        )
    console.print(f"Betaalrun {run} geannuleerd.")
