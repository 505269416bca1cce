"""The back office's reports: the facts they add up, read over a period [start, end) of UTC
instants (``pos_server/reports/service.py`` turns business days into those bounds and adds
the facts up; this module holds the SQL only).

Each method reads one table (or two joined) with plain portable SQL, so SQLite and
PostgreSQL answer alike; amounts are int kopecks (points: int points).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from pos_server.db.models import (
    AccountRow,
    Guest,
    OverdraftRow,
    PostingRow,
    Sale,
    SalePayment,
    Terminal,
)
from pos_server.db.models_ledger import ReconciliationItemRow, RuleBreachRow
from pos_server.db.models_till import SaleRefundRow, ShiftRow
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class SaleFact:
    sale_id: str
    terminal_id: str
    closed_at: datetime
    total: int
    guest_id: str | None
    paid: dict[str, int] = field(default_factory=dict)  # by method, 0s left out


@dataclass(frozen=True, slots=True)
class RefundFact:
    refund_id: str
    sale_id: str
    terminal_id: str
    refunded_at: datetime
    total: int


@dataclass(frozen=True, slots=True)
class ShiftFact:
    shift_id: str
    terminal_id: str
    number: int
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None
    report: dict[str, Any] | None  # the Z report as the till sent it (None: still open)


@dataclass(frozen=True, slots=True)
class MoneyMove:
    """A posting on a guest's money (deposit) account."""

    at: datetime
    guest_id: str
    kind: str  # credit (a top-up), debit (a balance payment or a refund of it), debt, ...
    amount: int  # the magnitude
    reason: str


@dataclass(frozen=True, slots=True)
class Balances:
    """Accounts of one kind as they stood at an instant: their totals after their last
    posting before it."""

    accounts: int  # accounts with a non-zero total
    total: int  # sum of the totals (points outstanding / deposits held)
    held: int  # of which held for payments (points only)
    negative: int  # sum of the totals below zero (overdrafts), <= 0


@dataclass(frozen=True, slots=True)
class GuestSpend:
    guest_id: str
    name: str
    phone: str | None
    sales: int
    total: int


class Reports(Repository):
    __slots__ = ()

    def sales(self, start: datetime, end: datetime) -> list[SaleFact]:
        """Sales closed in [start, end), in closing order, with what each method paid."""
        in_period = and_(Sale.closed_at >= start, Sale.closed_at < end)
        paid: dict[str, dict[str, int]] = defaultdict(dict)
        for sale_id, method, amount in self._connection.execute(
            select(SalePayment.sale_id, SalePayment.method, func.sum(SalePayment.amount))
            .join(Sale, Sale.id == SalePayment.sale_id).where(in_period)
            .group_by(SalePayment.sale_id, SalePayment.method)
        ):  # fmt: skip
            if amount:
                paid[sale_id][method] = int(amount)
        rows = self._connection.execute(
            select(Sale.id, Sale.terminal_id, Sale.closed_at, Sale.total, Sale.guest_id)
            .where(in_period).order_by(Sale.closed_at, Sale.id)
        )  # fmt: skip
        return [SaleFact(r.id, r.terminal_id, r.closed_at, r.total, r.guest_id, paid.get(r.id, {}))
                for r in rows]  # fmt: skip

    def refunds(self, start: datetime, end: datetime) -> list[RefundFact]:
        """Refunds made in [start, end) (of sales of any day), oldest first."""
        query = (select(SaleRefundRow.refund_id, SaleRefundRow.sale_id, SaleRefundRow.terminal_id,
                        SaleRefundRow.refunded_at, SaleRefundRow.total)
                 .where(SaleRefundRow.refunded_at >= start, SaleRefundRow.refunded_at < end)
                 .order_by(SaleRefundRow.refunded_at))  # fmt: skip
        return [RefundFact(*row) for row in self._connection.execute(query)]

    def shifts(self, start: datetime, end: datetime) -> list[ShiftFact]:
        """Shifts open at some instant of [start, end), by terminal and opening."""
        query = (select(ShiftRow.id, ShiftRow.terminal_id, ShiftRow.number, ShiftRow.opened_at,
                        ShiftRow.opened_by, ShiftRow.closed_at, ShiftRow.closed_by,
                        ShiftRow.report)
                 .where(ShiftRow.opened_at < end,
                        or_(ShiftRow.closed_at.is_(None), ShiftRow.closed_at >= start))
                 .order_by(ShiftRow.terminal_id, ShiftRow.opened_at))  # fmt: skip
        return [ShiftFact(*row) for row in self._connection.execute(query)]

    def money_moves(self, start: datetime, end: datetime) -> list[MoneyMove]:
        """Postings on the money accounts in [start, end), oldest first."""
        query = (select(PostingRow.at, PostingRow.account_id, PostingRow.kind, PostingRow.amount,
                        PostingRow.reason)
                 .where(PostingRow.account_kind == "money", PostingRow.at >= start,
                        PostingRow.at < end)
                 .order_by(PostingRow.at, PostingRow.id))  # fmt: skip
        return [MoneyMove(*row) for row in self._connection.execute(query)]

    def balances_at(self, kind: str, at: datetime) -> Balances:
        """The ``kind`` accounts (``points`` / ``money``) as they stood just before ``at``."""
        last = (select(func.max(PostingRow.id).label("id"))
                .where(PostingRow.account_kind == kind, PostingRow.at < at)
                .group_by(PostingRow.account_id).subquery())  # fmt: skip
        row = self._connection.execute(
            select(func.count(PostingRow.id).filter(PostingRow.total_after != 0),
                   func.coalesce(func.sum(PostingRow.total_after), 0),
                   func.coalesce(func.sum(PostingRow.held_after), 0),
                   func.coalesce(func.sum(PostingRow.total_after).filter(
                       PostingRow.total_after < 0), 0))
            .join(last, last.c.id == PostingRow.id)
        ).one()  # fmt: skip
        return Balances(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def balances_now(self, kind: str) -> Balances:
        """The ``kind`` accounts now, from their cached totals (the check of ``balances_at``)."""
        row = self._connection.execute(
            select(func.count(AccountRow.id).filter(AccountRow.total != 0),
                   func.coalesce(func.sum(AccountRow.total), 0),
                   func.coalesce(func.sum(AccountRow.held), 0),
                   func.coalesce(func.sum(AccountRow.total).filter(AccountRow.total < 0), 0))
            .where(AccountRow.kind == kind)
        ).one()  # fmt: skip
        return Balances(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def top_guests(self, start: datetime, end: datetime, limit: int) -> list[GuestSpend]:
        """The ``limit`` guests who spent most on sales closed in [start, end)."""
        spent = func.sum(Sale.total).label("spent")
        query = (select(Sale.guest_id, Guest.name, Guest.phone, func.count(Sale.id), spent)
                 .join(Guest, Guest.id == Sale.guest_id)
                 .where(Sale.closed_at >= start, Sale.closed_at < end)
                 .group_by(Sale.guest_id, Guest.name, Guest.phone)
                 .order_by(spent.desc(), Sale.guest_id).limit(limit))  # fmt: skip
        return [GuestSpend(r[0], r[1], r[2], int(r[3]), int(r[4]))
                for r in self._connection.execute(query)]  # fmt: skip

    def reconciliation_items(self, start: datetime, end: datetime, *, include_resolved: bool,
                             limit: int) -> list[ReconciliationItemRow]:  # fmt: skip
        """Reconciliation items found in [start, end), newest first."""
        query = (select(ReconciliationItemRow)
                 .where(ReconciliationItemRow.at >= start, ReconciliationItemRow.at < end)
                 .order_by(ReconciliationItemRow.id.desc()).limit(limit))  # fmt: skip
        if not include_resolved:
            query = query.where(ReconciliationItemRow.resolved_at.is_(None))
        return list(self._session.scalars(query))

    def overdrafts(self, start: datetime, end: datetime, limit: int) -> list[Any]:
        """At most ``limit`` overdrafts (both kinds of account) of [start, end), newest first:
        rows with the ``overdrafts`` columns."""
        return _newest(self._connection, OverdraftRow, start, end, limit)

    def breaches(self, start: datetime, end: datetime, limit: int) -> list[Any]:
        """At most ``limit`` rule breaches of [start, end), newest first (``rule_breaches``
        columns)."""
        return _newest(self._connection, RuleBreachRow, start, end, limit)

    def terminal_names(self) -> dict[str, str]:
        return {
            row.id: row.name for row in self._connection.execute(select(Terminal.id, Terminal.name))
        }


def _newest(connection: Any, table: Any, start: datetime, end: datetime, limit: int) -> list[Any]:
    query = (select(*table.__table__.c).where(table.at >= start, table.at < end)
             .order_by(table.at.desc(), table.id.desc()).limit(limit))  # fmt: skip
    return list(connection.execute(query))
