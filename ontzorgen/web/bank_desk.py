# SPDX-License-Identifier: EUPL-1.2
"""The accountant's desk: bank files (look first, then import), the reconciliation per run and
per month with each payment, the "nog te bepalen" list with afletteren, the ledger of a
household or payee, the trial balance, closing a month; CSV downloads of the reports.

Thin: every page calls the services the API and the CLI call (ontzorgen.bank, and
ontzorgen.bank.desk for the ledger reads), which check the role in the gemeente (another
gemeente: niet gevonden) and write the audit log.

CSV files are for a spreadsheet: semicolons, UTF-8, Dutch column names; every amount twice,
as integer cents (``…_centen``) and as Dutch text (``€ 1.401,43``).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ontzorgen.api.deps import ClockDep, SessionDep
from ontzorgen.auth import Permission
from ontzorgen.auth.sessions import COOKIE, CSRF_FIELD, Resumed, csrf_matches
from ontzorgen.bank import desk, importer, reconcile, status
from ontzorgen.bank.decisions import ACTION_LABELS, decide
from ontzorgen.bank.preview import OUTCOMES, preview_bank_file
from ontzorgen.bank.reconcile import FIGURES, LABELS, OPEN_KIND_LABELS
from ontzorgen.bijstand.period import Period
from ontzorgen.errors import DomainError, InvalidInput, NotFound
from ontzorgen.money import Money
from ontzorgen.runs.models import RUN_KIND_LABELS, RUN_STATE_LABELS
from ontzorgen.web.deps import CsrfForm, CsrfRefused, page_session
from ontzorgen.web.html import domain_error_page
from ontzorgen.web.i18n import N_
from ontzorgen.web.paths import PERIOD, gemeente_choice, gemeente_code, is_reference, period_label
from ontzorgen.web.templating import MenuItem, add_menu_item, render
from ontzorgen.web.uploads import UploadStore

router = APIRouter(include_in_schema=False)
add_menu_item(MenuItem(N_("Bank en grootboek"), "/bank", Permission.LEDGER_READ))

# Room for the multipart envelope and the form's small fields around the file.
_ENVELOPE: Final = 64 * 1024

STEP_LABELS: Final = {
    "booked": N_("uitgevoerd"),
    "rejected": N_("geweigerd"),
    "returned": N_("teruggekomen"),
    "accepted": N_("geaccepteerd"),
    "unidentified": N_("nog te bepalen"),
    "skipped": N_("zonder gevolg"),
    "al_ingelezen": N_("al eerder ingelezen"),
    "niet_geboekt": N_("nog niet geboekt door de bank"),
}
KIND_LABELS: Final = {
    "CstmrPmtStsRpt": N_("statusrapport (pain.002)"),
    "BkToCstmrStmt": N_("dagafschrift (camt.053)"),
    "BkToCstmrDbtCdtNtfctn": N_("melding bij- en afschrijving (camt.054)"),
}


def upload_limit(request: Request) -> int:
    limit: int = request.app.state.bank_upload_max_bytes
    return limit


def size_text(limit: int) -> str:
    """``256 MiB`` or ``64 KiB``: the upload limit for people."""
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{max(1, limit // 1024)} KiB"


def _store(request: Request) -> UploadStore:
    store: UploadStore | None = getattr(request.app.state, "bank_uploads", None)
    if store is None:
        store = UploadStore(request.app.state.clock)
        request.app.state.bank_uploads = store
    return store


PageSession = Annotated[Resumed, Depends(page_session)]


def _failed(request: Request, resumed: Resumed | None, error: DomainError, back: str) -> Response:
    """A refusal or failure of a service as a page: its Dutch reason and its status."""
    return domain_error_page(request, resumed, error, back_href=back)


def _page(
    request: Request,
    resumed: Resumed,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    status: int = 200,
) -> Response:
    return render(request, template, context, title=title, resumed=resumed, status=status)


def _cell(value: object) -> object:
    """A spreadsheet cell: text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: list[list[object]], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _euro(cents: int) -> str:
    return Money(cents).format()


# -- the desk -----------------------------------------------------------------------------------
@router.get("/bank")
def desk_choice(request: Request, session: SessionDep, resumed: PageSession) -> Response:
    """The desk of the one gemeente where the user may read the ledger, or a choice."""
    return gemeente_choice(
        request, resumed, Permission.LEDGER_READ, "/bank", title=N_("Bank en grootboek")
    )


@router.get("/bank/{gemeente}")
def desk_home(
    gemeente: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """Upload a bank file; the imported files, the months and the runs to reconcile."""
    try:
        code = gemeente_code(gemeente)
        files = desk.bank_files(session, resumed.actor, code)
        months = desk.months(session, resumed.actor, code)
        runs = desk.runs(session, resumed.actor, code)
    except DomainError as error:
        return _failed(request, resumed, error, "/")
    return _desk(request, resumed, code, files, months, runs)


def _desk(
    request: Request,
    resumed: Resumed,
    code: str,
    files: list[desk.BankFileRow],
    months: list[desk.MonthRow],
    runs: list[desk.RunRow],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return _page(
        request,
        resumed,
        "bank/desk.html",
        {
            "gemeente": code,
            "files": files,
            "months": months,
            "runs": runs,
            "errors": errors or {},
            "kind_labels": KIND_LABELS,
            "run_states": RUN_STATE_LABELS,
            "run_kinds": RUN_KIND_LABELS,
            "max_size": size_text(upload_limit(request)),
            "can_import": resumed.actor.can(Permission.BANK_IMPORT, code),
        },
        title=N_("Bank en grootboek"),
        status=status,
    )


# -- bank files: look, then import ----------------------------------------------------------
async def _upload_form(request: Request, resumed: Resumed) -> tuple[str | None, bytes | None]:
    """The CSRF-checked form of step 1: the file's name and bytes (None: no file chosen).
    Too large: raises UploadTooLarge before reading more than the limit."""
    limit = upload_limit(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _ENVELOPE:
        raise UploadTooLarge
    try:
        form = await request.form(max_files=1, max_fields=5)
    except HTTPException:  # Starlette's answer to a malformed multipart body
        raise InvalidInput(
            "bestand", "het formulier kan niet worden gelezen; kies één bestand"
        ) from None
    try:
        given = form.get(CSRF_FIELD)
        if not isinstance(given, str) or not csrf_matches(resumed.csrf_token, given):
            raise CsrfRefused
        upload = form.get("bestand")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None, None
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise UploadTooLarge
        return upload.filename, data
    finally:
        await form.close()


class UploadTooLarge(Exception):
    pass


@router.post("/bank/{gemeente}/bestanden/bekijken")
async def upload_look(
    gemeente: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """Step 1: what the file holds and what will match; nothing is stored in the books. The
    file waits on the server (bound to this session) for step 2."""
    try:
        code = desk.require(session, resumed.actor, gemeente_code(gemeente), Permission.BANK_IMPORT)
    except DomainError as error:
        return _failed(request, resumed, error, "/")
    try:
        try:
            filename, data = await _upload_form(request, resumed)
        except UploadTooLarge:
            raise InvalidInput(
                "bestand", f"het bestand is groter dan {size_text(upload_limit(request))}"
            ) from None
        if data is None or filename is None:
            raise InvalidInput("bestand", "kies een bankbestand (pain.002, camt.053 of camt.054)")
        if not data:
            raise InvalidInput("bestand", "het bestand is leeg")
        preview = preview_bank_file(session, resumed.actor, code, data)
    except InvalidInput as error:
        return _upload_refused(request, session, resumed, gemeente, error)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    pending = _store(request).put(request.cookies.get(COOKIE, ""), code, filename, data)
    return _page(
        request,
        resumed,
        "bank/preview.html",
        {
            "gemeente": code,
            "preview": preview,
            "pending": pending,
            "outcomes": OUTCOMES,
            "kind_labels": KIND_LABELS,
        },
        title=N_("Bankbestand bekijken"),
    )


def _upload_refused(
    request: Request, session: Session, resumed: Resumed, gemeente: str, error: InvalidInput
) -> Response:
    """The desk again, with the reason tied to the file field; nothing stored."""
    reason = "; ".join(p.reason for p in error.problems) or error.detail
    with_field = {"bestand": f"Dit bestand kan niet worden ingelezen: {reason}"}
    files = desk.bank_files(session, resumed.actor, gemeente)
    months = desk.months(session, resumed.actor, gemeente)
    runs = desk.runs(session, resumed.actor, gemeente)
    return _desk(request, resumed, gemeente, files, months, runs, errors=with_field, status=422)


@router.post("/bank/{gemeente}/bestanden/inlezen")
async def upload_import(
    gemeente: str, request: Request, session: SessionDep, resumed: CsrfForm, clock: ClockDep
) -> Response:
    """Step 2: import the file looked at in step 1, all or nothing."""
    form = await request.form()
    key = form.get("upload")
    try:
        code = desk.require(session, resumed.actor, gemeente_code(gemeente), Permission.BANK_IMPORT)
        found = (
            _store(request).take(request.cookies.get(COOKIE, ""), code, key)
            if isinstance(key, str)
            else None
        )
        if found is None:
            raise InvalidInput(
                "bestand",
                "het bekeken bestand is verlopen of niet van deze sessie; kies het bestand opnieuw",
            )
        pending, data = found
        summary = importer.import_bank_file(
            session,
            resumed.actor,
            code,
            data,
            filename=pending.filename,
            today=clock.today(),
            now=clock.now(),
        )
    except InvalidInput as error:
        return _upload_refused(request, session, resumed, gemeente, error)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    _store(request).drop(pending.key)
    again = "?al=1" if summary.already_imported else ""
    return RedirectResponse(
        f"/bank/{code}/bestanden/{summary.bank_file_id}{again}", status_code=303
    )


@router.get("/bank/{gemeente}/bestanden/{file_id}")
def bank_file(
    gemeente: str, file_id: int, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """What an imported bank file booked."""
    try:
        found = importer.readable_bank_file(
            session, resumed.actor, gemeente_code(gemeente), file_id
        )
        summary = importer.import_summary(session, found)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _page(
        request,
        resumed,
        "bank/file.html",
        {
            "gemeente": gemeente,
            "file": found,
            "summary": summary,
            "labels": STEP_LABELS,
            "kind_labels": KIND_LABELS,
            "again": request.query_params.get("al") == "1",
        },
        title=N_("Bankbestand"),
    )


# -- reconciliation -------------------------------------------------------------------------
def _report_csv(report: reconcile.Reconciliation, name: str) -> Response:
    rows: list[list[object]] = [["onderdeel", "bedrag_centen", "bedrag"]]
    rows += [[LABELS[f], getattr(report, f), _euro(getattr(report, f))] for f in FIGURES]
    rows += [
        [],
        [
            "open post",
            "soort",
            "bedrag_centen",
            "bedrag",
            "end_to_end_id",
            "betaling",
            "bankpost",
            "betaalrun",
            "reden",
        ],
    ]
    for item in report.open_items:
        rows.append(
            [
                OPEN_KIND_LABELS[item.kind],
                item.kind,
                item.amount_cents,
                _euro(item.amount_cents),
                item.end_to_end_id or "",
                item.payment_id or "",
                item.bank_item_id or "",
                item.run_id or "",
                item.reason,
            ]
        )
    return _csv(rows, name)


def _report_page(
    request: Request,
    session: Session,
    resumed: Resumed,
    gemeente: str,
    report: reconcile.Reconciliation,
    *,
    payments: list[dict[str, Any]] | None,
    csv_href: str,
    title: str,
    close_errors: str | None = None,
    status: int = 200,
) -> Response:
    closed = None
    if report.run_id is None:
        closed = next(
            (
                m
                for m in desk.months(session, resumed.actor, gemeente)
                if m.period == report.period and m.closed
            ),
            None,
        )
    return _page(
        request,
        resumed,
        "bank/report.html",
        {
            "gemeente": gemeente,
            "report": report,
            "figures": FIGURES,
            "labels": LABELS,
            "kind_labels": OPEN_KIND_LABELS,
            "payments": payments,
            "csv_href": csv_href,
            "closed": closed,
            "close_error": close_errors,
            "can_close": resumed.actor.can(Permission.PERIOD_CLOSE, gemeente),
        },
        title=title,
        status=status,
    )


@router.get("/bank/{gemeente}/afstemming/{period}")
def month_report(
    gemeente: str, period: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """The month's reconciliation: every figure, the difference, the open items; close it."""
    try:
        code, label = gemeente_code(gemeente), period_label(period)
        report = reconcile.reconcile(session, resumed.actor, code, period=label)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _report_page(
        request,
        session,
        resumed,
        code,
        report,
        payments=None,
        csv_href=f"/bank/{code}/afstemming/{label}/csv",
        title=N_("Afstemming van de maand"),
    )


@router.get("/bank/{gemeente}/afstemming/{period}/csv")
def month_report_csv(
    gemeente: str, period: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    try:
        code, label = gemeente_code(gemeente), period_label(period)
        report = reconcile.reconcile(session, resumed.actor, code, period=label)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _report_csv(report, f"afstemming-{code}-{label}.csv")


def _run_report(
    session: SessionDep, resumed: Resumed, gemeente: str, run_id: int
) -> reconcile.Reconciliation:
    code = gemeente_code(gemeente)
    return reconcile.reconcile(session, resumed.actor, code, run_id=run_id)


@router.get("/bank/{gemeente}/betaalruns/{run_id}")
def run_report(
    gemeente: str, run_id: int, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """One run's reconciliation and every payment with its status, to drill down."""
    try:
        report = _run_report(session, resumed, gemeente, run_id)
        payments = status.run_payment_statuses(session, resumed.actor, run_id)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _report_page(
        request,
        session,
        resumed,
        gemeente,
        report,
        payments=payments,
        csv_href=f"/bank/{gemeente}/betaalruns/{run_id}/csv",
        title=N_("Afstemming van een betaalrun"),
    )


@router.get("/bank/{gemeente}/betaalruns/{run_id}/csv")
def run_report_csv(
    gemeente: str, run_id: int, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    try:
        report = _run_report(session, resumed, gemeente, run_id)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _report_csv(report, f"afstemming-{gemeente}-run-{run_id}.csv")


def _payment_page(
    request: Request, session: Session, resumed: Resumed, code: str, payment_id: int, *,
    values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    found = status.payment_status(session, resumed.actor, code, payment_id)
    transactions = desk.payment_transactions(session, resumed.actor, code, payment_id)
    decidable = found.status in ("geweigerd", "teruggekomen") and resumed.actor.can(
        Permission.BANK_DECIDE, code
    )
    return _page(
        request,
        resumed,
        "bank/payment.html",
        {
            "gemeente": code, "payment": found, "transactions": transactions,
            "decidable": decidable, "actions": ACTION_LABELS,
            "values": values or {"actie": "", "reden": ""}, "errors": errors or {},
        },
        title=N_("Betaling"),
        status=status_code,
    )  # fmt: skip


@router.get("/bank/{gemeente}/betalingen/{payment_id}")
def payment(
    gemeente: str, payment_id: int, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """A payment: its status history, the decision about it and its ledger transactions; a
    rejected or returned one with the form to decide what happens to the money."""
    try:
        return _payment_page(request, session, resumed, gemeente_code(gemeente), payment_id)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")


@router.post("/bank/{gemeente}/betalingen/{payment_id}/besluit")
async def decide_payment(
    gemeente: str, payment_id: int, request: Request, session: SessionDep, resumed: CsrfForm,
    clock: ClockDep,
) -> Response:  # fmt: skip
    """Decide about a rejected or returned payment: pay the payee again, pay the household, or
    hold the money (four eyes follow for the first two)."""
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in ("actie", "reden")}
    try:
        code = desk.require(session, resumed.actor, gemeente_code(gemeente), Permission.BANK_DECIDE)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    errors: dict[str, str] = {}
    if values["actie"] not in ACTION_LABELS:
        errors["actie"] = "Kies wat er met het geld gebeurt."
    if not values["reden"]:
        errors["reden"] = "Schrijf op waarom."
    elif len(values["reden"]) > 500:
        errors["reden"] = "De reden is te lang (ten hoogste 500 tekens)."
    if not errors:
        try:
            decide(
                session, resumed.actor, code, action=values["actie"], reason=values["reden"],
                now=clock.now(), payment_id=payment_id,
            )  # fmt: skip
        except InvalidInput as error:
            for problem in error.problems:
                errors["reden" if problem.field == "reason" else "actie"] = problem.reason
        except DomainError as error:
            if error.status in (403, 404):
                return _failed(request, resumed, error, f"/bank/{gemeente}")
            errors["actie"] = error.detail
    if errors:
        try:
            return _payment_page(request, session, resumed, code, payment_id, values=values,
                                 errors=errors, status_code=422)  # fmt: skip
        except DomainError as error:
            return _failed(request, resumed, error, f"/bank/{gemeente}")
    return RedirectResponse(f"/bank/{code}/betalingen/{payment_id}?besloten=1", status_code=303)


@router.post("/bank/{gemeente}/perioden/{period}/afsluiting")
def close_month(
    gemeente: str,
    period: str,
    request: Request,
    session: SessionDep,
    resumed: CsrfForm,
    clock: ClockDep,
) -> Response:
    """Close the month for good; refused (with every reason) while anything is open."""
    try:
        code, label = gemeente_code(gemeente), period_label(period)
        reconcile.close_period(session, resumed.actor, code, label, now=clock.now())
    except DomainError as error:
        if error.status != 409:
            return _failed(request, resumed, error, f"/bank/{gemeente}")
        report = reconcile.reconcile(session, resumed.actor, gemeente, period=period)
        return _report_page(
            request,
            session,
            resumed,
            gemeente,
            report,
            payments=None,
            csv_href=f"/bank/{gemeente}/afstemming/{period}/csv",
            title=N_("Afstemming van de maand"),
            close_errors=error.detail,
            status=409,
        )
    return RedirectResponse(f"/bank/{code}/afstemming/{label}?gesloten=1", status_code=303)


# -- nog te bepalen and afletteren --------------------------------------------------------------
def _with_names(
    session: SessionDep, resumed: Resumed, code: str, items: list[dict[str, Any]]
) -> dict[str, dict[int, Any]]:
    households = {
        s["id"] for i in items for s in i.get("suggestions", ()) if s["kind"] == "huishouden"
    }
    payees = {
        s["id"] for i in items for s in i.get("suggestions", ()) if s["kind"] == "begunstigde"
    }
    return {
        "huishouden": desk.household_references(session, resumed.actor, code, households),
        "begunstigde": desk.payee_names(session, resumed.actor, code, payees),
    }


@router.get("/bank/{gemeente}/nog-te-bepalen")
def open_list(
    gemeente: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """Everything still open, month by month; unidentified lines with who they may be."""
    try:
        code = gemeente_code(gemeente)
        items = reconcile.open_items(session, resumed.actor, code, suggest=True)
        names = _with_names(session, resumed, code, items)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    return _page(
        request,
        resumed,
        "bank/open.html",
        {"gemeente": code, "items": items, "names": names, "kind_labels": OPEN_KIND_LABELS},
        title=N_("Nog te bepalen"),
    )


def _open_item(
    session: SessionDep, resumed: Resumed, code: str, item_id: int
) -> tuple[dict[str, Any], dict[str, dict[int, Any]]]:
    items = reconcile.open_items(session, resumed.actor, code, suggest=True)
    found = next(
        (i for i in items if i["bank_item_id"] == item_id and i["kind"] == "ter_controle"), None
    )
    if found is None:
        raise NotFound(f"bankpost {item_id} staat niet open in deze gemeente")
    return found, _with_names(session, resumed, code, [found])


def _settle_form(
    request: Request,
    resumed: Resumed,
    code: str,
    item: dict[str, Any],
    names: dict[str, dict[int, Any]],
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    households = [
        (names["huishouden"][s["id"]], s)
        for s in item.get("suggestions", ())
        if s["kind"] == "huishouden" and s["id"] in names["huishouden"]
    ]
    return _page(
        request,
        resumed,
        "bank/settle.html",
        {
            "gemeente": code,
            "item": item,
            "names": names,
            "households": households,
            "values": values,
            "errors": errors,
        },
        title=N_("Afletteren"),
        status=status,
    )


@router.get("/bank/{gemeente}/afletteren")
def settle_form(
    gemeente: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """Settle an unidentified credit to a household: the suggestions and the form."""
    given = request.query_params.get("bankpost", "")
    try:
        code = desk.require(session, resumed.actor, gemeente_code(gemeente), Permission.BANK_DECIDE)
        if not given.isdigit():
            return RedirectResponse(f"/bank/{code}/nog-te-bepalen", status_code=303)
        item, names = _open_item(session, resumed, code, int(given))
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}/nog-te-bepalen")
    first = next((ref for ref, _ in _suggested(item, names)), "")
    return _settle_form(
        request, resumed, code, item, names, values={"huishouden": first, "reden": ""}, errors={}
    )


def _suggested(
    item: dict[str, Any], names: dict[str, dict[int, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    return [
        (names["huishouden"][s["id"]], s)
        for s in item.get("suggestions", ())
        if s["kind"] == "huishouden" and s["id"] in names["huishouden"]
    ]


_FIELD_OF: Final = {
    "household_id": "huishouden",
    "reason": "reden",
    "action": "huishouden",
    "bank_item_id": "huishouden",
}


@router.post("/bank/{gemeente}/afletteren")
async def settle(
    gemeente: str, request: Request, session: SessionDep, resumed: CsrfForm, clock: ClockDep
) -> Response:
    """Record the decision: this credit goes to that household (a second person approves it;
    the next correction run pays it)."""
    form = await request.form()
    values = {
        name: str(form.get(name) or "").strip()
        for name in ("bankpost", "huishouden", "huishouden-anders", "reden")
    }
    if values["huishouden-anders"]:  # typed in: wins over a suggestion chosen above
        values["huishouden"] = values["huishouden-anders"]
    try:
        code = desk.require(session, resumed.actor, gemeente_code(gemeente), Permission.BANK_DECIDE)
        if not values["bankpost"].isdigit():
            return RedirectResponse(f"/bank/{code}/nog-te-bepalen", status_code=303)
        item, names = _open_item(session, resumed, code, int(values["bankpost"]))
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}/nog-te-bepalen")
    errors: dict[str, str] = {}
    household_id = None
    if not values["huishouden"]:
        errors["huishouden"] = "Kies het huishouden dat het geld krijgt."
    elif not is_reference(values["huishouden"]):
        errors["huishouden"] = (
            "Dit is geen referentie van een huishouden (letters, cijfers en streepjes)."
        )
    else:
        household_id = desk.household_ids_by_reference(
            session, resumed.actor, code, values["huishouden"]
        )
        if household_id is None:
            errors["huishouden"] = "Dit huishouden bestaat niet in deze gemeente."
    if not values["reden"]:
        errors["reden"] = "Schrijf op waarom dit geld van dit huishouden is."
    elif len(values["reden"]) > 500:
        errors["reden"] = "De reden is te lang (ten hoogste 500 tekens)."
    if not errors:
        try:
            decide(
                session,
                resumed.actor,
                code,
                action="aan_huishouden",
                reason=values["reden"],
                now=clock.now(),
                bank_item_id=item["bank_item_id"],
                household_id=household_id,
            )
        except InvalidInput as error:
            for problem in error.problems:
                errors[_FIELD_OF.get(problem.field, "huishouden")] = problem.reason
        except DomainError as error:
            if error.status in (403, 404) and "huishouden" not in error.detail:
                return _failed(request, resumed, error, f"/bank/{gemeente}/nog-te-bepalen")
            errors["huishouden"] = error.detail
    if errors:
        return _settle_form(
            request, resumed, code, item, names, values=values, errors=errors, status=422
        )
    return RedirectResponse(
        f"/bank/{code}/nog-te-bepalen?afgeletterd={item['bank_item_id']}", status_code=303
    )


# -- the ledger -------------------------------------------------------------------------------
def _month_param(request: Request, clock: ClockDep) -> str:
    given = request.query_params.get("periode", "")
    if PERIOD.match(given):
        return given
    return Period.of(clock.today()).label()


def _ledger_rows(view: desk.LedgerView) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            "datum",
            "transactie",
            "rekening",
            "omschrijving",
            "regel",
            "bedrag_centen",
            "bedrag",
            "saldo_centen",
            "saldo",
        ]
    ]
    rows.append(
        [
            view.statement.start.isoformat(),
            "",
            "",
            "beginsaldo",
            "",
            "",
            "",
            view.statement.opening.cents,
            view.statement.opening.format(),
        ]
    )
    for line in view.statement.lines:
        rows.append(
            [
                line.booking_date.isoformat(),
                line.transaction_id,
                view.accounts[line.account_id][0],
                line.description,
                line.rule,
                line.amount.cents,
                line.amount.format(),
                line.balance.cents,
                line.balance.format(),
            ]
        )
    rows.append(
        [
            view.statement.end.isoformat(),
            "",
            "",
            "eindsaldo",
            "",
            "",
            "",
            view.statement.closing.cents,
            view.statement.closing.format(),
        ]
    )
    return rows


def _ledger(
    request: Request,
    session: SessionDep,
    resumed: Resumed,
    clock: ClockDep,
    gemeente: str,
    kind: str,
    ref: str,
    *,
    as_csv: bool,
) -> Response:
    period = _month_param(request, clock)
    try:
        code = gemeente_code(gemeente)
        if not is_reference(ref):
            raise NotFound("bestaat niet in deze gemeente")
        reader = desk.household_ledger if kind == "huishoudens" else desk.payee_ledger
        view = reader(session, resumed.actor, code, ref, period)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    if as_csv:
        return _csv(_ledger_rows(view), f"grootboek-{code}-{ref}-{period}.csv")
    year, month = int(period[:4]), int(period[5:])
    shown = Period(year, month)
    return _page(
        request,
        resumed,
        "bank/ledger.html",
        {
            "gemeente": code,
            "view": view,
            "kind": kind,
            "ref": ref,
            "period": period,
            "previous": shown.previous().label(),
            "next": shown.next().label(),
            "csv_href": f"/bank/{code}/grootboek/{kind}/{ref}/csv?periode={period}",
        },
        title=N_("Grootboek van een huishouden")
        if kind == "huishoudens"
        else N_("Grootboek van een begunstigde"),
    )


@router.get("/bank/{gemeente}/grootboek")
def ledger_choice(
    gemeente: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """The form on the desk: a household's reference or a payee → its ledger."""
    soort = request.query_params.get("soort", "")
    ref = request.query_params.get("referentie", "").strip()
    period = request.query_params.get("periode", "")
    kind = "begunstigden" if soort == "begunstigde" else "huishoudens"
    try:
        code = gemeente_code(gemeente)
        payees = desk.payee_names(session, resumed.actor, code)
    except DomainError as error:
        return _failed(request, resumed, error, "/")
    if ref and is_reference(ref):
        suffix = f"?periode={period}" if PERIOD.match(period) else ""
        return RedirectResponse(f"/bank/{code}/grootboek/{kind}/{ref}{suffix}", status_code=303)
    errors = (
        {"referentie": "Vul de referentie van een huishouden in."}
        if "referentie" in request.query_params
        else {}
    )
    return _page(
        request,
        resumed,
        "bank/ledger_choice.html",
        {"gemeente": code, "payees": payees, "errors": errors, "ref": ref},
        title=N_("Grootboek"),
        status=422 if errors else 200,
    )


@router.get("/bank/{gemeente}/grootboek/huishoudens/{household}")
def household_ledger(
    gemeente: str,
    household: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    clock: ClockDep,
) -> Response:
    return _ledger(
        request, session, resumed, clock, gemeente, "huishoudens", household, as_csv=False
    )


@router.get("/bank/{gemeente}/grootboek/huishoudens/{household}/csv")
def household_ledger_csv(
    gemeente: str,
    household: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    clock: ClockDep,
) -> Response:
    return _ledger(
        request, session, resumed, clock, gemeente, "huishoudens", household, as_csv=True
    )


@router.get("/bank/{gemeente}/grootboek/begunstigden/{payee}")
def payee_ledger(
    gemeente: str,
    payee: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    clock: ClockDep,
) -> Response:
    return _ledger(request, session, resumed, clock, gemeente, "begunstigden", payee, as_csv=False)


@router.get("/bank/{gemeente}/grootboek/begunstigden/{payee}/csv")
def payee_ledger_csv(
    gemeente: str,
    payee: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    clock: ClockDep,
) -> Response:
    return _ledger(request, session, resumed, clock, gemeente, "begunstigden", payee, as_csv=True)


def _trial(
    request: Request, session: SessionDep, resumed: Resumed, gemeente: str, period: str
) -> tuple[Resumed, Any]:
    code, label = gemeente_code(gemeente), period_label(period)
    cumulative = request.query_params.get("cumulatief") == "1"
    return resumed, desk.readable_trial_balance(
        session, resumed.actor, code, label, cumulative=cumulative
    )


@router.get("/bank/{gemeente}/proefbalans/{period}")
def trial_balance(
    gemeente: str, period: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    """Debit and credit per account for the month (or up to it), totals equal."""
    try:
        _, found = _trial(request, session, resumed, gemeente, period)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    year, month = int(period[:4]), int(period[5:])
    shown = Period(year, month)
    suffix = "?cumulatief=1" if found.cumulative else ""
    return _page(
        request,
        resumed,
        "bank/trial.html",
        {
            "gemeente": gemeente,
            "trial": found,
            "period": period,
            "previous": shown.previous().label(),
            "next": shown.next().label(),
            "csv_href": f"/bank/{gemeente}/proefbalans/{period}/csv{suffix}",
        },
        title=N_("Proefbalans"),
    )


@router.get("/bank/{gemeente}/proefbalans/{period}/csv")
def trial_balance_csv(
    gemeente: str, period: str, request: Request, session: SessionDep, resumed: PageSession
) -> Response:
    try:
        _, found = _trial(request, session, resumed, gemeente, period)
    except DomainError as error:
        return _failed(request, resumed, error, f"/bank/{gemeente}")
    rows: list[list[object]] = [
        [
            "rekening",
            "naam",
            "soort",
            "debet_centen",
            "credit_centen",
            "saldo_centen",
            "debet",
            "credit",
            "saldo",
        ]
    ]
    for line in found.lines:
        rows.append(
            [
                line.code,
                line.name,
                line.kind,
                line.debit.cents,
                line.credit.cents,
                line.balance.cents,
                line.debit.format(),
                line.credit.format(),
                line.balance.format(),
            ]
        )
    rows.append(
        [
            "totaal",
            "",
            "",
            found.total_debit.cents,
            found.total_credit.cents,
            found.total.cents,
            found.total_debit.format(),
            found.total_credit.format(),
            found.total.format(),
        ]
    )
    return _csv(rows, f"proefbalans-{gemeente}-{period}.csv")
