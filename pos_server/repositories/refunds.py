"""What ``sale.refunded`` reads and writes besides the guest's accounts: the refund already
recorded for a sale, the sale as it was paid, the referral cashback its promo code paid, and
the refund's own row (``sale_refunds``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pos_server.db.models_till import PromoRedemptionRow, SaleRefundRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class RecordedRefund:
    """One refund of a sale; ``by_method``: what it gave back by each way of payment (None: a
    full refund recorded before refunds by line, which gave back everything)."""

    sale_id: str
    refund_id: str
    refunded_at: datetime
    by_method: dict[str, int] | None


@dataclass(frozen=True, slots=True)
class Cashback:
    """The referral cashback a sale's promo code credited to the code's owner."""

    owner_guest_id: str
    amount: int


class Refunds(Repository):
    """``uow.refunds``."""

    __slots__ = ()

    def of_sale(self, sale_id: str) -> list[RecordedRefund]:
        """The sale's refunds so far, oldest first (a sale may be refunded in parts)."""
        rows = self._session.scalars(
            select(SaleRefundRow).where(SaleRefundRow.sale_id == sale_id)
            .order_by(SaleRefundRow.at, SaleRefundRow.refund_id)
        )
        return [RecordedRefund(row.sale_id, row.refund_id, row.refunded_at, row.by_method)
                for row in rows]  # fmt: skip

    def cashback(self, sale_id: str) -> Cashback | None:
        """None when the sale used no other guest's code or it paid no cashback."""
        row = self._session.get(PromoRedemptionRow, sale_id)
        if row is None or not row.cashback:
            return None
        return Cashback(row.owner_guest_id, row.cashback)

    def record(
        self, sale_id: str, *, refund_id: str, refunded_at: datetime, approved_by: str,
        total: int, accrual_taken_back: int, cashback_taken_back: int, by_method: dict[str, int],
    ) -> None:  # fmt: skip
        self._session.add(SaleRefundRow(
            sale_id=sale_id, refund_id=refund_id, terminal_id=self._uow.terminal_id,
            refunded_at=refunded_at, approved_by=approved_by, total=total,
            accrual_taken_back=accrual_taken_back, cashback_taken_back=cashback_taken_back,
            at=self._uow.now, by_method=by_method,
        ))  # fmt: skip
