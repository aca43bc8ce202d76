# SPDX-License-Identifier: EUPL-1.2
"""The household file for staff: search by reference, the file (persons with the BSN masked,
contracts and their amounts, the window, the plan of a month, payments with their status,
events, letters) and one form per change the API offers.

Thin: every read and change is the service's (scope, audit, rules); this module parses the form,
calls it inside a savepoint (a refused change leaves nothing behind) and renders the answer. URLs
carry database ids only; the search takes a reference, never a BSN or a name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from ontzorgen.api.deps import ClockDep, SessionDep
from ontzorgen.auth import Actor, Permission
from ontzorgen.auth.sessions import Resumed
from ontzorgen.bank.status import household_events, household_payments
from ontzorgen.bijstand.facts import ExtensionGround
from ontzorgen.bijstand.lines import LineKind
from ontzorgen.bijstand.period import Period
from ontzorgen.clients import models as m
from ontzorgen.clients.dossier import household_file, search_households
from ontzorgen.clients.letters import letters_of_household
from ontzorgen.clients.planning import payees_of, period_from_text, view_plan
from ontzorgen.clients.schemas import (
    AccountIn,
    AmountIn,
    ExtensionIn,
    HandoverIn,
    PayeeAccountIn,
    RightEndIn,
)
from ontzorgen.clients.service import (
    add_contract_amount,
    change_payee_account,
    end_bijstand,
    extend_window,
    hand_over_contract,
    readable_household,
    set_household_account,
)
from ontzorgen.errors import DomainError, FieldProblem, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.money import Money, MoneyParseError
from ontzorgen.validation import MAX_ID, problems_from_validation
from ontzorgen.web.deps import CsrfForm, page_session
from ontzorgen.web.html import domain_error_page
from ontzorgen.web.i18n import N_
from ontzorgen.web.paths import page_id
from ontzorgen.web.templating import MenuItem, add_menu_item, is_inburgeraar, render

router = APIRouter(include_in_schema=False)
PageSession = Annotated[Resumed, Depends(page_session)]
add_menu_item(MenuItem(N_("Huishoudens"), "/huishoudens", Permission.HOUSEHOLD_READ))

CATEGORY_LABELS = {
    "huur": N_("Huur"), "gas": N_("Gas"), "stroom": N_("Stroom"), "water": N_("Water"),
    "zorgverzekering": N_("Zorgverzekering"), "other": N_("Overige verzekering"),
}  # fmt: skip
LINE_LABELS = {
    LineKind.BIJSTAND: N_("Bijstand"), LineKind.VT_ACCRUAL: N_("Vakantiegeld gespaard"),
    LineKind.VT_PAYOUT: N_("Vakantiegeld uitbetaald"), LineKind.DEDUCTION: N_("Inhouding"),
    LineKind.VOORSCHOT_SETTLEMENT: N_("Voorschot verrekend"),
    LineKind.WITHHOLDING: N_("Betaald aan"), LineKind.SHORTFALL: N_("Niet betaald (tekort)"),
    LineKind.LEEFGELD: N_("Leefgeld"), LineKind.HELD: N_("Leefgeld vastgehouden"),
}  # fmt: skip
STATUS_TONES = {
    "te_betalen": "neutral", "verzonden": "neutral", "geaccepteerd": "ok", "uitgevoerd": "ok",
    "geweigerd": "error", "teruggekomen": "error",
}  # fmt: skip
ROLE_LABELS = {"aanvrager": N_("Aanvrager"), "partner": N_("Partner"), "kind": N_("Kind")}
# The rules' own reasons (English, for developers) as staff should read them.
FACT_REASONS = {"lies before the start": N_("ligt vóór de begindatum")}


def staff_actor(resumed: Resumed) -> Actor:
    """The page is for staff: an inburgeraar has their own pages ("Mijn maand")."""
    if is_inburgeraar(resumed.actor):
        raise NotPermitted("deze pagina is voor medewerkers van de gemeente")
    return resumed.actor


def problem_page(
    request: Request, resumed: Resumed | None, error: DomainError, *,
    back_href: str = "/huishoudens", back_label: str = N_("Naar de huishoudens"),
) -> Response:  # fmt: skip
    """A refusal (403), something not found (404) or a conflict, in Dutch, with a way on."""
    return domain_error_page(request, resumed, error, back_href=back_href, back_label=back_label)


def _list(request: Request, session: Session, resumed: Resumed, query: str) -> Response:
    try:
        rows = search_households(session, staff_actor(resumed), query)
    except DomainError as error:
        return problem_page(request, resumed, error)
    return render(
        request, "households.html", {"rows": rows, "query": query[:35]},
        title=N_("Huishoudens"), resumed=resumed,
    )  # fmt: skip


@router.get("/huishoudens")
def household_list(request: Request, session: SessionDep, resumed: PageSession) -> Response:
    """The households the user may see (a coach: the caseload), the first of them."""
    return _list(request, session, resumed, "")


@router.post("/huishoudens")
async def household_search(request: Request, session: SessionDep, resumed: CsrfForm) -> Response:
    """Search by reference. A POST form: what is typed (even a BSN by mistake) never lands in
    a URL, a browser history or an access log."""
    form = await request.form()
    return _list(request, session, resumed, str(form.get("referentie", ""))[:35])


def _chosen_period(request: Request, months: list[Period], today: date) -> Period | None:
    wanted = request.query_params.get("maand")
    if wanted:
        try:
            period = period_from_text(wanted)
        except (InvalidInput, ValueError):
            period = None
        if period in months:
            return period
    now = Period.of(today)
    if now in months:
        return now
    return months[0] if months else None


@router.get("/huishoudens/{household_id}")
def household_page(
    request: Request, household_id: str, session: SessionDep, clock: ClockDep,
    resumed: PageSession,
) -> Response:  # fmt: skip
    """The household file."""
    try:
        actor = staff_actor(resumed)
        found = household_file(session, actor, page_id(household_id))
        household = session.get_one(m.Household, found.id)
        payments = household_payments(session, actor, household)
        events = household_events(session, actor, household)
        period = _chosen_period(request, found.months, clock.today())
        plan = plan_error = payees = None
        if period is not None:
            try:
                _, plan = view_plan(session, actor, found.id, None, period)
                payees = payees_of(session, plan)
            except InvalidInput as error:
                plan_error = "; ".join(p.reason for p in error.problems) or error.detail
        letters = letters_of_household(session, household) if found.may_change else []
    except DomainError as error:
        return problem_page(request, resumed, error)
    confirmation = CONFIRMATIONS.get(request.query_params.get("gewijzigd", ""))
    return render(
        request, "household.html",
        {"file": found, "payments": payments, "events": events, "period": period,
         "plan": plan, "plan_error": plan_error, "payees": payees or {}, "letters": letters,
         "today": clock.today(), "confirmation": confirmation, "forms": FORMS,
         "category_labels": CATEGORY_LABELS, "line_labels": LINE_LABELS,
         "status_tones": STATUS_TONES, "role_labels": ROLE_LABELS},
        title=N_("Huishouden"), resumed=resumed,
    )  # fmt: skip


# -- the change forms ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str  # Dutch source
    kind: str = "text"  # text, date, amount, select, textarea
    description: str | None = None
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()
    autocomplete: str = "off"


@dataclass(frozen=True, slots=True)
class Target:
    """What a form changes: the household, and for a contract form the contract."""

    household: m.Household
    gemeente_code: str
    contract: m.Contract | None = None
    payee: m.Payee | None = None


@dataclass(frozen=True, slots=True)
class ChangeForm:
    slug: str
    title: str  # Dutch source
    intro: str  # Dutch source
    button: str  # Dutch source
    confirmation: str  # Dutch source
    schema: type[BaseModel]
    fields: tuple[FormField, ...]
    apply: Callable[[Session, Actor, Target, Any], object]
    per_contract: bool = False
    # form field -> schema field, where they differ (the amount is typed in euros)
    renames: dict[str, str] = field(default_factory=dict)

    def path(self, household_id: int, contract_id: int | None = None) -> str:
        if self.per_contract:
            return f"/huishoudens/{household_id}/contracten/{contract_id}/{self.slug}"
        return f"/huishoudens/{household_id}/{self.slug}"


def _contract_of(target: Target) -> m.Contract:
    assert target.contract is not None
    return target.contract


FORMS: dict[str, ChangeForm] = {
    form.slug: form
    for form in (
        ChangeForm(
            "bedrag", N_("Nieuw maandbedrag"),
            N_("Een nieuw bedrag geldt vanaf een datum na de laatste wijziging. Eerdere "
               "maanden houden hun bedrag."),
            N_("Bedrag opslaan"), N_("Het nieuwe maandbedrag is opgeslagen."), AmountIn,
            (FormField("valid_from", N_("Geldig vanaf"), "date"),
             FormField("amount", N_("Bedrag per maand in euro"), "amount",
                       N_("Bijvoorbeeld 712,50"))),
            lambda s, a, t, v: add_contract_amount(s, a, t.gemeente_code,
                                                   _contract_of(t).reference, v),
            per_contract=True, renames={"amount": "amount_cents"},
        ),
        ChangeForm(
            "overdracht", N_("Overdracht aan het huishouden"),
            N_("Vanaf deze datum betaalt het huishouden deze vaste last zelf (afbouwplan). "
               "De betaalontvanger krijgt daarover een brief."),
            N_("Overdracht opslaan"), N_("De overdracht is opgeslagen."), HandoverIn,
            (FormField("handover_date", N_("Het huishouden betaalt zelf vanaf"), "date"),),
            lambda s, a, t, v: hand_over_contract(s, a, t.gemeente_code,
                                                  _contract_of(t).reference, v),
            per_contract=True,
        ),
        ChangeForm(
            "betaalontvanger", N_("Nieuw rekeningnummer van de betaalontvanger"),
            N_("Het nieuwe rekeningnummer geldt vanaf de volgende betaalrun, voor alle "
               "contracten van deze betaalontvanger."),
            N_("Rekeningnummer opslaan"),
            N_("Het rekeningnummer van de betaalontvanger is opgeslagen."), PayeeAccountIn,
            (FormField("iban", N_("IBAN")),
             FormField("bic", N_("BIC"), description=N_("Alleen nodig voor een buitenlandse "
                                                       "bank"), required=False)),
            lambda s, a, t, v: change_payee_account(
                s, a, t.gemeente_code, t.payee.reference if t.payee else "", v),
            per_contract=True,
        ),
        ChangeForm(
            "rekening", N_("Eigen rekening van het huishouden"),
            N_("Vanaf de volgende betaalrun gaat het leefgeld naar deze rekening in plaats van "
               "vastgehouden te worden."),
            N_("Rekening opslaan"), N_("De rekening van het huishouden is opgeslagen."),
            AccountIn,
            (FormField("iban", N_("IBAN")),
             FormField("iban_name", N_("Naam van de rekeninghouder"),
                       description=N_("Zoals de bank de rekeninghouder kent"))),
            lambda s, a, t, v: set_household_account(s, a, t.household, v),
        ),
        ChangeForm(
            "bijstand-einde", N_("Einde van de bijstand"),
            N_("Het ontzorgen eindigt met de bijstand. Het gespaarde vakantiegeld wordt in die "
               "maand uitbetaald."),
            N_("Einddatum opslaan"), N_("De einddatum van de bijstand is opgeslagen."),
            RightEndIn, (FormField("end", N_("Laatste dag van de bijstand"), "date"),),
            lambda s, a, t, v: end_bijstand(s, a, t.household, v),
        ),
        ChangeForm(
            "verlenging", N_("Verlenging van het ontzorgen"),
            N_("Na zes maanden alleen met toestemming van de inwoner of een besluit op grond "
               "van artikel 57 Participatiewet."),
            N_("Verlenging opslaan"), N_("De verlenging is opgeslagen."), ExtensionIn,
            (FormField("ground", N_("Grond"), "select", options=(
                (ExtensionGround.CONSENT.value, N_("Toestemming van de inwoner")),
                (ExtensionGround.ART57_DECISION.value, N_("Besluit artikel 57 Participatiewet")),
             )),
             FormField("reason", N_("Reden"), "textarea",
                       N_("Wat is er afgesproken of besloten? Geen BSN of medische gegevens.")),
             FormField("end_date", N_("Ontzorgen loopt tot en met"), "date")),
            lambda s, a, t, v: extend_window(s, a, t.household, v),
        ),
    )
}  # fmt: skip
CONFIRMATIONS = {slug: form.confirmation for slug, form in FORMS.items()}


def _target(session: Session, actor: Actor, household_id: int, contract_id: int | None) -> Target:
    """The household (and contract) the form changes, if the actor may change it: another
    gemeente's or a household outside the scope is not found, a reader gets 403."""
    household = readable_household(
        session, actor, household_id if 0 < household_id <= MAX_ID else 0,
        permission=Permission.HOUSEHOLD_WRITE,
    )  # fmt: skip
    code = session.get_one(Gemeente, household.gemeente_id).code
    if contract_id is None:
        return Target(household, code)
    contract = session.get(m.Contract, contract_id) if 0 < contract_id <= MAX_ID else None
    if contract is None or contract.household_id != household.id:
        raise NotFound("contract niet gevonden")
    return Target(household, code, contract, session.get_one(m.Payee, contract.payee_id))


def _parse(form: ChangeForm, values: dict[str, str]) -> tuple[Any, dict[str, str]]:
    """The form's values as the service's input, or the errors per form field."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for spec in form.fields:
        raw = values.get(spec.name, "").strip()
        if not raw:
            if spec.required:
                errors[spec.name] = N_("Vul dit veld in.")
            continue
        if spec.kind == "amount":
            try:
                data[form.renames.get(spec.name, spec.name)] = Money.parse(raw).cents
            except MoneyParseError:
                errors[spec.name] = N_("Vul een bedrag in euro in, bijvoorbeeld 712,50.")
        elif spec.kind == "date":
            try:
                data[spec.name] = date.fromisoformat(raw)
            except ValueError:
                errors[spec.name] = N_("Vul een datum in, bijvoorbeeld 2027-01-31.")
        else:
            data[spec.name] = raw
    if errors:
        return None, errors
    try:
        return form.schema.model_validate(data), {}
    except ValidationError as error:
        return None, _field_errors(form, problems_from_validation(error))


def _field_errors(form: ChangeForm, problems: list[FieldProblem]) -> dict[str, str]:
    """Each problem tied to the form field it is about (else to the first field)."""
    back = {schema: name for name, schema in form.renames.items()}
    names = [spec.name for spec in form.fields]
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field.rsplit(".", 1)[-1]
        name = back.get(name, name)
        if name not in names:
            name = names[0]
        reason = FACT_REASONS.get(problem.reason, problem.reason)
        errors.setdefault(name, reason[:1].upper() + reason[1:])
    return errors


def _render_form(
    request: Request, resumed: Resumed, form: ChangeForm, target: Target,
    values: dict[str, str], errors: dict[str, str], status: int = 200,
) -> Response:  # fmt: skip
    contract = target.contract
    return render(
        request, "household_change.html",
        {"form": form, "household": target.household, "contract": contract,
         "payee": target.payee, "values": values, "errors": errors,
         "action": form.path(target.household.id, contract.id if contract else None),
         "category_labels": CATEGORY_LABELS},
        title=form.title, resumed=resumed, status=status,
    )  # fmt: skip


def _form_routes(form: ChangeForm) -> None:
    path = form.path(0, 0).replace("/0/", "/{household_id}/", 1)
    if form.per_contract:
        path = path.replace("/contracten/0/", "/contracten/{contract_id}/")

    def ids(request: Request) -> tuple[int, int | None]:
        household = page_id(request.path_params["household_id"])
        if not form.per_contract:
            return household, None
        return household, page_id(request.path_params["contract_id"])

    def show(request: Request, session: SessionDep, resumed: PageSession) -> Response:
        household_id, contract_id = ids(request)
        try:
            target = _target(session, staff_actor(resumed), household_id, contract_id)
        except DomainError as error:
            return problem_page(request, resumed, error)
        return _render_form(request, resumed, form, target, {}, {})

    async def change(request: Request, session: SessionDep, resumed: CsrfForm) -> Response:
        household_id, contract_id = ids(request)
        submitted = await request.form()
        values = {spec.name: str(submitted.get(spec.name, ""))[:600] for spec in form.fields}
        try:
            actor = staff_actor(resumed)
            target = _target(session, actor, household_id, contract_id)
        except DomainError as error:
            return problem_page(request, resumed, error)
        parsed, errors = _parse(form, values)
        if parsed is not None:
            try:
                with session.begin_nested():  # a refused change leaves nothing behind
                    form.apply(session, actor, target, parsed)
            except InvalidInput as error:
                errors = _field_errors(form, error.problems)
            except DomainError as error:
                return problem_page(request, resumed, error)
        if errors:
            session.expire_all()
            target = _target(session, actor, household_id, contract_id)
            return _render_form(request, resumed, form, target, values, errors, status=422)
        return RedirectResponse(
            f"/huishoudens/{target.household.id}?gewijzigd={form.slug}#bevestiging",
            status_code=303,
        )

    router.add_api_route(path, show, methods=["GET"], name=f"form-{form.slug}")
    router.add_api_route(path, change, methods=["POST"], name=f"change-{form.slug}")


for _form in FORMS.values():
    _form_routes(_form)
