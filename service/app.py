"""The FastAPI application factory: lifespan owns the database; sessions, CSRF, error pages."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from core import metrics, timing
from core.database import Database, open_database
from core.errors import NotSignedIn, RapportError
from core.secrets import signing_key
from core.settings import Settings
from service import auth, health
from service.routes import (
    accounts,
    api,
    exports,
    posting,
    review,
    signin,
    webhook_pages,
    webhooks,
    workspaces,
)
from service.routes import settings as settings_pages
from service.templating import templates
from service.users.throttle import SignInThrottle

STATIC = Path(__file__).parent / "static"
SESSION_DAYS = 14
UNREACHABLE = "The database is unreachable; Rapport reconnects as soon as it is back."
log = structlog.get_logger()


def _wants_html(request: Request) -> bool:
    """A browser page (not the API, not a script) gets a page rather than JSON."""
    if request.url.path.startswith("/api") or "authorization" in request.headers:
        return False
    return "text/html" in request.headers.get("accept", "")


def _error_page(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def _detail(exc: RequestValidationError) -> str:
    """Validation errors as one sentence: `field: problem; …`."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "The request is not valid."


def _docs_assets() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:  # pragma: no cover - a dependency; /docs then says so
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the app; pass `db` to share an already-open database (demo, tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = db is None
        app.state.db = db or open_database(settings)
        timing.instrument(app.state.db.engine)
        try:
            yield
        finally:
            if owned:
                app.state.db.close()

    app = FastAPI(
        title="Rapport",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from the installed swagger-ui-bundle, never a CDN
        redoc_url=None,
        dependencies=[Depends(auth.csrf_protect)],
    )
    app.state.settings = settings
    app.state.database_figures = health.figures_registry(lambda: app.state.db)
    app.state.sign_in_throttle = SignInThrottle()
    app.add_middleware(
        SessionMiddleware,
        secret_key=signing_key(settings, "session"),
        session_cookie="rapport_session",
        max_age=SESSION_DAYS * 24 * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )

    @app.exception_handler(RapportError)
    async def rapport_error(request: Request, exc: RapportError) -> Response:
        if _wants_html(request):
            if isinstance(exc, NotSignedIn):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
            return _error_page(request, exc.status_code, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotSignedIn) else None
        content: dict[str, object] = {"detail": exc.message}
        # Structured extras beside the sentence: why the guard blocked a reply, every error
        # of a bad file.
        for extra in ("reasons", "errors"):
            if value := getattr(exc, extra, None):
                content[extra] = value
        return JSONResponse(status_code=exc.status_code, content=content, headers=headers)

    async def database_unreachable(request: Request, exc: Exception) -> Response:
        # The pool checks each connection before use (pool_pre_ping) and drops dead ones, so
        # the next request after the database is back reconnects by itself.
        log.warning("http.database.unreachable", error=str(exc).splitlines()[0])
        await run_in_threadpool(request.app.state.db.recover)  # the embedded one restarts
        if _wants_html(request):
            return templates.TemplateResponse(
                request, "unavailable.html", {}, status_code=503, headers={"Retry-After": "5"}
            )
        return JSONResponse(
            status_code=503, content={"detail": UNREACHABLE}, headers={"Retry-After": "5"}
        )

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            return await database_unreachable(request, exc)
        log.error("http.database.error", error=str(exc).splitlines()[0])
        message = "Something went wrong on our side. Nothing you did was lost; try again."
        if _wants_html(request):
            return _error_page(request, 500, message)
        return JSONResponse(status_code=500, content={"detail": message})

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
            with timing.measuring() as database:
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
        # Time spent in the app, and of it waiting on the database, for clients and benchmarks
        # to tell from the network and the rest (https://www.w3.org/TR/server-timing/).
        response.headers["server-timing"] = (
            f"app;dur={seconds * 1000:.1f}, db;dur={database.seconds * 1000:.1f};"
            f'desc="{database.statements} statements and the commit"'
        )
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            return _error_page(request, 422, _detail(exc))
        return JSONResponse(status_code=422, content={"detail": _detail(exc)})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "There is no page here." if exc.status_code == 404 else str(exc.detail)
        if _wants_html(request):
            return _error_page(request, exc.status_code, message)
        return JSONResponse(
            status_code=exc.status_code, content={"detail": message}, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("service.unexpected_error", path=request.url.path)
        message = "Something went wrong on our side. Nothing you did was lost; try again."
        if _wants_html(request):
            return _error_page(request, 500, message)
        return JSONResponse(status_code=500, content={"detail": message})

    assets = _docs_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Rapport API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )

    app.include_router(health.router)
    app.include_router(signin.router)
    app.include_router(api.router)
    app.include_router(workspaces.router)
    app.include_router(accounts.api)
    app.include_router(accounts.router)
    app.include_router(webhooks.router)
    app.include_router(posting.router)
    app.include_router(review.router)
    app.include_router(settings_pages.router)
    app.include_router(webhook_pages.router)
    app.include_router(exports.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
