# SPDX-License-Identifier: EUPL-1.2
"""The one place that turns errors into ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ontzorgen.errors import DomainError, ProblemDetails, to_problem

PROBLEM_JSON = "application/problem+json"


def _respond(problem: ProblemDetails) -> JSONResponse:
    body = asdict(problem)
    params = body.pop("invalid_params")
    if params:
        body["invalidParams"] = params  # Logius API Design Rules naming
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON)


def _field_name(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[-1] if location else "body")


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return _respond(to_problem(error))


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    params = [
        {"name": _field_name(tuple(e["loc"])), "reason": str(e["msg"])} for e in error.errors()
    ]
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


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return _respond(
        ProblemDetails(
            type="about:blank",
            title=str(error.detail),
            status=error.status_code,
            detail=str(error.detail),
        )
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers: domain errors, validation errors and plain HTTP errors."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
