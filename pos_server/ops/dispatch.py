"""Which handler judges which operation kind."""

from __future__ import annotations

from pos_app.domain.operations import Operation
from pos_server.ops.balance_kinds import BALANCE_HANDLERS
from pos_server.ops.guest_card_kinds import GUEST_CARD_HANDLERS
from pos_server.ops.hold_kinds import HOLD_HANDLERS
from pos_server.ops.kinds import HANDLERS
from pos_server.ops.order_kinds import ORDER_HANDLERS
from pos_server.ops.promo_kinds import PROMO_HANDLERS
from pos_server.ops.refund_kinds import REFUND_HANDLERS
from pos_server.ops.sale_cancel_kinds import SALE_CANCEL_HANDLERS
from pos_server.ops.shift_kinds import SHIFT_HANDLERS
from pos_server.ops.verdicts import Verdict, rejected
from pos_server.uow import UnitOfWork

ALL_HANDLERS = {**HANDLERS, **HOLD_HANDLERS, **ORDER_HANDLERS, **BALANCE_HANDLERS}
ALL_HANDLERS.update({**SHIFT_HANDLERS, **PROMO_HANDLERS, **REFUND_HANDLERS})  # the till's
ALL_HANDLERS.update(SALE_CANCEL_HANDLERS)
ALL_HANDLERS.update(GUEST_CARD_HANDLERS)


def handle(kind: str, payload: Operation | None, uow: UnitOfWork) -> Verdict:
    handler = ALL_HANDLERS.get(kind)
    if handler is None or payload is None:
        return rejected("unknown_kind", f"The server does not know operations of kind {kind!r}.")
    return handler(payload, uow)
