"""Hold expiry by the server's clock, even when no request arrives (DESIGN.md "Holds").

``expire_due_holds`` does one pass, one account per unit of work (``pos_server.uow``, its
repositories doing the reading and writing); ``HoldSweeper`` runs passes on a daemon thread
while the app is up.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from pos_server.background import BackgroundPass
from pos_server.ops.pipeline import Clock
from pos_server.uow import unit_of_work

log = logging.getLogger(__name__)
SWEEPER = "sweeper"  # who acts, as a terminal does for an operation


def expire_due_holds(engine: Engine, clock: Clock, limit: int = 500) -> int:
    """Expire open holds whose time is up; returns how many ended. Safe to run concurrently."""
    now = clock()
    with unit_of_work(engine, actor=SWEEPER, now=now) as uow:
        accounts = uow.holds.accounts_with_due_holds(limit)
    expired = 0
    for account_id in accounts:
        with unit_of_work(engine, actor=SWEEPER, now=now) as uow:
            account = uow.accounts.load("points", account_id)  # locked: a racing commit waits
            postings = account.expire_holds(now)
            uow.accounts.save(account)
        expired += len(postings)
    return expired


class HoldSweeper(BackgroundPass):
    """Runs ``expire_due_holds`` every ``interval`` seconds until stopped."""

    name = "hold-sweeper"

    def __init__(self, engine: Engine, clock: Clock, interval: float) -> None:
        self._engine, self._clock = engine, clock
        super().__init__(interval)

    def run_once(self) -> int:
        count = expire_due_holds(self._engine, self._clock)
        if count:
            log.info("expired %d hold(s)", count)
        return count
