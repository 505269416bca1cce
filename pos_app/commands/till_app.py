"""``pos-app till [--data-dir DIR] [--lang ru|en] [--printer HOST:PORT] ...``: the till window.

The till window's wiring: store -> services (built by the composition root,
``commands/composition.py``) -> devices -> sync -> ui. Adapters do not import each other, so
what crosses them is wired here: the wedge decoder (devices) goes to the
UI's key hook; serial readers, the print queue and the sync worker report through the UI's one
bridge; the catalogue and the outbox figures are read from the store for the UI.

Start-up order is chosen for a quick, honest start: the window and the PIN dialog appear at
once, and the first op on the op runner's worker (``TillBackend.open``, through
``ServiceHolder``) imports the storage layer, opens the store and builds the services, the print
queue and the sync worker. Every later op - the PIN check included - runs behind it on the same
worker.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from pos_app.commands.server_options import add_trust_options, trust_of
from pos_app.services.screen_look import DEFAULT_FONT_PX, MAX_FONT_PX, MIN_FONT_PX
from pos_app.sync.server_link import (
    InsecureServer,
    ServerLinkError,
    ServerTrust,
    check_server_url,
)
from pos_app.ui.application import application
from pos_app.ui.bridge import CoreBridge
from pos_app.ui.i18n import install_translators, pick_language
from pos_app.ui.key_hook import WedgeKeyHook
from pos_app.ui.main_window import AFTER_FIRST_FRAME_MS, TillContext, TillWindow
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.theme import STYLE_SHEET
from pos_app.ui.till.ports import ServiceHolder, TillScreenServices

if TYPE_CHECKING:
    from pos_app.commands.daily_backup import DailyBackup
    from pos_app.commands.printing import ReceiptPrinting
    from pos_app.commands.sync_runtime import SyncRuntime
    from pos_app.db import Store
    from pos_app.services.dto import SaleView
    from pos_app.services.till import TillServices
    from pos_app.ui.till.customer_display import CustomerDisplay

SYNC_POLL_MS = 5_000
log = logging.getLogger(__name__)


@dataclass
class TillOptions:
    data_dir: str | None = None
    server: str | None = None
    lang: str | None = None
    venue: str | None = None  # store this venue name first (else the stored shop.name)
    printer: str | None = ""  # HOST:PORT; "" = the stored settings; None = no printer
    card_readers: Sequence[str] = field(default_factory=tuple)
    card_terminal: str = ""
    enrol_code: str | None = None
    token_store: str = "keyring"
    with_console: bool = False  # the incoming orders as a tab (else the stored terminal.role)
    role: str | None = None  # store this terminal's role first (till | till+console)
    hid_readers: Sequence[str] = field(default_factory=tuple)  # "VID:PID[:pos]", hex
    trust: ServerTrust | None = None  # --ca-cert / --insecure (else the enrolment's choice)
    setup: bool = True  # a till never set up shows the first-run wizard (--no-setup: never)
    customer_display: str = "auto"  # auto: on a second screen if there is one | on | off
    font_size: int | None = None  # store this font size (px) first (else the stored one)
    touch: bool | None = None  # store touch mode on / off first (else the stored one)


def parse_args(argv: list[str]) -> TillOptions:
    p = argparse.ArgumentParser(prog="pos-app till", description="Open the till window.")
    p.add_argument("--data-dir", help="the till's data directory (default: $POS_DATA_DIR or the "
                   "user data directory)")  # fmt: skip
    p.add_argument("--server", help="the central server's URL (default: the one the till was "
                   "enrolled with; enrol with pos-app till-sim --enrol-code)")  # fmt: skip
    p.add_argument("--lang", choices=("ru", "en"), help="UI language (default: from the locale)")
    p.add_argument("--venue", help="store the venue's name (on screen and receipts; kept for "
                   "the next start)")  # fmt: skip
    p.add_argument("--printer", default="",
                   help="HOST:PORT of the ESC/POS receipt printer (default: the printer "
                   "settings), or 'none'")  # fmt: skip
    p.add_argument("--card-terminal", default="", metavar="HOST:PORT",
                   help="the card terminal (e.g. the fake one: pos-app emulate "
                   "card-terminal)")  # fmt: skip
    p.add_argument("--card-reader", action="append", default=[], metavar="PORT",
                   help="a serial card reader or scanner, e.g. /dev/ttyUSB0")  # fmt: skip
    p.add_argument("--hid-reader", action="append", default=[], metavar="VID:PID[:pos]",
                   type=_hid_arg, help="a USB HID scanner or card reader by its hex USB ids, "
                   "e.g. 0c2e:0b61 (add :pos for a scanner in HID POS mode)")  # fmt: skip
    p.add_argument("--enrol-code", help="one-time code from the server (first run with --server)")
    p.add_argument("--token-store", default="keyring",
                   help="where the till's token is kept: keyring or file:PATH")  # fmt: skip
    p.add_argument("--with-console", action="store_true",
                   help="also show the incoming guest orders (a tab; F10 switches)")  # fmt: skip
    p.add_argument("--role", choices=("till", "till+console"),
                   help="store this terminal's role: till+console always shows the orders tab")
    p.add_argument("--no-setup", action="store_true",
                   help="never show the first-run wizard (a till with no store or never "
                   "enrolled shows it otherwise)")  # fmt: skip
    p.add_argument("--customer-display", choices=("auto", "on", "off"), default="auto",
                   help="the guest-facing display: auto shows it full-screen on a second "
                   "screen when there is one; on also opens it as a window on one "
                   "screen")  # fmt: skip
    p.add_argument("--font-size", type=int, metavar="PX",
                   help=f"store the screen's type size ({MIN_FONT_PX}-{MAX_FONT_PX}, default "
                   f"{DEFAULT_FONT_PX}; kept for the next start)")  # fmt: skip
    p.add_argument("--touch", action=argparse.BooleanOptionalAction, default=None,
                   help="store touch mode: larger buttons, tiles and basket rows, the numpad "
                   "(kept for the next start)")  # fmt: skip
    add_trust_options(p)
    a = p.parse_args(argv)
    if a.font_size is not None and not MIN_FONT_PX <= a.font_size <= MAX_FONT_PX:
        p.error(f"--font-size is {MIN_FONT_PX} to {MAX_FONT_PX} pixels")
    printer = None if a.printer.lower() == "none" else a.printer
    trust = trust_of(a)
    if a.server:  # a plain http:// server elsewhere: refused before the window opens
        try:
            check_server_url(a.server, trust)
        except ServerLinkError as exc:
            p.error(str(exc))
    return TillOptions(a.data_dir, a.server, a.lang, a.venue, printer, tuple(a.card_reader),
                       a.card_terminal, a.enrol_code, a.token_store, a.with_console,
                       a.role, tuple(a.hid_reader), trust, setup=not a.no_setup,
                       customer_display=a.customer_display, font_size=a.font_size,
                       touch=a.touch)  # fmt: skip


def _hid_arg(text: str) -> str:
    from pos_app.commands.till_devices import parse_hid

    try:
        parse_hid(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


@dataclass(frozen=True)
class LocalSyncState:
    """What a till that is not enrolled knows: its own outbox (field names as SyncSnapshot)."""

    enrolled: bool = False
    online: bool = False
    offline_since: datetime | None = None
    waiting: int = 0
    oldest_waiting_at: datetime | None = None
    last_sync: datetime | None = None
    problems: int = 0  # open reconciliation items in the store (the manager's count)
    plain_http: bool = False  # enrolled, but its stored server is refused (docs/deploy.md)


@dataclass(frozen=True)
class PrintNotice:
    """One attempt of the print queue, for the window: printed, or why not."""

    ok: bool
    message: str = ""


class TillBackend:
    """Everything on the store's side, built on the op worker by ``open`` (see module doc)."""

    def __init__(self, options: TillOptions, bridge: CoreBridge, store: Store | None = None):
        self.options = options
        self.bridge = bridge
        self.store = store
        self._own_store = store is None
        self.printing: ReceiptPrinting | None = None
        self.sync: SyncRuntime | None = None
        self.plain_http = False  # the stored server is plain http:// elsewhere: no sync
        self.backups: DailyBackup | None = None
        self.till: TillServices | None = None  # set by ``open``

    def open(self) -> TillScreenServices:
        from pos_app.commands.composition import card_terminal, screen_services, till_services
        from pos_app.commands.store_factory import open_till_store
        from pos_app.services.screen_look import store_look
        from pos_app.services.venue_name import store_venue_name

        store = self.store = (
            self.store or self._enrolled() or open_till_store(self.options.data_dir)
        )
        if self.options.venue:
            store_venue_name(store.unit_of_work, self.options.venue)
        store_look(store.unit_of_work, self.options.font_size, self.options.touch)
        self.sync = self._start_sync(store)
        self.backups = _start_backups(store)
        if self.options.printer is not None:
            self.printing = _start_printing(store, self.options, self.bridge)
        terminal = card_terminal(self.options.card_terminal)
        till = self.till = till_services(store, sync=self.sync, server_url=self.options.server,
                                         acquirer=terminal)  # fmt: skip
        return screen_services(store, till, self.printing)

    def _enrolled(self) -> Store | None:
        """With ``--server`` and ``--enrol-code``: enrol this data folder once (on the op worker,
        the server is asked); a folder enrolled before just opens."""
        if not (self.options.enrol_code and self.options.server):
            return None
        from pos_app.commands.store_factory import open_till_store
        from pos_app.commands.sync_runtime import SyncSetupError, enrol_data_dir, enrolled_terminal

        existing = open_till_store(self.options.data_dir)
        if enrolled_terminal(existing) is not None:
            return existing
        existing.close()
        try:
            return enrol_data_dir(self.options.data_dir, self.options.server,
                                  self.options.enrol_code, self.options.token_store,
                                  self.options.trust)  # fmt: skip
        except SyncSetupError as exc:  # the till still sells; the status bar says "not enrolled"
            log.warning("the till could not enrol: %s", exc)
            return None

    def _start_sync(self, store: Store) -> SyncRuntime | None:
        """The sync worker of an enrolled till, its state going to the status bar."""
        from pos_app.commands.composition import start_sync
        from pos_app.commands.sync_runtime import SyncSetupError, enrolled_terminal

        if enrolled_terminal(store) is None:
            return None
        try:
            runtime = start_sync(store, self.options.data_dir, server_url=self.options.server,
                                 trust=self.options.trust)  # fmt: skip
        except SyncSetupError as exc:  # e.g. a stored plain http:// server: the till still sells
            log.warning("the till does not sync: %s", exc)
            self.plain_http = isinstance(exc.__cause__, InsecureServer)
            return None
        runtime.state.subscribe(self.bridge.on_sync_state)
        self.bridge.on_sync_state(runtime.state.snapshot)
        runtime.worker.start()
        return runtime

    def local_state(self) -> LocalSyncState | None:
        """The outbox as the status bar shows it while the till is not enrolled."""
        if self.sync is not None or self.store is None:
            return None
        with self.store.unit_of_work(durable=False) as uow:
            stats = uow.sync.stats()
        return LocalSyncState(enrolled=self.plain_http, waiting=stats.waiting,
                              oldest_waiting_at=_aware(stats.oldest_at),
                              problems=stats.open_items, plain_http=self.plain_http)

    def sale_completed(self, sale: SaleView, cashier: str) -> None:
        """On the op worker: the receipt into the print queue, the sync worker woken. A promo
        sale that gave the buyer a card first asks the server for the buyer's messenger link
        (on a thread of its own: the op worker stays free for the next sale), shows it and
        prints it on the receipt (seed 003)."""
        if self.sync is not None:
            self.sync.worker.wake()
        buyer = self._card_buyer(sale)
        if buyer is None:
            self._print_sale(sale, cashier, None)
            return

        def ask() -> None:
            assert self.till is not None
            state = self.till.subscriptions.state(buyer)
            self.bridge.on_subscription(state)
            self._print_sale(sale, cashier, state.link if state.needs_link else None)

        threading.Thread(target=ask, name="subscription-link", daemon=True).start()

    def _card_buyer(self, sale: SaleView) -> str | None:
        """The buyer of a promo sale who has a card now (issued at its close or before)."""
        if self.till is None or sale.guest is None:
            return None
        outcome = self.till.promo.outcome(sale.sale_id)
        if outcome is None or outcome.buyer_code is None:
            return None
        return outcome.buyer_guest_id

    def _print_sale(self, sale: SaleView, cashier: str, link: str | None) -> None:
        if self.printing is not None:
            from pos_app.services.receipt_points import read_receipt_points

            points = None
            if sale.guest is not None and self.store is not None:
                points = read_receipt_points(self.store.unit_of_work, sale.sale_id)
            self.printing.enqueue_sale(sale, cashier=cashier, points=points,
                                       subscribe_link=link)  # fmt: skip

    def close(self) -> None:
        if self.printing is not None:
            self.printing.stop()
        if self.sync is not None:
            self.sync.worker.stop()
        if self.backups is not None:
            self.backups.stop()
        if self.store is not None and self._own_store:
            self.store.close()


def _start_backups(store: Store) -> DailyBackup:
    """The daily backup of the store into its data folder's backups/ (commands/daily_backup)."""
    from pos_app.commands.daily_backup import DailyBackup

    backups = DailyBackup(store, store.path.parent)
    backups.start()
    return backups


def _aware(value: object) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _start_printing(store: Store, options: TillOptions, bridge: CoreBridge) -> ReceiptPrinting:
    """The print queue's worker for the receipt printer (``--printer``, else the stored
    ``device.printer`` settings); its attempts are reported through the bridge.

    python-escpos parses its printer capabilities (a large YAML file, ~0.7 s) on import into a
    fresh temporary directory unless ``ESCPOS_CAPABILITIES_PICKLE_DIR`` names a cache, so the
    till points it at its own cache before the first import.
    """
    from platformdirs import user_cache_dir

    cache = Path(user_cache_dir("pos_app"))
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
    from pos_app.commands.printing import ReceiptPrinting, printer_config
    from pos_app.devices.escpos_printer import PrinterConfig

    if options.printer:
        host, _, port = options.printer.rpartition(":")
        config = PrinterConfig(host=host or "127.0.0.1", port=int(port or 9100))
    else:
        with store.unit_of_work(durable=False) as uow:
            config = printer_config(uow.settings.get("device.printer") or {})
    printing: ReceiptPrinting | None = None

    def changed(_job: int, printed: bool) -> None:
        detail = "" if printed or printing is None else printing.service.state().last_error
        bridge.on_receipt_printed(PrintNotice(printed, detail or ""))

    printing = ReceiptPrinting(store, config, on_change=changed)
    printing.start()
    return printing


@dataclass
class TillRuntime:
    """A built till: the window and everything that must stop with it."""

    window: TillWindow
    runner: OpRunner
    bridge: CoreBridge
    backend: TillBackend
    key_hook: WedgeKeyHook | None  # installed just after the first frame
    readers: list[Any]  # serial and HID readers (commands/till_devices.py)
    translators: Sequence[QTranslator]
    console: Any = None  # RunningConsole of a till + console terminal (on the till's store)
    display: CustomerDisplay | None = None  # the guest-facing second screen, when shown
    stopped: bool = False

    def stop(self, app: QApplication) -> None:
        """Close the window (its last flush of open sales is queued), let the op worker
        finish, then stop the devices, the orders tab, the print queue, sync, and the store."""
        self.stopped = True
        if self.console is not None:
            self.console.close()
        self.window.close()
        if self.display is not None:
            self.display.close()
        if self.key_hook is not None:
            self.key_hook.uninstall(app)
        for reader in self.readers:
            reader.stop()
        self.runner.shutdown(wait=True)
        self.backend.close()
        for translator in self.translators:
            app.removeTranslator(translator)


def build_till(
    options: TillOptions, app: QApplication, store: Store | None = None, console_sound: Any = None
) -> TillRuntime:
    """Wire the till; the store (given, or opened from ``options``) opens on the op worker.
    The orders tab of a till + console terminal: ``commands/till_console.py``."""
    from pos_app.commands import till_console

    translators = list(install_translators(app, pick_language(options.lang)))
    app.setStyleSheet(STYLE_SHEET)  # the stored size and touch mode follow once the store opens
    runner, bridge = OpRunner(), CoreBridge()
    backend = TillBackend(options, bridge, store)
    services = ServiceHolder(backend.open)
    window = TillWindow(TillContext(services, runner, bridge, options.venue or ""))
    readers: list[Any] = []
    if options.card_readers or options.hid_readers:
        from pos_app.commands.till_devices import cli_readers

        readers = cli_readers(options.card_readers, options.hid_readers,
                              bridge.on_device_event, bridge.on_device_status)  # fmt: skip
    for reader in readers:
        reader.start()

    def completed(sale: SaleView) -> None:
        cashier = window.staff.name if window.staff else ""
        runner.run(lambda: backend.sale_completed(sale, cashier))

    bridge.sale_did_complete.connect(completed)
    _poll_outbox(window, backend, runner, bridge)
    runtime = TillRuntime(window, runner, bridge, backend, None, readers, translators)

    def after_first_frame() -> None:
        if runtime.stopped:  # a till closed at once must not leave its key hook on the app
            return
        _attach_wedge(runtime, app, options)
        till_console.start(runtime, console_sound)

    QTimer.singleShot(AFTER_FIRST_FRAME_MS, after_first_frame)
    if options.customer_display != "off":
        QTimer.singleShot(AFTER_FIRST_FRAME_MS, lambda: _customer_display(runtime, options))
    return runtime


def _customer_display(runtime: TillRuntime, options: TillOptions) -> None:
    """The guest-facing display on a second screen (or, asked for, on the one screen): it
    observes the till's session like the window's panels."""
    from pos_app.ui.till.customer_display import CustomerDisplay, place

    if runtime.stopped:
        return
    window = runtime.window
    display = CustomerDisplay(window.venue.text())
    if not place(display, window, force=options.customer_display == "on"):
        display.deleteLater()
        return
    window.controller.observe(display)
    window.controller.sale_did_close.connect(display.sale_closed)
    runtime.bridge.subscription_did_arrive.connect(display.show_subscription)
    window.venue_did_change.connect(display.venue.setText)
    front = QApplication.activeModalWidget() or window  # the keys stay with the till
    front.activateWindow()
    display.show_sale(window.controller.sale)
    display.show_guest(window.controller.guest)
    runtime.display = display


def _attach_wedge(runtime: TillRuntime, app: QApplication, options: TillOptions) -> None:
    """The keyboard-wedge decoder behind the key hook, once the window is up (a reading
    before anyone signed in is not a sale anyway); the saved scanner settings follow from
    the op worker (``till_devices.use_saved_settings``)."""
    from pos_app.commands.till_devices import use_saved_settings
    from pos_app.devices.wedge import WedgeConfig, WedgeDecoder

    decoder = WedgeDecoder(WedgeConfig())
    hook = WedgeKeyHook(decoder, runtime.window)
    hook.reading_did_arrive.connect(runtime.window.handle_reading)
    hook.reading_was_rejected.connect(runtime.window.reading_rejected)
    hook.install(app)
    runtime.key_hook = hook
    use_saved_settings(runtime, decoder, options)


def _poll_outbox(window: TillWindow, backend: TillBackend, runner: OpRunner,
                 bridge: CoreBridge) -> None:  # fmt: skip
    """Until the till is enrolled (no sync worker), show its own outbox in the status bar."""

    def report(state: LocalSyncState | None) -> None:
        if state is not None:
            bridge.on_sync_state(state)

    def poll(force: bool = False) -> None:
        if force or not runner.busy:
            runner.run(backend.local_state, report, lambda _e: None)

    timer = QTimer(window)
    timer.setInterval(SYNC_POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    bridge.sale_did_complete.connect(lambda _sale: poll(force=True))
    poll(force=True)


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    app = application()
    assert isinstance(app, QApplication)
    if _first_run(options) and not _run_first_run_wizard(options, app):
        return 0  # the installer closed the wizard: nothing to open
    runtime = build_till(options, app)
    runtime.window.resize(1366, 768)
    runtime.window.show()
    runtime.window.start()
    code = app.exec()
    runtime.stop(app)
    return int(code)


def _first_run(options: TillOptions) -> bool:
    """The first-run wizard is due (``commands/first_run.py``)."""
    if not options.setup or (options.server and options.enrol_code):
        return False
    from pos_app.commands.first_run import needs_setup

    return needs_setup(options.data_dir)


def _run_first_run_wizard(options: TillOptions, app: QApplication) -> bool:
    from pos_app.commands.first_run import run_wizard

    translators = install_translators(app, pick_language(options.lang))
    try:
        return run_wizard(options.data_dir, app)
    finally:
        for translator in translators:
            app.removeTranslator(translator)
