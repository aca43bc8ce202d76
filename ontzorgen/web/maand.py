# SPDX-License-Identifier: EUPL-1.2
""" "Mijn maand": the inburgeraar's month (where the bijstand went, with a picture) as a page
and as a PDF, in the chosen language. The figures come from one audited service call
(:func:`ontzorgen.statements.month.month_statement`); this module only renders them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ontzorgen.api.deps import SessionDep
from ontzorgen.auth.sessions import Resumed
from ontzorgen.db import session_now
from ontzorgen.errors import InvalidInput, NotFound
from ontzorgen.statements.month import MonthStatement, month_statement
from ontzorgen.web import i18n
from ontzorgen.web.chart import Chart, bar_chart
from ontzorgen.web.deps import CurrentSession, page_session
from ontzorgen.web.html import error_page
from ontzorgen.web.i18n import N_, gettext
from ontzorgen.web.paths import page_id
from ontzorgen.web.templating import (
    MenuItem,
    add_menu_item,
    choose_language,
    environment,
    is_inburgeraar,
    render,
)

router = APIRouter(include_in_schema=False)
add_menu_item(MenuItem(N_("Mijn maand"), "/mijn-maand", None, inburgeraar=True))

PRINT_CSS = Path(__file__).parent / "static" / "maand-print.css"

CATEGORIES = {
    "huur": N_("Huur"),
    "gas": N_("Gas"),
    "stroom": N_("Stroom"),
    "water": N_("Water"),
    "zorgverzekering": N_("Zorgverzekering"),
    "other": N_("Andere vaste last"),
    "leefgeld": N_("Leefgeld"),
}
STATUSES = {
    "gepland": N_("gepland"),
    "onderweg": N_("onderweg"),
    "betaald": N_("betaald"),
    "teruggekomen": N_("teruggekomen"),
}
STATUS_TONES = {"gepland": "neutral", "onderweg": "neutral", "betaald": "ok",
                "teruggekomen": "error"}  # fmt: skip
# Why the bank sent money back, in plain words (bank/reasons.py has the bank's own texts).
_WRONG_ACCOUNT = N_("Het rekeningnummer van de ontvanger klopt niet, of bestaat niet meer.")
_MISSING_ADDRESS = N_("De naam of het adres van de ontvanger ontbreekt.")
REASONS = {
    "AC01": _WRONG_ACCOUNT, "AC04": _WRONG_ACCOUNT, "AC06": _WRONG_ACCOUNT,
    "RC01": _WRONG_ACCOUNT, "BE04": _MISSING_ADDRESS, "RR03": _MISSING_ADDRESS,
}  # fmt: skip
OTHER_REASON = N_("De bank gaf het geld terug.")
DECISIONS = {
    "herbetalen": N_("De gemeente betaalt opnieuw aan de ontvanger."),
    "aan_huishouden": N_("De gemeente maakt het geld over naar uw eigen rekening."),
    "vasthouden": N_("De gemeente bewaart het geld tot het probleem is opgelost."),
}
NO_DECISION = N_("De gemeente lost dit op. U hoeft niets te doen.")

# Fill colours with at least 3:1 contrast on white (WCAG 1.4.11); the words carry the meaning.
INCOME_TONE = "#1f4e79"
FIXED_TONE = "#8a4b00"
OWN_TONE = "#1d6b35"
HELD_TONE = "#5c5c5c"


def _chart(statement: MonthStatement, rtl: bool) -> Chart:
    """The picture: the bijstand that came in, and where it went (in the page's language)."""
    money = i18n.money
    rows: list[tuple[str, str, int, str, bool]] = [
        (gettext("Bijstand"), money(statement.bijstand_cents), statement.bijstand_cents,
         INCOME_TONE, not statement.vt_payout_cents),
    ]  # fmt: skip
    if statement.vt_payout_cents:
        rows.append((gettext("Vakantiegeld"), money(statement.vt_payout_cents),
                     statement.vt_payout_cents, INCOME_TONE, True))  # fmt: skip
    for paid in statement.fixed:
        rows.append((gettext(CATEGORIES.get(paid.category, CATEGORIES["other"])),
                     money(paid.amount_cents), paid.amount_cents, FIXED_TONE, False))  # fmt: skip
    if statement.leefgeld_cents:
        rows.append((gettext("Naar uw eigen rekening"), money(statement.leefgeld_cents),
                     statement.leefgeld_cents, OWN_TONE, False))  # fmt: skip
    if statement.held_cents:
        rows.append((gettext("Bewaard door de gemeente"), money(statement.held_cents),
                     statement.held_cents, HELD_TONE, False))  # fmt: skip
    if statement.deducted_cents:
        rows.append((gettext("Ingehouden door de gemeente"), money(statement.deducted_cents),
                     statement.deducted_cents, HELD_TONE, False))  # fmt: skip
    return bar_chart(rows, rtl=rtl)


def _context(statement: MonthStatement, rtl: bool) -> dict[str, Any]:
    return {
        "statement": statement,
        "chart": _chart(statement, rtl),
        "categories": CATEGORIES,
        "statuses": STATUSES,
        "status_tones": STATUS_TONES,
        "reasons": REASONS,
        "other_reason": OTHER_REASON,
        "decisions": DECISIONS,
        "no_decision": NO_DECISION,
    }


def _only_for_inburgeraars(request: Request, resumed: Resumed) -> HTMLResponse:
    return error_page(
        request, N_("Alleen voor inburgeraars"),
        N_("Deze pagina toont de maand van een inburgeraar. Log in met DigiD om uw eigen maand "
           "te zien."),
        status=403, back_href="/", back_label=N_("Naar de startpagina"), resumed=resumed,
    )  # fmt: skip


def _no_statement(request: Request) -> HTMLResponse:
    """The household's facts do not make a plan (the service said why, for staff)."""
    return error_page(
        request, N_("Geen overzicht"),
        N_("De gemeente kan voor deze maand nog geen overzicht maken. Vraag het uw budgetcoach."),
        status=422, back_href="/", back_label=N_("Naar de startpagina"),
    )  # fmt: skip


def _statement(
    session: SessionDep, resumed: Resumed, periode: str | None, huishouden: str | None
) -> MonthStatement:
    """The month of the household ``huishouden`` (an id; default: the login's own), which the
    service refuses as not found when it is not the inburgeraar's."""
    actor = resumed.actor
    if huishouden is None:
        return month_statement(session, actor, min(actor.households), periode)
    number = page_id(huishouden)
    if not number:
        raise NotFound("huishouden niet gevonden")
    return month_statement(session, actor, number, periode)


@router.get("/mijn-maand")
def my_month(
    request: Request,
    session: SessionDep,
    resumed: CurrentSession,
    periode: str | None = None,
    huishouden: str | None = None,
) -> Response:
    """The month of the inburgeraar's household; ``periode`` picks another month of the list."""
    resumed = page_session(resumed)
    if not is_inburgeraar(resumed.actor):
        return _only_for_inburgeraars(request, resumed)
    errors: dict[str, str] = {}
    try:
        statement = _statement(session, resumed, periode, huishouden)
    except NotFound:
        return error_page(request, N_("Niet gevonden"), N_("Dit overzicht bestaat niet."),
                          status=404, back_href="/mijn-maand",
                          back_label=N_("Naar mijn maand"))  # fmt: skip
    except InvalidInput as problem:
        if not any(p.field == "periode" for p in problem.problems):
            return _no_statement(request)
        statement = _statement(session, resumed, None, huishouden)
        errors["periode"] = N_("Voor deze maand is er geen overzicht. Kies een maand uit de lijst.")
    language = choose_language(request, statement.preferred_language)
    with i18n.speaking(language):
        context = _context(statement, language.rtl)
    context["errors"] = errors
    return render(
        request, "mijn_maand.html", context, title=N_("Mijn maand"), resumed=resumed,
        preferred_language=statement.preferred_language, status=422 if errors else 200,
    )  # fmt: skip


@router.get("/mijn-maand/pdf")
def my_month_pdf(
    request: Request,
    session: SessionDep,
    resumed: CurrentSession,
    periode: str | None = None,
    huishouden: str | None = None,
) -> Response:
    """The same month as a PDF (for printing, for the case file), in the chosen language."""
    resumed = page_session(resumed)
    if not is_inburgeraar(resumed.actor):
        return _only_for_inburgeraars(request, resumed)
    try:
        statement = _statement(session, resumed, periode, huishouden)
    except NotFound:
        return error_page(request, N_("Niet gevonden"), N_("Dit overzicht bestaat niet."),
                          status=404, back_href="/mijn-maand",
                          back_label=N_("Naar mijn maand"))  # fmt: skip
    except InvalidInput as problem:
        if not any(p.field == "periode" for p in problem.problems):
            return _no_statement(request)
        return error_page(
            request, N_("Geen overzicht"),
            N_("Voor deze maand is er geen overzicht. Kies een maand uit de lijst."),
            status=422, back_href="/mijn-maand", back_label=N_("Naar mijn maand"),
        )  # fmt: skip
    language = choose_language(request, statement.preferred_language)
    made_on: date = session_now(session).date()
    with i18n.speaking(language):
        html = (
            environment()
            .get_template("mijn_maand_pdf.html")
            .render(
                {**_context(statement, language.rtl), "language": language,
                 "title": gettext("Maandoverzicht"), "brand": request.app.state.brand,
                 "made_on": made_on}
            )
        )  # fmt: skip
    pdf = _pdf(html)
    name = f"maandoverzicht-{statement.period.label()}-{language.code}.pdf"
    return Response(
        pdf, media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # heavy: imported on use

    document = HTML(string=html, base_url=str(Path(__file__).parent / "static"))
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    return pdf
