# SPDX-License-Identifier: EUPL-1.2
"""Pages that say something went wrong or was refused: in the page's language, with a way on."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ontzorgen.web.i18n import N_
from ontzorgen.web.templating import render


def error_page(
    request: Request,
    title: str,
    message: str,
    *,
    status: int,
    back_href: str = "/login",
    back_label: str = N_("Terug naar inloggen"),
) -> HTMLResponse:
    """A refusal or failure; ``title``, ``message`` and ``back_label`` are Dutch source text
    (marked with ``N_``), translated when shown."""
    return render(
        request,
        "error.html",
        {"message": message, "back_href": back_href, "back_label": back_label},
        title=title,
        status=status,
    )


def csrf_refused_page(request: Request) -> HTMLResponse:
    """A POST form whose CSRF token is missing or wrong: refused, nothing changed."""
    return error_page(
        request,
        N_("Verzoek geweigerd"),
        N_("De controle van het formulier is mislukt. Ververs de pagina en probeer het opnieuw."),
        status=403,
        back_href="/",
        back_label=N_("Naar de startpagina"),
    )


def not_found_page(request: Request) -> HTMLResponse:
    return error_page(
        request, N_("Niet gevonden"), N_("Dit adres bestaat niet."), status=404, back_href="/",
        back_label=N_("Naar de startpagina"),
    )  # fmt: skip
