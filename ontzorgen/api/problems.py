# SPDX-License-Identifier: EUPL-1.2
"""The one place that turns errors into ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ontzorgen.errors import DomainError, ProblemDetails, to_problem
from ontzorgen.schemas import OutputModel
from ontzorgen.validation import dutch_reason, field_path

PROBLEM_JSON = "application/problem+json"


class InvalidParamOut(OutputModel):
    """One field that was refused."""

    name: str = Field(description="The field, as a dotted path (e.g. households.0.iban)")
    reason: str = Field(description="Why, in Dutch (never the value)")


class ProblemOut(OutputModel):
    """An RFC 9457 problem: what went wrong, in Dutch."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(description="urn:ontzorgen:probleem:<code>, or about:blank")
    title: str = Field(description="Short and the same for every problem of this type")
    status: int = Field(description="The HTTP status code")
    detail: str = Field(description="This problem, in Dutch")
    invalid_params: list[InvalidParamOut] | None = Field(
        default=None, alias="invalidParams", description="Every refused field (422)"
    )


_PROBLEM_STATUSES = {
    400: "Ongeldig verzoek (de body is geen leesbare JSON)",
    401: "Niet aangemeld",
    403: "Geen toestemming",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict met de huidige toestand",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Ongeldige invoer: elk veld genoemd",
    503: "Database niet klaar",
}
# Every router declares these, so a client (and the schema tests) know the 4xx/5xx answers.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemOut, "description": description}
    for status, description in _PROBLEM_STATUSES.items()
}


def problem_media_types(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare problem answers as application/problem+json, as they are sent (FastAPI puts a
    response model under application/json)."""
    for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
        for status, response in operation.get("responses", {}).items():
            content = response.get("content", {})
            body = content.get("application/json", {}).get("schema", {})
            if (
                status.isdigit()
                and int(status) >= 400
                and body.get("$ref", "").endswith("/ProblemOut")
            ):
                content[PROBLEM_JSON] = content.pop("application/json")
    return schema


def problem_response(
    problem: ProblemDetails, *, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The problem+json answer of ``problem`` (also an ASGI app, for middleware)."""
    body = asdict(problem)
    params = body.pop("invalid_params")
    if params:
        body["invalidParams"] = params  # Logius API Design Rules naming
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(location: tuple[int | str, ...]) -> str:
    where = location[:1] if location and location[0] in ("query", "path", "header") else ()
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]
    return field_path(location) or str(where[0] if where else "body")


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return problem_response(to_problem(error))


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
    return problem_response(
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
    return problem_response(
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
