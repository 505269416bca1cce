"""What ``sale.refunded`` reads and writes besides the guest's accounts: the refund already
recorded for a sale, the sale as it was paid, the referral cashback its promo code paid, and
the refund's own row (``sale_refunds``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pos_server.db.models import Sale, SalePayment
from pos_server.db.models_till import PromoRedemptionRow, SaleRefundRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class RecordedRefund:
    sale_id: str
    refund_id: str
    refunded_at: datetime


@dataclass(frozen=True, slots=True)
class PaidSale:
    """A recorded sale: its guest and what was paid by each method (methods paid 0 left out)."""

    sale_id: str
    guest_id: str | None
    paid: dict[str, int]


@dataclass(frozen=True, slots=True)
class Cashback:
    """The referral cashback a sale's promo code credited to the code's owner."""

    owner_guest_id: str
    amount: int


class RefundRepository(Repository):
    """``uow.refunds``."""

    __slots__ = ()

    def recorded(self, sale_id: str) -> RecordedRefund | None:
        row = self._session.get(SaleRefundRow, sale_id)
        return None if row is None else RecordedRefund(row.sale_id, row.refund_id,
                                                       row.refunded_at)  # fmt: skip

    def paid_sale(self, sale_id: str) -> PaidSale | None:
        sale = self._session.get(Sale, sale_id)
        if sale is None:
            return None
        paid: dict[str, int] = defaultdict(int)
        for method, amount in self._session.execute(
            select(SalePayment.method, SalePayment.amount).where(SalePayment.sale_id == sale.id)
        ):
            paid[method] += amount
        return PaidSale(sale.id, sale.guest_id, {m: a for m, a in paid.items() if a})

    def cashback(self, sale_id: str) -> Cashback | None:
        """None when the sale used no other guest's code or it paid no cashback."""
        row = self._session.get(PromoRedemptionRow, sale_id)
        if row is None or not row.cashback:
            return None
        return Cashback(row.owner_guest_id, row.cashback)

    def record(
        self, sale_id: str, *, refund_id: str, refunded_at: datetime, approved_by: str,
        total: int, accrual_taken_back: int, cashback_taken_back: int,
    ) -> None:  # fmt: skip
        self._session.add(SaleRefundRow(
            sale_id=sale_id, refund_id=refund_id, terminal_id=self._uow.terminal_id,
            refunded_at=refunded_at, approved_by=approved_by, total=total,
            accrual_taken_back=accrual_taken_back, cashback_taken_back=cashback_taken_back,
            at=self._uow.now,
        ))  # fmt: skip
