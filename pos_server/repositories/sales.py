"""Sales: a closed sale with its lines and payments, and the cancelled sales a guest was
identified on (they count against the guest's daily identification limit).

A closed sale is the one operation every till sends all day: its rows are written with Core
statements compiled once (``pos_server/db/fastexec.py``), not as ORM objects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select

from pos_app.domain.operations import SaleCancelled, SaleClosed
from pos_server.db.fastexec import Fast
from pos_server.db.models import Sale, SaleLine, SalePayment
from pos_server.db.models_ledger import CancelledGuestSaleRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class RecordedSale:
    """A sale the server has recorded, as a conflict reports it."""

    sale_id: str
    terminal_id: str
    receipt_no: str | None
    total: int
    closed_at: datetime


@dataclass(frozen=True, slots=True)
class PaidSale:
    """A recorded sale: its guest and what was paid by each method (methods paid 0 left out)."""

    sale_id: str
    guest_id: str | None
    paid: dict[str, int]


class Sales(Repository):
    __slots__ = ()

    def recorded(self, sale_id: str) -> RecordedSale | None:
        """The closed sale with that id; None (as almost always): not recorded yet."""
        row = _RECORDED.first(self._uow.connection, {"sale_id": sale_id})
        if row is None:
            return None
        return RecordedSale(row.id, row.terminal_id, row.receipt_no, row.total, row.closed_at)

    def paid(self, sale_id: str) -> PaidSale | None:
        sale = self._session.get(Sale, sale_id)
        if sale is None:
            return None
        paid: dict[str, int] = defaultdict(int)
        for method, amount in self._session.execute(
            select(SalePayment.method, SalePayment.amount).where(SalePayment.sale_id == sale.id)
        ):
            paid[method] += amount
        return PaidSale(sale.id, sale.guest_id, {m: a for m, a in paid.items() if a})

    def insert(self, sale: SaleClosed) -> None:
        """The sale, its lines and its payments, recorded by the unit of work's terminal and
        operation."""
        uow = self._uow
        connection = uow.connection
        _INSERT_SALE.run(connection, {
            "id": sale.sale_id, "terminal_id": uow.terminal_id, "op_id": uow.op_id,
            "receipt_no": sale.receipt_no, "guest_id": sale.guest_id,
            "opened_at": sale.opened_at, "closed_at": sale.closed_at, "total": sale.total,
        })  # fmt: skip
        _INSERT_LINES.run_many(connection, [
            {"sale_id": sale.sale_id, "line_no": line.line_no, "product_id": line.product_id,
             "name": line.name, "quantity": line.quantity, "unit_price": line.unit_price,
             "discount": line.discount, "total": line.total}
            for line in sale.lines
        ])  # fmt: skip
        _INSERT_PAYMENTS.run_many(connection, [
            {"sale_id": sale.sale_id, "position": position, "method": payment.method,
             "amount": payment.amount, "hold_id": payment.hold_id}
            for position, payment in enumerate(sale.payments, start=1)
        ])  # fmt: skip

    def keep_cancelled_guest_sale(self, sale: SaleCancelled) -> None:
        """Keep a cancelled sale its guest was identified on (once: a sale id is kept one
        time), by the unit of work's terminal."""
        assert sale.guest_id is not None
        connection = self._uow.connection
        if _CANCELLED_KNOWN.first(connection, {"sale_id": sale.sale_id}) is not None:
            return
        _INSERT_CANCELLED.run(connection, {
            "sale_id": sale.sale_id, "guest_id": sale.guest_id,
            "terminal_id": self._uow.terminal_id, "cancelled_at": sale.cancelled_at,
        })  # fmt: skip


_RECORDED = Fast(select(Sale.id, Sale.terminal_id, Sale.receipt_no, Sale.total, Sale.closed_at)
                 .where(Sale.id == bindparam("sale_id")))  # fmt: skip
_INSERT_SALE = Fast(insert(Sale), column_keys=(
    "id", "terminal_id", "op_id", "receipt_no", "guest_id", "opened_at", "closed_at", "total"))
_INSERT_LINES = Fast(insert(SaleLine), column_keys=(
    "sale_id", "line_no", "product_id", "name", "quantity", "unit_price", "discount", "total"))
_INSERT_PAYMENTS = Fast(insert(SalePayment), column_keys=(
    "sale_id", "position", "method", "amount", "hold_id"))  # fmt: skip
_CANCELLED_KNOWN = Fast(select(CancelledGuestSaleRow.sale_id)
                        .where(CancelledGuestSaleRow.sale_id == bindparam("sale_id")))
_INSERT_CANCELLED = Fast(insert(CancelledGuestSaleRow), column_keys=(
    "sale_id", "guest_id", "terminal_id", "cancelled_at"))  # fmt: skip
