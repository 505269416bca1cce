"""``sale.cancelled``: a basket the till cancelled (voided), kept for the manager's audit.

No account changes with it: a cancelled sale never debited a balance (that happens at
``sale.closed``), its points hold ends by its own ``hold.released`` (queued before it), and
cash or card taken before the cancel was handed back at the till. The operation's stored row
in ``applied_operations`` is the record (``pos-server export operations`` lists it), so a
loss-prevention report can count voided baskets per terminal and cashier. A sale the guest was
identified on is also kept in ``cancelled_guest_sales``: the identification still counts
against the guest's daily identification limit (``ledger_rules.identified_on_day``). What is
judged: the sale must not also be closed on the server, the refund must be the money taken,
and a guest, when named, must exist.
"""

from __future__ import annotations

from pos_app.domain.operations import SALE_CANCELLED, SaleCancelled
from pos_server.ops.kinds import Handler
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.uow import UnitOfWork


def sale_cancelled(sale: SaleCancelled, uow: UnitOfWork) -> Verdict:
    closed = uow.sales.recorded(sale.sale_id)
    if closed is not None:
        return conflict("sale_exists", f"Sale {sale.sale_id} was closed; it cannot be cancelled.",
                        {"sale_id": closed.sale_id, "terminal_id": closed.terminal_id,
                         "total": closed.total})  # fmt: skip
    if sum(line.total for line in sale.lines) != sale.total:
        return rejected("totals_mismatch", "The lines do not add up to the total.")
    if sale.refund != sum(p.amount for p in sale.payments):
        return rejected("totals_mismatch", "The refund is not the money taken before the cancel.")
    if sale.guest_id is not None:
        if not uow.guests.exists(sale.guest_id):
            return rejected("unknown_guest", f"There is no guest {sale.guest_id}.")
        uow.sales.keep_cancelled_guest_sale(sale)
    return APPLIED


SALE_CANCEL_HANDLERS: dict[str, Handler] = {SALE_CANCELLED: sale_cancelled}
