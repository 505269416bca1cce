"""Hold reconciliation after a reconnect (DESIGN.md "Reconciliation").

The till, with its queue drained, lists the holds it still considers open; the server releases
that terminal's other open holds (for example after a reinstall wiped the till). The terminal
row stays locked throughout, so no operation of that terminal interleaves.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.bonus import HoldStatus
from pos_server.db.models import BonusHoldRow, Terminal
from pos_server.ledger.statements import load_account, save_account


class QueueNotDrained(Exception):
    """The till has operations the server has not judged; reconciling now could release a
    hold whose commit is still on its way."""

    def __init__(self, server_last_seq: int, till_last_seq: int) -> None:
        super().__init__(
            f"The server's last seq for this terminal is {server_last_seq}, the till says "
            f"{till_last_seq}; push the queue before reconciling holds."
        )
        self.server_last_seq = server_last_seq


def reconcile_holds(
    session: Session, terminal_id: str, till_last_seq: int, open_hold_ids: Collection[str],
    now: datetime,
) -> list[str]:
    """Release the terminal's open holds the till no longer knows; returns their ids."""
    terminal = session.scalars(
        select(Terminal).where(Terminal.id == terminal_id).with_for_update()
    ).one()
    if terminal.last_seq != till_last_seq:
        raise QueueNotDrained(terminal.last_seq, till_last_seq)
    keep = set(open_hold_ids)
    stale = [
        row for row in session.scalars(
            select(BonusHoldRow)
            .where(BonusHoldRow.terminal_id == terminal_id,
                   BonusHoldRow.status == HoldStatus.OPEN.value)
            .order_by(BonusHoldRow.account_id, BonusHoldRow.id)
        )
        if row.id not in keep
    ]  # fmt: skip
    for row in stale:
        account = load_account(session, row.account_id, [row.id])
        account.release_hold(row.id, now=now, actor=f"reconcile:{terminal_id}",
                             terminal_id=terminal_id, reason="the till no longer knows this hold")
        save_account(session, account, now)
    return [row.id for row in stale]
