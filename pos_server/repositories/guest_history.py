"""A guest's history as the card, the back office and the cabinet page through it: postings
of either account and the guest's sales, newest first, keyset paged (an id or a
``(closed_at, sale_id)`` to continue below, never an offset)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select

from pos_app.domain.bonus import HoldStatus
from pos_server.db.models import BonusHoldRow, PostingRow, Sale, SaleLine
from pos_server.db.models_ledger import SaleLoyaltyRow
from pos_server.uow import Repository

_DISCOUNT = (select(func.coalesce(func.sum(SaleLine.discount), 0))
             .where(SaleLine.sale_id == Sale.id).scalar_subquery())  # fmt: skip


class GuestHistory(Repository):
    """``uow.guest_history``."""

    __slots__ = ()

    def postings(
        self, guest_id: str, accounts: Sequence[str], before_id: int | None, limit: int,
        period: tuple[datetime, datetime] | None = None,
    ) -> Sequence[Row[Any]]:  # fmt: skip
        """The guest's postings of ``accounts`` (``points``, ``money``) with ids below
        ``before_id``, newest first (index ``ix_postings_account`` and the primary key);
        ``period``: only those made from its start up to (not including) its end."""
        query = (select(PostingRow.id, PostingRow.account_kind, PostingRow.kind,
                        PostingRow.amount, PostingRow.total_after, PostingRow.held_after,
                        PostingRow.at, PostingRow.actor, PostingRow.terminal_id,
                        PostingRow.reason, PostingRow.ref, PostingRow.hold_id)
                 .where(PostingRow.account_id == guest_id,
                        PostingRow.account_kind.in_(list(accounts)))
                 .order_by(PostingRow.id.desc()).limit(limit))  # fmt: skip
        if before_id is not None:
            query = query.where(PostingRow.id < before_id)
        if period is not None:
            query = query.where(PostingRow.at >= period[0], PostingRow.at < period[1])
        return self._connection.execute(query).all()

    def sales(
        self, guest_id: str, before: tuple[datetime, str] | None, limit: int,
        period: tuple[datetime, datetime] | None = None,
    ) -> Sequence[Row[Any]]:  # fmt: skip
        """The guest's sales closed before ``before`` (time, then id), newest first, with the
        loyalty facts recorded at the time (group, money and points paid, accrual) and the
        sum of the lines' discounts; ``period``: only those closed within it (end excluded)."""
        query = (select(Sale.id, Sale.receipt_no, Sale.terminal_id, Sale.closed_at, Sale.total,
                        _DISCOUNT.label("discount"), SaleLoyaltyRow.group_id,
                        SaleLoyaltyRow.money_paid, SaleLoyaltyRow.points_paid,
                        SaleLoyaltyRow.accrual)
                 .outerjoin(SaleLoyaltyRow, SaleLoyaltyRow.sale_id == Sale.id)
                 .where(Sale.guest_id == guest_id)
                 .order_by(Sale.closed_at.desc(), Sale.id.desc()).limit(limit))  # fmt: skip
        if before is not None:
            at, sale_id = before
            query = query.where((Sale.closed_at < at)
                                | ((Sale.closed_at == at) & (Sale.id < sale_id)))  # fmt: skip
        if period is not None:
            query = query.where(Sale.closed_at >= period[0], Sale.closed_at < period[1])
        return self._connection.execute(query).all()

    def open_holds(self, guest_id: str, limit: int) -> Sequence[Row[Any]]:
        """The guest's open points holds, oldest first (index ``ix_bonus_holds_account_status``)."""
        query = (select(BonusHoldRow.id, BonusHoldRow.amount, BonusHoldRow.created_at,
                        BonusHoldRow.expires_at, BonusHoldRow.terminal_id)
                 .where(BonusHoldRow.account_id == guest_id,
                        BonusHoldRow.status == HoldStatus.OPEN.value)
                 .order_by(BonusHoldRow.created_at, BonusHoldRow.id).limit(limit))  # fmt: skip
        return self._connection.execute(query).all()
