"""HTTP routes of the notifications: Telegram's webhook, and a till asking for a guest's
subscription link (seed 003: shown with its QR code when the guest is not subscribed)."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel
from sqlalchemy import Engine

from pos_server.http.api import ClockDep, TerminalId
from pos_server.notify.bot import handle_update, subscription_link
from pos_server.notify.settings import notify_settings
from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)
router = APIRouter()


class TelegramLink(BaseModel):
    subscribed: bool
    link: str | None  # a new one-time deep link when the guest is not subscribed


@router.post(
    "/v1/guests/{guest_id}/telegram-link",
    response_model=TelegramLink,
    responses={
        404: {"description": "no such guest"},
        409: {"description": "the server has no Telegram bot configured"},
    },
)
def guest_telegram_link(guest_id: str, request: Request, terminal_id: TerminalId,
                        clock: ClockDep) -> TelegramLink:  # fmt: skip
    """Whether the guest's chat is bound; if not, a fresh deep link for them to press Start."""
    settings = notify_settings()
    if not settings.telegram_on or not settings.telegram_bot_username:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            "No Telegram bot is configured on the server.")  # fmt: skip
    engine: Engine = request.app.state.engine
    with unit_of_work(engine, actor=terminal_id, now=clock()) as uow:
        if not uow.guests.exists(guest_id):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"No guest {guest_id}.")
        if uow.notifications.chat_of(guest_id) is not None:
            return TelegramLink(subscribed=True, link=None)
        return TelegramLink(subscribed=False, link=subscription_link(uow, settings, guest_id))


@router.post("/telegram/webhook/{secret}", include_in_schema=False)
async def telegram_webhook(
    secret: str, request: Request, clock: ClockDep,
    header_secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> dict[str, bool]:  # fmt: skip
    """An update from Telegram (setWebhook with this path and ``secret_token``). Answered 200
    once its rows are written; a 5xx makes Telegram deliver it again. The body is read only
    after the secret matched (issue 16 point 6: nothing unauthenticated is parsed)."""
    settings = notify_settings()
    expected = settings.telegram_webhook_secret
    if expected is None or not settings.telegram_on or not _same(secret, expected):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
    if header_secret is not None and not _same(header_secret, expected):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Wrong secret token.")
    try:
        update = json.loads(await request.body())
    except ValueError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The update is not JSON.") from None
    if not isinstance(update, dict):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "An update is a JSON object.")
    await to_thread.run_sync(handle_update, request.app.state.engine, settings, update, clock())
    return {"ok": True}


def _same(given: str, expected: Any) -> bool:
    return hmac.compare_digest(given.encode(), expected.get_secret_value().encode())
