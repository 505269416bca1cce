"""Paying a guest order as a till sale (issue 20 point 2), on a real SQLite store shared by the
till and its orders tab: the accepted order's lines become a sale for its guest priced as the
server priced the order, paid through the till's own payment path (cash with change here),
closed with a receipt number in the open shift (X report), and ``sale.closed`` names the order;
a cancelled sale forgets it; an order the till would price otherwise is not opened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.db import open_store
from pos_app.db.orders_repo import SqlOrderCache
from pos_app.db.uow import Store
from pos_app.domain.money import rub
from pos_app.domain.orders import OrderState, PaymentMethod
from pos_app.services.order_checkout import (
    OrderCheckout,
    OrderNotPayableHere,
    OrderPriceDiffers,
    order_of_sale,
)
from pos_app.services.order_hold_payment import OrderHoldPayment
from pos_app.services.orders import OrderLineView, OrderView, StreamBatch
from pos_app.services.till import TillServices
from tests.services.conftest import TEN, seed
from tests.services.fakes import FakeClock, FakeIds

SALT = bytes(range(16))
# Anna (group g10, 10 %): latte 2 x 180 + cake 250 = 610 -> the server priced 549 (placement)
LINES = (OrderLineView("1", "latte", "Латте", 2, rub(180), discount=rub(36)),
         OrderLineView("2", "cake", "Чизкейк", 1, rub(250), discount=rub(25)))  # fmt: skip


def order(order_id: str, *, state: OrderState = OrderState.ACCEPTED,
          lines: tuple[OrderLineView, ...] = LINES, change: int = 5) -> OrderView:  # fmt: skip
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    total = sum(ln.amount for ln in lines)
    return OrderView(order_id, "anna", state, PaymentMethod.CASH, total, now, now, lines,
                     change_id=change, number="A-017")  # fmt: skip


@dataclass
class Till:
    store: Store
    services: TillServices
    checkout: OrderCheckout
    cache: SqlOrderCache

    def ops(self) -> list[tuple[str, dict[str, object]]]:
        with self.store.unit_of_work() as uow:
            return [(e.kind, dict(e.payload)) for e in uow.outbox.pending()]


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    seed(store.unit_of_work)
    clock, ids = FakeClock(), FakeIds()
    services = TillServices.build(store.unit_of_work, clock, ids)
    cache = SqlOrderCache(store)
    try:
        yield Till(store, services, OrderCheckout(store.unit_of_work, cache, clock, ids), cache)
    finally:
        store.close()


def test_an_accepted_order_becomes_a_till_sale_paid_in_cash_in_the_shift(till: Till) -> None:
    till.cache.apply(StreamBatch((order("o-1"),), cursor=5))
    staff = till.services.staff
    staff.add_staff("c1", "Ирина", "cashier", "1111", SALT)
    till.services.shifts.open_shift(staff.sign_in("1111"), rub(1_000))
    sale = till.checkout.start("o-1")
    assert (sale.total, sale.discount, sale.guest and sale.guest.guest_id) == (
        rub(549),
        rub(61),
        "anna",
    )
    paid = till.services.payments.pay_cash(sale.sale_id, rub(600))
    assert paid.closed and paid.change == rub(51)
    closed = [p for kind, p in till.ops() if kind == "sale.closed"]
    assert len(closed) == 1 and closed[0]["order_id"] == "o-1"
    assert closed[0]["receipt_no"]  # printed like any sale's receipt
    with till.store.unit_of_work() as uow:
        assert order_of_sale(uow, sale.sale_id) == {"order_id": "o-1", "number": "A-017"}
    x = till.services.shifts.x_report()
    assert (x.sales_count, x.sales_total) == (1, rub(549))
    assert dict(x.by_method)["cash"] == rub(549)


def test_a_cancelled_sale_forgets_its_order(till: Till) -> None:
    till.cache.apply(StreamBatch((order("o-2"),), cursor=5))
    sale = till.checkout.start("o-2")
    till.services.sales.cancel_sale(sale.sale_id)
    cancelled = [p for kind, p in till.ops() if kind == "sale.cancelled"]
    assert len(cancelled) == 1 and "order_id" not in cancelled[0]
    with till.store.unit_of_work() as uow:
        assert order_of_sale(uow, sale.sale_id) is None


def test_only_an_accepted_order_priced_as_this_till_prices_it_is_opened(till: Till) -> None:
    full = tuple(
        OrderLineView(ln.line_id, ln.product_id, ln.name, ln.quantity, ln.unit_price)
        for ln in LINES
    )  # the guest was shown 610 (no discount): the group changed?
    till.cache.apply(StreamBatch((order("o-3", lines=full), order("o-4", state=OrderState.NEW),
                                  order("o-5", state=OrderState.PAID)), cursor=6))  # fmt: skip
    with pytest.raises(OrderPriceDiffers, match="priced 61000 kopecks for the guest"):
        till.checkout.start("o-3")
    for order_id in ("o-4", "o-5", "nope"):
        with pytest.raises(OrderNotPayableHere):
            till.checkout.start(order_id)
    assert till.ops() == []  # nothing opened, nothing queued


def test_an_order_this_till_completed_unpaid_is_a_debt_in_the_shift_report(
    tmp_path: Path,
) -> None:
    """Issue 20 point 3: the X (and Z) report counts the guest orders this till completed
    unpaid during the shift and the debt they left; another terminal's are not its own."""
    from pos_app.services.shifts import report_lines

    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        seed(store.unit_of_work)
        clock = FakeClock()
        cache = SqlOrderCache(store)
        services = TillServices.build(store.unit_of_work, clock, FakeIds(),
                                      order_debts=cache.debts_by)  # fmt: skip
        services.staff.add_staff("c1", "Ирина", "cashier", "1111", SALT)
        services.shifts.open_shift(services.staff.sign_in("1111"), 0)
        clock.current += timedelta(seconds=60)
        done = order("o-9", state=OrderState.COMPLETED)
        later = clock.now()
        mine = replace(done, debt=done.total, updated_by="T1", updated_at=later)
        other = replace(done, order_id="o-10", debt=done.total, updated_by="T2",
                        updated_at=later, change_id=6)  # fmt: skip
        cache.apply(StreamBatch((mine, other), cursor=6))
        clock.current += timedelta(seconds=60)
        x = services.shifts.x_report()
        assert (x.orders_debt_count, x.orders_debt_total) == (1, rub(549))
        assert any(line.startswith("Долг гостей по заказам (1)") for line in report_lines(x))
    finally:
        store.close()


# Seed 001 "P add to order": the cake chosen in points, its 225.00 held on the server at placement
HELD_LINES = (LINES[0], replace(LINES[1], in_points=True))


def held_order(order_id: str, *, method: PaymentMethod = PaymentMethod.CASH,
               amount: int = rub(225)) -> OrderView:  # fmt: skip
    return replace(
        order(order_id, lines=HELD_LINES),
        method=method,
        points_hold_id=f"hold-of-{order_id}",
        points_hold_amount=amount,
    )


def test_an_orders_held_points_pay_its_points_lines_and_the_dialog_the_rest(till: Till) -> None:
    """The order's own hold pays the lines in points - no new hold, nothing asked of the server,
    no hold.committed from the till (the server commits it with sale.closed) - and cash the
    rest; sale.closed names the order and the hold."""
    till.cache.apply(StreamBatch((held_order("o-6"),), cursor=5))
    held = OrderHoldPayment(till.store.unit_of_work, FakeClock())
    sale = till.checkout.start("o-6")
    took = held.take(sale.sale_id)
    assert took is not None and not took.closed
    assert (took.method, took.amount, took.sale.due) == ("points", rub(225), rub(324))
    assert held.take(sale.sale_id) is None  # taken once
    paid = till.services.payments.pay_cash(sale.sale_id, rub(500))
    assert paid.closed and paid.change == rub(176)
    kinds = [kind for kind, _ in till.ops()]
    assert kinds == ["sale.closed"]  # no hold.placed / hold.committed / hold.released
    closed = till.ops()[0][1]
    assert closed["order_id"] == "o-6"
    payments = [(p["method"], p["amount"], p.get("hold_id")) for p in closed["payments"]]
    assert payments == [("points", rub(225), "hold-of-o-6"), ("cash", rub(324), None)]


def test_an_order_paid_all_in_points_closes_with_its_hold(till: Till) -> None:
    till.cache.apply(StreamBatch((held_order("o-7", method=PaymentMethod.POINTS,
                                             amount=rub(549)),), cursor=5))  # fmt: skip
    sale = till.checkout.start("o-7")
    took = OrderHoldPayment(till.store.unit_of_work, FakeClock()).take(sale.sale_id)
    assert took is not None and took.closed and took.sale.receipt_no
    [(kind, closed)] = till.ops()
    payments = [(p["method"], p["amount"], p.get("hold_id")) for p in closed["payments"]]
    assert (kind, payments) == ("sale.closed", [("points", rub(549), "hold-of-o-7")])


def test_a_till_hold_beside_the_orders_hold_keeps_its_own_payment(tmp_path: Path) -> None:
    """More points taken at the till (a hold of its own, offline) beside the order's, and the
    till restarted before the rest is paid (the store keeps no payment's hold id): each points
    payment names its own hold in sale.closed, and the till commits only its own."""
    from pos_app.domain.catalog import Product

    path = tmp_path / "till.sqlite3"
    store = open_store(path, terminal_id="T1", receipt_prefix="T1")
    try:
        seed(store.unit_of_work)
        with store.unit_of_work() as uow:
            uow.products.add(Product("latte", "Латте", rub(180), "coffee",
                                     frozenset({"напитки"}), "4600000000017",
                                     payable_with_points=True))  # fmt: skip
            uow.groups.add(replace(TEN, offline_allowance=rub(100)))  # Anna's group
            uow.commit()
        cache = SqlOrderCache(store)
        cache.apply(StreamBatch((held_order("o-8"),), cursor=5))
        clock, ids = FakeClock(), FakeIds()
        sale = OrderCheckout(store.unit_of_work, cache, clock, ids).start("o-8")
        OrderHoldPayment(store.unit_of_work, clock).take(sale.sale_id)
        services = TillServices.build(store.unit_of_work, clock, ids)
        allowed = services.payments.available_for_points(sale.sale_id)
        # all 250.00 available: the order's 225.00 are already held out of the snapshot and
        # are not counted again
        assert (allowed.already_paid, allowed.max_points) == (rub(225), rub(250))
        services.points.pay_points(sale.sale_id, rub(25))
    finally:
        store.close()
    store = open_store(path, terminal_id="T1", receipt_prefix="T1")  # the till restarted
    try:
        till = Till(store, TillServices.build(store.unit_of_work, clock, ids),
                    OrderCheckout(store.unit_of_work, cache, clock, ids), cache)  # fmt: skip
        assert till.services.payments.pay_cash(sale.sale_id, rub(299)).closed
        ops = till.ops()
    finally:
        store.close()
    placed = [p["hold_id"] for kind, p in ops if kind == "hold.placed"]
    committed = [p["hold_id"] for kind, p in ops if kind == "hold.committed"]
    assert len(placed) == 1 and committed == placed
    closed = next(p for kind, p in ops if kind == "sale.closed")
    payments = [(p["method"], p["amount"], p.get("hold_id")) for p in closed["payments"]]
    assert payments == [("points", rub(225), "hold-of-o-8"), ("points", rub(25), placed[0]),
                        ("cash", rub(299), None)]  # fmt: skip


def test_a_voided_sale_leaves_the_hold_with_the_order(till: Till) -> None:
    till.cache.apply(StreamBatch((held_order("o-9"),), cursor=5))
    sale = till.checkout.start("o-9")
    OrderHoldPayment(till.store.unit_of_work, FakeClock()).take(sale.sale_id)
    till.services.sales.cancel_sale(sale.sale_id)
    ops = till.ops()
    assert [kind for kind, _ in ops] == ["sale.cancelled"]  # no hold.released: the order's
    assert "order_id" not in ops[0][1]
    with till.store.unit_of_work() as uow:
        assert order_of_sale(uow, sale.sale_id) is None
