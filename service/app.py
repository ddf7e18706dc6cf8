"""The FastAPI application factory: lifespan owns the database; one error handler."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool

from core import metrics
from core.database import Database, open_database
from core.errors import RapportError
from core.logging import get_logger
from core.settings import Settings
from service import health
from service.routes import api, review

STATIC = Path(__file__).parent / "static"
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
UNREACHABLE = "The database is unreachable; Rapport reconnects as soon as it is back."
log = get_logger(__name__)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the app; pass `db` to share an already-open database (demo, tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = db is None
        app.state.db = db or open_database(settings)
        try:
            yield
        finally:
            if owned:
                app.state.db.close()

    app = FastAPI(title="Rapport", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.database_figures = health.figures_registry(lambda: app.state.db)

    @app.exception_handler(RapportError)
    async def rapport_error(request: Request, exc: RapportError) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"detail": exc.message})

    async def database_unreachable(request: Request, exc: Exception) -> Response:
        # The pool checks each connection before use (pool_pre_ping) and drops dead ones, so
        # the next request after the database is back reconnects by itself.
        log.warning("http.database.unreachable", error=str(exc).splitlines()[0])
        await run_in_threadpool(request.app.state.db.recover)  # the embedded one restarts
        if _wants_html(request):
            return TEMPLATES.TemplateResponse(
                request, "unavailable.html", {}, status_code=503, headers={"Retry-After": "5"}
            )
        return JSONResponse(
            status_code=503, content={"detail": UNREACHABLE}, headers={"Retry-After": "5"}
        )

    def is_disconnect(exc: DBAPIError) -> bool:
        return isinstance(exc, OperationalError) or exc.connection_invalidated

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if is_disconnect(exc):
            return await database_unreachable(request, exc)
        log.error("http.database.error", error=str(exc).splitlines()[0])
        return JSONResponse(status_code=500, content={"detail": "Database error."})

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Every log line of a request carries its id; the response echoes it."""
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
        finally:
            seconds = time.perf_counter() - started
            route = getattr(request.scope.get("route"), "path", "unmatched")
            metrics.REQUEST_SECONDS.labels(route=route, status=f"{status // 100}xx").observe(
                seconds
            )
            log.info(
                "http.request",
                method=request.method,
                path=request.url.path,
                status=status,
                ms=round(seconds * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")
        response.headers["x-request-id"] = request_id
        return response

    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(review.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
