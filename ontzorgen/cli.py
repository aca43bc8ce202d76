# SPDX-License-Identifier: EUPL-1.2
"""The ``ontzorgen`` command (Typer). Thin: parse, call one service, print."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
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
    sqlite_file,
    unit_of_work,
)
from ontzorgen.errors import DomainError
from ontzorgen.logs import configure_logging
from ontzorgen.money import Money
from ontzorgen.validation import MAX_ID

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
gemeente_app = typer.Typer(
    help="Gemeenten: register one (bank account, policy parameters), show it, change it.",
    no_args_is_help=True,
)
app.add_typer(gemeente_app, name="gemeente")
sepa_app = typer.Typer(help="SEPA files: check a pain.001 from any system.", no_args_is_help=True)
app.add_typer(sepa_app, name="sepa")
bank_app = typer.Typer(help="Bankbestanden: pain.002, camt.053, camt.054.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")

console = Console()
# Errors are not wrapped at 80 columns: a message stays one line in a pipe or a log.
err_console = Console(stderr=True, soft_wrap=True)


# Long-running services log to stderr, as an operator expects; other commands talk to a person.
_SERVICES = {"serve", "worker"}


@app.callback()
def _main(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Toon ook de logregels (op stderr)")
    ] = False,
) -> None:
    import logging

    settings = get_settings()
    quiet = ctx.invoked_subcommand not in _SERVICES and not verbose
    # A person sees the command's output; log lines only from warnings up, the rest to
    # ONTZORGEN_LOG_FILE when set.
    stderr_level = (
        logging.getLevelName(max(logging.WARNING, logging.getLevelName(settings.log_level.upper())))
        if quiet
        else settings.log_level
    )
    configure_logging(
        settings.log_level,
        json=settings.log_json,
        stderr_level=stderr_level,
        file=settings.log_file,
    )


def _fail(message: str, code: int = 1) -> NoReturn:
    """A clear message for the person at the terminal (no traceback) and exit ``code``."""
    err_console.print("[bold red]Fout:[/]", escape(message))
    raise typer.Exit(code)


_SCHEMA_CHECKED: set[str] = set()


def _require_schema(url: str) -> None:
    """Refuse to work on a missing or unmigrated database (and never create one)."""
    if url in _SCHEMA_CHECKED:
        return
    problem = migrate.schema_problem(url)
    if problem is not None:
        _fail(problem.detail)
    _SCHEMA_CHECKED.add(url)


def _require_existing_file() -> None:
    """Only `db upgrade` makes a SQLite file; the other db commands need one."""
    path = sqlite_file(get_settings().database_url)
    if path is not None and not os.path.isfile(path):
        _fail(f"de database {path} bestaat niet; {migrate.UPGRADE_HINT}")


def _engine() -> Engine:
    url = get_settings().database_url
    _require_schema(url)
    return make_engine(url)


def _read_file(file: Path, code: int = 2) -> bytes:
    """The bytes of an input file, or a clear message why it cannot be read (exit ``code``)."""
    try:
        return file.read_bytes()
    except FileNotFoundError:
        _fail(f"bestand niet gevonden: {file}", code)
    except IsADirectoryError:
        _fail(f"{file} is een map, geen bestand", code)
    except PermissionError:
        _fail(f"geen leesrechten op {file}", code)
    except OSError as error:
        _fail(f"{file} kan niet gelezen worden ({error.strerror or type(error).__name__})", code)


def _check_writable(out: Path) -> None:
    """Before any work: can ``out`` be written? (exit 2 with the reason when not)"""
    parent = out.parent
    if out.is_dir():
        _fail(f"{out} is een map; geef een bestandsnaam, bijv. {out / 'pain.001.xml'}", 2)
    if not parent.exists():
        _fail(f"de map {parent} bestaat niet", 2)
    if not parent.is_dir():
        _fail(f"{parent} is geen map", 2)
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        _fail(f"geen schrijfrechten op {out}", 2)


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work for a CLI command; domain errors become a clear message and exit 1."""
    engine = _engine()
    try:
        with unit_of_work(make_session_factory(engine, clock=_clock())) as session:
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
    """Print the error once: its detail, or, when the detail only joins them, the problems."""
    problems = [str(problem) for problem in error.problems]
    if problems and error.detail == "; ".join(problems):
        if len(problems) == 1:
            err_console.print(f"[bold red]Fout:[/] {problems[0]}", highlight=False)
            return
        err_console.print(f"[bold red]Fout:[/] {error.title.lower()}:", highlight=False)
    else:
        err_console.print(f"[bold red]Fout:[/] {error.detail}", highlight=False)
    for problem in problems:
        err_console.print(f"  - {problem}", highlight=False)


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
    _require_existing_file()
    migrate.downgrade(revision=revision)
    console.print(f"Database op revisie {revision}.")


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    _require_existing_file()
    migrate.current()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the API (OpenAPI at /openapi.json, docs at /docs) with uvicorn."""
    import uvicorn

    from ontzorgen.api.app import create_app

    _require_schema(get_settings().database_url)
    try:
        served = create_app(clock=_clock())
    except DomainError as error:  # e.g. a development switch with production settings
        _print_domain_error(error)
        raise typer.Exit(2) from None
    uvicorn.run(served, host=host, port=port, log_config=None)


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
    engine = _engine()
    try:
        summary = run_demo(
            make_session_factory(engine, clock=clock), out=out, today=clock.today(), now=clock.now()
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
    report = summary.bank.reconciliation
    console.print(
        f"Bankantwoorden ingelezen voor {report.period}: afgeschreven "
        f"{Money(report.booked_cents)}, geweigerd {Money(report.rejected_cents)}, teruggekomen "
        f"{Money(report.returned_cents)}, verschil {Money(report.difference_cents)}; "
        f"{summary.bank.open_items} open posten — zie `ontzorgen reconcile --gemeente "
        f"{summary.gemeente_code} --period {report.period} --as demo-accountant` en "
        f"`ontzorgen bank open --gemeente {summary.gemeente_code} --as demo-accountant`."
    )


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="JSON file in the ontzorgen-import/1 format")],
    user: UserOption = None,
) -> None:
    """Import households, rights and contracts (all-or-nothing; see docs/import-format.md)."""
    from ontzorgen.clients.service import import_households

    content = _read_file(file)
    with session_scope() as session:
        summary = import_households(session, acting(session, user), content)
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
    user: UserOption = None,
) -> None:
    """Show a household's monthly plan: every line with its amount, recipient and rule."""
    import json

    from ontzorgen.clients.planning import (
        payees_of,
        period_from_text,
        plan_as_json,
        view_plan,
    )
    from ontzorgen.clients.views import plan_table

    with session_scope() as session:
        found, monthly = view_plan(
            session, acting(session, user), household, gemeente, period_from_text(period)
        )
        payees = payees_of(session, monthly)
        reference = found.reference
        as_data = plan_as_json(session, found, monthly) if as_json else None
    if as_data is not None:
        typer.echo(json.dumps(as_data, indent=2, ensure_ascii=False))
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

    content = _read_file(file)
    try:
        day = None if no_date_check else (date.fromisoformat(today) if today else _clock().today())
    except ValueError:
        err_console.print("[bold red]Fout:[/] --today: een datum als JJJJ-MM-DD")
        raise typer.Exit(2) from None
    report = check_pain001(content, today=day)
    typer.echo(report.format())
    raise typer.Exit(0 if report.ok else 1)


@bank_app.command("inspect")
def bank_inspect(
    file: Annotated[Path, typer.Argument(help="A pain.002, camt.053 or camt.054 file")],
) -> None:
    """Show what a bank file holds, as JSON (amounts in cents), before importing it."""
    import json

    from ontzorgen.sepa.bankfile import BankFileError
    from ontzorgen.sepa.bankinspect import inspect_bank_file

    content = _read_file(file, 1)
    try:
        shown = inspect_bank_file(content)
    except BankFileError as error:
        _fail(f"{file.name}: {error}")
    typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))


def _os_user() -> str:
    """The operating-system user running the command, recorded beside the acting user."""
    import getpass
    import re

    return re.sub(r"[^A-Za-z0-9._@-]", "_", getpass.getuser())[:60] or "onbekend"


UserOption = Annotated[
    str | None,
    typer.Option(
        "--as", envvar="ONTZORGEN_USER",
        help="Acting user: an existing login with its roles (or ONTZORGEN_USER)",
    ),
]  # fmt: skip


NO_USER = "geef aan wie dit doet: --as GEBRUIKER (een bestaande gebruiker) of ONTZORGEN_USER"


# The operator's commands (gemeente add, user …) take --as only on the command line: a shell's
# ONTZORGEN_USER does not turn the operator into that user.
OperatorOption = Annotated[
    str | None, typer.Option("--as", help="Act as this user instead of as the operator")
]


def acting(session: Session, user: str | None) -> Actor:
    """The actor of a command: an existing, active user with the roles stored for them, so
    four eyes and scope mean the same here as in the API. The OS user is recorded too."""
    from ontzorgen.auth.users import load_actor

    if not user:
        _fail(
            "geef aan wie dit doet: --as GEBRUIKER (een bestaande gebruiker) of ONTZORGEN_USER", 2
        )
    return load_actor(session, user, channel="cli", os_user=_os_user())


def operator(session: Session, user: str | None) -> Actor:
    """The installation's operator (no --as): may register gemeenten and their first users,
    sees no gemeente's data; with --as, that user."""
    if user:
        return acting(session, user)
    return Actor(f"os:{_os_user()}", channel="cli", os_user=_os_user(), installation_admin=True)


# An id beyond 64 bits cannot exist: refused before it reaches the database.
RunArg = Annotated[int, typer.Argument(help="Run id", min=1, max=MAX_ID)]


@run_app.command("prepare")
def run_prepare(
    gemeente: Annotated[str, typer.Option(help="Gemeente code, e.g. 0439")],
    period: Annotated[str, typer.Option(help="Month as YYYY-MM, e.g. 2026-12")],
    user: UserOption = None,
    correction_of: Annotated[
        int | None,
        typer.Option(help="Make a correction run for this run id", min=1, max=MAX_ID),
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Reason (required for a correction)")] = None,
    wait: Annotated[
        bool,
        typer.Option(help="PostgreSQL: work the job queue here until the run is prepared"),
    ] = True,
) -> None:
    """Plan every household of the gemeente for PERIOD and book the run (all or nothing).

    On PostgreSQL the run is prepared by a job (procrastinate); with --no-wait the command
    returns at once and a worker (`ontzorgen worker`) prepares it. With SQLite it runs here;
    a run of the period left queued by a prepare that died is prepared again.
    """
    from ontzorgen import jobs
    from ontzorgen.runs.service import create_run, queued_regular_run

    settings = get_settings()
    with session_scope() as session:
        actor = acting(session, user)
        # SQLite: a run left queued by a prepare that died (a crash, a kill) is prepared now.
        left = (
            queued_regular_run(session, actor, gemeente, period)
            if correction_of is None and is_sqlite(settings.database_url)
            else None
        )
        run_id = (
            left.id
            if left is not None
            else create_run(
                session, actor, gemeente, period, corrects=correction_of, reason=reason
            ).id
        )
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
    _show_run(run_id, actor.user_id)


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


def _show_run(run_id: int, user: str) -> None:
    from ontzorgen.runs.overview import overview_text, run_overview

    with session_scope() as session:
        overview = run_overview(session, acting(session, user), run_id)
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
    _require_schema(url)
    jobs.requeue_orphans(url)
    jobs.run_worker(url, wait=True)


@run_app.command("show")
def run_show(
    run: RunArg,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with amounts in cents")] = False,
    user: UserOption = None,
) -> None:
    """Show a run: state, progress, batches, totals per category and payee, shortfalls."""
    import json

    from ontzorgen.runs.overview import overview_text, run_overview

    with session_scope() as session:
        overview = run_overview(session, acting(session, user), run)
    if as_json:
        typer.echo(json.dumps(overview.as_dict(), indent=2, ensure_ascii=False))
    else:
        console.print(overview_text(overview))


@run_app.command("approve")
def run_approve(run: RunArg, user: UserOption = None) -> None:
    """Approve a prepared run (four eyes: not by the preparer; refused if data changed)."""
    from ontzorgen.runs.service import approve_run

    clock = _clock()
    with session_scope() as session:
        approved = approve_run(
            session, acting(session, user), run, today=clock.today(), now=clock.now()
        )
        message = f"Betaalrun {approved.id} geaccordeerd door {approved.approved_by}."
        # Said only once the approval has committed: a failed commit approved nothing.
        after_commit(session, lambda: console.print(message))


@run_app.command("export")
def run_export(
    run: RunArg,
    out: Annotated[Path, typer.Option(help="Where to write the pain.001 file")],
    user: UserOption = None,
    pain03: Annotated[
        bool, typer.Option("--pain-001-001-03", help="Old format, only for a bank that asks")
    ] = False,
) -> None:
    """Write the approved run's pain.001.001.09 (the stored file: same bytes every time)."""
    from ontzorgen.runs.files import export_run

    _check_writable(out)  # before the unit of work: a run is not exported to nowhere
    clock = _clock()
    with session_scope() as session:
        file = export_run(
            session,
            acting(session, user),
            run,
            version="pain.001.001.03" if pain03 else "pain.001.001.09",
            today=clock.today(),
            now=clock.now(),
        )
        content, sha256 = file.content, file.sha256
    try:
        out.write_bytes(content)
    except OSError as error:
        _fail(
            f"{out} kan niet geschreven worden ({error.strerror or type(error).__name__}); het "
            f"bestand is bij betaalrun {run} opgeslagen: schrijf het opnieuw met "
            f"`ontzorgen run export {run} --out <bestand>`"
        )
    console.print(f"{out} geschreven ({len(content)} bytes, SHA-256 {sha256}).")


@run_app.command("cancel")
def run_cancel(
    run: RunArg,
    reason: Annotated[str, typer.Option(help="Why the run is cancelled (recorded)")],
    user: UserOption = None,
) -> None:
    """Cancel a run before export: its bookings are reversed, its payments made inactive."""
    from ontzorgen.runs.service import cancel_run

    clock = _clock()
    with session_scope() as session:
        cancel_run(
            session,
            acting(session, user),
            run,
            reason,
            today=clock.today(),
            now=clock.now(),
        )
    console.print(f"Betaalrun {run} geannuleerd.")


# -- gemeenten ------------------------------------------------------------------------------
FileOption = Annotated[
    Path | None,
    typer.Option("--file", help="JSON or TOML file with the fields (options override it)"),
]
NameOption = Annotated[str | None, typer.Option(help="Name, e.g. 'Gemeente Purmerend'")]
DebtorNameOption = Annotated[
    str | None, typer.Option(help="Account holder's name on the bank account (default: name)")
]
IbanOption = Annotated[str | None, typer.Option("--iban", help="The gemeente's own IBAN")]
BicOption = Annotated[
    str | None, typer.Option("--bic", help="BIC (derived from a Dutch IBAN when left out)")
]
MinimumOption = Annotated[
    str | None, typer.Option(help="Minimum leefgeld per month in euros, e.g. 300,00")
]
ExtraOption = Annotated[
    str | None, typer.Option(help="Added to the minimum per further household member (euros)")
]
WithheldOption = Annotated[
    str | None, typer.Option(help="Withheld categories, comma-separated, e.g. huur,stroom,water")
]
PriorityOption = Annotated[
    str | None, typer.Option(help="Order when bijstand falls short, comma-separated")
]
PaymentDayOption = Annotated[
    int | None, typer.Option(help="Day (1-28) of the month before, vaste lasten are paid")
]
ProRataOption = Annotated[
    str | None, typer.Option(help="Partial month: calendar_days or thirty_days")
]
FrequencyOption = Annotated[str | None, typer.Option(help="Leefgeld: monthly or weekly")]
WeekdayOption = Annotated[
    int | None, typer.Option(help="Weekly leefgeld: weekday, 0 = maandag … 4 = vrijdag")
]
OptOutOption = Annotated[
    bool | None, typer.Option("--allow-opt-out/--no-opt-out", help="May a household opt out?")
]
PurposeOption = Annotated[
    list[str] | None,
    typer.Option("--purpose-code", help="CATEGORY=CODE (ISO 20022, 4 letters); repeatable"),
]
CategoryPurposeOption = Annotated[
    str | None, typer.Option(help="Category purpose of the batches, e.g. SSBE")
]


def _euros_to_cents(option: str, text: str) -> int:
    from ontzorgen.errors import InvalidInput
    from ontzorgen.money import MoneyParseError

    try:
        return Money.parse(text).cents
    except MoneyParseError:
        raise InvalidInput(option, "een bedrag in euro's, bijvoorbeeld 300,00") from None


def _gemeente_fields(
    file: Path | None,
    name: str | None,
    debtor_name: str | None,
    iban: str | None,
    bic: str | None,
    policy: dict[str, object],
) -> dict[str, object]:
    """The fields from the file, overridden by the options given."""
    from ontzorgen.errors import InvalidInput
    from ontzorgen.gemeenten.service import read_gemeente_file

    fields: dict[str, object] = {}
    if file is not None:
        if not file.is_file():
            raise InvalidInput("--file", "bestand niet gevonden")
        fields = read_gemeente_file(file.read_bytes(), file.name)
    given = {"name": name, "debtor_name": debtor_name, "debtor_iban": iban, "debtor_bic": bic}
    fields.update({k: v for k, v in given.items() if v is not None})
    if policy:
        stored = fields.get("policy")
        fields["policy"] = {**(stored if isinstance(stored, dict) else {}), **policy}
    return fields


def _policy_fields(
    minimum: str | None,
    extra: str | None,
    withheld: str | None,
    priority: str | None,
    payment_day: int | None,
    pro_rata: str | None,
    frequency: str | None,
    weekday: int | None,
    opt_out: bool | None,
    purpose: list[str] | None,
    category_purpose: str | None,
) -> dict[str, object]:
    from ontzorgen.errors import InvalidInput

    def listed(text: str) -> list[str]:
        return [part.strip() for part in text.split(",") if part.strip()]

    policy: dict[str, object] = {}
    if minimum is not None:
        policy["minimum_leefgeld_cents"] = _euros_to_cents("--minimum-leefgeld", minimum)
    if extra is not None:
        policy["minimum_leefgeld_per_extra_member_cents"] = _euros_to_cents(
            "--extra-member-leefgeld", extra
        )
    if withheld is not None:
        policy["withheld_categories"] = listed(withheld)
    if priority is not None:
        policy["priority"] = listed(priority)
    for key, value in (
        ("payment_day", payment_day),
        ("pro_rata_method", pro_rata),
        ("leefgeld_frequency", frequency),
        ("leefgeld_weekday", weekday),
        ("allow_opt_out", opt_out),
        ("category_purpose", category_purpose),
    ):
        if value is not None:
            policy[key] = value
    if purpose:
        codes: dict[str, str] = {}
        for pair in purpose:
            category, sep, code = pair.partition("=")
            if not sep:
                raise InvalidInput("--purpose-code", "schrijf CATEGORIE=CODE, bijv. huur=RENT")
            codes[category.strip()] = code.strip()
        policy["purpose_codes"] = codes
    return policy


def _print_gemeente(code: str, as_json: bool, user: str | None) -> None:
    """Show a gemeente as ``user`` may see it; without a user, as the operator who just
    registered it."""
    import json

    from ontzorgen.gemeenten.service import get_gemeente, readable_gemeente
    from ontzorgen.gemeenten.views import gemeente_dict, gemeente_lines

    with session_scope() as session:
        if user:
            gemeente = readable_gemeente(session, acting(session, user), code)
        else:
            gemeente = get_gemeente(session, code)
        data, lines = gemeente_dict(gemeente), gemeente_lines(gemeente)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        typer.echo(f"{label + ':':<{width + 1}} {value}")


@gemeente_app.command("add")
def gemeente_add(
    code: Annotated[
        str | None, typer.Argument(help="CBS gemeentecode, 4 digits, e.g. 0439")
    ] = None,
    file: FileOption = None,
    name: NameOption = None,
    debtor_name: DebtorNameOption = None,
    iban: IbanOption = None,
    bic: BicOption = None,
    minimum_leefgeld: MinimumOption = None,
    extra_member_leefgeld: ExtraOption = None,
    withheld: WithheldOption = None,
    priority: PriorityOption = None,
    payment_day: PaymentDayOption = None,
    pro_rata_method: ProRataOption = None,
    leefgeld_frequency: FrequencyOption = None,
    leefgeld_weekday: WeekdayOption = None,
    allow_opt_out: OptOutOption = None,
    purpose_code: PurposeOption = None,
    category_purpose: CategoryPurposeOption = None,
    user: OperatorOption = None,
) -> None:
    """Register a gemeente: its bank account and policy parameters (see docs/gemeente.md)."""
    from ontzorgen.gemeenten.service import create_gemeente

    with session_scope() as session:
        policy = _policy_fields(
            minimum_leefgeld, extra_member_leefgeld, withheld, priority, payment_day,
            pro_rata_method, leefgeld_frequency, leefgeld_weekday, allow_opt_out, purpose_code,
            category_purpose,
        )  # fmt: skip
        fields = _gemeente_fields(file, name, debtor_name, iban, bic, policy)
        if code is not None:
            fields["code"] = code
        if "debtor_name" not in fields and "name" in fields:
            fields["debtor_name"] = fields["name"]
        fields.setdefault("policy", {})
        created = create_gemeente(session, operator(session, user), fields)
        created_code = created.code
    console.print(f"Gemeente {created_code} aangemaakt.")
    _print_gemeente(created_code, as_json=False, user=None)


@gemeente_app.command("show")
def gemeente_show(
    code: Annotated[str, typer.Argument(help="CBS gemeentecode, e.g. 0439")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON with amounts in cents")] = False,
    user: UserOption = None,
) -> None:
    """Show a gemeente: bank account and every policy parameter."""
    if not user:
        _fail(
            "geef aan wie dit doet: --as GEBRUIKER (een bestaande gebruiker) of ONTZORGEN_USER", 2
        )
    _print_gemeente(code, as_json, user)


@gemeente_app.command("set")
def gemeente_set(
    code: Annotated[str, typer.Argument(help="CBS gemeentecode, e.g. 0439")],
    file: FileOption = None,
    name: NameOption = None,
    debtor_name: DebtorNameOption = None,
    iban: IbanOption = None,
    bic: BicOption = None,
    minimum_leefgeld: MinimumOption = None,
    extra_member_leefgeld: ExtraOption = None,
    withheld: WithheldOption = None,
    priority: PriorityOption = None,
    payment_day: PaymentDayOption = None,
    pro_rata_method: ProRataOption = None,
    leefgeld_frequency: FrequencyOption = None,
    leefgeld_weekday: WeekdayOption = None,
    allow_opt_out: OptOutOption = None,
    purpose_code: PurposeOption = None,
    category_purpose: CategoryPurposeOption = None,
    user: UserOption = None,
) -> None:
    """Change a gemeente's name, bank account or policy parameters (the rest stays)."""
    from ontzorgen.gemeenten.service import update_gemeente

    with session_scope() as session:
        policy = _policy_fields(
            minimum_leefgeld, extra_member_leefgeld, withheld, priority, payment_day,
            pro_rata_method, leefgeld_frequency, leefgeld_weekday, allow_opt_out, purpose_code,
            category_purpose,
        )  # fmt: skip
        fields = _gemeente_fields(file, name, debtor_name, iban, bic, policy)
        if "code" in fields and fields.pop("code") != code:
            from ontzorgen.errors import InvalidInput

            raise InvalidInput("code", "de gemeentecode verandert niet (betalingen dragen hem)")
        update_gemeente(session, acting(session, user), code, fields)
    console.print(f"Gemeente {code} gewijzigd.")
    _print_gemeente(code, as_json=False, user=user)


# The accountant's and the beheerder's commands live in their own modules; importing them
# registers them on ``app``.
from ontzorgen import cli_bank, cli_retention, cli_users  # noqa: E402, F401
