"""A guest put into a group by hand (DOMAIN.md "Guest groups": "a guest put by hand into 10 %").

``pos-server groups assign GUEST_ID GROUP_ID [--by NAME] [--reason TEXT]`` applies the domain's
rule at once, in the same transaction: ``group_after_spend`` with the requested group as the
guest's current one decides where the guest ends. Groups 5 % (500 ₽) and 10 % (1 000 ₽), both
automatic: a guest with less than 500 ₽ put into 10 % lands in 5 % (the best lower automatic
group they qualify for, else the lowest lower one); "never demote" on 10 %, or 10 % not being
automatic, keeps them in 10 %; a guest who already reached a higher automatic group's threshold
lands there. Waiting for the next sale instead would price that sale at the wrong group.

The spend compared is the one each group counts: lifetime spend, or, for a group that demotes
by period, the spend within its period (DOMAIN.md), the same figures the promotion after a sale
uses (``uow.loyalty.spend``). The audit and the message give lifetime spend.

What is written: the resulting group in ``guest_loyalty`` (the row auto-promotion reads and
locks, so a sale being applied at the same moment waits for it), the ``guest`` change the tills
read with that group (the same data as a promotion after a sale), and an ``admin_audit`` row
(who, before: the group and the spend compared; after: the group asked for and the one the
guest ended in; why). It runs in a unit of work (``uow.groups``, ``uow.loyalty``, ``uow.feed``,
``uow.audit``) acting as ``cli:<--by>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.domain.groups import GuestGroup, group_after_spend
from pos_app.domain.money import format_money
from pos_server.guests.groups import GroupsError

if TYPE_CHECKING:
    from pos_server.uow import UnitOfWork

ACTION = "assign_group"
DEFAULT_REASON = "put into the group by hand"


def assign_group(
    uow: UnitOfWork, guest_id: str, group_id: str, *, by: str,
    reason: str = DEFAULT_REASON,
) -> dict[str, Any]:  # fmt: skip
    """Put the guest into ``group_id`` and apply the group rules, in the caller's unit of
    work; what changed, for the CLI (``group_id`` is where the guest ended, ``message`` says
    why).

    ``GroupsError`` (nothing written) for an unknown guest, an unknown or withdrawn group.
    """
    by_id, active = uow.groups.current()
    requested = by_id.get(group_id)
    loyalty = uow.loyalty.lock(guest_id)
    if loyalty is None:
        raise GroupsError(f"There is no guest {guest_id!r} on the server.")
    if requested is None:
        raise GroupsError(f"There is no guest group {group_id!r}; import it first.")
    if all(g.id != group_id for g in active):
        raise GroupsError(f"Guest group {group_id!r} is withdrawn (inactive).")
    before, spend = loyalty.group_id, loyalty.lifetime_spend
    counted = uow.loyalty.spend(guest_id, spend, [requested, *active])
    result = group_after_spend(requested, counted, active) or requested
    moved = uow.loyalty.set_group(loyalty, result.id)
    change_id = uow.feed.record("guest", guest_id, moved.feed_data())
    audit_id = uow.audit.record(
        ACTION, f"guest:{guest_id}", reason=reason,
        before={"group_id": before, "lifetime_spend": spend},
        after={"group_id": result.id, "requested_group": group_id, "lifetime_spend": spend,
               "by": by},
    )  # fmt: skip
    return {"guest_id": guest_id, "from_group": before, "requested_group": group_id,
            "group_id": result.id, "lifetime_spend": spend,
            "message": explain(requested, result, spend),
            "change_id": change_id, "audit_id": audit_id}  # fmt: skip


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
