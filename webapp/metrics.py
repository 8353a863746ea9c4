"""Prometheus metrics: what the instance costs us, how the caches do, how pages fare.

The four recording functions are called on hot paths (every upstream request, every cache
lookup, every page view), so each is a few counter increments and nothing else.

Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (it must be
set before Python starts, prometheus_client reads it at import), each worker writes its
numbers to files there and /metrics adds up all workers' files (gunicorn.conf.py marks the
files of workers that exit). Without it, /metrics shows this process's own registry.
"""

from __future__ import annotations

import hmac
import os

from flask import Blueprint, Response, current_app, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

# Upstream round trips sit around 100 ms; the page deadline is 3 s.
_SECONDS = (0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)

UPSTREAM_REQUESTS = Counter(
    "atrium_upstream_requests",
    "HTTP requests to the instance, by outcome (ok, http 429, unavailable, breaker open).",
    ["outcome"],
)
UPSTREAM_OPERATIONS = Counter(
    "atrium_upstream_operations", "GraphQL operations sent to the instance (a batch has several)."
)
UPSTREAM_POINTS = Counter(
    "atrium_upstream_points", "Points of the instance's budget spent (when the instance says)."
)
UPSTREAM_SECONDS = Histogram(
    "atrium_upstream_request_seconds", "Time for one request to the instance.", buckets=_SECONDS
)
CACHE_LOOKUPS = Counter(
    "atrium_cache_lookups",
    "Cache lookups, by scope (instance, learner) and result (hit, stale, miss).",
    ["scope", "result"],
)
# The instance's budget is one number for the whole company: the most recent reading by any
# live worker is the truth, so in multiprocess mode the workers' gauges are not added up.
BUDGET_LEFT = Gauge(
    "atrium_budget_points_left",
    "Points left in the instance's budget, as its latest answer said.",
    multiprocess_mode="livemostrecent",
)
PAGE_VIEWS = Counter(
    "atrium_page_views",
    "Learner page views, by how complete their data was (complete, stale, missing).",
    ["data"],
)
PAGE_SECONDS = Histogram(
    "atrium_page_view_seconds", "Time to answer a learner page view.", buckets=_SECONDS
)


def upstream_request(operations: int, points: int | None, seconds: float, outcome: str) -> None:
    """One HTTP request to the instance (or one refused before it was sent: "breaker open")."""
    UPSTREAM_REQUESTS.labels(outcome).inc()
    if operations:
        UPSTREAM_OPERATIONS.inc(operations)
    if points:
        UPSTREAM_POINTS.inc(points)
    if seconds:  # a request never sent has no latency worth recording
        UPSTREAM_SECONDS.observe(seconds)


def cache_lookup(scope: str, result: str) -> None:
    """One cache lookup: scope "instance" | "learner", result "hit" | "stale" | "miss"."""
    CACHE_LOOKUPS.labels(scope, result).inc()


def budget_left(points: int) -> None:
    """The points the instance says are left in the current budget window."""
    BUDGET_LEFT.set(points)


def page_view(data: str, seconds: float) -> None:
    """One page view: data "complete" | "stale" | "missing", and how long it took."""
    PAGE_VIEWS.labels(data).inc()
    PAGE_SECONDS.observe(seconds)


blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
def exposition():
    """Prometheus text; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return Response("Metrics need a bearer token.\n", 401, {"WWW-Authenticate": "Bearer"})
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()  # a fresh one per scrape, as prometheus_client advises
        multiprocess.MultiProcessCollector(registry)
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = Response(encode(registry), content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response
