"""balance.topped_up: money paid into a guest's balance account (it pays a debt off first,
the balance being simply the sum of its postings, ``pos_app.domain.balance``).

A top-up mints money for whoever holds a terminal token, so it names the staff member who took
the money: unknown, inactive, beyond their role's limit for one top-up or for one business day
(the programme settings' ``top_up`` group, ``pos_server.programme``), it is refused. The
server cannot check a PIN for a top-up the till took offline, so the name is attributed, not
proved: the daily limit is what bounds a stolen token (docs/security.md)."""

from __future__ import annotations

from pos_app.domain.balance import top_up_problem
from pos_app.domain.operations import BALANCE_TOPPED_UP, BalanceToppedUp
from pos_server.ops.kinds import Handler, unknown_guest
from pos_server.ops.verdicts import APPLIED, Verdict, rejected
from pos_server.programme.service import current
from pos_server.uow import UnitOfWork


def balance_topped_up(top_up: BalanceToppedUp, uow: UnitOfWork) -> Verdict:
    if not uow.guests.exists(top_up.guest_id):
        return unknown_guest(top_up.guest_id)
    problem = _staff_problem(uow, top_up)
    if problem is not None:
        return problem
    account = uow.accounts.load("money", top_up.guest_id)
    account.top_up(top_up.amount, now=uow.now, actor=f"staff:{top_up.staff_id}",
                   terminal_id=uow.terminal_id, reason="top-up", ref=top_up.ref)  # fmt: skip
    uow.accounts.save(account)
    return APPLIED


def _staff_problem(uow: UnitOfWork, top_up: BalanceToppedUp) -> Verdict | None:
    if top_up.staff_id is None:
        return rejected("staff_required", "A top-up must name the staff member who took "
                                          "the money.")  # fmt: skip
    staff = uow.staff.member(top_up.staff_id)
    if staff is None or not staff.active:
        return rejected("staff_unknown", f"Staff member {top_up.staff_id} is not an active "
                                         "member of staff.")  # fmt: skip
    earlier_today = uow.accounts.count_top_up(staff.staff_id, top_up.amount)
    problem = top_up_problem(staff.role.value, top_up.amount, earlier_today=earlier_today,
                             limits=current(uow).top_up.limits)  # fmt: skip
    return None if problem is None else rejected("top_up_limit", problem)


BALANCE_HANDLERS: dict[str, Handler] = {BALANCE_TOPPED_UP: balance_topped_up}
