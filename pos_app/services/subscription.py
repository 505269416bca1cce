"""A guest's messenger subscription at the till (seed 003, issue 21): after a promo sale or a
card issued by phone, the till asks its server whether the guest is subscribed to the venue's
Telegram bot (``POST /v1/guests/{id}/telegram-link``, docs/notifications.md) and, if not, gets
a one-time deep link to show with its QR code and print on the receipt (never the promo code
itself: the guest hands that one to friends).

API::

    subscriptions = SubscriptionService(source, wake=sync.worker.wake)  # default: NoLinkSource
    state = subscriptions.state(guest_id)   # -> Subscription: subscribed | link | later(reason)

Never raises for a server that cannot answer: the sale is done whatever the messenger does;
``Subscription.later`` says why the guest subscribes later. A guest created at this till a
moment ago may not be on the server yet (its ``guest.created`` waits in the outbox): the
service wakes the sync worker and asks again a few times before saying "later". Blocking (a
network call): callers run it off the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pos_app.domain.errors import DomainError


class LinkUnavailable(DomainError):
    """The server could not give a link; ``details["reason"]``: ``not_connected``,
    ``no_answer``, ``unknown_guest`` (not on the server yet), ``no_bot`` or ``refused``."""

    code = "subscription_link_unavailable"


class LinkSource(Protocol):
    def telegram_link(self, guest_id: str) -> Mapping[str, Any]:
        """The server's answer ``{"subscribed": bool, "link": str | None}``;
        ``LinkUnavailable`` when it cannot be asked or refused."""
        ...


class NoLinkSource:
    """A till not connected to a server: the guest subscribes later (no link is made up)."""

    def telegram_link(self, guest_id: str) -> Mapping[str, Any]:
        raise LinkUnavailable("This till is not connected to a server.", reason="not_connected")


NO_LINK_SOURCE = NoLinkSource()  # stateless


@dataclass(frozen=True, slots=True)
class Subscription:
    guest_id: str
    subscribed: bool
    link: str | None  # a one-time deep link to show and print; None when subscribed or later
    later: str | None = None  # why no link now (English; the screen says its own sentence)
    reason: str | None = None  # LinkUnavailable's reason, for the screen's sentence

    @property
    def needs_link(self) -> bool:
        return not self.subscribed and self.link is not None


def _no_wake() -> None:
    return None


class SubscriptionService:
    def __init__(
        self, source: LinkSource = NO_LINK_SOURCE, *, wake: Callable[[], object] = _no_wake,
        retries: int = 3, pause: float = 1.0, sleep: Callable[[float], None] = time.sleep,
    ) -> None:  # fmt: skip
        self._source: LinkSource = source
        self._wake, self._retries, self._pause, self._sleep = wake, retries, pause, sleep

    def state(self, guest_id: str) -> Subscription:
        for attempt in range(self._retries + 1):
            try:
                answer = self._source.telegram_link(guest_id)
            except LinkUnavailable as error:
                reason = str(error.details.get("reason", "refused"))
                if reason == "unknown_guest" and attempt < self._retries:
                    self._wake()  # the guest may be waiting in the outbox: send it first
                    self._sleep(self._pause)
                    continue
                return Subscription(guest_id, False, None, later=error.message, reason=reason)
            link = answer.get("link")
            return Subscription(guest_id, bool(answer.get("subscribed")),
                                str(link) if link else None)  # fmt: skip
        raise AssertionError("unreachable")  # pragma: no cover
