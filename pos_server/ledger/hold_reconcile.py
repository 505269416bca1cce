"""Hold reconciliation after a reconnect (DESIGN.md "Reconciliation").

The till, with its queue drained, lists the holds it still considers open; the server releases
that terminal's other open holds (for example after a reinstall wiped the till). The terminal
row stays locked throughout, so no operation of that terminal interleaves. One unit of work
(``pos_server.uow``); its repositories do the reading and writing.
"""

from __future__ import annotations

from collections.abc import Collection

from pos_server.uow import UnitOfWork


class QueueNotDrained(Exception):
    """The till has operations the server has not judged; reconciling now could release a
    hold whose commit is still on its way."""

    def __init__(self, server_last_seq: int, till_last_seq: int) -> None:
        super().__init__(
            f"The server's last seq for this terminal is {server_last_seq}, the till says "
            f"{till_last_seq}; push the queue before reconciling holds."
        )
        self.server_last_seq = server_last_seq


def reconcile_holds(uow: UnitOfWork, till_last_seq: int, open_hold_ids: Collection[str]
                    ) -> list[str]:  # fmt: skip
    """Release the open holds of the unit of work's terminal (``uow.terminal_id``) that the
    till no longer knows; returns their ids."""
    terminal_id = uow.terminal_id
    terminal = uow.applied.lock_terminal()
    if terminal is None:
        raise LookupError(f"terminal {terminal_id} is not known")  # authenticated: cannot be
    if terminal.last_seq != till_last_seq:
        raise QueueNotDrained(terminal.last_seq, till_last_seq)
    keep = set(open_hold_ids)
    stale = [(hold_id, account_id) for hold_id, account_id
             in uow.holds.open_holds(terminal_id=terminal_id) if hold_id not in keep]  # fmt: skip
    for hold_id, account_id in stale:
        account = uow.accounts.load("points", account_id, [hold_id])
        account.release_hold(hold_id, now=uow.now, actor=f"reconcile:{terminal_id}",
                             terminal_id=terminal_id, reason="the till no longer knows this hold")
        uow.accounts.save(account)
    return [hold_id for hold_id, _ in stale]
