"""The background worker that sends the outbox: claim due messages, send each, mark each.

Claiming is a short transaction of its own (``claim_due``: ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, SQLite's write lock), so any number of server processes can run a sender and no
two send one message. Sending happens outside any transaction, then the message is marked in
another short one. The gap between the API's answer and that mark is the at-least-once window:
a process killed inside it leaves the message ``sending`` until its claim runs out
(``notify_claim_seconds``) and the next pass sends it again (docs/notifications.md).

A failure is retried with exponential backoff (``NotifySettings.backoff``, or longer when the
API asks with ``retry_after``) until ``notify_max_attempts``; then, or at once when retrying
cannot help, the message is ``failed`` and waits for a manager's ``notifications retry``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine

from pos_server.background import BackgroundPass
from pos_server.notify.channels import Channel, SendFailed
from pos_server.notify.settings import NotifySettings
from pos_server.repositories.notifications import (
    TELEGRAM,
    Outgoing,
    claim_due,
    mark_sent,
    release_claims,
)
from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# a send (its HTTP timeout, 10-15 s) and its mark must end inside the claim; a claimed message
# this close to its claim's end is left for the next pass rather than sent twice
SEND_MARGIN = timedelta(seconds=20)


class Pacer:
    """At most ``rate`` sends a second on one channel of this process (Telegram: 30 a second
    per bot). Several processes each pace themselves; a 429 from the API says when they sum
    to more, and its ``retry_after`` is honoured."""

    MARGIN = 1.05  # requests leave evenly spaced but arrive with jitter: keep a little under

    def __init__(self, rate: float) -> None:
        self._gap, self._next = self.MARGIN / rate, 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._gap
        if slot > now:
            time.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """No send for ``seconds`` (a 429's ``retry_after``)."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


class Sender:
    """One pass over the due messages (``send_due``); ``NotificationSender`` repeats it."""

    def __init__(self, engine: Engine, channels: Mapping[str, Channel],
                 settings: NotifySettings, clock: Clock) -> None:  # fmt: skip
        self._engine, self._channels = engine, dict(channels)
        self._settings, self._clock = settings, clock
        self._pacers = {name: Pacer(c.rate_per_second) for name, c in self._channels.items()}
        self.stopping = threading.Event()

    def send_due(self) -> int:
        """Send what is due, batch after batch, until nothing is; how many were sent."""
        sent = 0
        settings = self._settings
        while not self.stopping.is_set():
            with self._engine.begin() as connection:
                batch = claim_due(connection, self._clock(), sorted(self._channels),
                                  settings.notify_batch,
                                  timedelta(seconds=settings.notify_claim_seconds))  # fmt: skip
            for index, message in enumerate(batch):
                if self.stopping.is_set():  # shutting down: the rest goes back, unsent
                    with self._engine.begin() as connection:
                        release_claims(connection, batch[index:])
                    return sent
                if self._clock() + SEND_MARGIN >= message.claimed_until:
                    continue  # too late to send within the claim: another pass takes it
                sent += self.send_one(message)
            if len(batch) < settings.notify_batch:
                return sent
        return sent

    def send_one(self, message: Outgoing) -> bool:
        channel = self._channels[message.channel]
        self._pacers[message.channel].wait()
        try:
            delivered = channel.send(message)
        except SendFailed as failure:
            if failure.retry_after:  # the API asked the whole bot to wait
                self._pacers[message.channel].pause(failure.retry_after)
            self._failed(message, failure)
            return False
        except Exception as error:  # a bug in a channel: retried like a failure, and logged
            log.exception("sending notification %d failed", message.id)
            self._failed(message, SendFailed(repr(error)))
            return False
        with self._engine.begin() as connection:
            if not mark_sent(connection, message, self._clock(), delivered.provider_id):
                log.warning("notification %d was sent after its claim ran out", message.id)
        return True

    def _failed(self, message: Outgoing, failure: SendFailed) -> None:
        now = self._clock()
        settings = self._settings
        retry_at = None
        if not failure.permanent and message.attempts < settings.notify_max_attempts:
            delay = max(settings.backoff(message.attempts), failure.retry_after or 0)
            retry_at = now + timedelta(seconds=delay)
        log.info("notification %d attempt %d: %s%s", message.id, message.attempts,
                 failure.reason, "" if retry_at else " (given up)")  # fmt: skip
        with unit_of_work(self._engine, actor="notify", now=now) as uow:
            uow.notifications.mark_failed(message, failure.reason, retry_at)
            if failure.unsubscribed and message.channel == TELEGRAM:
                uow.notifications.unsubscribe(message.recipient)

    def close(self) -> None:
        for channel in self._channels.values():
            channel.close()


class NotificationSender(BackgroundPass):
    """``Sender.send_due`` every ``interval`` seconds while the app is up."""

    name = "notification-sender"

    def __init__(self, sender: Sender, interval: float) -> None:
        self.sender = sender
        super().__init__(interval)

    def run_once(self) -> int:
        return self.sender.send_due()

    def stop(self) -> None:
        self.sender.stopping.set()
        super().stop()
        self.sender.close()
