"""HTTP routes for guest orders: place one, and the push stream of order changes."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse

from pos_server.catalogue.service import CatalogueError, check_order
from pos_server.http.api import (
    MAX_ID,
    UNAUTHORISED,
    Credentials,
    Sessions,
    Settings,
    TerminalId,
    WorkDep,
)
from pos_server.http.schemas import ErrorResponse, OrderOut, OrderPlaced
from pos_server.orders.service import OrderRefused, place_order
from pos_server.orders.stream import feed_head, order_stream
from pos_server.terminals import service as terminals

router = APIRouter(prefix="/v1/orders")

REFUSALS: dict[int | str, dict[str, object]] = {
    **UNAUTHORISED,
    404: {"model": ErrorResponse, "description": "unknown guest"},
    409: {"model": ErrorResponse, "description": "an order with this id exists"},
}


@router.post("", status_code=status.HTTP_201_CREATED, responses=REFUSALS)
def post_order(body: OrderPlaced, terminal_id: TerminalId, work: WorkDep) -> OrderOut:
    """Place a guest order (state ``new``); paying in points holds them at once."""
    try:
        with work(terminal_id) as uow:
            body = check_order(uow, body)  # once a catalogue exists, lines must be in it
            state = place_order(uow, body)
    except OrderRefused as exc:
        raise HTTPException(exc.status, {"code": exc.code, "message": exc.message}) from exc
    except CatalogueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            {"code": exc.code, "message": str(exc)}) from exc
    return OrderOut.model_validate(state)


async def _token_valid(sessions: Sessions, token: str) -> bool:
    """The stream's token still names a terminal that is not revoked."""

    def check() -> bool:
        try:
            with sessions() as session:
                terminals.authenticate(session, token)
        except terminals.AuthError:
            return False
        return True

    return await asyncio.to_thread(check)


def _start_cursor(last_event_id: str | None, cursor: int | None) -> int | None:
    """Last-Event-ID (an EventSource reconnecting) wins over ?cursor=."""
    if last_event_id is None:
        return cursor
    text = last_event_id.strip()
    if not text.isdigit() or int(text) > MAX_ID:
        raise HTTPException(status.HTTP_400_BAD_REQUEST,
                            "Last-Event-ID must be a change id (a non-negative integer).")
    return int(text)


@router.get(
    "/stream",
    responses={**UNAUTHORISED, 200: {"content": {"text/event-stream": {}},
                                      "description": "server-sent events"}},
    response_class=StreamingResponse,
)
async def get_order_stream(
    *,
    request: Request,
    _terminal: TerminalId,
    credentials: Credentials,
    sessions: Sessions,
    settings: Settings,
    cursor: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="resume after this change id")
    ] = None,
    last_event_id: Annotated[str | None, Header(max_length=32)] = None,
) -> StreamingResponse:
    """New orders and order changes as they happen (event ``order``, id = change id)."""
    start = _start_cursor(last_event_id, cursor)
    if start is None:
        start = await asyncio.to_thread(feed_head, sessions)  # off the event loop
    body = order_stream(
        request.app.state.order_hub, start,
        heartbeat_seconds=settings.stream_heartbeat_seconds,
        disconnected=request.is_disconnected,
        allowed=partial(_token_valid, sessions, credentials.credentials if credentials else ""),
        auth_seconds=settings.stream_auth_seconds,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(body, media_type="text/event-stream", headers=headers)
