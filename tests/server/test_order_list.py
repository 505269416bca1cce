"""GET /v1/orders for consoles: keyset pages newest first, filters, search; GET /v1/orders/{id}."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import GuestOrderLineRow, GuestOrderRow
from pos_server.orders.listing import decode_cursor, encode_cursor
from pos_server.repositories.orders import OrderFilter
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, enrol

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def console(db_url: str) -> Iterator[tuple[Till, Clock]]:
    """A console, three guests, and a clock the test moves between orders."""
    clock = Clock()
    app = create_app(ServerSettings(database_url=db_url, sweep_interval_seconds=0), clock)
    with TestClient(app) as client:
        till = enrol(client, db_url, "Console")
        guests = [("anna", "Анна Смирнова", "+7 912 123-45-67"),
                  ("ivan", "Ivan Petrov", "8 (922) 555-01-02"),
                  ("olga", "Ольга Новикова", None)]  # fmt: skip
        till.push_ok(*(till.op("guest.created", {"guest_id": g, "name": n, "phone": p})
                       for g, n, p in guests))  # fmt: skip
        yield till, clock


def place(till: Till, clock: Clock, order_id: str, guest_id: str, at: datetime) -> None:
    clock.now = at
    body = {"order_id": order_id, "guest_id": guest_id, "method": "cash",
            "lines": [{"product_id": "tea", "name": "Tea", "quantity": 1, "unit_price": 9000}]}
    response = till.client.post("/v1/orders", json=body, headers=till.headers)
    assert response.status_code == 201, response.text


def listing(till: Till, **params: Any) -> dict[str, Any]:
    response = till.client.get("/v1/orders", params=params, headers=till.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(page: dict[str, Any]) -> list[str]:
    return [o["order_id"] for o in page["orders"]]


def all_pages(till: Till, **params: Any) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = listing(till, **params, **({"cursor": cursor} if cursor else {}))
        pages.append(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            return pages


def test_pages_newest_first_with_ties_and_late_orders(console: tuple[Till, Clock]) -> None:
    till, clock = console
    for n, (order_id, guest) in enumerate([("o1", "anna"), ("o2", "ivan"), ("o3", "olga"),
                                           ("o4", "anna"), ("o5", "ivan")]):  # fmt: skip
        place(till, clock, order_id, guest, T0 + timedelta(minutes=min(n, 3)))  # o4, o5 tie
    assert all_pages(till, limit=2) == [["o5", "o4"], ["o3", "o2"], ["o1"]]

    first = listing(till, limit=2)
    place(till, clock, "o6", "olga", T0 + timedelta(hours=1))  # placed while paging
    second = listing(till, limit=2, cursor=first["next_cursor"])
    assert ids(second) == ["o3", "o2"]  # keyset: nothing shifted, nothing repeated
    assert listing(till, limit=1)["orders"][0] == till.client.get(
        "/v1/orders/o6", headers=till.headers).json()  # fmt: skip
    assert listing(till, limit=1)["orders"][0]["lines"][0]["name"] == "Tea"


def test_filters_by_state_and_time(console: tuple[Till, Clock]) -> None:
    till, clock = console
    for n, order_id in enumerate(["o1", "o2", "o3", "o4"]):
        place(till, clock, order_id, "anna", T0 + timedelta(hours=n))
    till.push_ok(till.op("order.accepted", {"order_id": "o2"}),
                 till.op("order.cancelled", {"order_id": "o3"}))  # fmt: skip
    assert ids(listing(till, state="new")) == ["o4", "o1"]
    assert ids(listing(till, state=["accepted", "cancelled"])) == ["o3", "o2"]
    window = {"since": (T0 + timedelta(hours=1)).isoformat(),
              "until": (T0 + timedelta(hours=3)).isoformat()}  # fmt: skip
    assert ids(listing(till, **window)) == ["o3", "o2"]  # since inclusive, until exclusive
    assert ids(listing(till, state="new", **window)) == []
    assert ids(listing(till, until=T0.isoformat())) == []


SEARCHES = [
    ("anna", ["o3", "o1"]), ("смирнова", ["o3", "o1"]), ("АННА", ["o3", "o1"]),
    ("Смир", ["o3", "o1"]), ("petrov", ["o2"]), ("8 922 555", ["o2"]), ("+7 912 123", ["o3", "o1"]),
    ("9225550102", ["o2"]), ("olga", ["o4"]), ("новик", ["o4"]), ("nobody", []), ("%", []),
    ("_", []),
]  # fmt: skip


def test_search_by_guest_id_name_or_phone(console: tuple[Till, Clock]) -> None:
    till, clock = console
    for n, (order_id, guest) in enumerate([("o1", "anna"), ("o2", "ivan"), ("o3", "anna"),
                                           ("o4", "olga")]):  # fmt: skip
        place(till, clock, order_id, guest, T0 + timedelta(minutes=n))
    found = {query: ids(listing(till, guest=query)) for query, _expected in SEARCHES}
    assert found == dict(SEARCHES)


def test_one_order_and_bad_requests(console: tuple[Till, Clock]) -> None:
    till, clock = console
    place(till, clock, "o1", "anna", T0)
    one = till.client.get("/v1/orders/o1", headers=till.headers)
    assert one.status_code == 200
    assert (one.json()["order_id"], one.json()["state"], one.json()["total"]) == ("o1", "new", 9000)
    missing = till.client.get("/v1/orders/o-404", headers=till.headers)
    assert missing.status_code == 404
    assert "o-404 is not known" in missing.json()["detail"]
    for params in [{"cursor": "garbage!"}, {"cursor": "bm90IGEgY3Vyc29y"},
                   {"since": "2026-11-23T09:00:00"}, {"state": "lost"}, {"limit": 0},
                   {"limit": 201}, {"guest": ""}, {"guest": "an\x00na"},
                   {"cursor": "MjAyNi0xMS0yM1QwOTowMDowMCswMDowMHxvAA"}]:  # fmt: skip
        response = till.client.get("/v1/orders", params=params, headers=till.headers)
        assert response.status_code == 422, (params, response.text)
    assert till.client.get("/v1/orders/o%001", headers=till.headers).status_code == 422
    assert till.client.get("/v1/orders").status_code == 401
    assert till.client.get("/v1/orders/o1").status_code == 401


def test_a_deep_page_uses_the_keyset_index(console: tuple[Till, Clock], db_url: str) -> None:
    """5 000 orders: the last page is read through ix_guest_orders_placed_at_id, not a sort."""
    till, _clock = console
    rows = [{"id": f"o{n:05}", "guest_id": "anna", "state": "new", "method": "cash",
             "note": "", "ready_by": None, "points_hold_id": None, "points_hold_amount": 0,
             "total": 100, "invoice_status": "none", "paid_money": 0, "paid_points": 0,
             "reversed_amount": 0, "debt": 0, "placed_at": T0 + timedelta(seconds=n),
             "placed_by": till.terminal_id, "updated_at": T0, "updated_by": till.terminal_id,
             "version": 1} for n in range(5_000)]  # fmt: skip
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(GuestOrderRow), rows)
            connection.execute(insert(GuestOrderLineRow), [
                {"order_id": row["id"], "line_id": "1", "position": 1, "product_id": "tea",
                 "name": "Tea", "quantity": 1, "unit_price": 100, "in_points": False,
                 "delivered": False} for row in rows])  # fmt: skip
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql("ANALYZE guest_orders")  # as autovacuum would
        with unit_of_work(engine, actor=till.terminal_id, now=T0) as uow:
            last = uow.orders.get("o00101", lock=False)
            assert last is not None
            query = uow.orders.list_query(OrderFilter(after=decode_cursor(encode_cursor(last.row)),
                                                      limit=100))  # fmt: skip
        with make_sessions(engine)() as session:
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            plan = " ".join(str(r) for r in session.execute(text(f"{explain}{compiled}")))
    finally:
        engine.dispose()
    assert "ix_guest_orders_placed_at_id" in plan, plan
    assert ids(listing(till, limit=100, cursor=encode_cursor(last.row))) == [
        f"o{n:05}" for n in range(100, 0, -1)]  # fmt: skip
