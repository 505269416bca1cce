"""HTTP routes, kept thin: parse, authenticate, call the terminal registry or the op pipeline."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from datetime import timedelta
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pos_server.feed.changes import read_changes
from pos_server.http.metrics import count_verdicts
from pos_server.http.schemas import (
    ChangeOut,
    ChangesResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorResponse,
    OpsRequest,
    OpsResponse,
    ReconcileRequest,
    ReconcileResponse,
)
from pos_server.ledger.hold_reconcile import QueueNotDrained, reconcile_holds
from pos_server.ops.pipeline import BatchRefused, Clock, apply_posted, checked_for
from pos_server.settings import ServerSettings
from pos_server.terminals import queue as till_queue
from pos_server.terminals import service as terminals
from pos_server.uow import UnitOfWork, unit_of_work

# Sync routes run on anyio's worker threads (40 by default). Fifty tills in flight then means
# up to 40 threads of one process contending for the GIL at every statement. Measured with
# python -m bench server (2 workers, 50 tills): 40 threads 51 pairs/s, 8 -> 75, 1-4 -> 78-88;
# a request beyond them waits in the event loop, not for the GIL. A route's transaction lives
# within one thread call, so a queued request never holds a lock another one waits for.
# POS_SERVER_WORKER_THREADS overrides.
WORKER_THREADS = int(os.environ.get("POS_SERVER_WORKER_THREADS", "4"))


@asynccontextmanager
async def _threads(_app: Any) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


router = APIRouter(prefix="/v1", lifespan=_threads)
bearer = HTTPBearer(auto_error=False, description="the token from POST /v1/terminals/enrol")

MAX_ID = 2**63 - 1  # BIGINT; a larger cursor would overflow the database driver

UNAUTHORISED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing, forged or revoked token"}
}


async def get_sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


async def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


class Work:
    """Opens units of work for a request (``pos_server.uow.unit_of_work``) with the app's
    engine, clock and hold lifetime: ``with work(terminal_id) as uow: ...``."""

    __slots__ = ("_clock", "_engine", "_hold_ttl")

    def __init__(self, engine: Engine, clock: Clock, hold_ttl: timedelta) -> None:
        self._engine, self._clock, self._hold_ttl = engine, clock, hold_ttl

    def __call__(self, actor: str) -> AbstractContextManager[UnitOfWork]:
        return unit_of_work(self._engine, actor=actor, now=self._clock(),
                            hold_ttl=self._hold_ttl)  # fmt: skip


async def get_work(request: Request) -> Work:
    state = request.app.state
    return Work(state.sessions.kw["bind"], state.clock, state.settings.hold_ttl)


Sessions = Annotated[sessionmaker[Session], Depends(get_sessions)]
WorkDep = Annotated[Work, Depends(get_work)]
Settings = Annotated[ServerSettings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"}
    )


def current_terminal(
    sessions: Sessions,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """Terminal id behind the request's bearer token, or 401 saying what is wrong."""
    if credentials is None:
        raise _unauthorised("An 'Authorization: Bearer <token>' header is required.")
    try:
        with sessions() as session:
            return terminals.authenticate(session, credentials.credentials)
    except terminals.AuthError as exc:
        raise _unauthorised(str(exc)) from exc


TerminalId = Annotated[str, Depends(current_terminal)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def ops_terminal(request: Request, sessions: Sessions, credentials: Credentials
                       ) -> tuple[str, str]:  # fmt: skip
    """``current_terminal`` for ``POST /v1/ops`` without a query (nor a worker thread) per
    request: the token's terminal comes from a cache, and the pipeline checks the token
    under the terminal's row lock in every operation, so a revoked token is refused at once
    (within one group commit of a long batch: ``commit_group_ms``, 50 ms by default).
    Returns (terminal id, token digest)."""
    if credentials is None:
        raise _unauthorised("An 'Authorization: Bearer <token>' header is required.")
    cache, token = terminals.TokenCache.of(request.app.state), credentials.credentials
    try:
        found = cache.cached(token)
        if found is None:
            found = await run_in_threadpool(cache.terminal_id, sessions, token)
    except terminals.AuthError as exc:
        raise _unauthorised(str(exc)) from exc
    return found, terminals.digest(token)


OpsTerminal = Annotated[tuple[str, str], Depends(ops_terminal)]


@router.post("/terminals/enrol", responses=UNAUTHORISED)
def enrol(body: EnrolRequest, sessions: Sessions, clock: ClockDep) -> EnrolResponse:
    """Exchange a one-time enrolment code (from `pos-server terminal add`) for a bearer token."""
    try:
        with sessions.begin() as session:
            enrolment = terminals.enrol(session, body.code, clock())
    except terminals.AuthError as exc:
        raise _unauthorised(str(exc)) from exc
    return EnrolResponse(terminal_id=enrolment.terminal_id, token=enrolment.token,
                         name=enrolment.name)


@router.post(
    "/ops",
    responses={
        **UNAUTHORISED,
        403: {"model": ErrorResponse, "description": "operation of another terminal"},
        413: {"model": ErrorResponse, "description": "too many operations in one batch"},
    },
)
def post_ops(
    body: OpsRequest,
    request: Request,
    *,
    auth: OpsTerminal,
    sessions: Sessions,
    settings: Settings,
    clock: ClockDep,
) -> OpsResponse:
    """Apply a batch of operations in order; one verdict per operation."""
    terminal_id, token_digest = auth
    try:
        checked = checked_for(body.operations, terminal_id, settings.max_batch)
    except BatchRefused as exc:
        raise HTTPException(exc.status, exc.detail) from exc
    try:
        outcome = apply_posted(sessions, terminal_id, checked, clock, settings,
                               token_digest=token_digest)  # fmt: skip
    except terminals.AuthError as exc:
        raise _unauthorised(str(exc)) from exc
    count_verdicts(body.operations, outcome.results)
    judged = sum(1 for r in outcome.results if r.status != "refused")
    queue = till_queue.note(request.app.state, terminal_id,
                            till_queue.reported(request.scope["headers"]), judged)  # fmt: skip
    if queue is not None:
        till_queue.store(sessions.kw["bind"], till_queue.QueueBook.of(request.app.state),
                         terminal_id, queue)  # fmt: skip
    return OpsResponse(results=outcome.results, last_seq=outcome.last_seq)


@router.post(
    "/holds/reconcile",
    responses={**UNAUTHORISED, 409: {"model": ErrorResponse, "description": "queue not drained"}},
)
def post_reconcile(body: ReconcileRequest, terminal_id: TerminalId, work: WorkDep
                   ) -> ReconcileResponse:  # fmt: skip
    """After a reconnect, with the queue drained: release this terminal's forgotten holds."""
    try:
        with work(terminal_id) as uow:
            released = reconcile_holds(uow, body.last_seq, body.open_hold_ids)
    except QueueNotDrained as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return ReconcileResponse(released=released)


@router.get("/changes", responses=UNAUTHORISED)
def get_changes(
    _terminal: TerminalId,
    sessions: Sessions,
    settings: Settings,
    cursor: Annotated[
        int, Query(ge=0, le=MAX_ID, description="last change id seen; 0 from the start")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> ChangesResponse:
    """Changes after ``cursor``, oldest first, at most ``limit`` (capped by the server)."""
    with sessions() as session:
        page = read_changes(session, cursor, min(limit, settings.max_page))
        changes = [
            ChangeOut(id=c.id, entity=c.entity, entity_id=c.entity_id, data=c.data, at=c.at)
            for c in page.changes
        ]
    return ChangesResponse(changes=changes, next_cursor=page.next_cursor, has_more=page.has_more,
                           head=page.head)
