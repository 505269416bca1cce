"""The composition root: the one place the till's and the console's services meet the SQLite
store and the adapters (card terminal, print queue, sync worker, server admin client, the
console's action sender).

``pos_app.services.till.TillServices.build`` wires the use cases to each other; this module
plugs the real adapters into it, for every till that runs: the window (``till_app``), the
headless till (``till_sim``, through ``SyncRuntime.till``), ``demo-sale`` and the benchmarks
(``bench/``); ``console_orders`` does the same for the operator console (``console_app``).
Tests build the same set through ``TillServices.build`` with ``tests/services/fakes.py``.

What the till lacks is never a ``None`` the screen checks: without a printer the screen gets
``NoReportPrinter`` (it refuses with a sentence), without a server the points are paid offline
and the holds reset says the till is not connected, without a card terminal ``pay_card`` says
there is none. Adapters do not import each other, which is why this sits in ``commands``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.acquiring import Acquirer
from pos_app.services.hold_reset import HoldResetPort
from pos_app.services.ports import Clock, IdGenerator
from pos_app.services.promo import Digits, random_digits
from pos_app.services.report_printer import NoReportPrinter, ReportPrinter
from pos_app.services.till import TillServices
from pos_app.services.venue_name import read_venue_name
from pos_app.services.venue_time import VenueTime

if TYPE_CHECKING:
    from pos_app.commands.sync_runtime import SyncRuntime
    from pos_app.db import Store
    from pos_app.db.orders_repo import SqlOrderCache
    from pos_app.services.orders import ActionSender, ConsoleOrders
    from pos_app.sync.order_actions import HttpActionSender
    from pos_app.sync.server_link import ServerTrust
    from pos_app.ui.till.ports import TillScreenServices

__all__ = ["TillServices", "card_terminal", "console_orders", "screen_services", "till_services"]


def till_services(
    store: Store, *, sync: SyncRuntime | None = None, acquirer: Acquirer | None = None,
    server_url: str | None = None, clock: Clock | None = None, ids: IdGenerator | None = None,
    promo_digits: Digits = random_digits,
) -> TillServices:  # fmt: skip
    """The till's services on ``store``: ``sync`` (an enrolled till's worker) confirms points
    online and lets a manager reset holds on the server; ``acquirer`` takes cards."""
    from pos_app.db.orders_repo import SqlOrderCache

    port, refresh = _hold_reset_port(store, sync, server_url)
    return TillServices.build(
        store.unit_of_work, clock or SystemClock(), ids or UuidGenerator(), acquirer=acquirer,
        points_gateway=sync.worker if sync is not None else None, hold_reset_port=port,
        after_hold_reset=refresh, promo_digits=promo_digits,
        order_debts=SqlOrderCache(store).debts_by,  # orders completed unpaid here (issue 20)
    )  # fmt: skip


def card_terminal(address: str) -> Acquirer | None:
    """The card terminal at ``HOST:PORT`` (``--card-terminal``); ``""``: the till has none."""
    if not address:
        return None
    from pos_app.devices.acquiring import TcpAcquirer

    host, _, port = address.rpartition(":")
    return TcpAcquirer(host or "127.0.0.1", int(port), timeout=30.0)


def screen_services(
    store: Store, till: TillServices, reports: ReportPrinter | None = None
) -> TillScreenServices:
    """What the till window calls: the till's services, the catalogue and the promo prefix
    read from the store, the report printer (``NoReportPrinter`` without a printer)."""
    from pos_app.commands.till_catalogue import StoreCatalogue, promo_prefix
    from pos_app.ui.till.ports import TillScreenServices

    return TillScreenServices(
        sales=till.sales, payments=till.payments, guests=till.guests, staff=till.staff,
        catalogue=StoreCatalogue(store), points=till.points, promo=till.promo,
        flush=store.flush_open_sales, promo_prefix=promo_prefix(store), shifts=till.shifts,
        reports=reports if reports is not None else NoReportPrinter(),
        overrides=till.overrides, refunds=till.refunds, reconciliation=till.reconciliation,
        bonus=till.bonus, hold_reset=till.hold_reset,
        venue_zone=VenueTime(store.unit_of_work).zone(), venue_time=VenueTime(store.unit_of_work),
        venue_name=read_venue_name(store.unit_of_work),
    )  # fmt: skip


def console_orders(
    store: Store, base_url: str, token: str, *, is_online: Callable[[], bool],
    wrap_sender: Callable[[HttpActionSender], ActionSender] | None = None,
    trust: ServerTrust | None = None,
) -> tuple[ConsoleOrders, HttpActionSender, SqlOrderCache]:  # fmt: skip
    """The console's use cases on ``store``: the order cache, and actions queued in the store's
    outbox and sent by an ``HttpActionSender`` (``wrap_sender``: a till + console terminal
    reads what its own worker recorded)."""
    from pos_app.db.orders_repo import SqlOrderCache
    from pos_app.services.orders import ConsoleOrders
    from pos_app.services.sync_queue import SyncQueue
    from pos_app.sync.order_actions import HttpActionSender
    from pos_app.sync.server_link import ServerTrust
    from pos_app.sync.transport import HttpTransport

    cache = SqlOrderCache(store)
    sender = HttpActionSender(SyncQueue(store.unit_of_work, store.clock),
                              HttpTransport(base_url, token, trust=trust or ServerTrust()))
    acting = wrap_sender(sender) if wrap_sender is not None else sender
    return ConsoleOrders(cache, store.unit_of_work, acting, is_online=is_online), sender, cache


def _hold_reset_port(
    store: Store, sync: SyncRuntime | None, server_url: str | None
) -> tuple[HoldResetPort | None, Callable[[], object] | None]:
    """An enrolled till asks its server to reset a guest's holds (``sync.admin_client``) and
    pulls the change feed afterwards; a till that is not enrolled has no port: the manager
    reads that this till is not connected to a server."""
    if sync is None:
        return None, None
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.admin_client import AdminClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    if not url:
        return None, None
    return AdminClient(str(url), token, trust=sync.trust), sync.puller.pull
