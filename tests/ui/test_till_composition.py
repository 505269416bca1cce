"""The till window by composition (issue 22 point 9): the flows are objects of their own,
not base classes of the window, and an operation says what it changed - every observing
panel (the window's own, or one added later such as a customer display) refreshes itself
from the session, with no callback choosing widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMainWindow

from pos_app.commands.demo_data import card_number
from pos_app.ui.main_window import TillWindow
from pos_app.ui.till.changes import OpChanges, Session
from pos_app.ui.till.guest_flow import GuestFlow
from pos_app.ui.till.loyalty_flow import LoyaltyFlow
from pos_app.ui.till.manager_flow import ManagerFlow
from pos_app.ui.till.payment_flow import PaymentFlow
from pos_app.ui.till.shift_flow import ShiftFlow
from tests.ui.test_till_window import LATTE, signed_in


class Recorder:
    """A panel that only writes down what it was told."""

    def __init__(self) -> None:
        self.seen: list[tuple[OpChanges, Any, Any]] = []

    def op_executed(self, changes: OpChanges, session: Session) -> None:
        self.seen.append((changes, session.sale, session.guest))


def test_the_window_is_composed_of_flows_not_built_by_inheritance(till_factory: Any) -> None:
    assert TillWindow.__mro__[1] is QMainWindow
    window = signed_in(till_factory).window
    for name, kind in (("shift", ShiftFlow), ("payment", PaymentFlow), ("guests", GuestFlow),
                       ("manager", ManagerFlow), ("loyalty", LoyaltyFlow)):  # fmt: skip
        flow = getattr(window, name)
        assert isinstance(flow, kind) and flow.controller is window.controller
    assert window.loyalty.manager is window.manager is window.payment.manager


def test_an_operation_says_what_it_changed_and_observers_refresh_themselves(
    till_factory: Any,
) -> None:
    till = signed_in(till_factory)
    window = till.window
    recorder = Recorder()
    window.controller.observe(recorder)

    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: bool(recorder.seen), timeout=5000)
    changes, sale, guest = recorder.seen[-1]
    assert changes == OpChanges(sale=True) and sale is not None and guest is None
    assert [line.name for line in window.basket.lines] == [sale.lines[0].name]  # redrawn too

    recorder.seen.clear()
    till.scan(f";{card_number(6)}?")  # a guest identified: the sale and the guest changed
    till.qtbot.waitUntil(lambda: bool(recorder.seen), timeout=5000)
    changes, _sale, guest = recorder.seen[-1]
    assert changes == OpChanges(sale=True, guest=True) and guest is not None
    assert window.guest_panel.guest is guest

    recorder.seen.clear()  # the guest read again (a reset of holds, a server's refusal)
    fresh = window.controller.guest
    assert fresh is not None
    window.controller.adopt_guest(fresh)
    assert recorder.seen == [(OpChanges(guest=True), window.controller.sale, fresh)]

    recorder.seen.clear()
    till.scan(LATTE)  # only the sale: the guest panel is left alone
    till.qtbot.waitUntil(lambda: bool(recorder.seen), timeout=5000)
    assert recorder.seen[-1][0] == OpChanges(sale=True)
