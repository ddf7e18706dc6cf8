"""Prometheus metrics a process counts itself (`prometheus-client`'s default registry).

Figures that every process would count differently (queue depth, suggestions by decision,
deliveries by outcome) are read from the database when scraped instead: `service.metrics`.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

JOB_SECONDS = Histogram(
    "rapport_job_duration_seconds",
    "How long a job took, by task and outcome.",
    ["task", "outcome"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
POSTS_INGESTED = Counter(
    "rapport_posts_ingested", "Posts stored by imports and syncs (new or updated).", ["source"]
)
POSTS_ANALYSED = Counter("rapport_posts_analysed", "Posts read by the models.")
MODEL_LOAD_SECONDS = Gauge(
    "rapport_model_load_seconds", "How long loading the embedder and its heads took."
)
REQUEST_SECONDS = Histogram(
    "rapport_http_request_duration_seconds",
    "HTTP requests by route and status class.",
    ["route", "status"],
)
