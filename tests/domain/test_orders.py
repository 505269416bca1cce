"""Seed 001's operator workflow: states, effects, and two consoles acting on one order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError
from pos_app.domain.money import rub
from pos_app.domain.orders import (
    TERMINAL_STATES,
    DebtRecorded,
    EmptyOrder,
    HoldRef,
    IllegalOrderAction,
    InvalidOrder,
    InvoiceAnnulled,
    InvoiceCreated,
    ItemDelivered,
    LineAlreadyDelivered,
    LineNotFound,
    Order,
    OrderAction,
    OrderLine,
    OrderState,
    PaidBySale,
    PaymentMethod,
    PaymentRecorded,
    PaymentReversed,
    PointsDebited,
    PointsHoldCommitted,
    PointsHoldReleased,
    PointsNotAllowed,
    PointsRefunded,
    ProductNotOrderable,
    Transition,
    accept,
    allowed_actions,
    cancel,
    complete,
    deliver,
    pay,
    settle_by_sale,
    void,
)


def _order(
    hold: str | None = None,
    method: PaymentMethod = PaymentMethod.CASH,
    hold_amount: int = rub(600),
    cake_in_points: bool = False,
) -> Order:
    lines = (
        OrderLine("l1", "coffee", "Coffee", 2, rub(150)),
        OrderLine("l2", "cake", "Cake", 1, rub(300), in_points=cake_in_points),
    )
    points_hold = HoldRef(hold, hold_amount) if hold else None
    return Order("o1", "g1", lines, method, points_hold=points_hold)


def test_total_is_the_sum_of_lines() -> None:
    assert _order().total == rub(600)


def test_an_order_needs_items() -> None:
    with pytest.raises(EmptyOrder):
        Order("o1", "g1", (), PaymentMethod.CASH)


def test_happy_path_new_accepted_paid_completed() -> None:
    order, effects = accept(_order())
    assert order.state is OrderState.ACCEPTED
    assert effects == (InvoiceCreated("o1", "g1", rub(600)),)
    order, effects = deliver(order, "l1")
    assert effects == (ItemDelivered("o1", "l1"),)
    assert [line.delivered for line in order.lines] == [True, False]
    order, effects = pay(order)
    assert order.state is OrderState.PAID
    assert effects == (PaymentRecorded("o1", "g1", rub(600), PaymentMethod.CASH),)
    order, effects = complete(order)
    assert order.state is OrderState.COMPLETED
    assert order.all_delivered
    assert effects == (ItemDelivered("o1", "l2"),)  # no debt: it was paid
    assert allowed_actions(order) == frozenset()


def test_method_can_be_changed_at_payment() -> None:
    order, _ = accept(_order())
    order, effects = pay(order, PaymentMethod.BALANCE)
    assert order.method is PaymentMethod.BALANCE
    assert effects == (PaymentRecorded("o1", "g1", rub(600), PaymentMethod.BALANCE),)


def test_paying_by_points_commits_the_hold_switching_away_releases_it() -> None:
    accepted, _ = accept(_order(hold="h1", method=PaymentMethod.POINTS))
    paid, effects = pay(accepted)
    assert effects == (PointsHoldCommitted("o1", "h1", rub(600)),)
    assert (paid.paid_money, paid.paid_points, paid.points_hold) == (0, rub(600), None)
    paid, effects = pay(accepted, PaymentMethod.CARD)
    assert effects == (
        PaymentRecorded("o1", "g1", rub(600), PaymentMethod.CARD),
        PointsHoldReleased("o1", "h1"),
    )
    assert (paid.paid_money, paid.paid_points) == (rub(600), 0)


def test_lines_in_points_are_paid_from_the_hold_the_rest_by_the_method() -> None:
    order = _order(hold="h1", hold_amount=rub(300), cake_in_points=True)
    assert (order.money_total, order.points_total) == (rub(300), rub(300))
    accepted, _ = accept(order)
    paid, effects = pay(accepted, PaymentMethod.BALANCE)
    assert effects == (
        PaymentRecorded("o1", "g1", rub(300), PaymentMethod.BALANCE),
        PointsHoldCommitted("o1", "h1", rub(300)),
    )
    assert (paid.paid_money, paid.paid_points) == (rub(300), rub(300))


def test_points_beyond_the_hold_or_without_one_are_debited_directly() -> None:
    small_hold, _ = accept(_order(hold="h1", hold_amount=rub(300), cake_in_points=True))
    _, effects = pay(small_hold, PaymentMethod.POINTS)  # operator switches all to points
    assert effects == (
        PointsHoldCommitted("o1", "h1", rub(300)),
        PointsDebited("o1", "g1", rub(300)),
    )
    no_hold, _ = accept(_order(cake_in_points=True))
    _, effects = pay(no_hold)
    assert effects == (
        PaymentRecorded("o1", "g1", rub(300), PaymentMethod.CASH),
        PointsDebited("o1", "g1", rub(300)),
    )


def test_a_hold_larger_than_needed_is_committed_for_what_is_due() -> None:
    accepted, _ = accept(_order(hold="h1", hold_amount=rub(500), cake_in_points=True))
    _, effects = pay(accepted)
    assert PointsHoldCommitted("o1", "h1", rub(300)) in effects


def test_lines_from_products_respect_guest_ordering_and_points_settings() -> None:
    latte = Product("latte", "Латте", rub(180))
    line = OrderLine.for_product("l1", latte, 2, in_points=True)
    assert (line.product_id, line.name, line.amount, line.in_points) == (
        "latte",
        "Латте",
        rub(360),
        True,
    )
    with pytest.raises(PointsNotAllowed, match="cannot be paid with points"):
        OrderLine.for_product("l1", replace(latte, payable_with_points=False), 1, in_points=True)
    assert not OrderLine.for_product("l1", replace(latte, payable_with_points=False), 1).in_points
    with pytest.raises(ProductNotOrderable, match="cannot be ordered by guests"):
        OrderLine.for_product("l1", replace(latte, guest_orderable=False), 1)


def test_ready_by_needs_a_time_zone() -> None:
    lines = _order().lines
    when = datetime(2026, 1, 5, 18, 30, tzinfo=UTC)
    assert Order("o1", "g1", lines, PaymentMethod.CASH, ready_by=when).ready_by == when
    with pytest.raises(InvalidOrder):
        Order("o1", "g1", lines, PaymentMethod.CASH, ready_by=datetime(2026, 1, 5, 18, 30))  # noqa: DTZ001


def test_complete_unpaid_delivers_everything_and_records_a_debt() -> None:
    order, _ = accept(_order())
    order, effects = complete(order)
    assert order.state is OrderState.COMPLETED
    assert order.all_delivered
    assert effects == (
        ItemDelivered("o1", "l1"),
        ItemDelivered("o1", "l2"),
        DebtRecorded("o1", "g1", rub(600)),
    )


def test_complete_on_a_new_order_accepts_it_first_so_the_debt_has_an_invoice() -> None:
    order, effects = complete(_order(hold="h1"))
    assert order.state is OrderState.COMPLETED
    assert effects == (
        InvoiceCreated("o1", "g1", rub(600)),
        ItemDelivered("o1", "l1"),
        ItemDelivered("o1", "l2"),
        PointsHoldReleased("o1", "h1"),
        DebtRecorded("o1", "g1", rub(600)),
    )


def test_cancel_only_before_accept_and_releases_a_hold() -> None:
    order, effects = cancel(_order(hold="h1"))
    assert order.state is OrderState.CANCELLED
    assert effects == (PointsHoldReleased("o1", "h1"),)
    accepted, _ = accept(_order())
    with pytest.raises(IllegalOrderAction) as info:
        cancel(accepted)
    assert info.value.details["state"] == "accepted"


def test_void_only_after_accept_annuls_invoice_and_releases_hold() -> None:
    with pytest.raises(IllegalOrderAction):
        void(_order())
    accepted, _ = accept(_order(hold="h1", method=PaymentMethod.POINTS))
    order, effects = void(accepted)
    assert order.state is OrderState.VOIDED
    assert effects == (InvoiceAnnulled("o1", "g1", rub(600)), PointsHoldReleased("o1", "h1"))


def test_void_after_payment_reverses_the_payment() -> None:
    accepted, _ = accept(_order())
    paid, _ = pay(accepted, PaymentMethod.CARD)
    _, effects = void(paid)
    assert effects == (
        InvoiceAnnulled("o1", "g1", rub(600)),
        PaymentReversed("o1", "g1", rub(600), PaymentMethod.CARD),
    )


def test_void_after_payment_in_money_and_points_gives_both_back() -> None:
    accepted, _ = accept(_order(hold="h1", hold_amount=rub(300), cake_in_points=True))
    paid, _ = pay(accepted, PaymentMethod.CASH)
    voided, effects = void(paid)
    assert effects == (
        InvoiceAnnulled("o1", "g1", rub(600)),
        PaymentReversed("o1", "g1", rub(300), PaymentMethod.CASH),
        PointsRefunded("o1", "g1", rub(300)),
    )
    assert allowed_actions(voided) == frozenset()


def test_second_console_is_told_the_order_is_already_accepted() -> None:
    stale = _order()
    fresh, _ = accept(stale)  # console A wins
    with pytest.raises(IllegalOrderAction) as info:
        accept(fresh)  # console B, after reloading the order
    assert "already accepted" in str(info.value)
    assert info.value.details == {"order_id": "o1", "action": "accept", "state": "accepted"}
    with pytest.raises(IllegalOrderAction, match="it is not accepted yet"):
        pay(stale)  # a new order cannot be paid


def test_pay_twice_is_refused() -> None:
    accepted, _ = accept(_order())
    paid, _ = pay(accepted)
    with pytest.raises(IllegalOrderAction, match="already paid"):
        pay(paid)


def test_delivering_twice_or_an_unknown_item_is_refused() -> None:
    order, _ = accept(_order())
    order, _ = deliver(order, "l1")
    with pytest.raises(LineAlreadyDelivered):
        deliver(order, "l1")
    with pytest.raises(LineNotFound):
        deliver(order, "nope")
    with pytest.raises(IllegalOrderAction):
        deliver(_order(), "l1")  # not accepted yet


def test_allowed_actions_drive_the_buttons() -> None:
    new = _order()
    assert allowed_actions(new) == {OrderAction.ACCEPT, OrderAction.CANCEL, OrderAction.COMPLETE}
    accepted, _ = accept(new)
    assert allowed_actions(accepted) == {
        OrderAction.DELIVER,
        OrderAction.PAY,
        OrderAction.COMPLETE,
        OrderAction.VOID,
    }
    paid, _ = pay(accepted)
    assert allowed_actions(paid) == {OrderAction.DELIVER, OrderAction.COMPLETE, OrderAction.VOID}
    all_delivered = replace(paid, lines=tuple(replace(ln, delivered=True) for ln in paid.lines))
    assert OrderAction.DELIVER not in allowed_actions(all_delivered)


def _first_undelivered(order: Order) -> str:
    return next((ln.id for ln in order.lines if not ln.delivered), "l1")


_ACTIONS: dict[OrderAction, Callable[[Order, PaymentMethod], Transition]] = {
    OrderAction.ACCEPT: lambda o, _m: accept(o),
    OrderAction.CANCEL: lambda o, _m: cancel(o),
    OrderAction.DELIVER: lambda o, _m: deliver(o, _first_undelivered(o)),
    OrderAction.PAY: pay,
    OrderAction.COMPLETE: lambda o, _m: complete(o),
    OrderAction.VOID: lambda o, _m: void(o),
}
_HOLD_ENDINGS = (PointsHoldCommitted, PointsHoldReleased)


class _Tally:
    """Sums of what the effects asked the services to do, to check conservation."""

    def __init__(self) -> None:
        self.counts: dict[type, int] = {}
        self.money_in = self.points_in = 0

    def add(self, effects: tuple[object, ...]) -> None:
        for effect in effects:
            self.counts[type(effect)] = self.counts.get(type(effect), 0) + 1
            if isinstance(effect, PaymentRecorded):
                assert effect.method is not PaymentMethod.POINTS  # points move via the ledger
                self.money_in += effect.amount
            if isinstance(effect, PointsHoldCommitted | PointsDebited):
                self.points_in += effect.amount

    def count(self, *kinds: type) -> int:
        return sum(self.counts.get(kind, 0) for kind in kinds)


@settings(max_examples=200)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(list(OrderAction)), st.sampled_from(list(PaymentMethod))),
        max_size=12,
    ),
    hold_amount=st.sampled_from([None, rub(100), rub(300), rub(600), rub(900)]),
    cake_in_points=st.booleans(),
)
def test_random_action_sequences_stay_consistent(
    steps: list[tuple[OrderAction, PaymentMethod]], hold_amount: int | None, cake_in_points: bool
) -> None:
    hold = "h1" if hold_amount else None
    order = _order(hold=hold, hold_amount=hold_amount or 1, cake_in_points=cake_in_points)
    tally = _Tally()
    for action, method in steps:
        if action not in allowed_actions(order):
            with pytest.raises(DomainError):
                _ACTIONS[action](order, method)
            continue
        order, effects = _ACTIONS[action](order, method)
        tally.add(effects)
        if order.state is OrderState.PAID:
            assert order.paid_money + order.paid_points == order.total
            assert (tally.money_in, tally.points_in) == (order.paid_money, order.paid_points)
        if order.state in TERMINAL_STATES:
            assert allowed_actions(order) == frozenset()
            assert order.points_hold is None
            for terminal_action in OrderAction:
                with pytest.raises(IllegalOrderAction):
                    _ACTIONS[terminal_action](order, method)
        if order.state is OrderState.COMPLETED:
            assert order.all_delivered
    assert tally.count(InvoiceCreated) <= 1
    # One payment at most: a money part, points from the hold, and points beyond it by debit.
    for payment_kind in (PaymentRecorded, PointsDebited, PointsHoldCommitted):
        assert tally.count(payment_kind) <= 1
    assert tally.count(DebtRecorded) <= 1
    assert not (tally.money_in or tally.points_in) or not tally.count(DebtRecorded)
    assert tally.count(InvoiceAnnulled) <= tally.count(InvoiceCreated)
    if hold:
        # every hold ends exactly once, and only an order still open may keep it
        endings = tally.count(*_HOLD_ENDINGS)
        assert endings == (0 if order.points_hold else 1)
        assert order.points_hold is None or order.state in {OrderState.NEW, OrderState.ACCEPTED}
    if order.state is OrderState.NEW:
        assert tally.count(InvoiceCreated) == 0
    if order.state is OrderState.VOIDED:
        refunds = tally.count(PaymentReversed, PointsRefunded)
        assert refunds == (order.paid_money > 0) + (order.paid_points > 0)


def test_a_till_sale_spending_the_orders_own_hold_does_not_release_it() -> None:
    """Seed 001 "P add to order" paid at the till: the sale's points payment was the order's
    hold (committed by the sale's close), so settling by the sale ends nothing more; a sale
    that paid with a hold of its own (or none) releases the order's hold."""
    accepted, _ = accept(_order(hold="h1", hold_amount=rub(300), cake_in_points=True))
    paid, effects = settle_by_sale(accepted, sale_id="s1", money=rub(300), points=rub(300),
                                   spent_hold="h1")  # fmt: skip
    assert effects == (PaidBySale("o1", "s1", rub(300), rub(300)),)
    assert (paid.state, paid.paid_by_sale, paid.points_hold) == (OrderState.PAID, "s1", None)
    assert (paid.paid_money, paid.paid_points) == (rub(300), rub(300))
    for other in ("h-till", None):
        _, effects = settle_by_sale(accepted, sale_id="s1", money=rub(600), points=0,
                                    spent_hold=other)  # fmt: skip
        assert effects == (PointsHoldReleased("o1", "h1"), PaidBySale("o1", "s1", rub(600), 0))


def test_cancel_and_void_before_payment_release_the_orders_hold() -> None:
    held = _order(hold="h1", hold_amount=rub(300), cake_in_points=True)
    cancelled, effects = cancel(held)
    assert effects == (PointsHoldReleased("o1", "h1"),) and cancelled.points_hold is None
    accepted, _ = accept(held)
    voided, effects = void(accepted)
    assert PointsHoldReleased("o1", "h1") in effects and voided.points_hold is None
    assert voided.state is OrderState.VOIDED
