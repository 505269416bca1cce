"""A manager's reset of open points holds (a guest's, or a terminal's): each released with a
posting naming the manager; one service for the tills' ``POST /v1/admin/holds/reset`` and the
back office's guest card. The caller writes the audit row (it knows the credential)."""

from __future__ import annotations

from pos_app.domain.bonus import HoldAlreadyEnded, HoldStatus
from pos_server.uow import UnitOfWork


def release_open_holds(uow: UnitOfWork, *, guest_id: str | None, terminal_id: str | None,
                       staff_id: str, staff_name: str) -> list[str]:  # fmt: skip
    """Release the open holds of ``guest_id`` or of ``terminal_id``; the ids released."""
    released: list[str] = []
    for hold_id, account_id in uow.holds.open_holds(guest_id=guest_id, terminal_id=terminal_id):
        account = uow.accounts.load("points", account_id, [hold_id])  # locked
        if account.holds[hold_id].status is not HoldStatus.OPEN:
            continue  # ended by a racing commit while we waited for the lock
        try:
            account.release_hold(
                hold_id,
                now=uow.now,
                actor=f"staff:{staff_id}",
                terminal_id=None,
                reason=f"holds reset by {staff_name}",
            )
            released.append(hold_id)
        except HoldAlreadyEnded:
            pass  # its time was up: it has just expired instead (an EXPIRE posting)
        uow.accounts.save(account)
    return released
