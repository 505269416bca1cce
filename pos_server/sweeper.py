"""Hold expiry by the server's clock, even when no request arrives (DESIGN.md "Holds").

``expire_due_holds`` does one pass, one account per transaction; ``HoldSweeper`` runs passes
on a daemon thread while the app is up.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.domain.bonus import HoldStatus
from pos_server.db.models import BonusHoldRow
from pos_server.ledger import load_account, save_account
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


class HoldSweeper:
    """Runs ``expire_due_holds`` every ``interval`` seconds until stopped."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, interval: float) -> None:
        self._sessions, self._clock, self._interval = sessions, clock, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hold-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                count = expire_due_holds(self._sessions, self._clock)
            except Exception:  # a database hiccup must not kill the sweeper; next pass retries
                log.exception("hold sweep failed")
                continue
            if count:
                log.info("expired %d hold(s)", count)
