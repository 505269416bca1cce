"""The venue's Telegram bot: subscription deep links, and what an update from Telegram does.

A guest subscribes by a deep link ``https://t.me/<bot>?start=<token>`` whose token is one-time
and random (never the promo code: a code is given to friends, a link binds a chat to one
guest). Pressing Start sends ``/start <token>``: the chat is bound to the guest, their held
messages go out, and the bot answers with their card and its QR code, through the outbox like
every other message (the webhook request only writes rows). A redelivered update (webhook
retry, a poll after a restart) changes nothing: the token is bound to the same chat again and
every message key is already written.

Updates come either to ``POST /telegram/webhook/<secret>`` (``http.py``) or from long polling
(``TelegramPoller``, for a server behind NAT). Telegram answers a second concurrent
``getUpdates`` with 409, so of several server processes only the one holding the poller's lease
(``notify_leases``) polls.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine

from pos_server.notify import messages
from pos_server.notify.settings import NotifySettings
from pos_server.notify.telegram import BotApi, BotApiError
from pos_server.notify.templates import render_for
from pos_server.programme.service import current
from pos_server.repositories.notifications import TELEGRAM, release_lease, take_lease
from pos_server.uow import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)

BOT_ACTOR = "telegram"


def deep_link(settings: NotifySettings, token: str) -> str:
    return f"https://t.me/{settings.telegram_bot_username}?start={token}"


def subscription_link(uow: UnitOfWork, settings: NotifySettings, guest_id: str) -> str:
    """A new one-time deep link for the guest (each call a fresh token)."""
    return deep_link(settings, uow.notifications.new_link(guest_id))


def handle_update(engine: Engine, settings: NotifySettings, update: dict[str, Any],
                  now: datetime) -> None:  # fmt: skip
    """Act on one update: ``/start <token>`` in a private chat, or the guest blocking the bot
    (``my_chat_member`` with status ``kicked``). Anything else is ignored."""
    member = update.get("my_chat_member")
    if isinstance(member, dict):
        status = (member.get("new_chat_member") or {}).get("status")
        chat = (member.get("chat") or {}).get("id")
        if status == "kicked" and chat is not None:
            with unit_of_work(engine, actor=BOT_ACTOR, now=now) as uow:
                uow.notifications.unsubscribe(str(chat))
        return
    message = update.get("message")
    if not isinstance(message, dict):
        return
    chat = message.get("chat") or {}
    text = message.get("text") or ""
    if chat.get("type") != "private" or chat.get("id") is None or not text.startswith("/start"):
        return
    parts = text.split(maxsplit=1)
    token = parts[1].strip() if len(parts) > 1 else ""
    with unit_of_work(engine, actor=BOT_ACTOR, now=now) as uow:
        _start(uow, settings, str(chat["id"]), token, update.get("update_id"))


def _start(uow: UnitOfWork, settings: NotifySettings, chat_id: str, token: str,
           update_id: object) -> None:  # fmt: skip
    lifetime = timedelta(days=settings.telegram_link_days)
    bound = uow.notifications.use_link(token, chat_id, lifetime) if token else None
    if bound is None:
        uow.notifications.enqueue(TELEGRAM, chat_id, messages.LINK_INVALID,
                                  f"start-invalid:{update_id}:{chat_id}",
                                  render_for(settings, messages.LINK_INVALID, current(uow),
                                             {}))  # fmt: skip
        return
    guest_id = bound.guest_id
    if bound.again or messages.CARD in bound.released:
        return  # answered before, or the card issued while they were not subscribed answers
    code = uow.notifications.promo_code_of(guest_id)
    if code is not None:
        messages.card_issued(uow, guest_id, code, event=f"start:{token}")
        return
    guest = uow.guests.get(guest_id)
    uow.notifications.to_guest(guest_id, messages.SUBSCRIBED, f"start:{token}:{guest_id}",
                               render_for(settings, messages.SUBSCRIBED, current(uow),
                                          {"name": guest.name if guest else ""}))  # fmt: skip


class TelegramPoller:
    """Long polling: ``getUpdates`` in a loop on a daemon thread, each update handled before
    its ``update_id`` is confirmed (the next call's ``offset``)."""

    name = "telegram-poller"
    LEASE = timedelta(seconds=90)  # longer than one long poll (``wait`` + the HTTP timeout)

    def __init__(self, engine: Engine, settings: NotifySettings, api: BotApi,
                 clock: Callable[[], datetime], wait: int = 25) -> None:  # fmt: skip
        self._engine, self._settings, self._api = engine, settings, api
        self._clock, self._wait = clock, wait
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:64]
        self._offset: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop without waiting out a long poll (it would hold the server's shutdown up to
        ``wait`` seconds): the thread is a daemon, and updates a poll brings after this are
        not handled nor confirmed, so Telegram gives them again to the next poller."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        if not self._thread.is_alive():
            self._api.close()
        try:
            with self._engine.begin() as connection:
                release_lease(connection, self.name, self._holder)
        except Exception:  # the database is going away too: the lease runs out by itself
            log.warning("could not release the Telegram poller's lease", exc_info=True)

    def poll_once(self) -> int:
        """One ``getUpdates``; how many updates it brought."""
        updates = self._api.get_updates(self._offset, self._wait)
        if self._stop.is_set():
            return 0
        for update in updates:
            handle_update(self._engine, self._settings, update, self._clock())
            self._offset = int(update["update_id"]) + 1
        return len(updates)

    def leading(self) -> bool:
        """Whether this process holds the poller's lease (renewed on every call): of several
        server processes one polls, another takes over within ``LEASE`` of it stopping."""
        with self._engine.begin() as connection:
            return take_lease(connection, self.name, self._holder, self._clock(), self.LEASE)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if not self.leading():
                    self._stop.wait(self.LEASE.total_seconds() / 3)
                    continue
                self.poll_once()
            except (BotApiError, httpx.HTTPError) as error:
                log.warning("getUpdates failed: %s", error)
                self._stop.wait(5)
            except Exception:  # a database hiccup: the same updates come again next call
                log.exception("handling a Telegram update failed")
                self._stop.wait(5)
