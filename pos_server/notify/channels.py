"""What a channel's ``send`` answers, and how it says it could not deliver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_server.repositories.notifications import Outgoing


class SendFailed(Exception):
    """The message was not delivered. ``permanent``: trying again cannot help (a bad number,
    a blocked bot); ``retry_after``: the API asked for this many seconds of quiet;
    ``unsubscribed``: the chat is gone (the guest blocked the bot)."""

    def __init__(self, reason: str, *, permanent: bool = False,
                 retry_after: float | None = None, unsubscribed: bool = False) -> None:  # fmt: skip
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.unsubscribed = unsubscribed


@dataclass(frozen=True, slots=True)
class Delivered:
    provider_id: str | None  # the API's id of the message, for the record


class Channel(Protocol):
    name: str
    rate_per_second: float

    def send(self, message: Outgoing) -> Delivered: ...

    def close(self) -> None: ...
