"""Console use cases on the real SQLite cache: a change delivered twice is applied once, the
cursor never goes back, online-only actions are refused offline with nothing written, a
delivery is queued offline and shown at once, a conflict verdict brings the server's state,
and history over 1 000 orders filters by state, day and guest quickly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_app.db import Store, open_store
from pos_app.db.orders_repo import SqlOrderCache, wire
from pos_app.domain.orders import IllegalOrderAction, OrderAction, OrderState, PaymentMethod
from pos_app.services.orders import (
    ActionNeedsServer,
    BalanceInfo,
    ConsoleOrders,
    GuestInfo,
    HistoryQuery,
    OrderLineView,
    OrderView,
    PointsInfo,
    StreamBatch,
)
from pos_app.services.ports_sync import OpVerdict
from pos_app.sync.order_stream import batch_from_changes

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def order(order_id: str, change_id: int, state: OrderState = OrderState.NEW, *,
          guest: str = "anna", at: datetime = T0) -> OrderView:  # fmt: skip
    lines = (OrderLineView("1", "latte", "Latte", 2, 25_000),
             OrderLineView("2", "cake", "Cheesecake", 1, 32_000))  # fmt: skip
    return OrderView(
        order_id,
        guest,
        state,
        PaymentMethod.CARD,
        82_000,
        at,
        at,
        lines,
        note="no sugar",
        ready_by=at + timedelta(minutes=15),
        change_id=change_id,
    )


@dataclass
class FakeSender:
    """The action sender's fake: verdicts to give, op ids it was asked to push."""

    verdicts: list[OpVerdict | None] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)

    def push_until(self, op_id: str) -> OpVerdict | None:
        self.pushed.append(op_id)
        verdict = self.verdicts.pop(0) if self.verdicts else OpVerdict(op_id, 1, "applied")
        return replace(verdict, op_id=op_id) if verdict else None


@dataclass
class Console:
    store: Store
    cache: SqlOrderCache
    sender: FakeSender
    service: ConsoleOrders
    online: list[bool]

    def outbox(self) -> list[tuple[str, str, dict[str, object]]]:
        with self.store.unit_of_work() as uow:
            return [(e.kind, e.status, dict(e.payload)) for e in uow.outbox.all()]


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    store = open_store(tmp_path / "console.sqlite3", terminal_id="console-1")
    cache, sender, online = SqlOrderCache(store), FakeSender(), [True]
    service = ConsoleOrders(cache, store.unit_of_work, sender, is_online=lambda: online[0])
    cache.apply(
        StreamBatch(
            guests=(GuestInfo("anna", "Анна Смирнова", "+79121234567"),),
            points=(PointsInfo("anna", 50_000, 10_000),),
            cursor=1,
        )
    )
    try:
        yield Console(store, cache, sender, service, online)
    finally:
        store.close()


def test_a_change_delivered_twice_is_applied_once_and_an_older_one_never_wins(
    console: Console,
) -> None:
    first = console.service.ingest(StreamBatch((order("o-1", 5),), cursor=5))
    assert [(o.order_id, o.guest_name) for o in first] == [("o-1", "Анна Смирнова")]
    assert console.service.ingest(StreamBatch((order("o-1", 5),), cursor=5)) == []
    accepted = order("o-1", 7, OrderState.ACCEPTED)
    assert [o.state for o in console.service.ingest(StreamBatch((accepted,), cursor=7))] == [
        OrderState.ACCEPTED
    ]
    assert console.service.ingest(StreamBatch((order("o-1", 6),), cursor=6)) == []
    cached = console.cache.get("o-1")
    assert cached is not None and (cached.state, cached.change_id) == (OrderState.ACCEPTED, 7)
    assert console.cache.cursor() == 7  # never back to 6
    assert console.service.detail("o-1")[1] == PointsInfo("anna", 50_000, 10_000)


def test_one_batch_with_two_changes_of_one_order_shows_the_last(console: Console) -> None:
    fresh = console.service.ingest(
        StreamBatch((order("o-2", 3), order("o-2", 4, OrderState.CANCELLED)), cursor=4)
    )
    assert [(o.change_id, o.state) for o in fresh] == [(4, OrderState.CANCELLED)]
    assert console.service.active() == []


def test_online_only_actions_are_refused_offline_and_nothing_is_written(
    console: Console,
) -> None:
    console.service.ingest(StreamBatch((order("o-3", 3),), cursor=3))
    console.online[0] = False
    for action in (OrderAction.ACCEPT, OrderAction.CANCEL, OrderAction.COMPLETE):
        with pytest.raises(ActionNeedsServer, match="needs its answer"):
            console.service.act("o-3", action)
    assert console.outbox() == [] and console.sender.pushed == []


def test_a_delivery_is_queued_offline_shown_at_once_and_the_server_change_replaces_it(
    console: Console,
) -> None:
    console.service.ingest(StreamBatch((order("o-4", 3, OrderState.ACCEPTED),), cursor=3))
    console.online[0] = False
    outcome = console.service.act("o-4", OrderAction.DELIVER, line_id="2")
    assert outcome.status == "queued" and outcome.order is not None
    assert [ln.delivered for ln in outcome.order.lines] == [False, True]
    assert outcome.order.pending_ops == 1
    assert console.outbox() == [
        ("order.item_delivered", "pending", {"order_id": "o-4", "line_id": "2"})
    ]
    server = order("o-4", 9, OrderState.ACCEPTED)
    server = replace(server, lines=(server.lines[0], replace(server.lines[1], delivered=True)))
    assert console.service.ingest(StreamBatch((server,), cursor=9)) != []
    cached = console.cache.get("o-4")
    assert cached is not None and cached.pending_ops == 0 and cached.lines[1].delivered


def test_an_action_the_cached_state_forbids_is_refused_before_anything_is_sent(
    console: Console,
) -> None:
    console.service.ingest(StreamBatch((order("o-5", 3, OrderState.PAID),), cursor=3))
    with pytest.raises(IllegalOrderAction, match="already paid"):
        console.service.act("o-5", OrderAction.CANCEL)
    assert console.outbox() == []


def test_a_conflict_verdict_brings_the_state_the_other_console_left(console: Console) -> None:
    console.service.ingest(StreamBatch((order("o-6", 3),), cursor=3))
    now = wire(order("o-6", 0, OrderState.ACCEPTED))
    console.sender.verdicts = [OpVerdict("", 1, "conflict", "illegal_order_action",
                                         "Cannot accept order o-6: it is already accepted.",
                                         now)]  # fmt: skip
    outcome = console.service.act("o-6", OrderAction.ACCEPT)
    assert outcome.status == "conflict" and outcome.order is not None
    assert outcome.order.state is OrderState.ACCEPTED
    assert outcome.order.guest_name == "Анна Смирнова"
    assert "Another console got there first" in outcome.message
    assert console.outbox() == [("order.accepted", "pending", {"order_id": "o-6"})]
    assert len(console.sender.pushed) == 1


def test_pay_sends_the_method_chosen_at_payment(console: Console) -> None:
    console.service.ingest(StreamBatch((order("o-7", 3, OrderState.ACCEPTED),), cursor=3))
    assert console.service.act("o-7", OrderAction.PAY, method=PaymentMethod.CASH).status == (
        "applied"
    )
    assert console.outbox()[-1] == ("order.paid", "pending", {"order_id": "o-7",
                                                              "method": "cash"})  # fmt: skip


def test_paying_offline_in_cash_or_by_card_is_queued_balance_and_points_are_refused(
    console: Console,
) -> None:
    """docs/console.md "Offline": money in the operator's hand may be recorded offline."""
    console.service.ingest(StreamBatch((order("o-8", 3, OrderState.ACCEPTED),), cursor=3))
    console.online[0] = False
    for method in (PaymentMethod.BALANCE, PaymentMethod.POINTS):
        with pytest.raises(ActionNeedsServer):
            console.service.act("o-8", OrderAction.PAY, method=method)
    assert console.outbox() == []
    outcome = console.service.act("o-8", OrderAction.PAY, method=PaymentMethod.CASH)
    assert outcome.status == "queued" and outcome.order is not None
    assert (outcome.order.state, outcome.order.method, outcome.order.pending_ops) == (
        OrderState.PAID,
        PaymentMethod.CASH,
        1,
    )
    assert outcome.order.paid_money == outcome.order.total
    assert console.outbox() == [("order.paid", "pending", {"order_id": "o-8", "method": "cash"})]
    assert console.sender.pushed == []  # sent by the outbox worker once the server is back
    server = order("o-8", 9, OrderState.PAID)  # the server's change replaces the local view
    console.service.ingest(StreamBatch((server,), cursor=9))
    cached = console.cache.get("o-8")
    assert cached is not None and cached.pending_ops == 0 and cached.state is OrderState.PAID


def test_the_newer_account_snapshot_wins_whichever_arrives_last(console: Console) -> None:
    """An order change carries the guest's accounts; a feed page re-read later may bring an
    older snapshot of the same account: it must not replace the newer one."""
    console.service.ingest(
        StreamBatch(
            points=(PointsInfo("anna", 40_000, 5_000, 20),),
            balances=(BalanceInfo("anna", -1_000, 20),),
            cursor=20,
        )
    )
    console.service.ingest(
        StreamBatch(
            points=(PointsInfo("anna", 50_000, 0, 12),),
            balances=(BalanceInfo("anna", 0, 12),),
            cursor=20,
        )
    )
    assert console.cache.points("anna") == PointsInfo("anna", 40_000, 5_000)
    assert console.cache.balance("anna") == BalanceInfo("anna", -1_000)


def test_history_of_a_thousand_orders_filters_by_state_day_and_guest(
    console: Console,
) -> None:
    guests = (GuestInfo("ivan", "Иван Петров", "+79031112233"),)
    states = [OrderState.COMPLETED, OrderState.CANCELLED, OrderState.NEW, OrderState.VOIDED]
    orders = tuple(
        order(f"h-{n:04d}", 10 + n, states[n % 4], guest="ivan" if n % 10 == 0 else "anna",
              at=T0 - timedelta(hours=n))
        for n in range(1000)
    )  # fmt: skip
    console.service.ingest(StreamBatch(orders, guests, cursor=2000))
    everything = console.service.history(HistoryQuery())
    done = console.service.history(HistoryQuery(frozenset({OrderState.COMPLETED})))
    ivan = console.service.history(HistoryQuery(guest="ИВАН"))
    by_phone = console.service.history(HistoryQuery(guest="903111"))
    day = console.service.history(HistoryQuery(since=T0 - timedelta(days=1), until=T0))
    assert len(everything) == 1000 and everything[0].order_id == "h-0000"  # newest first
    assert len(done) == 250 and {o.state for o in done} == {OrderState.COMPLETED}
    assert len(ivan) == len(by_phone) == 100 and ivan[0].guest_name == "Иван Петров"
    assert [o.order_id for o in day] == [f"h-{n:04d}" for n in range(1, 25)]


def test_a_local_view_never_overwrites_a_newer_change_from_the_server(console: Console) -> None:
    console.service.ingest(StreamBatch((order("o-8", 3, OrderState.ACCEPTED),), cursor=3))
    stale = console.cache.get("o-8")
    assert stale is not None
    console.service.ingest(StreamBatch((order("o-8", 9, OrderState.VOIDED),), cursor=9))
    console.cache.put_local(replace(stale, pending_ops=1))  # an action read the old state
    cached = console.cache.get("o-8")
    assert cached is not None and (cached.state, cached.pending_ops) == (OrderState.VOIDED, 0)


def test_the_detail_shows_the_guests_points_and_money_balance_from_the_feed(
    console: Console,
) -> None:
    console.service.ingest(StreamBatch((order("o-9", 20),), cursor=20))
    assert console.service.detail("o-9")[2] is None  # no balance snapshot seen yet
    feed = [
        {"id": 21, "entity": "balance_account", "entity_id": "anna",
         "data": {"account_id": "balance:anna", "guest_id": "anna", "total": -4_000,
                  "held": 0, "available": -4_000}},
        {"id": 22, "entity": "bonus_account", "entity_id": "anna",
         "data": {"account_id": "anna", "total": 60_000, "held": 0, "available": 60_000}},
    ]  # fmt: skip
    console.service.ingest(batch_from_changes(feed, cursor=22))
    found, points, balance = console.service.detail("o-9")
    assert found is not None and found.order_id == "o-9"
    assert points == PointsInfo("anna", 60_000, 0)
    assert balance == BalanceInfo("anna", -4_000)  # an unpaid order left as the guest's debt
    assert console.service.detail("missing") == (None, None, None)
