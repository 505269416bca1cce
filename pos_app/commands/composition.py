"""The composition root: the one place the till's and the console's services meet the SQLite
store and the adapters (card terminal, print queue, sync worker, server admin client, the
console's action sender).

``pos_app.services.till.TillServices.build`` wires the use cases to each other; this module
plugs the real adapters into it, for every till that runs: the window (``till_app``), the
headless till (``till_sim``, through ``SyncRuntime.till``), ``demo-sale`` and the benchmarks
(``bench/``); ``console_engine`` (``console_orders`` and the order stream) does the same for
the operator console (``console_app``); ``start_sync``/``sync_engine`` build the sync worker
and the change-feed puller, ``device_settings_service`` the device settings on what runs.
Tests build the same set through ``TillServices.build`` with ``tests/services/fakes.py``.

What the till lacks is never a ``None`` a service or the screen checks, but a null object that
refuses with a sentence: ``NoReportPrinter`` (no printer), ``NoServer`` (points paid offline),
``NotEnrolled`` (the holds reset says the till is not connected), ``NoAcquirer`` (no card
terminal). Adapters do not import each other, which is why this sits in ``commands``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.acquiring import NO_ACQUIRER, Acquirer
from pos_app.services.guest_cabinet import NO_CABINET_SERVER
from pos_app.services.guest_history import NO_HISTORY_SOURCE
from pos_app.services.hold_reset import NOT_ENROLLED, HoldResetPort, no_feed
from pos_app.services.points import NO_SERVER
from pos_app.services.ports import Clock, IdGenerator
from pos_app.services.promo import Digits, random_digits
from pos_app.services.report_printer import NoReportPrinter, ReportPrinter
from pos_app.services.screen_look import read_look
from pos_app.services.subscription import NO_LINK_SOURCE
from pos_app.services.till import TillServices
from pos_app.services.venue_name import read_venue_name
from pos_app.services.venue_time import VenueTime
from pos_app.sync.puller import DEFAULT_PAGE_SIZE
from pos_app.sync.worker import DEFAULT_BATCH

if TYPE_CHECKING:
    from pos_app.commands.printing import ReceiptPrinting
    from pos_app.commands.sync_runtime import SyncRuntime
    from pos_app.db import Store
    from pos_app.db.orders_repo import SqlOrderCache
    from pos_app.devices.scan_monitor import LastScanRecorder
    from pos_app.devices.sound import SoundPlayer
    from pos_app.services.device_settings import (
        DeviceSettings,
        DeviceSettingsService,
        SoundPrefs,
    )
    from pos_app.services.guest_cabinet import CabinetPort
    from pos_app.services.guest_history import HistorySource
    from pos_app.services.guests import PhoneOwnerSource
    from pos_app.services.orders import ActionSender, ConsoleOrders, OrderView, StreamBatch
    from pos_app.services.subscription import LinkSource
    from pos_app.sync.order_actions import HttpActionSender
    from pos_app.sync.order_stream import OrderStream, StreamStatus
    from pos_app.sync.puller import FeedPuller, PullProgress
    from pos_app.sync.server_link import ServerTrust
    from pos_app.ui.till.ports import TillScreenServices

log = logging.getLogger(__name__)

__all__ = [
    "ConsoleEngine",
    "TillServices",
    "card_terminal",
    "console_engine",
    "console_orders",
    "device_settings_service",
    "feed_puller",
    "screen_services",
    "start_sync",
    "sync_engine",
    "till_services",
]


def till_services(
    store: Store, *, sync: SyncRuntime | None = None, acquirer: Acquirer = NO_ACQUIRER,
    server_url: str | None = None, clock: Clock | None = None, ids: IdGenerator | None = None,
    promo_digits: Digits = random_digits,
) -> TillServices:  # fmt: skip
    """The till's services on ``store``: ``sync`` (an enrolled till's worker) confirms points
    online and lets a manager reset holds on the server; ``acquirer`` takes cards."""
    from pos_app.db.orders_repo import SqlOrderCache

    port, refresh = _hold_reset_port(store, sync, server_url)
    history = _history_source(store, sync, server_url)
    return TillServices.build(
        store.unit_of_work, clock or SystemClock(), ids or UuidGenerator(), acquirer=acquirer,
        points_gateway=sync.worker if sync is not None else NO_SERVER, hold_reset_port=port,
        after_hold_reset=refresh, after_points_refused=refresh, promo_digits=promo_digits,
        history_source=history, phone_owners=_phone_owners(history),
        link_source=_link_source(store, sync, server_url),
        wake_sync=sync.worker.wake if sync is not None else no_feed,
        order_debts=SqlOrderCache(store).debts_by,  # orders completed unpaid here (issue 20)
        cabinet_port=_cabinet_port(store, sync, server_url),
    )  # fmt: skip


def start_sync(
    store: Store, directory: str | Path | None, *, server_url: str | None = None,
    batch_size: int = DEFAULT_BATCH, idle_poll: float = 2.0, heartbeat: float = 15.0,
    trust: ServerTrust | None = None,
) -> SyncRuntime:  # fmt: skip
    """The sync engine of an enrolled till (not started: ``runtime.worker.start()``): its token
    and server from the store (``server_url`` overrides the server), the sender lock in its
    data folder. ``trust``: this run's transport options, else those chosen at enrolment."""
    from pos_app.commands.store_factory import data_dir
    from pos_app.commands.sync_runtime import (
        LOCK_FILE,
        SERVER_KEY,
        SyncSetupError,
        checked_url,
        load_token,
        server_trust,
    )

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    if not url:
        raise SyncSetupError("No server is known for this till: pass --server URL.")
    trust = server_trust(store, trust)
    return sync_engine(store, checked_url(str(url), trust), token,
                       lock=data_dir(directory) / LOCK_FILE, trust=trust, batch_size=batch_size,
                       idle_poll=idle_poll, heartbeat=heartbeat)  # fmt: skip


def sync_engine(
    store: Store, url: str, token: str, *, lock: Path, trust: ServerTrust | None = None,
    batch_size: int = DEFAULT_BATCH, idle_poll: float = 2.0, heartbeat: float = 15.0,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> SyncRuntime:  # fmt: skip
    """The outbox worker and the change-feed puller of ``store`` for the server at ``url``
    (``start_sync`` reads both from an enrolled store; ``bench sync`` passes a terminal it
    enrolled): the worker pulls the feed after each reconnect (fresh account snapshots) and
    holds ``lock`` while it sends."""
    from pos_app.commands.sync_runtime import SyncRuntime
    from pos_app.services.sync_queue import SyncQueue
    from pos_app.sync.sender_lock import SenderLock
    from pos_app.sync.server_link import ServerTrust
    from pos_app.sync.state import SyncState
    from pos_app.sync.transport import HttpTransport
    from pos_app.sync.worker import OutboxWorker

    trust = trust or ServerTrust()
    queue = SyncQueue(store.unit_of_work, SystemClock())
    puller = feed_puller(store, url, token, trust=trust, page_size=page_size)
    state = SyncState()

    def refresh(stop: threading.Event) -> bool:  # after a reconnect: fresh account snapshots
        return not puller.pull(stop).stopped

    worker = OutboxWorker(
        queue, HttpTransport(url, token, trust=trust), state=state, lock=SenderLock(lock),
        batch_size=batch_size, idle_poll=idle_poll, refresh=refresh, heartbeat=heartbeat,
    )  # fmt: skip
    return SyncRuntime(store, queue, worker, state, puller, url, trust)


def feed_puller(
    store: Store, url: str, token: str, *, trust: ServerTrust | None = None,
    page_size: int = DEFAULT_PAGE_SIZE, on_progress: Callable[[PullProgress], None] | None = None,
) -> FeedPuller:  # fmt: skip
    """The change-feed puller into ``store`` (the sync engine's, and ``pos-app pull``'s, which
    prints each page: ``on_progress``)."""
    from pos_app.services.feed import FeedService
    from pos_app.sync.puller import FeedPuller
    from pos_app.sync.server_link import ServerTrust

    feed = FeedService(store.unit_of_work, SystemClock())
    return FeedPuller(url, token, feed, page_size=page_size, on_progress=on_progress,
                      trust=trust or ServerTrust())  # fmt: skip


def card_terminal(address: str) -> Acquirer:
    """The card terminal at ``HOST:PORT`` (``--card-terminal``); ``""``: the till has none
    (``NoAcquirer``, which refuses every card)."""
    if not address:
        return NO_ACQUIRER
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
        bonus=till.bonus, hold_reset=till.hold_reset, guest_card=till.guest_card,
        guest_history=till.guest_history, deposits=till.deposits,
        venue_zone=VenueTime(store.unit_of_work).zone(), venue_time=VenueTime(store.unit_of_work),
        venue_name=read_venue_name(store.unit_of_work), look=read_look(store.unit_of_work),
        subscriptions=till.subscriptions, guest_cabinet=till.guest_cabinet,
    )  # fmt: skip


def device_settings_service(
    store: Store, printing: ReceiptPrinting | None = None, *, sound: SoundPlayer | None = None,
    scans: LastScanRecorder | None = None,
    on_saved: Callable[[DeviceSettings], None] | None = None,
) -> DeviceSettingsService:  # fmt: skip
    """The device settings on ``store`` and their test actions, wired to what runs: the print
    queue (the test page; saving reconfigures it), the sound player, the scanners' recorder;
    ``on_saved`` restarts the scanners (their owner's job). What is not given refuses
    (``device_settings.no_printer``, ``no_sound``) or shows nothing (``no_scans``)."""
    from pos_app.commands.printing import last_scan, printer_settings_config
    from pos_app.devices.escpos_encoder import load_profiles
    from pos_app.devices.sound import SoundSettings
    from pos_app.services import device_settings as ds

    def saved(settings: DeviceSettings) -> None:
        if printing is not None:
            printing.reconfigure(printer_settings_config(settings.printer))
        if sound is not None:
            sound.apply(SoundSettings(settings.sound.enabled, settings.sound.volume))
        if on_saved is not None:
            on_saved(settings)

    def play(prefs: SoundPrefs, player: SoundPlayer) -> bool:
        player.apply(SoundSettings(prefs.enabled, prefs.volume))
        return player.play("scan_ok")

    return ds.DeviceSettingsService(
        store.unit_of_work, profiles=sorted(load_profiles()), on_saved=saved,
        test_page=printing.enqueue_test_page if printing is not None else ds.no_printer,
        play_sound=partial(play, player=sound) if sound is not None else ds.no_sound,
        last_scan=partial(last_scan, scans) if scans is not None else ds.no_scans,
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
    sender = HttpActionSender(
        SyncQueue(store.unit_of_work, store.clock),
        HttpTransport(base_url, token, trust=trust or ServerTrust()),
    )
    acting = wrap_sender(sender) if wrap_sender is not None else sender
    return ConsoleOrders(cache, store.unit_of_work, acting, is_online=is_online), sender, cache


@dataclass(frozen=True)
class ConsoleEngine:
    """An operator console's parts below its window: the use cases, the action sender (the
    store's outbox, sent over HTTP) and the order stream that feeds the cache."""

    service: ConsoleOrders
    sender: HttpActionSender
    stream: OrderStream


def console_engine(
    store: Store, base_url: str, token: str, *,
    on_orders: Callable[[Sequence[OrderView]], None],
    on_status: Callable[[StreamStatus], None], heartbeat_timeout: float = 40.0,
    wrap_sender: Callable[[HttpActionSender], ActionSender] | None = None,
    trust: ServerTrust | None = None,
) -> ConsoleEngine:  # fmt: skip
    """``console_orders`` fed by an ``OrderStream`` (not started): each batch goes into the
    cache and its orders to ``on_orders``; on every reconnect the actions queued offline are
    sent, off the stream's reader thread. Both callbacks run on the stream's threads."""
    from pos_app.sync.order_stream import OrderStream
    from pos_app.sync.server_link import ServerTrust

    streams: list[OrderStream] = []
    service, sender, cache = console_orders(store, base_url, token,
                                            is_online=lambda: streams[0].online,
                                            wrap_sender=wrap_sender, trust=trust)  # fmt: skip

    def on_batch(batch: StreamBatch) -> None:  # the stream's dispatcher thread
        on_orders(service.ingest(batch))

    def status(now: StreamStatus) -> None:  # the stream's reader thread
        on_status(now)
        if now.online:
            threading.Thread(target=_flush, args=(sender,), daemon=True).start()

    streams.append(OrderStream(base_url, token, cursor=cache.cursor(), on_batch=on_batch,
                               on_status=status, heartbeat_timeout=heartbeat_timeout,
                               trust=trust or ServerTrust()))  # fmt: skip
    return ConsoleEngine(service, sender, streams[0])


def _flush(sender: HttpActionSender) -> None:
    try:
        sender.flush()
    except Exception:  # a failed flush is retried at the next reconnect
        log.exception("queued order actions not sent")


def _history_source(
    store: Store, sync: SyncRuntime | None, server_url: str | None
) -> HistorySource:
    """An enrolled till reads guests' history from its server (``sync.guest_history_client``);
    one that is not has none (the card says so and shows what it kept)."""
    if sync is None:
        return NO_HISTORY_SOURCE
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.guest_history_client import GuestHistoryClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    return GuestHistoryClient(str(url), token, trust=sync.trust) if url else NO_HISTORY_SOURCE


def _cabinet_port(store: Store, sync: SyncRuntime | None, server_url: str | None
                  ) -> CabinetPort:  # fmt: skip
    """An enrolled till sets guests' cabinet credentials on its server
    (``sync.guest_cabinet_client``); one that is not cannot (the card's Cabinet tab says so)."""
    if sync is None:
        return NO_CABINET_SERVER
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.guest_cabinet_client import GuestCabinetClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    return GuestCabinetClient(str(url), token, trust=sync.trust) if url else NO_CABINET_SERVER


def _link_source(store: Store, sync: SyncRuntime | None, server_url: str | None) -> LinkSource:
    """An enrolled till asks its server for a guest's Telegram link; one that is not has none
    (the till says the guest can subscribe later, it never makes a link up)."""
    if sync is None:
        return NO_LINK_SOURCE
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.subscription_client import SubscriptionLinkClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    return SubscriptionLinkClient(str(url), token, trust=sync.trust) if url else NO_LINK_SOURCE


def _phone_owners(history: HistorySource) -> PhoneOwnerSource:
    """The server's verdict on a new guest's phone comes from the same client as the history
    (an enrolled till); a till without a server checks its own store only."""
    from pos_app.services.guests import NO_PHONE_OWNERS
    from pos_app.sync.guest_history_client import GuestHistoryClient

    return history if isinstance(history, GuestHistoryClient) else NO_PHONE_OWNERS


def _hold_reset_port(
    store: Store, sync: SyncRuntime | None, server_url: str | None
) -> tuple[HoldResetPort, Callable[[], object]]:
    """An enrolled till asks its server to reset a guest's holds (``AdminClient``) and pulls
    the change feed afterwards; a till that is not enrolled has ``NotEnrolled``: the manager
    reads that this till is not connected to a server."""
    if sync is None:
        return NOT_ENROLLED, no_feed
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.admin_client import AdminClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    if not url:
        return NOT_ENROLLED, no_feed
    return AdminClient(str(url), token, trust=sync.trust), sync.puller.pull
