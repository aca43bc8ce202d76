# SPDX-License-Identifier: EUPL-1.2
"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ontzorgen import __version__, migrate
from ontzorgen.api import bank, gemeenten, households, runs, users
from ontzorgen.api.bearer import BearerTokens
from ontzorgen.api.hardening import (
    BodyLimit,
    LoginRateLimit,
    SecurityHeaders,
    TokenBuckets,
    inline_hash_policy,
)
from ontzorgen.api.problems import install_problem_handlers, problem_media_types, problem_response
from ontzorgen.clock import Clock
from ontzorgen.config import Settings, get_settings
from ontzorgen.db import make_engine, make_session_factory
from ontzorgen.errors import ProblemDetails
from ontzorgen.schemas import HealthOut
from ontzorgen.web import install_web, refuse_unsafe_settings

# The API names the package's version (Logius API Design Rules: the full version in a header);
# /api/v1 carries its major version.
API_VERSION = __version__

# Swagger UI and ReDoc from a package that ships their files: /docs works without internet, as
# gemeente servers often have none.
DOCS_ASSETS = "/docs-assets"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment) and ``clock`` (default:
    the settings' clock, ``ONTZORGEN_TODAY`` or the system clock)."""
    settings = settings or get_settings()
    app_clock = clock or settings.clock()  # a bad ONTZORGEN_TODAY fails here, at startup
    refuse_unsafe_settings(settings)  # development switches in production fail here, too
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="ontzorgen",
        version=API_VERSION,
        summary="Financieel ontzorgen voor gemeenten (Pw art. 56a)",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine, clock=app_clock)
    app.state.clock = app_clock
    app.state.idle_timeout = timedelta(minutes=settings.idle_timeout_minutes)
    install_problem_handlers(app)
    # Checked until the database is found at the newest schema, then trusted.
    schema = {"ok": False}

    def schema_problem() -> migrate.SchemaProblem | None:
        if schema["ok"]:
            return None
        problem = migrate.schema_problem(settings.database_url)
        schema["ok"] = problem is None
        return problem

    @app.middleware("http")
    async def require_schema(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A missing or unmigrated database is a clear 503, never a 500 from "no such table".
        if request.url.path.startswith("/api/"):
            problem = schema_problem()
            if problem is not None:
                return problem_response(
                    ProblemDetails(
                        type="urn:ontzorgen:probleem:database-not-ready",
                        title="Database niet klaar",
                        status=503,
                        detail=problem.detail,
                    )
                )
        return await call_next(request)

    _install_offline_docs(app)

    @app.middleware("http")
    async def api_version_header(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Logius API Design Rules: every response names the full API version.
        response = await call_next(request)
        response.headers["API-Version"] = API_VERSION
        return response

    @app.get(
        "/healthz",
        tags=["beheer"],
        response_model=HealthOut,
        responses={503: {"model": HealthOut, "description": "The database is not usable"}},
    )
    def healthz() -> JSONResponse:
        """Alive, and the database answers at the newest schema."""
        problem = schema_problem()
        if problem is not None:
            return JSONResponse(
                {
                    "status": "unavailable",
                    "database": problem.code,
                    "detail": problem.detail,
                    "version": __version__,
                },
                status_code=503,
            )
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
    v1.include_router(bank.router)
    v1.include_router(users.router)
    app.include_router(v1)
    _declare_problem_media_types(app)
    install_web(app, settings)
    if settings.oidc_issuer and settings.oidc_client_id:
        app.state.bearer_verifier = BearerTokens(
            issuer=settings.oidc_issuer,
            audience=settings.oidc_api_audience or settings.oidc_client_id,
        )
    # Added last, so they wrap everything (Starlette: the last added is the outermost).
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        LoginRateLimit,
        buckets=TokenBuckets(settings.login_rate_per_minute),
        prefixes=("/login", "/logout"),
    )
    app.add_middleware(SecurityHeaders)
    return app


def _declare_problem_media_types(app: FastAPI) -> None:
    """The generated schema, with problem answers under their own media type."""
    generate = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_media_types(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _install_offline_docs(app: FastAPI) -> None:
    """Serve /docs (Swagger UI) and /redoc with their assets from the app itself."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title="ontzorgen API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        )
        # Swagger UI starts from one inline script: allowed by its hash, nothing else inline.
        page.headers["Content-Security-Policy"] = inline_hash_policy(bytes(page.body))
        return page

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title="ontzorgen API",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        # ReDoc styles itself at run time (styled-components) and parses in a blob: worker;
        # inline styles are allowed here, inline scripts still are not.
        page.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'"
        )
        return page
