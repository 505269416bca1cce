"""An operator console for the cabinet's browser tests (the shop's, the end-to-end chain) and
their screenshots, built from the console's own parts: an enrolled terminal, the console's
order stream client (``pos_app.sync.order_stream.OrderStream``: catch-up from the change feed,
then ``GET /v1/orders/stream``) and its action operations (``pos_app.services.orders.OP_KINDS``)
sent to ``POST /v1/ops`` with the terminal's token, as the console's sender does."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import requests

from pos_app.domain.orders import OrderAction, OrderState
from pos_app.services.orders import OP_KINDS, OrderView, StreamBatch
from pos_app.sync.order_stream import OrderStream, StreamStatus
from tests.server.conftest import add_terminal
from tests.web.browser import Server


class Console:
    """A console listening to a live server: ``orders`` fills as the stream brings them. As a
    context manager: the stream is open (``online``) for the block."""

    def __init__(self, server: Server, name: str = "Bar console") -> None:
        code = add_terminal(server.db_url, name).enrolment_code
        enrolled = requests.post(f"{server.url}/v1/terminals/enrol", json={"code": code},
                                 timeout=10)  # fmt: skip
        enrolled.raise_for_status()
        self.terminal_id, self.token = enrolled.json()["terminal_id"], enrolled.json()["token"]
        self.url = server.url
        self.orders: dict[str, OrderView] = {}
        self.arrived: dict[str, float] = {}  # order id -> time.monotonic() of its first event
        self._seq = 0
        self._changed = threading.Condition()
        self._online = threading.Event()
        self._stream = OrderStream(server.url, self.token, cursor=0, on_batch=self._take,
                                   on_status=self._status)  # fmt: skip

    def __enter__(self) -> Console:
        self._stream.start()
        if not self._online.wait(30):
            self._stream.stop()
            raise AssertionError("the console's order stream did not open")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.stop()

    def _status(self, status: StreamStatus) -> None:
        if status.online:
            self._online.set()

    def _take(self, batch: StreamBatch) -> None:
        with self._changed:
            for order in batch.orders:
                self.arrived.setdefault(order.order_id, time.monotonic())
                self.orders[order.order_id] = order
            self._changed.notify_all()

    def wait_for(self, order_id: str, state: OrderState, timeout: float = 10.0) -> OrderView:
        """The order once the stream says it is in ``state`` (AssertionError after timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self.orders.get(order_id)
                if found is not None and found.state is state:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"order {order_id} not {state.value} on the console "
                                         f"within {timeout} s: {found}")  # fmt: skip
                self._changed.wait(left)

    def act(self, action: OrderAction, order_id: str) -> dict[str, Any]:
        """The action's operation judged by the server: applied (else AssertionError); its
        result."""
        self._seq += 1
        operation = OP_KINDS[action](order_id=order_id)
        op = {"op_id": str(uuid.uuid4()), "terminal_id": self.terminal_id, "seq": self._seq,
              "created_at": datetime.now(UTC).isoformat(), "kind": operation.KIND,
              "payload": operation.to_json()}  # fmt: skip
        body = {"operations": [op]}
        answer = requests.post(f"{self.url}/v1/ops", json=body, timeout=10,
                               headers={"Authorization": f"Bearer {self.token}"})  # fmt: skip
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()["results"][0]
        assert result["status"] == "applied", result
        return result
