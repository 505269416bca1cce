"""A guest put into a group by hand (DOMAIN.md "Guest groups": "a guest put by hand into 10 %").

``pos-server groups assign GUEST_ID GROUP_ID [--by NAME] [--reason TEXT]`` sets the guest's
group in ``guest_loyalty`` (the row auto-promotion reads and locks, so a sale being applied at
the same moment waits for it), writes the ``guest`` change the tills read (the same data as a
promotion after a sale: ``ledger_rules.guest_data``) and an ``admin_audit`` row (who, from which
group to which, why). What happens next is the domain's rule, unchanged: the next sale may still
move the guest by ``group_after_spend`` (a non-automatic group keeps them; "never demote" too).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pos_server.db.models import Guest
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.db.models_staff import GuestGroupRow
from pos_server.feed import record_change
from pos_server.groups import GroupsError
from pos_server.ledger_rules import guest_data, loyalty_row

ACTION = "assign_group"
DEFAULT_REASON = "put into the group by hand"


def assign_group(
    session: Session, guest_id: str, group_id: str, now: datetime, *, by: str,
    reason: str = DEFAULT_REASON,
) -> dict[str, Any]:  # fmt: skip
    """Move the guest into ``group_id`` in the caller's transaction; what changed, for the CLI.

    ``GroupsError`` (nothing written) for an unknown guest, an unknown or withdrawn group.
    """
    guest = session.get(Guest, guest_id)
    if guest is None:
        raise GroupsError(f"There is no guest {guest_id!r} on the server.")
    group = session.get(GuestGroupRow, group_id)
    if group is None:
        raise GroupsError(f"There is no guest group {group_id!r}; import it first.")
    if not group.active:
        raise GroupsError(f"Guest group {group_id!r} is withdrawn (inactive).")
    row = loyalty_row(session, guest_id, now)
    before = row.group_id
    row.group_id, row.updated_at = group_id, now
    change_id = record_change(session, "guest", guest.id, guest_data(guest, row), now)
    audit = AdminAuditRow(
        at=now, action=ACTION, actor=f"cli:{by}"[:64], terminal_id=None,
        target=f"guest:{guest_id}", reason=reason[:500],
        details={"from_group": before, "to_group": group_id, "by": by},
    )  # fmt: skip
    session.add(audit)
    session.flush()
    return {"guest_id": guest_id, "from_group": before, "group_id": group_id,
            "change_id": change_id, "audit_id": audit.id}  # fmt: skip
