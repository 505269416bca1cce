"""FastAPI application factory: one engine and session factory per app instance."""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Protocol

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from pos_server.admin_web.install import install as install_back_office
from pos_server.cabinet_web.install import install as install_cabinet
from pos_server.db import make_engine, make_sessions
from pos_server.db.checkpointer import Checkpointer
from pos_server.guests.demotion import DemotionJob
from pos_server.http import (
    admin_api,
    cabinet_access_api,
    guest_api,
    metrics,
    ops_known,
    order_api,
)
from pos_server.http.api import router
from pos_server.http.errors import http_error, validation_failed
from pos_server.http.health import HealthProbe
from pos_server.http.nul_guard import NulGuard
from pos_server.http.ops_fast_path import (
    PATH,
    REQUIRED,
    Receive,
    Scope,
    Send,
    bearer_of,
    reply,
    serve_ops,
    unauthorised,
)
from pos_server.ledger.rules import ledger_rules, retired_variables
from pos_server.ledger.sweeper import HoldSweeper
from pos_server.notify import http as notify_http
from pos_server.notify.runtime import NotifyRuntime
from pos_server.notify.settings import notify_settings, retired_template_variables
from pos_server.ops.pipeline import Clock
from pos_server.orders import listing as order_list
from pos_server.orders.hub import OrderHub
from pos_server.payments.poller import card_top_up_jobs
from pos_server.payments.settings import payment_settings
from pos_server.programme.service import publish_at_start
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals

# POST routes that need a terminal's bearer token (POST /v1/ops: ops_fast_path). Without a
# valid one they get their 401 here, the body unread (issue 16 point 6). The other routes that
# take a body read it only after their credentials are checked (``admin_api.reset_holds``:
# ``late_body``), but the enrolment, whose body is the credential;
# tests/server/test_bounded_requests.py fails on a new route that is neither.
TOKEN_POSTS = frozenset({"/v1/orders", "/v1/holds/reconcile", "/v1/ops/known"})

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ServerApp(FastAPI):
    """FastAPI with ``POST /v1/ops`` answered first by ``ops_fast_path`` (which hands anything
    it does not take to the full stack), every HTTP request counted for ``/metrics``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await metrics.observed(scope, receive, send, self._dispatch)
            return
        await super().__call__(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == PATH and scope["method"] == "POST":
            await serve_ops(self, scope, receive, send, super().__call__)
            return
        if scope["method"] == "POST" and scope["path"] in TOKEN_POSTS:
            refusal = await self._token_refusal(scope)
            if refusal is not None:
                await reply(send, *unauthorised(refusal))
                return
        await super().__call__(scope, receive, send)

    async def _token_refusal(self, scope: Scope) -> str | None:
        """Why the request's bearer token opens no terminal (None: it does), asked of the
        database, not the token cache, so a revoked token is refused unread too; the route
        checks it again as before."""
        token = bearer_of(scope)
        if token is None:
            return REQUIRED
        sessions = self.state.sessions

        def check() -> None:
            with sessions() as session:
                terminals.authenticate(session, token)

        try:
            await to_thread.run_sync(check)
        except terminals.AuthError as exc:
            return str(exc)
        return None


def create_app(settings: ServerSettings, clock: Clock = utc_now) -> FastAPI:
    """Build the app for ``settings``; the database must already be migrated.

    The loyalty settings are read (a time zone the server does not know stops it here) and the
    shop's time zone is published to the tills if it changed since it last was.
    """
    rules = ledger_rules()
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    del rules  # read (checked) only: the programme's values win once set (pos_server.programme)
    for name in retired_variables(os.environ):
        log.warning("%s is set but no longer read: the top-up limits by role are programme "
                    "settings now (top_up.*: the back office's programme settings page, or "
                    "`pos-server settings set`)", name)  # fmt: skip
    for name in retired_template_variables(os.environ):
        log.warning("%s is set but no longer read: the texts of messages to guests are "
                    "programme settings now (messages.*: the back office's programme settings "
                    "page, or `pos-server settings set`)", name)  # fmt: skip
    publish_at_start(engine, clock(), settings.hold_ttl)
    # one reader of order changes for all the order streams of this process (started by the
    # first stream, stopped with the app)
    order_hub = OrderHub(
        sessions, poll_seconds=settings.stream_poll_seconds,
        buffer_events=settings.stream_buffer_events,
        listen=engine if engine.dialect.name == "postgresql" else None,
    )  # fmt: skip

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs = _background_jobs(engine, clock, settings)
        for job in jobs:
            job.start()
        try:
            yield
        finally:
            for job in reversed(jobs):
                job.stop()
            await order_hub.stop()
            engine.dispose()

    app = ServerApp(
        title="Tillkeeper central server",
        version="1",
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
        # the schema maps every route for a visitor; served only when the operator asks
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        openapi_url="/openapi.json" if settings.api_docs else None,
    )
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.clock = clock
    app.state.order_hub = order_hub

    probe = HealthProbe(engine)

    @app.get("/health", responses={503: {"description": "the database cannot be reached"}})
    async def health() -> JSONResponse:
        """200 when the database answers, else 503 with the reason (no token needed)."""
        found = await probe.check()
        return JSONResponse(found.body(), status_code=200 if found.ok else 503)

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request) -> Response:
        """Prometheus text format; with ``POS_SERVER_METRICS_TOKEN`` set, only for a request
        bearing that token (docs/deploy.md "Metrics")."""
        if not metrics_allowed(settings, request.headers.get("authorization")):
            return JSONResponse({"detail": "This needs the metrics token."}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)

    _install_routes(app)
    # the back office's tile pictures are binary uploads (their forms check text for NUL)
    app.add_middleware(
        NulGuard, exempt=admin_api.LATE_BODY_PATHS, multipart_prefixes=("/admin/catalogue/",)
    )
    return app


class _Job(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


def _background_jobs(engine: Engine, clock: Clock, settings: ServerSettings) -> list[_Job]:
    """What runs beside the requests: the hold sweeper, the demotion by period (each off at an
    interval of 0), SQLite's checkpointer, and the messages to guests (issue 21)."""
    jobs: list[_Job] = []
    if settings.sweep_interval_seconds > 0:
        jobs.append(HoldSweeper(engine, clock, settings.sweep_interval_seconds))
    if settings.demotion_interval_seconds > 0:
        jobs.append(DemotionJob(engine, clock, settings.demotion_interval_seconds))
    if engine.dialect.name == "sqlite":
        jobs.append(Checkpointer(engine))
    jobs.append(NotifyRuntime(engine, notify_settings(), clock))
    jobs.extend(card_top_up_jobs(engine, clock, payment_settings()))  # issue 19 point 5
    return jobs


def _install_routes(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(order_api.router)
    app.include_router(order_list.router)  # after order_api: /v1/orders/stream wins over /{id}
    app.include_router(admin_api.router)
    app.include_router(guest_api.router)
    app.include_router(cabinet_access_api.router)
    app.include_router(ops_known.router)
    app.include_router(notify_http.router)
    install_back_office(app)
    install_cabinet(app)  # after the back office: it mounts the web stack's static files


def metrics_allowed(settings: ServerSettings, authorization: str | None) -> bool:
    if settings.metrics_token is None:
        return True
    scheme, _, token = (authorization or "").partition(" ")
    expected = settings.metrics_token.get_secret_value().encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)


def app_from_env() -> FastAPI:
    """The app of one ``pos-server run --workers N`` worker: settings from ``POS_SERVER_*``."""
    return create_app(ServerSettings())
