"""The cabinet's shop in a real browser against a real ``pos-server run``: a menu to order
from, and a console as the venue runs one (enrolled, holding ``GET /v1/orders/stream`` open,
acting on orders through ``POST /v1/ops``). Shared by the shop's browser test and the chain
that follows an order from the cabinet to the console and back."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx

from pos_server.catalogue.service import CatalogueIn, import_catalogue
from pos_server.db import make_engine
from pos_server.programme.service import change
from pos_server.uow import unit_of_work
from tests.server.conftest import add_terminal
from tests.web.browser import Server

MENU = {
    "groups": [{"id": "coffee", "name": "Кофе", "position": 0},
               {"id": "food", "name": "Еда", "position": 1}],
    "products": [
        {"id": "latte", "name": "Латте", "price": 25_000, "group_id": "coffee"},
        {"id": "espresso", "name": "Эспрессо", "price": 15_000, "group_id": "coffee",
         "allow_points": False},
        {"id": "cookie", "name": "Печенье", "price": 9_000, "group_id": "food"},
    ],
}  # fmt: skip


def seed_menu(db_url: str, methods: str = "cash,card,balance,points") -> None:
    """The catalogue above and the payment methods guests may choose."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            import_catalogue(uow, CatalogueIn.model_validate(MENU))
            change(uow, {"ordering.enabled": True, "ordering.payment_methods": methods})
    finally:
        engine.dispose()


class Console:
    """An enrolled console listening to the order stream on a thread (events in a queue)."""

    def __init__(self, server: Server, name: str = "Console 1") -> None:
        added = add_terminal(server.db_url, name)
        enrolled = httpx.post(f"{server.url}/v1/terminals/enrol",
                              json={"code": added.enrolment_code}, timeout=30)  # fmt: skip
        assert enrolled.status_code == 200, enrolled.text
        self.server, self.terminal_id = server, added.terminal_id
        self.headers = {"Authorization": f"Bearer {enrolled.json()['token']}"}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connected, self.stop = threading.Event(), threading.Event()
        self.seq = 0

    def _listen(self) -> None:
        try:
            self._read()
        except httpx.TransportError:
            if not self.stop.is_set():  # the server went away while still wanted
                raise

    def _read(self) -> None:
        with httpx.stream("GET", f"{self.server.url}/v1/orders/stream", headers=self.headers,
                          timeout=httpx.Timeout(10, read=None)) as response:  # fmt: skip
            assert response.status_code == 200, response.read()
            self.connected.set()
            for line in response.iter_lines():
                if self.stop.is_set():
                    return
                if line.startswith("data: "):
                    self.events.put(json.loads(line[6:]))

    def order_event(self, order_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next event of ``order_id`` the stream pushes."""
        while True:
            event = self.events.get(timeout=timeout)
            if event.get("order_id") == order_id:
                return event

    def act(self, kind: str, **payload: Any) -> dict[str, Any]:
        """An order action as a console sends it (``order.accepted``, ...): applied."""
        self.seq += 1
        op = {
            "op_id": str(uuid.uuid4()), "terminal_id": self.terminal_id, "seq": self.seq,
            "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload,
        }  # fmt: skip
        response = httpx.post(f"{self.server.url}/v1/ops", json={"operations": [op]},
                              headers=self.headers, timeout=30)  # fmt: skip
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["results"][0]
        assert result["status"] == "applied", result
        return result


@contextmanager
def console(server: Server, name: str = "Console 1") -> Iterator[Console]:
    """A console with its order stream open for the block."""
    found = Console(server, name)
    threading.Thread(target=found._listen, daemon=True).start()
    assert found.connected.wait(30), "the order stream did not open"
    try:
        yield found
    finally:
        found.stop.set()
