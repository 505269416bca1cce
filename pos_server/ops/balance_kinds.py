"""balance.topped_up: money paid into a guest's balance account (it pays a debt off first,
the balance being simply the sum of its postings, ``pos_app.domain.balance``)."""

from __future__ import annotations

from pos_app.domain.operations import BALANCE_TOPPED_UP, BalanceToppedUp
from pos_server.db.models import Guest
from pos_server.ledger_balance import load_balance, save_balance
from pos_server.ops.kinds import Handler, OpContext, unknown_guest
from pos_server.ops.verdicts import APPLIED, Verdict


def balance_topped_up(ctx: OpContext, top_up: BalanceToppedUp) -> Verdict:
    if ctx.session.get(Guest, top_up.guest_id) is None:
        return unknown_guest(top_up.guest_id)
    account = load_balance(ctx.session, top_up.guest_id)
    account.top_up(top_up.amount, now=ctx.now, actor=f"terminal:{ctx.terminal_id}",
                   terminal_id=ctx.terminal_id, reason="top-up", ref=top_up.ref)  # fmt: skip
    save_balance(ctx.session, account, ctx.now)
    return APPLIED


BALANCE_HANDLERS: dict[str, Handler] = {BALANCE_TOPPED_UP: balance_topped_up}
