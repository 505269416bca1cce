"""hold.placed / hold.committed / hold.released: the till's points spending, two-phase.

The rules live in ``pos_app.domain.bonus``; a rule it refuses becomes a ``rejected`` verdict
with the domain error's code (insufficient_points, hold_already_ended, commit_exceeds_hold...).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from pos_app.domain.bonus import BonusAccount, HoldStatus
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.limits import check_spend
from pos_app.domain.money import format_money
from pos_app.domain.operations import (
    HOLD_COMMITTED,
    HOLD_PLACED,
    HOLD_RELEASED,
    HoldCommitted,
    HoldPlaced,
    HoldReleased,
)
from pos_server.db.fastexec import Fast
from pos_server.db.models import BonusAccountRow, BonusHoldRow, Guest
from pos_server.db.models_ledger import GuestLoyaltyRow
from pos_server.groups import current_groups
from pos_server.ledger import (
    load_account,
    load_account_of_hold,
    locked_account,
    save_account,
)
from pos_server.ledger_rules import limits_of, points_spent_today, record_breach
from pos_server.ops.kinds import Handler, broken_rule, unknown_guest
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork


def _actor(uow: UnitOfWork) -> str:
    return f"terminal:{uow.terminal_id}"


def hold_state(row: Any) -> dict[str, Any]:
    """A hold's state for a ``conflict`` verdict (a ``BonusHoldRow`` or a row of its columns)."""
    return {"hold_id": row.id, "account_id": row.account_id, "amount": row.amount,
            "status": row.status, "committed_amount": row.committed_amount,
            "expires_at": row.expires_at.isoformat()}


_EXISTING = Fast(select(BonusHoldRow.id, BonusHoldRow.account_id, BonusHoldRow.amount,
                   BonusHoldRow.status, BonusHoldRow.committed_amount,
                   BonusHoldRow.expires_at).where(BonusHoldRow.id == bindparam("hold_id")))
# the guest and their group id in one statement (no row: unknown guest)
_GUEST_GROUP = Fast(select(Guest.id, GuestLoyaltyRow.group_id).outerjoin(
    GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id
).where(Guest.id == bindparam("guest_id")))


# The guest, their group, whether the hold id is taken and the account's total, locked: one
# round trip for what hold.placed needs first. No row: an unknown guest or an account not
# created yet, judged by the general path below.
_PLACE_CONTEXT = Fast(
    select(Guest.id, GuestLoyaltyRow.group_id, BonusAccountRow.total,
           BonusHoldRow.id.label("existing_id"))
    .select_from(Guest).join(BonusAccountRow, BonusAccountRow.id == Guest.id)
    .outerjoin(GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id)
    .outerjoin(BonusHoldRow, BonusHoldRow.id == bindparam("hold_id"))
    .where(Guest.id == bindparam("guest_id")).with_for_update(of=BonusAccountRow)
)  # fmt: skip


def hold_placed(placed: HoldPlaced, uow: UnitOfWork) -> Verdict:
    """Core statements, not ORM objects: with hold.committed this is the till's hot path."""
    connection = uow.connection
    found = _PLACE_CONTEXT.first(connection, {"guest_id": placed.guest_id,
                                              "hold_id": placed.hold_id})  # fmt: skip
    if found is not None and found.existing_id is None:
        group_id = found.group_id
        account = locked_account(connection, placed.guest_id, found.total)
    else:
        existing = _EXISTING.first(connection, {"hold_id": placed.hold_id})
        if existing is not None:
            return conflict("hold_exists", f"Hold {placed.hold_id} already exists.",
                            hold_state(existing))
        guest = _GUEST_GROUP.first(connection, {"guest_id": placed.guest_id})
        if guest is None:
            return unknown_guest(placed.guest_id)
        group_id = guest.group_id
        account = load_account(connection, placed.guest_id)
    group = None if group_id is None else current_groups(connection)[0].get(group_id)
    held = sum(h.amount for h in account.holds.values()
               if h.status is HoldStatus.OPEN and h.expires_at > uow.now)  # not yet swept
    problem = _check_daily_spend(uow, placed, group, held)
    if problem is not None:
        return problem
    try:
        account.place_hold(
            placed.hold_id, placed.amount, now=uow.now, actor=_actor(uow),
            terminal_id=uow.terminal_id, reason="points payment", ref=placed.ref,
            ttl=uow.hold_ttl, allow_overdraft=placed.offline,
        )  # fmt: skip
    except DomainError as error:
        return broken_rule(error)
    if account.overdrafts:
        _flag_beyond_allowance(uow, placed, group, -account.available)
    save_account(connection, account, uow.now)
    return APPLIED


def _check_daily_spend(
    uow: UnitOfWork, placed: HoldPlaced, group: GuestGroup | None, held: int
) -> Verdict | None:
    """The group's daily points limit (points committed or debited today plus open holds):
    online a ``rejected/daily_limit``; an offline hold is applied and the breach recorded."""
    limits = limits_of(group)
    if limits.points_spend is None:
        return None
    spent = points_spent_today(uow.session, placed.guest_id, uow.now) + held
    try:
        check_spend(limits, spent, placed.amount)
    except DomainError as error:
        if not placed.offline:
            return rejected("daily_limit", error.message)
        record_breach(uow.session, placed.guest_id, error.code, placed.amount, now=uow.now,
                      terminal_id=uow.terminal_id, ref=placed.hold_id, message=error.message)
    return None


def _flag_beyond_allowance(
    uow: UnitOfWork, placed: HoldPlaced, group: GuestGroup | None, overdrawn: int
) -> None:
    """An offline hold took the account below zero: within the group's offline allowance that
    is the recorded overdraft alone; beyond it the overdraft is also flagged for managers."""
    allowance = 0 if group is None else group.offline_allowance
    if overdrawn <= allowance:
        return
    message = (f"Offline hold {placed.hold_id} left the account "
               f"{format_money(overdrawn, currency='points')} overdrawn; the group's offline "
               f"allowance is {format_money(allowance, currency='points')}.")  # fmt: skip
    record_breach(uow.session, placed.guest_id, "offline_allowance", overdrawn - allowance,
                  now=uow.now, terminal_id=uow.terminal_id, ref=placed.hold_id,
                  message=message)  # fmt: skip


def _with_hold(uow: UnitOfWork, hold_id: str) -> BonusAccount | Verdict:
    """The hold's account, if this terminal placed the hold: a hold is ended by the terminal
    that placed it (or the sweeper, or a manager's audited reset), never by another one."""
    account = load_account_of_hold(uow.connection, hold_id)
    if account is None:
        return rejected("hold_not_found", f"Hold {hold_id} is not known to the server.")
    placed_by = account.holds[hold_id].terminal_id
    if placed_by is not None and placed_by != uow.terminal_id:
        return rejected("hold_of_another_terminal",
                        f"Hold {hold_id} was placed by another terminal; only that one may "
                        "commit or release it.")  # fmt: skip
    return account


def hold_committed(commit: HoldCommitted, uow: UnitOfWork) -> Verdict:
    account = _with_hold(uow, commit.hold_id)
    if isinstance(account, Verdict):
        return account
    try:
        account.commit_hold(commit.hold_id, commit.amount, now=uow.now, actor=_actor(uow),
                            terminal_id=uow.terminal_id, reason="order paid")
    except DomainError as error:
        return broken_rule(error)
    save_account(uow.connection, account, uow.now)
    return APPLIED


def hold_released(release: HoldReleased, uow: UnitOfWork) -> Verdict:
    account = _with_hold(uow, release.hold_id)
    if isinstance(account, Verdict):
        return account
    try:
        account.release_hold(release.hold_id, now=uow.now, actor=_actor(uow),
                             terminal_id=uow.terminal_id, reason="order cancelled")
    except DomainError as error:
        return broken_rule(error)
    save_account(uow.connection, account, uow.now)
    return APPLIED


HOLD_HANDLERS: dict[str, Handler] = {
    HOLD_PLACED: hold_placed,
    HOLD_COMMITTED: hold_committed,
    HOLD_RELEASED: hold_released,
}
