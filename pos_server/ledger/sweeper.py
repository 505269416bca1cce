"""Hold expiry by the server's clock, even when no request arrives (DESIGN.md "Holds").

``expire_due_holds`` does one pass, one account per transaction; ``HoldSweeper`` runs passes
on a daemon thread while the app is up.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.domain.bonus import HoldStatus
from pos_server.background import BackgroundPass
from pos_server.db.models import BonusHoldRow
from pos_server.ledger.statements import load_account, save_account
from pos_server.ops.pipeline import Clock

log = logging.getLogger(__name__)


def expire_due_holds(sessions: sessionmaker[Session], clock: Clock, limit: int = 500) -> int:
    """Expire open holds whose time is up; returns how many ended. Safe to run concurrently."""
    now = clock()
    with sessions() as session:
        accounts = session.scalars(
            select(BonusHoldRow.account_id)
            .where(BonusHoldRow.status == HoldStatus.OPEN.value, BonusHoldRow.expires_at <= now)
            .distinct()
            .limit(limit)
        ).all()
    expired = 0
    for account_id in accounts:
        with sessions.begin() as session:
            account = load_account(session, account_id)  # locked: a racing commit waits
            postings = account.expire_holds(now)
            save_account(session, account, now)
        expired += len(postings)
    return expired


class HoldSweeper(BackgroundPass):
    """Runs ``expire_due_holds`` every ``interval`` seconds until stopped."""

    name = "hold-sweeper"

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, interval: float) -> None:
        self._sessions, self._clock = sessions, clock
        super().__init__(interval)

    def run_once(self) -> int:
        count = expire_due_holds(self._sessions, self._clock)
        if count:
            log.info("expired %d hold(s)", count)
        return count
