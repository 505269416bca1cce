"""hold.placed / hold.committed / hold.released: the till's points spending, two-phase.

The rules live in ``pos_app.domain.bonus``; a rule it refuses becomes a ``rejected`` verdict
with the domain error's code (insufficient_points, hold_already_ended, commit_exceeds_hold...).
"""

from __future__ import annotations

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
from pos_server.ledger.rules import limits_of
from pos_server.ops.kinds import Handler, broken_rule, unknown_guest
from pos_server.ops.verdicts import APPLIED, Breach, Verdict, conflict, rejected
from pos_server.programme.service import current
from pos_server.uow import UnitOfWork


def _actor(uow: UnitOfWork) -> str:
    return f"terminal:{uow.terminal_id}"


def hold_placed(placed: HoldPlaced, uow: UnitOfWork) -> Verdict:
    """With hold.committed this is the till's hot path: the repositories read what it needs
    first (hold id, guest, group, the locked account) in one statement."""
    placing = uow.holds.placing(placed.guest_id, placed.hold_id)
    if placing.existing is not None:
        return conflict("hold_exists", f"Hold {placed.hold_id} already exists.",
                        placing.existing.state())  # fmt: skip
    account = placing.account
    if account is None:
        return unknown_guest(placed.guest_id)
    group_id = placing.group_id
    group = None if group_id is None else uow.groups.current()[0].get(group_id)
    held = sum(h.amount for h in account.holds.values()
               if h.status is HoldStatus.OPEN and h.expires_at > uow.now)  # not yet swept
    problem = _check_daily_spend(uow, placed, group, held)
    if problem is not None:
        return problem
    try:
        account.place_hold(
            placed.hold_id, placed.amount, now=uow.now, actor=_actor(uow),
            terminal_id=uow.terminal_id, reason="points payment", ref=placed.ref,
            ttl=current(uow).loyalty.hold_ttl, allow_overdraft=placed.offline,
        )  # fmt: skip
    except DomainError as error:
        return broken_rule(error)
    if account.overdrafts:
        _flag_beyond_allowance(uow, placed, group, -account.available)
    uow.accounts.save(account)
    return APPLIED


def _check_daily_spend(
    uow: UnitOfWork, placed: HoldPlaced, group: GuestGroup | None, held: int
) -> Verdict | None:
    """The group's daily points limit (points committed or debited today plus open holds):
    online a ``rejected/daily_limit``; an offline hold is applied and the breach recorded."""
    limits = limits_of(group, current(uow).loyalty.limits)
    if limits.points_spend is None:
        return None
    spent = uow.loyalty.points_spent_today(placed.guest_id) + held
    try:
        check_spend(limits, spent, placed.amount)
    except DomainError as error:
        if not placed.offline:
            return rejected("daily_limit", error.message)
        uow.loyalty.record_breach(Breach(placed.guest_id, error.code, placed.amount,
                                         placed.hold_id, error.message))
    return None


def _flag_beyond_allowance(
    uow: UnitOfWork, placed: HoldPlaced, group: GuestGroup | None, overdrawn: int
) -> None:
    """An offline hold took the account below zero: within the group's offline allowance that
    is the recorded overdraft alone; beyond it the overdraft is also flagged for managers."""
    allowance = (current(uow).loyalty.offline_allowance if group is None
                 else group.offline_allowance)  # fmt: skip
    if overdrawn <= allowance:
        return
    message = (f"Offline hold {placed.hold_id} left the account "
               f"{format_money(overdrawn, currency='points')} overdrawn; the group's offline "
               f"allowance is {format_money(allowance, currency='points')}.")  # fmt: skip
    uow.loyalty.record_breach(Breach(placed.guest_id, "offline_allowance",
                                     overdrawn - allowance, placed.hold_id, message))


def _with_hold(uow: UnitOfWork, hold_id: str) -> BonusAccount | Verdict:
    """The hold's account, if this terminal placed the hold: a hold is ended by the terminal
    that placed it (or the sweeper, or a manager's audited reset), never by another one."""
    account = uow.accounts.points_of_hold(hold_id)
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
    uow.accounts.save(account)
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
    uow.accounts.save(account)
    return APPLIED


HOLD_HANDLERS: dict[str, Handler] = {
    HOLD_PLACED: hold_placed,
    HOLD_COMMITTED: hold_committed,
    HOLD_RELEASED: hold_released,
}
