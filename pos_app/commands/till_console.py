"""Till + console on one terminal: the incoming guest orders as a tab of the till window.

``pos-app till --with-console`` (or the terminal's stored role ``till+console``, set once
with ``pos-app till --role till+console``, see ``services/terminal_role.py``) runs the operator
console's pieces (``console_app.start_console``) on the till's own store and enrolment:

- the same SQLite store (the order cache tables are in every store), so one file and one
  outbox: order actions get the till's next gap-free ``seq``;
- the same terminal id and token (read from the token store the till was enrolled with);
- one sender per terminal: the console's action sender and the till's outbox worker take the
  same in-process ``order_actions.sender_lock(terminal_id)``; the worker also holds the
  data folder's file lock against other processes.

What the store says is read on the op worker (after the store opened there); the console's
widgets are built on the GUI thread. A till that is not enrolled shows why in the tab.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pos_app.commands.till_app import TillRuntime
    from pos_app.db import Store
    from pos_app.sync.server_link import ServerTrust

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsoleLink:
    """What the console needs from the till's store; no token = not enrolled."""

    store: Store
    server_url: str | None = None
    token: str | None = None
    trust: ServerTrust | None = None  # the transport chosen at enrolment, or on this run


def read_link(runtime: TillRuntime) -> ConsoleLink | None:
    """On the op worker: None for a plain till, else the store, the server and the token.

    Stores ``--role`` first if it was given, so the choice outlives this run."""
    from pos_app.commands.sync_runtime import (
        SERVER_KEY,
        enrolled_terminal,
        load_token,
        server_trust,
    )
    from pos_app.services.terminal_role import TerminalRoles

    runtime.window.ctx.services.get()  # the first op opens the store
    store, options = runtime.backend.store, runtime.backend.options
    assert store is not None
    roles = TerminalRoles(store.unit_of_work)
    if options.role:
        roles.set_role(options.role)
    if not (options.with_console or roles.shows_orders()):
        return None
    if enrolled_terminal(store) is None:
        return ConsoleLink(store)
    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = options.server or uow.settings.get(SERVER_KEY)
    trust = server_trust(store, options.trust)
    return ConsoleLink(store, str(url), token, trust) if url else ConsoleLink(store)


class SharedQueueSender:
    """The console's action sender on a till's queue.

    The till's outbox worker pushes the same queue, so it may send an order action between the
    console's commit and the console's own push (both take the terminal's sender lock, so never
    at the same time). The console's push then finds nothing waiting and would report "not
    answered"; the verdict the worker recorded in the outbox is returned instead."""

    def __init__(self, inner: Any, store: Store) -> None:
        self._inner = inner
        self._store = store

    def push_until(self, op_id: str) -> Any:
        verdict = self._inner.push_until(op_id)
        return verdict if verdict is not None else self.recorded(op_id)

    def flush(self) -> int:
        return int(self._inner.flush())

    def recorded(self, op_id: str) -> Any:
        """The verdict already recorded for ``op_id`` (None while it waits)."""
        from pos_app.services.ports_sync import OpVerdict

        with self._store.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT seq, status, last_error FROM outbox WHERE op_id = ?",
                                       (op_id,)).first()  # fmt: skip
        if row is None or row[1] == "pending":
            return None
        if row[1] == "applied":
            return OpVerdict(op_id, int(row[0]), "applied")
        # recorded by the sync queue as "<rejected|conflict>: <reason>: <message>"
        status, _, rest = str(row[2] or "rejected: ").partition(": ")
        reason, _, message = rest.partition(": ")
        status = "conflict" if status == "conflict" else "rejected"
        return OpVerdict(op_id, int(row[0]), status, reason=reason or None,
                         message=message or reason or None)  # fmt: skip


def attach(runtime: TillRuntime, link: ConsoleLink | None, sound: Any = None) -> None:
    """On the GUI thread: the orders tab, with the console running on the till's store."""
    if link is None or runtime.stopped:
        return
    tabs = runtime.window.ensure_orders_tabs()
    if link.token is None or link.server_url is None:
        tabs.show_not_enrolled()
        return
    from pos_app.commands.console_app import start_console
    from pos_app.domain.orders import OrderState

    if sound is None:
        from pos_app.devices.sound import SoundSettings, create_sound_player

        sound = create_sound_player(SoundSettings())
    store = link.store
    console = start_console(store, link.server_url, link.token, sound=sound, owns_store=False,
                            wrap_sender=lambda inner: SharedQueueSender(inner, store),
                            trust=link.trust)  # fmt: skip
    runtime.console = console
    _pay_orders_at_the_till(runtime, console)
    model = console.window.model
    tabs.show_console(console.window, model, lambda: model.count(OrderState.NEW))


def _pay_orders_at_the_till(runtime: TillRuntime, console: Any) -> None:
    """The console's *Pay* opens the order as a till sale in the till's payment dialog
    (issue 20 point 2; ``ui/till/order_payment.py``, ``services/order_checkout.py``)."""
    from pos_app.db.uow import SystemClock, UuidGenerator
    from pos_app.services.order_checkout import OrderCheckout
    from pos_app.services.order_hold_payment import OrderHoldPayment
    from pos_app.ui.till.order_payment import pay_order_at_till

    store = console.store
    checkout = OrderCheckout(store.unit_of_work, console.service.cache, SystemClock(),
                             UuidGenerator())  # fmt: skip
    held = OrderHoldPayment(store.unit_of_work, SystemClock())  # its lines in points
    window = runtime.window
    console.window.pay_at_till = lambda order_id: pay_order_at_till(
        window, runtime.runner.run, checkout.start, order_id, held.take
    )


def start(runtime: TillRuntime, sound: Any = None) -> None:
    """Queue the role check behind the store's opening; attach on the GUI thread."""

    def failed(error: Exception) -> None:
        log.warning("the orders tab cannot start: %s", error)
        if runtime.backend.options.with_console and not runtime.stopped:
            runtime.window.ensure_orders_tabs().show_failed(str(error))

    runtime.runner.run(lambda: read_link(runtime), lambda link: attach(runtime, link, sound),
                       failed)  # fmt: skip
