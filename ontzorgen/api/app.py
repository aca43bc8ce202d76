# SPDX-License-Identifier: EUPL-1.2
"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ontzorgen import __version__
from ontzorgen.api import gemeenten, households, runs
from ontzorgen.api.problems import install_problem_handlers
from ontzorgen.clock import Clock
from ontzorgen.config import Settings, get_settings
from ontzorgen.db import make_engine, make_session_factory

API_VERSION = "1.0.0"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment) and ``clock`` (default:
    the settings' clock, ``ONTZORGEN_TODAY`` or the system clock)."""
    settings = settings or get_settings()
    app_clock = clock or settings.clock()  # a bad ONTZORGEN_TODAY fails here, at startup
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="ontzorgen",
        version=API_VERSION,
        summary="Financieel ontzorgen voor gemeenten (Pw art. 56a)",
        openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.clock = app_clock
    install_problem_handlers(app)

    @app.middleware("http")
    async def api_version_header(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Logius API Design Rules: every response names the full API version.
        response = await call_next(request)
        response.headers["API-Version"] = API_VERSION
        return response

    @app.get("/healthz", tags=["beheer"])
    def healthz() -> JSONResponse:
        """Alive, and the database answers."""
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable", "version": __version__},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})

    v1 = APIRouter(prefix="/api/v1")
    v1.include_router(gemeenten.router)
    v1.include_router(households.router)
    v1.include_router(runs.router)
    app.include_router(v1)
    return app
