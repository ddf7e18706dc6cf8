"""The FastAPI application factory: lifespan owns the database; one error handler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from core.database import Database, open_database
from core.errors import RapportError, WorkspaceFileError
from core.settings import Settings
from service.routes import api, exports, posting, review, webhooks, workspaces
from service.routes import settings as settings_pages

STATIC = Path(__file__).parent / "static"


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

    @app.exception_handler(RapportError)
    async def rapport_error(request: Request, exc: RapportError) -> JSONResponse:
        content: dict[str, object] = {"detail": exc.message}
        if isinstance(exc, WorkspaceFileError):
            content["errors"] = exc.errors
        return JSONResponse(status_code=exc.status_code, content=content)

    app.include_router(api.router)
    app.include_router(workspaces.router)
    app.include_router(webhooks.router)
    app.include_router(posting.router)
    app.include_router(review.router)
    app.include_router(settings_pages.router)
    app.include_router(exports.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
