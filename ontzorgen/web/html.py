# SPDX-License-Identifier: EUPL-1.2
"""Minimal Dutch HTML for the login pages (the real pages come later): no inline scripts or
styles, every value escaped."""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse


def page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    """A whole page; ``body`` is HTML that the caller built with :func:`escape`."""
    html = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} - ontzorgen</title>\n</head>\n<body>\n"
        f"<main>\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return HTMLResponse(html, status_code=status)


def error_page(title: str, message: str, *, status: int) -> HTMLResponse:
    """A refusal or failure, in Dutch, with a way back to the login."""
    return page(
        title,
        f'<p>{escape(message)}</p>\n<p><a href="/login">Terug naar inloggen</a></p>',
        status=status,
    )


def csrf_refused_page() -> HTMLResponse:
    """A POST form whose CSRF token is missing or wrong: refused, nothing changed."""
    return error_page(
        "Verzoek geweigerd",
        "De controle van het formulier is mislukt. Ververs de pagina en probeer het opnieuw.",
        status=403,
    )


def hidden_csrf(token: str) -> str:
    """The hidden field every POST form carries (checked by ``require_csrf_form``)."""
    return f'<input type="hidden" name="csrf_token" value="{escape(token)}">'


__all__ = ["csrf_refused_page", "error_page", "escape", "hidden_csrf", "page"]
