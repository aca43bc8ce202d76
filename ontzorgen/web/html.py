# SPDX-License-Identifier: EUPL-1.2
"""Pages that say something went wrong or was refused: in the page's language, with a way on."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ontzorgen.auth.sessions import Resumed
from ontzorgen.errors import DomainError
from ontzorgen.web.i18n import N_
from ontzorgen.web.templating import render

# The title of a service's refusal, by its status.
ERROR_TITLES = {
    403: N_("Niet toegestaan"),
    404: N_("Niet gevonden"),
    409: N_("Niet gelukt"),
    422: N_("Ongeldige invoer"),
}


def error_page(
    request: Request,
    title: str,
    message: str,
    *,
    status: int,
    back_href: str = "/login",
    back_label: str = N_("Terug naar inloggen"),
    resumed: Resumed | None = None,
) -> HTMLResponse:
    """A refusal or failure; ``title``, ``message`` and ``back_label`` are Dutch source text
    (marked with ``N_``), translated when shown. A message from a service may hold a ``%``:
    the template's gettext formats with ``%``, so it is escaped here."""
    return render(
        request,
        "error.html",
        {"message": message.replace("%", "%%"), "back_href": back_href, "back_label": back_label},
        title=title,
        status=status,
        resumed=resumed,
    )


def domain_error_page(
    request: Request,
    resumed: Resumed | None,
    error: DomainError,
    *,
    back_href: str = "/",
    back_label: str = N_("Terug"),
) -> HTMLResponse:
    """A service's refusal (403 naming the permission, 404, 409, 422) as a page in Dutch, with
    its status and a way on."""
    return error_page(
        request,
        ERROR_TITLES.get(error.status, N_("Het verzoek kan niet worden uitgevoerd")),
        error.detail,
        status=error.status,
        back_href=back_href,
        back_label=back_label,
        resumed=resumed,
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
