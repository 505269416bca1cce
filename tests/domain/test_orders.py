"""Seed 001's operator workflow: states, effects, and two consoles acting on one order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.errors import DomainError
from pos_app.domain.money import rub
from pos_app.domain.orders import (
    TERMINAL_STATES,
    DebtRecorded,
    EmptyOrder,
    IllegalOrderAction,
    InvoiceAnnulled,
    InvoiceCreated,
    ItemDelivered,
    LineAlreadyDelivered,
    LineNotFound,
    Order,
    OrderAction,
    OrderLine,
    OrderState,
    PaymentMethod,
    PaymentRecorded,
    PaymentReversed,
    PointsHoldCommitted,
    PointsHoldReleased,
    Transition,
    accept,
    allowed_actions,
    cancel,
    complete,
    deliver,
    pay,
    void,
)


def _order(hold: str | None = None, method: PaymentMethod = PaymentMethod.CASH) -> Order:
    lines = (
        OrderLine("l1", "coffee", "Coffee", 2, rub(150)),
        OrderLine("l2", "cake", "Cake", 1, rub(300)),
    )
    return Order("o1", "g1", lines, method, points_hold_id=hold)


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
    assert PointsHoldCommitted("o1", "h1", rub(600)) in effects
    assert paid.points_hold_id is None
    _, effects = pay(accepted, PaymentMethod.CARD)
    assert PointsHoldReleased("o1", "h1") in effects
    assert not any(isinstance(e, PointsHoldCommitted) for e in effects)


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


def test_second_console_is_told_the_order_is_already_accepted() -> None:
    stale = _order()
    fresh, _ = accept(stale)  # console A wins
    with pytest.raises(IllegalOrderAction) as info:
        accept(fresh)  # console B, after reloading the order
    assert "already accepted" in str(info.value)
    assert info.value.details == {"order_id": "o1", "action": "accept", "state": "accepted"}


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


_ACTIONS: dict[OrderAction, Callable[[Order], Transition]] = {
    OrderAction.ACCEPT: accept,
    OrderAction.CANCEL: cancel,
    OrderAction.DELIVER: lambda o: deliver(o, _first_undelivered(o)),
    OrderAction.PAY: pay,
    OrderAction.COMPLETE: complete,
    OrderAction.VOID: void,
}


@settings(max_examples=150)
@given(
    steps=st.lists(st.sampled_from(list(OrderAction)), max_size=12),
    hold=st.sampled_from([None, "h1"]),
)
def test_random_action_sequences_stay_consistent(
    steps: list[OrderAction], hold: str | None
) -> None:
    order = _order(hold=hold)
    invoices = debts = payments = 0
    for action in steps:
        allowed = allowed_actions(order)
        if action not in allowed:
            with pytest.raises(DomainError):
                _ACTIONS[action](order)
            continue
        order, effects = _ACTIONS[action](order)
        invoices += sum(isinstance(e, InvoiceCreated) for e in effects)
        debts += sum(isinstance(e, DebtRecorded) for e in effects)
        payments += sum(isinstance(e, PaymentRecorded) for e in effects)
        if order.state in TERMINAL_STATES:
            assert allowed_actions(order) == frozenset()
            assert order.points_hold_id is None
        if order.state is OrderState.COMPLETED:
            assert order.all_delivered
    assert invoices <= 1 and payments <= 1 and debts <= 1
    assert not (payments and debts) or order.state is OrderState.VOIDED
    if order.state is OrderState.NEW:
        assert invoices == 0
