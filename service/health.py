"""Liveness, readiness and Prometheus metrics for the web process.

- `/healthz`: the process answers (no database involved: a restart would not help it).
- `/readyz`: the database answers and its schema is the one this code needs (503 otherwise,
  with the reason): a load balancer sends no traffic to a replica that is not ready.
- `/metrics`: this process's counters plus figures read from the database on each scrape, so
  that every replica reports the same queue depth, suggestions and deliveries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from core import migrate
from core.database import Database, session_scope
from core.logging import get_logger
from service import repository

log = get_logger(__name__)
router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database is reachable and its schema is current."""
    db: Database = request.app.state.db
    try:
        with db.engine.connect() as conn:
            current = migrate.is_current(conn)
    except SQLAlchemyError as exc:
        log.warning("http.readyz.database", error=str(exc).splitlines()[0])
        return JSONResponse(
            status_code=503, content={"status": "unavailable", "detail": "database unreachable"}
        )
    if not current:
        return JSONResponse(
            status_code=503,
            content={
                "status": "unavailable",
                "detail": "database schema is not current: run rapport db upgrade",
            },
        )
    return JSONResponse({"status": "ready"})


class DatabaseFigures(Collector):
    """Gauges read from the database when Prometheus scrapes."""

    def __init__(self, get_db: Callable[[], Database]) -> None:
        self.get_db = get_db

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "rapport_queue_jobs",
            "Jobs waiting (todo) or running (doing), by queue.",
            labels=["queue", "status"],
        )
        suggestions = GaugeMetricFamily(
            "rapport_suggestions", "Suggestions by decision (status).", labels=["status"]
        )
        deliveries = GaugeMetricFamily(
            "rapport_webhook_deliveries", "Webhook deliveries by outcome.", labels=["status"]
        )
        up = GaugeMetricFamily("rapport_database_up", "1 when the database answered the scrape.")
        try:
            with session_scope(self.get_db()) as session:
                for queue, status, n in repository.queue_depth(session):
                    depth.add_metric([queue, status], n)
                for status, n in repository.suggestions_by_status(session):
                    suggestions.add_metric([status], n)
                for status, n in repository.deliveries_by_status(session):
                    deliveries.add_metric([status], n)
            up.add_metric([], 1)
        except SQLAlchemyError as exc:
            log.warning("http.metrics.database", error=str(exc).splitlines()[0])
            up.add_metric([], 0)
        yield from (depth, suggestions, deliveries, up)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    figures: CollectorRegistry = request.app.state.database_figures
    body = generate_latest(REGISTRY) + generate_latest(figures)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")


def figures_registry(get_db: Callable[[], Database]) -> CollectorRegistry:
    """A registry of its own for the database figures (read through `get_db` at scrape)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseFigures(get_db))
    return registry
