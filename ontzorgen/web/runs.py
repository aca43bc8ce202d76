# SPDX-License-Identifier: EUPL-1.2
"""The run desk (inkomen-medewerker and accordeerder): the runs per gemeente and period, a new
run, a run's totals and report, approve, export and download, cancel, correction runs, the
printable batch overview and each household's plan beside what the run paid it.

Thin pages over the services of :mod:`ontzorgen.runs` (the same calls as the API and the CLI);
a refused step is shown on the page with the service's reason, and what it did is undone.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ontzorgen import jobs
from ontzorgen.api.deps import ClockDep, SessionDep
from ontzorgen.auth import Actor, Permission
from ontzorgen.auth.sessions import Resumed
from ontzorgen.bijstand.period import Period
from ontzorgen.db import discard
from ontzorgen.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.runs import desk, files, overview, service
from ontzorgen.runs.models import kind_label, state_label
from ontzorgen.web.deps import CsrfForm, page_session
from ontzorgen.web.html import domain_error_page, error_page
from ontzorgen.web.i18n import N_
from ontzorgen.web.paths import page_id
from ontzorgen.web.templating import MenuItem, add_menu_item, render

router = APIRouter(include_in_schema=False)
add_menu_item(MenuItem(N_("Betaalruns"), "/betaalruns", Permission.RUN_READ))

PageSession = Annotated[Resumed, Depends(page_session)]
FormText = Annotated[str, Form()]

# What a page says after a step succeeded (Post/Redirect/Get: ?gedaan=…).
DONE = {
    "aangemaakt": N_("De betaalrun is aangemaakt en voorbereid."),
    "wachtrij": N_("De betaalrun staat in de wachtrij en wordt nu voorbereid."),
    "geaccordeerd": N_("De betaalrun is geaccordeerd."),
    "geexporteerd": N_("Het betaalbestand is gemaakt. U kunt het nu downloaden."),
    "geannuleerd": N_("De betaalrun is geannuleerd; de boekingen zijn teruggeboekt."),
    "correctie": N_("De correctierun is aangemaakt."),
}

# The plan's line kinds as a person reads them.
LINE_KINDS = {
    "bijstand": N_("Bijstand"),
    "vt_accrual": N_("Vakantiegeld gereserveerd"),
    "vt_payout": N_("Vakantiegeld uitbetaald"),
    "deduction": N_("Inhouding"),
    "voorschot_settlement": N_("Verrekening voorschot"),
    "withholding": N_("Vaste last betaald"),
    "shortfall": N_("Tekort (niet betaald)"),
    "leefgeld": N_("Leefgeld"),
    "held": N_("Vastgehouden"),
}
PAYMENT_KINDS = {"vaste_last": N_("Vaste last"), "leefgeld": N_("Leefgeld")}
STATE_TONES = {
    "queued": "neutral",
    "prepared": "warning",
    "approved": "ok",
    "exported": "ok",
    "cancelled": "neutral",
    "failed": "error",
}


def _refusal(
    request: Request, resumed: Resumed, error: DomainError, *, back: str = "/betaalruns"
) -> Response:
    """A refused read: "niet gevonden" (404) or "niet toegestaan" (403, naming the permission)."""
    return domain_error_page(
        request, resumed, error, back_href=back, back_label=N_("Naar de betaalruns")
    )


def _not_found(request: Request, resumed: Resumed) -> Response:
    return _refusal(request, resumed, NotFound("betaalrun niet gevonden"))


def _next_period(clock: ClockDep) -> str:
    return Period.of(clock.today()).next().label()


# -- the list of runs -------------------------------------------------------------------------


def _list_page(
    request: Request,
    session: Session,
    resumed: Resumed,
    *,
    gemeente: str,
    period: str,
    new: dict[str, str],
    errors: dict[str, str] | None = None,
    filter_errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    actor = resumed.actor
    runs: list[desk.RunRow] = []
    filter_errors = dict(filter_errors or {})
    try:
        runs = desk.list_runs(session, actor, gemeente=gemeente or None, period=period or None)
    except InvalidInput:
        filter_errors["filter_periode"] = N_("Vul de periode in als JJJJ-MM, bijvoorbeeld 2027-01.")
        status = max(status, 422)
    return render(
        request, "runs/list.html",
        {
            "runs": runs, "gemeenten": desk.readable_gemeenten(session, actor),
            "preparable": desk.preparable_gemeenten(session, actor),
            "filter": {"gemeente": gemeente, "periode": period}, "new": new,
            "errors": errors or {}, "filter_errors": filter_errors,
        },
        title=N_("Betaalruns"), resumed=resumed, status=status,
    )  # fmt: skip


@router.get("/betaalruns")
def runs_page(
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    clock: ClockDep,
    gemeente: Annotated[str, Query(max_length=10)] = "",
    periode: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The runs of the user's gemeenten, filtered by gemeente and period; a new-run form for
    who may prepare."""
    if not resumed.actor.gemeenten_with(Permission.RUN_READ):
        return _refusal(
            request, resumed, NotPermitted(f"u mag dit niet: {Permission.RUN_READ.value}"),
            back="/",
        )  # fmt: skip
    return _list_page(
        request, session, resumed, gemeente=gemeente, period=periode,
        new={"gemeente": gemeente, "period": _next_period(clock)},
    )  # fmt: skip


@router.post("/betaalruns")
def create_run(
    request: Request,
    session: SessionDep,
    resumed: CsrfForm,
    clock: ClockDep,
    gemeente: FormText = "",
    period: FormText = "",
) -> Response:
    """Register a run and prepare it as the API does (SQLite: now; PostgreSQL: a job)."""
    actor = resumed.actor
    new = {"gemeente": gemeente, "period": period}
    try:
        run = service.create_run(session, actor, gemeente.strip(), period.strip())
        jobs.schedule_prepare(session, actor, run, today=clock.today(), now=clock.now())
        run_id, state = run.id, run.state
    except (NotFound, NotPermitted) as error:
        discard(session)
        return _refusal(request, resumed, error)
    except (InvalidInput, Conflict) as error:
        discard(session)
        errors = {p.field: p.reason for p in error.problems if p.field in ("period", "gemeente")}
        if not errors:
            errors = {"period": error.detail}
        return _list_page(
            request, session, resumed, gemeente="", period="", new=new, errors=errors,
            status=error.status,
        )  # fmt: skip
    done = "wachtrij" if state == "queued" else "aangemaakt"
    return RedirectResponse(f"/betaalruns/{run_id}?gedaan={done}", status_code=303)


# -- one run -----------------------------------------------------------------------------------


def _run_page(
    request: Request,
    session: Session,
    resumed: Resumed,
    run_id: int,
    *,
    done: str = "",
    refused: DomainError | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    actor = resumed.actor
    try:
        found = overview.run_overview(session, actor, run_id)
        details = desk.run_details(session, actor, run_id)
    except (NotFound, NotPermitted) as error:
        return _refusal(request, resumed, error)
    code = found.gemeente
    status = refused.status if refused is not None else 200
    if errors and status == 200:
        status = 422
    return render(
        request, "runs/run.html",
        {
            "run": found, "details": details, "done": DONE.get(done),
            "refused": refused, "errors": errors or {}, "values": values or {},
            "tone": STATE_TONES.get(found.state, "neutral"),
            "run_state_label": state_label(found.state), "run_kind_label": kind_label(found.kind),
            "payment_kinds": PAYMENT_KINDS,
            "progress": desk.RunProgress(
                found.run_id, found.state, "", found.progress[0], found.progress[1], None
            ),
            "may": {
                "approve": actor.can(Permission.RUN_APPROVE, code),
                "export": actor.can(Permission.RUN_EXPORT, code),
                "cancel": actor.can(Permission.RUN_CANCEL, code),
                "prepare": actor.can(Permission.RUN_PREPARE, code),
                "download": actor.can(Permission.BANK_DETAILS_READ, code),
            },
            "is_preparer": found.prepared_by == actor.user_id,
        },
        title=N_("Betaalrun"), resumed=resumed, status=status,
    )  # fmt: skip


@router.get("/betaalruns/{run_id}")
def run_page(
    request: Request,
    run_id: str,
    session: SessionDep,
    resumed: PageSession,
    gedaan: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A run: state, progress, totals per batch, category and payee, shortfalls, held
    leefgeld, and the steps the user may take next."""
    number = page_id(run_id)
    if not number:
        return _not_found(request, resumed)
    return _run_page(request, session, resumed, number, done=gedaan)


@router.get("/betaalruns/{run_id}/voortgang")
def run_progress(run_id: str, session: SessionDep, resumed: PageSession) -> Response:
    """The run's state and progress as JSON, for the progress bar (static/progress.js)."""
    number = page_id(run_id)
    try:
        if not number:
            raise NotFound("betaalrun niet gevonden")
        found = desk.run_progress(session, resumed.actor, number)
    except (NotFound, NotPermitted) as error:
        return JSONResponse({"detail": error.detail}, status_code=error.status)
    return JSONResponse(found.as_dict(), headers={"Cache-Control": "no-store"})


def _step(
    request: Request,
    session: Session,
    resumed: Resumed,
    run_id: str,
    step: Any,
    done: str,
    *,
    values: dict[str, str] | None = None,
) -> Response:
    """Take a step on a run; refused: undo it and show the run with the reason."""
    number = page_id(run_id)
    if not number:
        return _not_found(request, resumed)
    try:
        target = step(number)
    except NotFound as error:
        discard(session)
        return _refusal(request, resumed, error)
    except InvalidInput as error:
        discard(session)
        errors = {p.field: p.reason for p in error.problems}
        return _run_page(request, session, resumed, number, refused=error, errors=errors,
                         values=values)  # fmt: skip
    except DomainError as error:
        discard(session)
        return _run_page(request, session, resumed, number, refused=error, values=values)
    return RedirectResponse(f"/betaalruns/{target}?gedaan={done}", status_code=303)


@router.post("/betaalruns/{run_id}/accordering")
def approve(
    request: Request, run_id: str, session: SessionDep, resumed: CsrfForm, clock: ClockDep
) -> Response:
    """Approve (four eyes: the service refuses the preparer, and shows why)."""

    def step(number: int) -> int:
        service.approve_run(session, resumed.actor, number, today=clock.today(), now=clock.now())
        return number

    return _step(request, session, resumed, run_id, step, "geaccordeerd")


@router.post("/betaalruns/{run_id}/export")
def export(
    request: Request, run_id: str, session: SessionDep, resumed: CsrfForm, clock: ClockDep
) -> Response:
    """Write and store the approved run's pain.001.001.09 (the same file every time)."""

    def step(number: int) -> int:
        files.export_run(session, resumed.actor, number, today=clock.today(), now=clock.now())
        return number

    return _step(request, session, resumed, run_id, step, "geexporteerd")


@router.post("/betaalruns/{run_id}/annulering")
def cancel(
    request: Request,
    run_id: str,
    session: SessionDep,
    resumed: CsrfForm,
    clock: ClockDep,
    reason: FormText = "",
) -> Response:
    """Cancel before export, with a recorded reason."""

    def step(number: int) -> int:
        if not reason.strip() or len(reason) > 500:
            # Checked here too, so a run that may not be cancelled is not the first thing said.
            service.readable_run(session, resumed.actor, number, Permission.RUN_CANCEL)
            raise InvalidInput("reason", "vul een reden in (hoogstens 500 tekens)")
        service.cancel_run(
            session, resumed.actor, number, reason.strip(), today=clock.today(), now=clock.now()
        )
        return number

    return _step(request, session, resumed, run_id, step, "geannuleerd",
                 values={"reason": reason})  # fmt: skip


@router.post("/betaalruns/{run_id}/correctie")
def correct(
    request: Request,
    run_id: str,
    session: SessionDep,
    resumed: CsrfForm,
    clock: ClockDep,
    correction_reason: FormText = "",
) -> Response:
    """Start a correction run of an exported run, with its reason; prepared as a new run is."""

    def step(number: int) -> int:
        original = service.readable_run(session, resumed.actor, number)
        if len(correction_reason) > 500:
            raise InvalidInput("correction_reason", "hoogstens 500 tekens")
        try:
            run = service.create_run(
                session, resumed.actor, session.get_one(Gemeente, original.gemeente_id).code,
                original.period,
                corrects=number, reason=correction_reason.strip() or None,
            )  # fmt: skip
        except InvalidInput as error:
            raise InvalidInput(problems=[
                type(p)("correction_reason" if p.field == "reason" else p.field, p.reason)
                for p in error.problems
            ]) from None  # fmt: skip
        jobs.schedule_prepare(session, resumed.actor, run, today=clock.today(), now=clock.now())
        return run.id

    return _step(request, session, resumed, run_id, step, "correctie",
                 values={"correction_reason": correction_reason})  # fmt: skip


@router.get("/betaalruns/{run_id}/bestand")
def download(request: Request, run_id: str, session: SessionDep, resumed: PageSession) -> Response:
    """The stored pain.001: byte for byte what was exported (the download is logged)."""
    number = page_id(run_id)
    if not number:
        return _not_found(request, resumed)
    try:
        file = files.exported_file(session, resumed.actor, number)
    except (NotFound, NotPermitted) as error:
        return _refusal(request, resumed, error, back=f"/betaalruns/{number}")
    return Response(
        content=file.content,
        media_type="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Digest": f"sha-256={file.sha256}",
        },
    )


@router.get("/betaalruns/{run_id}/overzicht")
def batch_overview(
    request: Request, run_id: str, session: SessionDep, resumed: PageSession
) -> Response:
    """The batch overview to print and sign (print CSS)."""
    number = page_id(run_id)
    if not number:
        return _not_found(request, resumed)
    try:
        found = overview.run_overview(session, resumed.actor, number)
    except (NotFound, NotPermitted) as error:
        return _refusal(request, resumed, error)
    return render(
        request, "runs/print.html",
        {"run": found, "run_state_label": state_label(found.state),
         "run_kind_label": kind_label(found.kind), "payment_kinds": PAYMENT_KINDS},
        title=N_("Batchoverzicht"), resumed=resumed,
    )  # fmt: skip


@router.get("/betaalruns/{run_id}/huishoudens")
def households(
    request: Request, run_id: str, session: SessionDep, resumed: PageSession
) -> Response:
    """The households the run booked, each with its payments and a link to its plan."""
    number = page_id(run_id)
    if not number:
        return _not_found(request, resumed)
    try:
        found = overview.run_overview(session, resumed.actor, number)
        rows = desk.run_households(session, resumed.actor, number)
    except (NotFound, NotPermitted) as error:
        return _refusal(request, resumed, error)
    return render(request, "runs/households.html", {"run": found, "households": rows},
                  title=N_("Huishoudens in de betaalrun"), resumed=resumed)  # fmt: skip


@router.get("/betaalruns/{run_id}/huishoudens/{household}")
def household_plan(
    request: Request, run_id: str, household: str, session: SessionDep, resumed: PageSession
) -> Response:
    """One household's plan for the run's period, each line with its rule, beside what the
    run paid for it."""
    number = page_id(run_id)
    if not number or len(household) > 35:
        return _not_found(request, resumed)
    actor: Actor = resumed.actor
    try:
        found = desk.household_in_run(session, actor, number, household)
    except (NotFound, NotPermitted) as error:
        return _refusal(request, resumed, error, back=f"/betaalruns/{number}")
    except InvalidInput as error:
        return error_page(
            request, N_("Het plan kan niet worden berekend"), error.detail, status=422,
            back_href=f"/betaalruns/{number}", back_label=N_("Terug naar de betaalrun"),
            resumed=resumed,
        )  # fmt: skip
    return render(
        request, "runs/household.html",
        {"found": found, "line_kinds": LINE_KINDS, "payment_kinds": PAYMENT_KINDS},
        title=N_("Plan van het huishouden"), resumed=resumed,
    )  # fmt: skip
