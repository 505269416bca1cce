"""A guest put into a group by hand (DOMAIN.md "Guest groups": "a guest put by hand into 10 %").

``pos-server groups assign GUEST_ID GROUP_ID [--by NAME] [--reason TEXT]`` applies the domain's
rule at once, in the same transaction: ``group_after_spend`` with the requested group as the
guest's current one decides where the guest ends. Groups 5 % (500 ₽) and 10 % (1 000 ₽), both
automatic: a guest with less than 500 ₽ put into 10 % lands in 5 % (the best lower automatic
group they qualify for, else the lowest lower one); "never demote" on 10 %, or 10 % not being
automatic, keeps them in 10 %; a guest who already reached a higher automatic group's threshold
lands there. Waiting for the next sale instead would price that sale at the wrong group.

The spend compared is lifetime spend: the server has no demotion-by-period setting yet, and
while demotion is off promotion counts lifetime spend (DOMAIN.md); with demotion on it would
be the spend within the period, the same figure the promotion after a sale uses.

What is written: the resulting group in ``guest_loyalty`` (the row auto-promotion reads and
locks, so a sale being applied at the same moment waits for it), the ``guest`` change the tills
read with that group (the same data as a promotion after a sale: ``ledger_rules.guest_data``),
and an ``admin_audit`` row (who, from which group, the group asked for and the one the guest
ended in, the spend compared, why).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pos_app.domain.groups import GuestGroup, group_after_spend
from pos_app.domain.money import format_money
from pos_server.db.models import Guest
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.feed.changes import record_change
from pos_server.guests.groups import GroupsError, current_groups
from pos_server.ledger.rules import guest_data, loyalty_row

ACTION = "assign_group"
DEFAULT_REASON = "put into the group by hand"


def assign_group(
    session: Session, guest_id: str, group_id: str, now: datetime, *, by: str,
    reason: str = DEFAULT_REASON,
) -> dict[str, Any]:  # fmt: skip
    """Put the guest into ``group_id`` and apply the group rules, in the caller's transaction;
    what changed, for the CLI (``group_id`` is where the guest ended, ``message`` says why).

    ``GroupsError`` (nothing written) for an unknown guest, an unknown or withdrawn group.
    """
    guest = session.get(Guest, guest_id)
    if guest is None:
        raise GroupsError(f"There is no guest {guest_id!r} on the server.")
    by_id, active = current_groups(session.connection())
    requested = by_id.get(group_id)
    if requested is None:
        raise GroupsError(f"There is no guest group {group_id!r}; import it first.")
    if all(g.id != group_id for g in active):
        raise GroupsError(f"Guest group {group_id!r} is withdrawn (inactive).")
    row = loyalty_row(session, guest_id, now)
    before, spend = row.group_id, row.lifetime_spend
    result = group_after_spend(requested, spend, active) or requested
    row.group_id, row.updated_at = result.id, now
    change_id = record_change(session, "guest", guest.id, guest_data(guest, row), now)
    audit = AdminAuditRow(
        at=now, action=ACTION, actor=f"cli:{by}"[:64], terminal_id=None,
        target=f"guest:{guest_id}", reason=reason[:500],
        details={"from_group": before, "requested_group": group_id, "to_group": result.id,
                 "lifetime_spend": spend, "by": by},
    )  # fmt: skip
    session.add(audit)
    session.flush()
    return {"guest_id": guest_id, "from_group": before, "requested_group": group_id,
            "group_id": result.id, "lifetime_spend": spend,
            "message": explain(requested, result, spend),
            "change_id": change_id, "audit_id": audit.id}  # fmt: skip


def explain(requested: GuestGroup, result: GuestGroup, spend: int) -> str:
    """One sentence for the operator: where the guest ended and, if moved, by which rule."""
    asked = f"requested {requested.name!r} ({requested.id})"
    if result.id == requested.id:
        return f"{asked}: the guest is in it."
    moved = f"{asked}, moved to {result.name!r} ({result.id}) because lifetime spend"
    if spend >= requested.spend_threshold:  # the rule moves down only a guest short of it
        return (
            f"{moved} {format_money(spend)} reaches that group's threshold "
            f"{format_money(result.spend_threshold)} and it takes guests automatically."
        )
    return (
        f"{moved} {format_money(spend)} is below the threshold "
        f"{format_money(requested.spend_threshold)} of {requested.name!r}, which moves "
        "guests automatically and may demote them."
    )
