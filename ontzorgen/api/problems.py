# SPDX-License-Identifier: EUPL-1.2
"""The one place that turns errors into ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ontzorgen.errors import DomainError, ProblemDetails, to_problem
from ontzorgen.validation import dutch_reason, field_path

PROBLEM_JSON = "application/problem+json"


def _respond(problem: ProblemDetails) -> JSONResponse:
    body = asdict(problem)
    params = body.pop("invalid_params")
    if params:
        body["invalidParams"] = params  # Logius API Design Rules naming
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON)


def _field_name(location: tuple[int | str, ...]) -> str:
    where = location[:1] if location and location[0] in ("query", "path", "header") else ()
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]
    return field_path(location) or str(where[0] if where else "body")


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return _respond(to_problem(error))


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    params = []
    for e in error.errors():
        if e["type"] == "json_invalid":  # the location is the character where parsing stopped
            place = e["loc"][-1] if e["loc"] else "?"
            params.append({"name": "body", "reason": f"geen geldige JSON (bij teken {place})"})
        else:
            params.append({"name": _field_name(tuple(e["loc"])), "reason": dutch_reason(e)})
    detail = "; ".join(f"{p['name']}: {p['reason']}" for p in params)
    return _respond(
        ProblemDetails(
            type="urn:ontzorgen:probleem:invalid-input",
            title="Ongeldige invoer",
            status=422,
            detail=detail,
            invalid_params=params,
        )
    )


# Starlette's and FastAPI's own English texts, as a person should read them.
_HTTP_TITLES = {
    400: "Ongeldig verzoek",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
}
_HTTP_DETAILS = {
    # FastAPI says this when the body cannot be decoded at all (e.g. Windows-1252 bytes).
    "There was an error parsing the body": (
        "de body is geen leesbare JSON: stuur JSON in UTF-8 (Content-Type: application/json)"
    ),
    "Not Found": "dit adres bestaat niet",
    "Method Not Allowed": "deze methode is op dit adres niet toegestaan",
}


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = _HTTP_DETAILS.get(str(error.detail), str(error.detail))
    return _respond(
        ProblemDetails(
            type="about:blank",
            title=_HTTP_TITLES.get(error.status_code, detail),
            status=error.status_code,
            detail=detail,
        )
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers: domain errors, validation errors and plain HTTP errors."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
