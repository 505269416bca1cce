"""The console's table model and alert on their own: bursts are appended in one insert at the
bottom in placing order, finished orders leave the incoming panel, a thousand rows stay fast;
the alert repeats until acknowledged and stops when nothing waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pytestqt.qtbot import QtBot

from pos_app.domain.orders import OrderState, PaymentMethod
from pos_app.services.orders import ConsoleSettings, OrderLineView, OrderView
from pos_app.ui.console.alerts import NewOrderAlert
from pos_app.ui.console.history import HistoryPanel
from pos_app.ui.console.orders_model import OrdersModel

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def order(n: int, state: OrderState = OrderState.NEW, change: int = 0) -> OrderView:
    at = T0 + timedelta(seconds=n)
    return OrderView(f"o-{n:04d}", "anna", state, PaymentMethod.CARD, 25_000, at, at,
                     (OrderLineView("1", "latte", "Latte", 1, 25_000),),
                     change_id=change or n)  # fmt: skip


def test_a_burst_is_one_insert_at_the_bottom_in_placing_order(qtbot: QtBot) -> None:
    model = OrdersModel(keep=lambda o: o.active)
    model.apply([order(1)])
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    added = model.apply([order(4), order(2), order(3)])
    assert [o.order_id for o in added] == ["o-0002", "o-0003", "o-0004"]
    assert inserts == [(1, 3)]
    assert [o.order_id for o in model.orders] == ["o-0001", "o-0002", "o-0003", "o-0004"]


def test_changes_update_rows_in_place_and_finished_orders_leave(qtbot: QtBot) -> None:
    model = OrdersModel(keep=lambda o: o.active)
    model.apply([order(n) for n in range(1, 4)])
    model.apply([order(2, OrderState.ACCEPTED, 10), order(3, OrderState.COMPLETED, 11),
                 order(5, OrderState.NEW), order(5, OrderState.CANCELLED, 12)])  # fmt: skip
    assert [(o.order_id, o.state) for o in model.orders] == [
        ("o-0001", OrderState.NEW), ("o-0002", OrderState.ACCEPTED)]
    assert model.count(OrderState.NEW) == 1
    assert model.row_of("o-0002") == 1 and model.row_of("o-0003") is None


def test_a_thousand_orders_then_a_burst_of_two_hundred_are_all_there(qtbot: QtBot) -> None:
    # How fast is measured by `python -m bench console`; a wall-clock limit here would flake.
    model = OrdersModel()
    model.replace_all([order(n) for n in range(1000)])
    model.apply([order(n) for n in range(1000, 1200)])
    model.apply([order(n, OrderState.ACCEPTED, 5000 + n) for n in range(0, 1200, 3)])
    assert model.rowCount() == 1200 and model.count(OrderState.ACCEPTED) == 400


class CountingSound:
    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, name: str) -> bool:
        self.played.append(name)
        return True


def test_the_alert_repeats_until_acknowledged(qtbot: QtBot) -> None:
    sound, waiting = CountingSound(), [1]
    alert = NewOrderAlert(sound, lambda: waiting[0])
    alert.apply(ConsoleSettings(sound_enabled=True, repeat_seconds=1))
    alert.new_orders(1)
    qtbot.waitUntil(lambda: len(sound.played) >= 2, timeout=2500)
    alert.acknowledge()
    heard = len(sound.played)
    qtbot.wait(1300)
    assert len(sound.played) == heard and not alert.alerting


def test_the_alert_stops_when_no_order_waits_and_is_silent_when_off(qtbot: QtBot) -> None:
    sound, waiting = CountingSound(), [1]
    alert = NewOrderAlert(sound, lambda: waiting[0])
    alert.apply(ConsoleSettings(sound_enabled=True, repeat_seconds=1))
    alert.new_orders(2)
    waiting[0] = 0  # another console accepted them
    qtbot.waitUntil(lambda: not alert.alerting, timeout=2500)
    assert sound.played == ["new_order"]
    alert.apply(ConsoleSettings(sound_enabled=False))
    alert.new_orders(1)
    assert sound.played == ["new_order"] and alert.alerting  # still shown, not heard


def test_the_venues_zone_queries_a_shown_history_once_and_a_hidden_one_not_at_all(
    qtbot: QtBot,
) -> None:
    venue = timezone(timedelta(hours=-9, minutes=-30))  # far from any test machine's zone
    hidden, shown = HistoryPanel(), HistoryPanel()
    for panel in (hidden, shown):
        qtbot.addWidget(panel)
    shown.show()
    queries: dict[str, list[object]] = {"hidden": [], "shown": []}
    hidden.query_changed.connect(queries["hidden"].append)
    shown.query_changed.connect(queries["shown"].append)
    before = datetime.now(UTC).astimezone(venue).date()
    hidden.set_zone(venue)
    shown.set_zone(venue)
    after = datetime.now(UTC).astimezone(venue).date()
    assert queries["hidden"] == [] and len(queries["shown"]) == 1  # not one per date edit
    assert shown.until.date().toPython() in {before, after}
    assert queries["shown"][0] == shown.query()


def test_the_historys_whole_days_follow_the_venues_daylight_saving_changes(
    qtbot: QtBot,
) -> None:
    """29 March 2026 in Berlin lasts 23 hours (02:00 CET -> 03:00 CEST): the history of that
    one day runs from its midnight to the next, not 24 hours on."""
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QDate

    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.set_zone(ZoneInfo("Europe/Berlin"))
    panel.since.setDate(QDate(2026, 3, 29))
    panel.until.setDate(QDate(2026, 3, 29))
    query = panel.query()
    assert (query.since, query.until) == (datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
                                          datetime(2026, 3, 29, 22, 0, tzinfo=UTC))
