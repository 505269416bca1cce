"""The console made safe for a busy operator (issue 20 point 4) and clearer (point 5), against
a real ``pos-server run``: cancel/void/pay/complete ask first naming the order's short number,
guest and amount; a double-click on Cancel cancels one order, and the selection stays on it
instead of jumping to the next guest's order; buttons wait while an action is in flight; a lost
race names the console that won."""

from __future__ import annotations

from datetime import UTC, datetime

import requests
from pytestqt.qtbot import QtBot

from pos_app.domain.orders import OrderAction, OrderState, PaymentMethod
from pos_app.services.orders import OrderLineView, OrderView
from pos_app.ui.console.detail import OrderDetail
from pos_server.db import make_engine, make_sessions
from pos_server.repositories.points_ledger import credit_points
from tests.sync.test_order_stream_server import RealServer
from tests.ui.test_console import (
    ConsoleFactory,
    confirm,
    consoles,
    enabled,
    rows,
    select,
    server,
    state_on,
)

__all__ = ["consoles", "server"]


def server_state(server: RealServer, order_id: str) -> str:
    answer = requests.get(f"{server.base}/v1/orders/{order_id}", headers=server.admin.headers,
                          timeout=5)  # fmt: skip
    return str(answer.json()["state"])


def test_cancel_asks_first_naming_the_order_and_back_changes_nothing(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    console = consoles("Ask")
    number = server.place("ask-1")["number"]
    qtbot.waitUntil(lambda: "ask-1" in rows(console), timeout=5000)
    select(console, qtbot, "ask-1")
    detail = console.window.detail
    assert detail.title.text() == f"Order {number}"
    detail.buttons[OrderAction.CANCEL].click()
    assert enabled(console) == set()  # nothing else can be pressed while it asks
    said = confirm(console, qtbot, answer=False)
    assert said.startswith(f"Cancel order {number}?")
    assert "Guest: Anna Smirnova" in said and "Amount: 820,00" in said
    assert enabled(console) == {OrderAction.ACCEPT, OrderAction.CANCEL, OrderAction.COMPLETE}
    assert state_on(console, "ask-1") is OrderState.NEW
    assert server_state(server, "ask-1") == "new"


def test_a_double_click_on_cancel_cancels_one_order_and_the_selection_stays_on_it(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    console = consoles("Busy")
    server.place("dbl-1")
    server.place("dbl-2")
    qtbot.waitUntil(lambda: rows(console)[-2:] == ["dbl-1", "dbl-2"], timeout=5000)
    select(console, qtbot, "dbl-1")
    cancel = console.window.detail.buttons[OrderAction.CANCEL]
    qtbot.mouseDClick(cancel, qtbot_button())  # the operator's double click
    cancel.click()  # and a third, for good measure: the question is still open
    dialog = console.window.confirmation
    assert dialog is not None and dialog.order_id == "dbl-1"
    dialog.confirm.click()
    cancel.click()  # the slow second click of the double-click lands after the answer
    qtbot.waitUntil(lambda: "dbl-1" not in rows(console), timeout=5000)
    qtbot.waitUntil(lambda: not console.window.detail.busy, timeout=5000)
    cancel.click()  # and once more after the order left the panel
    qtbot.wait(300)
    assert console.window.confirmation is None  # nothing was asked about another order
    detail = console.window.detail
    assert detail.order is not None and detail.order.order_id == "dbl-1"  # still on it
    assert detail.order.state is OrderState.CANCELLED
    assert console.window.panel.selected_order() is None  # not moved to the next guest's order
    assert enabled(console) == set()
    assert server_state(server, "dbl-1") == "cancelled"
    assert server_state(server, "dbl-2") == "new"
    assert state_on(console, "dbl-2") is OrderState.NEW


def test_a_lost_race_names_the_console_that_won_and_the_state_now(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    bar, hall = consoles("Bar"), consoles("Hall")
    number = server.place("race-1")["number"]
    for console in (bar, hall):
        qtbot.waitUntil(lambda c=console: "race-1" in rows(c), timeout=5000)
        select(console, qtbot, "race-1")
    hall.window.detail.buttons[OrderAction.CANCEL].click()  # Hall is asked ...
    qtbot.waitUntil(lambda: hall.window.confirmation is not None, timeout=3000)
    bar.window.detail.buttons[OrderAction.CANCEL].click()
    confirm(bar, qtbot)  # ... while Bar confirms first
    qtbot.waitUntil(lambda: hall.window.confirmation is None, timeout=5000)  # withdrawn
    message = hall.window.detail.message.text()
    assert message == (f"Bar got there first: order {number} is now cancelled. "
                       "Nothing was applied twice.")  # fmt: skip
    assert not hall.window.detail.busy and enabled(hall) == set()
    assert server_state(server, "race-1") == "cancelled"


def test_a_question_raced_by_the_server_answer_names_the_winner(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    """Both consoles confirmed before either saw the other's change: the server judges, the
    second gets a conflict that names the first."""
    one, two = consoles("Front"), consoles("Back")
    server.place("race-2")
    for console in (one, two):
        qtbot.waitUntil(lambda c=console: "race-2" in rows(c), timeout=5000)
        select(console, qtbot, "race-2")
        console.window.detail.buttons[OrderAction.ACCEPT].click()
    messages = [c.window.detail.message for c in (one, two)]
    qtbot.waitUntil(lambda: all(m.text() != "Sending…" for m in messages), timeout=5000)
    lost = [m.text() for m in messages if m.text()]
    assert len(lost) == 1 and lost[0].startswith(("Front got there first", "Back got there first"))
    assert lost[0].endswith("is now accepted. Nothing was applied twice.")


def test_the_guests_points_and_deposit_come_with_the_order_stream(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    """The live stream pushes order changes only; each carries the guest's accounts, so the
    second order of a guest the console already knows still shows the new hold at once."""
    server.add_guest("boris", "Boris Orlov")
    engine = make_engine(server.db_url)
    with make_sessions(engine).begin() as session:
        credit_points(session, "boris", 100_000, now=datetime.now(UTC), actor="t", reason="gift")
    engine.dispose()
    console = consoles("Points")
    line = {"product_id": "tea", "name": "Tea", "quantity": 1, "unit_price": 30_000}
    server.place("pts-1", guest_id="boris", method="points", lines=[line])
    qtbot.waitUntil(lambda: "pts-1" in rows(console), timeout=5000)
    select(console, qtbot, "pts-1")
    fields = console.window.detail.fields
    qtbot.waitUntil(lambda: fields["points"].text() == "700,00 pts available (300,00 pts held)",
                    timeout=5000)  # fmt: skip
    assert fields["balance"].text() == "0,00 ₽"
    server.place("pts-2", guest_id="boris", method="points", lines=[line])
    qtbot.waitUntil(lambda: "pts-2" in rows(console), timeout=5000)
    select(console, qtbot, "pts-2")
    qtbot.waitUntil(lambda: fields["points"].text() == "400,00 pts available (600,00 pts held)",
                    timeout=5000)  # fmt: skip


def test_an_accepted_order_paid_in_cash_offline_is_applied_once_when_back(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    """Point 6: cash (or card) is money in the operator's hand, so paying an accepted order is
    allowed offline; it is queued, shown with ⏳, and applied exactly once on reconnect. A
    balance payment still needs the server."""
    try:
        console = consoles("Offline")
        server.place("off-pay")
        qtbot.waitUntil(lambda: "off-pay" in rows(console), timeout=5000)
        select(console, qtbot, "off-pay")
        detail = console.window.detail
        detail.buttons[OrderAction.ACCEPT].click()
        qtbot.waitUntil(lambda: state_on(console, "off-pay") is OrderState.ACCEPTED, timeout=5000)
        server.stop()
        qtbot.waitUntil(lambda: not console.stream.online, timeout=5000)
        qtbot.waitUntil(lambda: not detail.busy and not detail.online, timeout=5000)
        detail.method.setCurrentIndex(detail.method.findData("balance"))
        assert not detail.buttons[OrderAction.PAY].isEnabled()  # needs the server's balance
        detail.method.setCurrentIndex(detail.method.findData("cash"))
        assert detail.buttons[OrderAction.PAY].isEnabled()
        assert not detail.buttons[OrderAction.VOID].isEnabled()
        detail.buttons[OrderAction.PAY].click()
        confirm(console, qtbot)
        qtbot.waitUntil(lambda: "Saved on this console" in detail.message.text(), timeout=5000)
        shown = console.window.model.order(console.window.model.row_of("off-pay") or 0)
        assert shown.state is OrderState.PAID and shown.pending_ops == 1
        server.start()
        qtbot.waitUntil(lambda: console.stream.online, timeout=15000)
        qtbot.waitUntil(lambda: server_state(server, "off-pay") == "paid", timeout=10000)
        row = console.window.model.row_of
        qtbot.waitUntil(lambda: console.window.model.order(row("off-pay") or 0).pending_ops == 0,
                        timeout=10000)  # fmt: skip
        feed = requests.get(f"{server.base}/v1/changes", params={"cursor": 0, "limit": 1000},
                            headers=server.admin.headers, timeout=5)  # fmt: skip
        changes = feed.json()["changes"]
        paid = [c for c in changes if c["entity_id"] == "off-pay" and c["data"]["event"] == "paid"]
        assert len(paid) == 1 and paid[0]["data"]["method"] == "cash"
        assert paid[0]["data"]["updated_by_name"] == "Offline"
        with console.store.unit_of_work() as uow:
            assert list(uow.outbox.pending()) == []  # sent, judged, never resent
    finally:
        if server.process is None:
            server.start()


def test_an_order_taken_through_its_workflow_paid_by_card_earns_points_shown_live(
    server: RealServer, consoles: ConsoleFactory, qtbot: QtBot
) -> None:
    """Placed, accepted, every item delivered (the next one selected each time), paid by card
    and completed: the server accrues points on the payment (seed 004) and the console shows
    the accrual and the guest's new points from the stream."""
    from pos_app.domain.loyalty import accrual_for
    from pos_server.ledger.rules import settings_for

    server.add_guest("vera", "Vera Lebedeva")
    console = consoles("Workflow")
    number = server.place("wf-1", guest_id="vera")["number"]
    qtbot.waitUntil(lambda: "wf-1" in rows(console), timeout=5000)
    select(console, qtbot, "wf-1")
    detail = console.window.detail
    detail.buttons[OrderAction.ACCEPT].click()
    qtbot.waitUntil(lambda: OrderAction.DELIVER in enabled(console), timeout=5000)
    for line in ("1", "2"):
        assert detail.selected_line() == line  # the next undelivered item, without a click
        detail.buttons[OrderAction.DELIVER].click()
        qtbot.waitUntil(lambda ln=line: detail.order is not None and any(
            x.delivered for x in detail.order.lines if x.line_id == ln) and not detail.busy,
            timeout=5000)  # fmt: skip
    detail.method.setCurrentIndex(detail.method.findData("card"))
    qtbot.waitUntil(lambda: OrderAction.PAY in enabled(console), timeout=5000)
    detail.buttons[OrderAction.PAY].click()
    said = confirm(console, qtbot)
    assert f"order {number}" in said and "To pay now: 820,00 ₽, card" in said
    earned = accrual_for(82_000, settings_for(None))
    qtbot.waitUntil(lambda: detail.order is not None and detail.order.accrual == earned,
                    timeout=5000)  # fmt: skip
    assert detail.fields["paid"].text().endswith(f", {earned // 100},00 pts earned")
    qtbot.waitUntil(lambda: detail.fields["points"].text().startswith(
        f"{earned // 100},00 pts available"), timeout=5000)  # fmt: skip
    detail.buttons[OrderAction.COMPLETE].click()
    confirm(console, qtbot)
    qtbot.waitUntil(lambda: "wf-1" not in rows(console), timeout=5000)
    assert detail.order is not None and detail.order.state is OrderState.COMPLETED
    assert server_state(server, "wf-1") == "completed"


def qtbot_button() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _order(delivered: tuple[bool, ...]) -> OrderView:
    now = datetime.now(UTC)
    lines = tuple(OrderLineView(str(n), f"p{n}", f"Item {n}", 1, 10_000, delivered=d)
                  for n, d in enumerate(delivered, start=1))  # fmt: skip
    return OrderView("o-1", "anna", OrderState.ACCEPTED, PaymentMethod.CASH, 30_000, now, now,
                     lines, guest_name="Anna", number="A-017")  # fmt: skip


def test_after_delivering_an_item_the_next_undelivered_one_is_selected(qtbot: QtBot) -> None:
    detail = OrderDetail()
    qtbot.addWidget(detail)
    detail.show_order(_order((False, False, False)))
    assert detail.selected_line() == "1"
    detail.lines.selectRow(1)
    detail.show_order(_order((False, True, False)))  # line 2 was delivered
    assert detail.selected_line() == "3"
    detail.show_order(_order((False, True, True)))  # then line 3: back to the first left
    assert detail.selected_line() == "1"
    assert detail.title.text() == "Order A-017" and detail.fields["guest"].text() == "Anna"
