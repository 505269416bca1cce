""" "Order ready" (issue 21 point 1): when the last item of a guest order is handed over (by
"deliver" or by "complete", which delivers the rest), the guest is told once, in the same
transaction: to their Telegram chat when subscribed, else by SMS to their phone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Guest
from pos_server.db.models_notify import NotificationRow
from pos_server.repositories.points_ledger import credit_points
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, enrol, guest_payload
from tests.server.test_orders import act, place


@pytest.fixture
def till(db_url: str) -> Iterator[Till]:
    """A console, and guest Anna (phone +79121234567, not subscribed) with some points."""
    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        one = enrol(client, db_url, "Console 1")
        one.push_ok(one.op("guest.created", guest_payload("anna")))
        engine = make_engine(db_url)
        with make_sessions(engine).begin() as session:
            credit_points(session, "anna", 100_000, now=datetime.now(UTC), actor="t", reason="gift")
        engine.dispose()
        yield one


def outbox(db_url: str) -> list[dict[str, Any]]:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(NotificationRow).where(NotificationRow.kind == "order_ready")
        ).mappings()
        found = [dict(row) for row in rows]
    engine.dispose()
    return found


def test_the_last_item_handed_over_tells_the_guest_once_by_sms(till: Till, db_url: str) -> None:
    order = place(till, order_id="o-1")
    act(till, "order.accepted", order_id="o-1")
    act(till, "order.item_delivered", order_id="o-1", line_id="1")
    assert outbox(db_url) == []  # one item still to come
    assert act(till, "order.item_delivered", order_id="o-1", line_id="2")["status"] == "applied"
    act(till, "order.paid", order_id="o-1")
    act(till, "order.completed", order_id="o-1")  # nothing left to deliver: no second message
    [message] = outbox(db_url)
    assert (message["channel"], message["recipient"], message["guest_id"]) == (
        "sms",
        "+79121234567",
        "anna",
    )
    assert message["status"] == "waiting" and message["idempotency_key"] == "order_ready:o-1:anna"
    assert message["text"] == f"Anna, ваш заказ № {order['number']} готов."


def test_complete_tells_a_subscribed_guest_in_telegram_cancel_tells_nobody(
    till: Till, db_url: str
) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(update(Guest).where(Guest.id == "anna").values(telegram_chat_id="4242"))
    engine.dispose()
    place(till, order_id="gone")
    act(till, "order.cancelled", order_id="gone")
    place(till, order_id="o-2")
    assert act(till, "order.completed", order_id="o-2")["status"] == "applied"
    [message] = outbox(db_url)
    assert (message["channel"], message["recipient"], message["idempotency_key"]) == (
        "telegram",
        "4242",
        "order_ready:o-2:anna",
    )
