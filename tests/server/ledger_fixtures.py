"""Shared helpers of the ledger-rules tests: a till with a settable clock, guests with points,
guest groups, and reading the ledger tables back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import MONEY, POINTS, AccountRow, OverdraftRow, PostingRow, Sale
from pos_server.db.models_ledger import GuestLoyaltyRow, RuleBreachRow
from pos_server.guests.groups import GroupsIn, import_groups
from pos_server.repositories.points_ledger import credit_points
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, add_staff_member, enrol, guest_payload, till_sale


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Shop:
    till: Till
    db_url: str
    clock: Clock

    def write(self, work: Any) -> Any:
        """Run ``work(session)`` in one committed transaction; returns its result."""
        engine = make_engine(self.db_url)
        try:
            with make_sessions(engine).begin() as session:
                return work(session)
        finally:
            engine.dispose()

    def work(self, work: Any) -> Any:
        """Run ``work(uow)`` in one committed unit of work at the shop's clock."""
        engine = make_engine(self.db_url)
        try:
            with unit_of_work(engine, actor="test", now=self.clock()) as uow:
                return work(uow)
        finally:
            engine.dispose()

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.till.push_ok(self.till.op(kind, payload))["results"][0]
        return result

    def groups(self, *groups: dict[str, Any]) -> None:
        data = GroupsIn.model_validate({"groups": list(groups)})
        self.work(lambda uow: import_groups(uow, data))

    def put_in_group(self, guest_id: str, group_id: str) -> None:
        self.write(lambda s: s.merge(GuestLoyaltyRow(guest_id=guest_id, group_id=group_id,
                                                     lifetime_spend=0, updated_at=self.clock())))

    def state(self, guest_id: str = "anna") -> dict[str, Any]:
        def read(s: Session) -> dict[str, Any]:
            points = s.get(AccountRow, (POINTS, guest_id))
            balance = s.get(AccountRow, (MONEY, guest_id))

            def postings(kind: str) -> list[PostingRow]:
                return list(s.scalars(select(PostingRow).where(
                    PostingRow.account_kind == kind, PostingRow.account_id == guest_id
                ).order_by(PostingRow.id)))

            def overdrafts(kind: str) -> list[int]:
                return list(s.scalars(select(OverdraftRow.amount).where(
                    OverdraftRow.account_kind == kind, OverdraftRow.account_id == guest_id
                ).order_by(OverdraftRow.id)))

            loyalty = s.get(GuestLoyaltyRow, guest_id)
            return {
                "points": points.total if points else 0,
                "held": points.held if points else 0,
                "balance": balance.total if balance else 0,
                "point_postings": [(p.kind, p.amount) for p in postings(POINTS)][1:],
                "balance_postings": [(p.kind, p.amount, p.total_after)
                                     for p in postings(MONEY)],
                "point_overdrafts": overdrafts(POINTS),
                "balance_overdrafts": overdrafts(MONEY),
                "breaches": [(b.rule, b.amount) for b in s.scalars(
                    select(RuleBreachRow).where(RuleBreachRow.guest_id == guest_id)
                    .order_by(RuleBreachRow.id))],
                "group": loyalty.group_id if loyalty else None,
                "spend": loyalty.lifetime_spend if loyalty else 0,
                "sales": len(s.scalars(select(Sale.id).where(Sale.guest_id == guest_id)).all()),
            }  # fmt: skip

        result: dict[str, Any] = self.write(read)
        return result


@pytest.fixture
def shop(db_url: str) -> Iterator[Shop]:
    """A till, and guests Anna (1 000.00 points) and Boris (no points)."""
    clock = Clock()
    with TestClient(create_app(ServerSettings(database_url=db_url), clock=clock)) as client:
        till = enrol(client, db_url)
        till.push_ok(till.op("guest.created", guest_payload("anna")),
                     till.op("guest.created", guest_payload("boris", "Boris")))
        shop = Shop(till, db_url, clock)
        add_staff_member(db_url, "kasia")  # a cashier: tops balances up (TOP_UP_LIMITS)
        shop.write(lambda s: credit_points(s, "anna", 100_000, now=clock(), actor="test",
                                           reason="gift"))
        yield shop


def sale(guest_id: str | None, total: int, *payments: dict[str, Any], **extra: Any
         ) -> dict[str, Any]:  # fmt: skip
    """A one-line sale of ``total`` paid by ``payments`` (default: all by card)."""
    return till_sale({
        "sale_id": extra.pop("sale_id", str(uuid.uuid4())), "receipt_no": None,
        "opened_at": "2026-11-23T10:00:00+00:00",
        "closed_at": extra.pop("closed_at", "2026-11-23T10:05:00+00:00"),
        "guest_id": guest_id,
        "lines": [{"line_no": 1, "product_id": "cake", "name": "Cake", "quantity": 1,
                   "unit_price": total, "total": total}],
        "payments": list(payments) or [{"method": "card", "amount": total}],
        "total": total, **extra,
    })  # fmt: skip


def pay(method: str, amount: int, hold_id: str | None = None) -> dict[str, Any]:
    payment: dict[str, Any] = {"method": method, "amount": amount}
    if hold_id:
        payment["hold_id"] = hold_id
    return payment


def group(group_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": group_id, "name": f"Group {group_id}", "discount_bp": 0, **fields}
