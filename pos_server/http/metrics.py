"""Prometheus metrics of one server process, served at ``GET /metrics`` (text format).

What is counted, and where:

* every HTTP request, by method, route template (``/v1/orders/{order_id}``, never the raw
  path) and status, with its duration - in ``ServerApp.__call__`` around everything, so the
  ``POST /v1/ops`` fast path is counted like any route;
* every verdict given to an operation, by kind and status (replays of a stored verdict
  apart) - by the fast path and the FastAPI route of ``POST /v1/ops``;
* the queue a till reports with each batch (``X-Till-Queue-Waiting``: operations waiting,
  ``X-Till-Queue-Age``: seconds the oldest has waited), only from requests the server
  answered 200, i.e. with a valid token;
* the order streams open now (consoles connected).

Label values are bounded: an unknown route is ``unmatched``, an unknown kind ``other``, an
unusual method ``OTHER``; no terminal, guest or token appears in any metric.

With ``pos-server run --workers N`` every worker writes its figures to files in
``PROMETHEUS_MULTIPROC_DIR`` (set by ``run``) and any worker answering ``/metrics`` adds up
all of them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from pos_app.domain.operations import OPERATIONS
from pos_server.http.schemas import Operation, OpResult
from pos_server.terminals import queue as till_queue

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPS_PATH = "/v1/ops"
STREAM_PATH = "/v1/orders/stream"
CONTENT_TYPE = CONTENT_TYPE_LATEST
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_NO_RESPONSE = "none"  # the client went away before any answer started

REQUESTS = Counter(
    "tillkeeper_http_requests", "HTTP requests answered, by route template and status",
    ["method", "route", "status"],
)  # fmt: skip
REQUEST_SECONDS = Histogram(
    "tillkeeper_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer (the order stream excluded)",
    ["route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
VERDICTS = Counter(
    "tillkeeper_verdicts", "Verdicts given to operations, by kind and status "
    "(applied, rejected, conflict, refused); a stored verdict replayed is not counted here",
    ["kind", "status"],
)  # fmt: skip
REPLAYS = Counter(
    "tillkeeper_verdict_replays", "Stored verdicts sent again for an operation a till resent",
    ["status"],
)  # fmt: skip
QUEUE_WAITING = Histogram(
    "tillkeeper_till_queue_waiting",
    "Operations waiting in a till's queue, as the till reported with a batch",
    buckets=(0, 1, 10, 100, 500, 1_000, 5_000, 20_000, 100_000),
)  # fmt: skip
QUEUE_AGE = Histogram(
    "tillkeeper_till_queue_age_seconds",
    "How long the oldest operation of a till's queue had waited when the till sent a batch",
    buckets=(1, 5, 15, 60, 300, 900, 3_600, 4 * 3_600, 12 * 3_600, 86_400, 3 * 86_400,
             7 * 86_400),
)  # fmt: skip
STREAM_CLIENTS = Gauge(
    "tillkeeper_order_stream_clients", "Order streams (consoles) connected now",
    multiprocess_mode="livesum",
)  # fmt: skip


def exposition() -> bytes:
    """The text exposition of this process, or of all workers in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def count_verdicts(operations: Sequence[Operation], results: Sequence[OpResult]) -> None:
    """Count a batch's verdicts; ``results`` may be shorter than ``operations`` (a refusal
    stops a batch)."""
    kinds = {str(op.op_id): op.kind for op in operations}
    for result in results:
        if result.replayed:
            REPLAYS.labels(result.status).inc()
            continue
        kind = kinds.get(result.op_id, "")
        VERDICTS.labels(kind if kind in OPERATIONS else "other", result.status).inc()


async def observed(scope: Scope, receive: Receive, send: Send, app: ASGIApp) -> None:
    """Run ``app`` for one HTTP request and count it (status, route, time, stream, queue)."""
    started = time.perf_counter()
    status = _NO_RESPONSE
    streaming = False

    async def sending(message: Message) -> None:
        nonlocal status, streaming
        if message["type"] == "http.response.start":
            status = str(message["status"])
            if status == "200" and scope["path"] == STREAM_PATH:
                STREAM_CLIENTS.inc()
                streaming = True
        await send(message)

    try:
        await app(scope, receive, sending)
    finally:
        if streaming:
            STREAM_CLIENTS.dec()
        route = _route(scope)
        method = scope["method"] if scope["method"] in _METHODS else "OTHER"
        REQUESTS.labels(method, route, status).inc()
        if route != STREAM_PATH:
            REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)
        if route == OPS_PATH and status == "200":
            _queue_report(scope)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if scope["path"] == OPS_PATH:  # the fast path answers before routing
        return OPS_PATH
    return "unmatched"


def _queue_report(scope: Scope) -> None:
    report = till_queue.reported(scope["headers"])
    if report.waiting is not None:
        QUEUE_WAITING.observe(report.waiting)
    if report.age is not None:
        QUEUE_AGE.observe(report.age)
