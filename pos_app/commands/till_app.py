"""``pos-app till [--data-dir DIR] [--server URL] [--lang ru|en]``: the till window.

The composition root of the till: store -> services -> devices -> (sync) -> ui. Adapters do
not import each other, so what crosses them is wired here: the wedge decoder (devices) is
handed to the UI's key hook, serial card readers and the receipt printer report through the
UI's bridge, the catalogue and the outbox figures are read from the store for the UI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_dir
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from pos_app.commands.store_factory import DATA_DIR_ENV, open_till_store, sale_service
from pos_app.db import Store
from pos_app.db.models import OutboxRow, ProductGroup
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.devices.acquiring import TcpAcquirer
from pos_app.devices.serial_reader import SerialConfig, SerialReader
from pos_app.devices.wedge import WedgeConfig, WedgeDecoder
from pos_app.domain.catalog import Product
from pos_app.services.dto import SaleView
from pos_app.services.guests import GuestService
from pos_app.services.payments import PaymentService
from pos_app.services.ports import StoreError
from pos_app.services.staff import StaffService
from pos_app.ui.bridge import CoreBridge
from pos_app.ui.i18n import install_translators, pick_language
from pos_app.ui.key_hook import WedgeKeyHook
from pos_app.ui.main_window import TillContext, TillWindow
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.theme import STYLE_SHEET
from pos_app.ui.till.ports import Catalogue, CatalogueGroup, TillExtras

if TYPE_CHECKING:
    from pos_app.commands.printing import ReceiptPrinting

SYNC_POLL_MS = 5_000


class StoreCatalogue:
    """The catalogue for the tiles: product groups in their order, products by name."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self) -> Catalogue:
        with self._store.unit_of_work(durable=False) as uow:
            rows = uow.connection.execute(
                select(ProductGroup.id, ProductGroup.name).order_by(
                    ProductGroup.sort_order, ProductGroup.name
                )
            ).all()
            products = uow.products.all()
        by_group: dict[str | None, list[Product]] = {}
        for product in products:
            by_group.setdefault(product.group_id, []).append(product)
        groups = [CatalogueGroup(gid, name, tuple(by_group.pop(gid, ()))) for gid, name in rows]
        rest = tuple(p for items in by_group.values() for p in items)
        if rest:
            groups.append(CatalogueGroup("", "Other", rest))
        return Catalogue(tuple(g for g in groups if g.products))


@dataclass(frozen=True)
class LocalSyncState:
    """What the till knows without a sync engine: not enrolled, and its own outbox."""

    enrolled: bool = False
    online: bool = False
    offline_since: datetime | None = None
    pending: int = 0
    oldest_pending_at: datetime | None = None
    last_sync_at: datetime | None = None


def outbox_state(store: Store) -> LocalSyncState:
    with store.unit_of_work(durable=False) as uow:
        count, oldest = uow.connection.execute(
            select(func.count(), func.min(OutboxRow.created_at)).where(
                OutboxRow.status == "pending"
            )
        ).one()
    return LocalSyncState(pending=int(count), oldest_pending_at=_aware(oldest))


def _aware(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _cache_dir() -> str:
    path = Path(user_cache_dir("pos_app"))
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


@dataclass(frozen=True)
class PrintNotice:
    """One attempt of the print queue, for the window: printed, or why not."""

    ok: bool
    message: str = ""


def start_printing(store: Store, options: TillOptions, bridge: CoreBridge) -> ReceiptPrinting:
    """The print queue's worker for the receipt printer (``--printer``, else the stored
    ``device.printer`` settings); its attempts are reported through the bridge.

    Imported here, not at the top: python-escpos parses its printer capabilities (a large
    YAML file, ~0.7 s) on import into a fresh temporary directory unless
    ``ESCPOS_CAPABILITIES_PICKLE_DIR`` names a cache, so the till points it at its own cache
    and starts printing once the window is up (a receipt cannot be due before sign-in).
    """
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", _cache_dir())
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
class TillOptions:
    data_dir: str | None = None
    server: str | None = None
    lang: str | None = None
    venue: str = "Демо-кафе"
    printer: str | None = ""  # HOST:PORT; "" = the stored settings; None = no printer
    card_readers: Sequence[str] = field(default_factory=tuple)
    card_terminal: str = ""


def parse_args(argv: list[str]) -> TillOptions:
    p = argparse.ArgumentParser(prog="pos-app till", description="Open the till window.")
    p.add_argument("--data-dir", help=f"the till's data directory (default: ${DATA_DIR_ENV} "
                   "or the user data directory)")  # fmt: skip
    p.add_argument("--server", help="URL of the central server (used once sync is built in)")
    p.add_argument("--lang", choices=("ru", "en"), help="UI language (default: from the locale)")
    p.add_argument("--venue", default="Демо-кафе", help="venue name on screen and receipts")
    p.add_argument("--printer", default="",
                   help="HOST:PORT of the ESC/POS receipt printer (default: the printer "
                   "settings), or 'none'")  # fmt: skip
    p.add_argument("--card-terminal", default="", metavar="HOST:PORT",
                   help="the card terminal (e.g. the fake one: python -m "
                   "pos_app.devices.acquiring.emulator)")  # fmt: skip
    p.add_argument("--card-reader", action="append", default=[], metavar="PORT",
                   help="a serial card reader or scanner, e.g. /dev/ttyUSB0")  # fmt: skip
    a = p.parse_args(argv)
    printer = None if a.printer.lower() == "none" else a.printer
    return TillOptions(a.data_dir, a.server, a.lang, a.venue, printer, tuple(a.card_reader),
                       a.card_terminal)  # fmt: skip


@dataclass
class TillRuntime:
    """A built till: the window and everything that must stop with it."""

    window: TillWindow
    runner: OpRunner
    bridge: CoreBridge
    key_hook: WedgeKeyHook
    readers: list[SerialReader]
    printer: ReceiptPrinting | None  # attached once the window is up
    translators: Sequence[object]
    stopped: bool = False

    def stop(self, app: QApplication) -> None:
        self.stopped = True
        self.key_hook.uninstall(app)
        for reader in self.readers:
            reader.stop()
        self.runner.shutdown(wait=True)
        if self.printer is not None:
            self.printer.stop()


def build_till(store: Store, options: TillOptions, app: QApplication) -> TillRuntime:
    """Wire store -> services -> devices -> ui; the window is built but not yet shown."""
    translators = list(install_translators(app, pick_language(options.lang)))
    app.setStyleSheet(STYLE_SHEET)
    runner, bridge = OpRunner(), CoreBridge()
    clock, ids, sales = SystemClock(), UuidGenerator(), sale_service(store)
    acquirer = None
    if options.card_terminal:
        host, _, port = options.card_terminal.rpartition(":")
        acquirer = TcpAcquirer(host or "127.0.0.1", int(port), timeout=30.0)
    context = TillContext(
        sales=sales,
        payments=PaymentService(store.unit_of_work, clock, ids, sales, acquirer=acquirer),
        guests=GuestService(store.unit_of_work, clock, ids),
        staff=StaffService(store.unit_of_work, clock),
        catalogue=StoreCatalogue(store),
        runner=runner,
        bridge=bridge,
        venue_name=options.venue,
        extras=TillExtras(idle_flush=store.flush_open_sales),
    )
    window = TillWindow(context)
    hook = WedgeKeyHook(WedgeDecoder(WedgeConfig()), window)
    hook.reading_did_arrive.connect(window.handle_reading)
    hook.reading_was_rejected.connect(window.reading_rejected)
    hook.install(app)
    readers = [
        SerialReader(
            SerialConfig(port, device=f"serial:{port}"),
            bridge.on_device_event,
            bridge.on_device_status,
        )
        for port in options.card_readers
    ]
    for reader in readers:
        reader.start()
    runtime = TillRuntime(window, runner, bridge, hook, readers, None, translators)
    if options.printer is not None:
        QTimer.singleShot(0, lambda: _attach_printer(runtime, store, options))
    _poll_outbox(window, store, runner, bridge)
    return runtime


def _attach_printer(runtime: TillRuntime, store: Store, options: TillOptions) -> None:
    """Start the print queue and print each completed sale's receipt through it."""
    if runtime.stopped:
        return
    printer = runtime.printer = start_printing(store, options, runtime.bridge)
    window, runner = runtime.window, runtime.runner

    def enqueue(sale: SaleView) -> None:
        cashier = window.staff.name if window.staff else ""
        runner.run(lambda: printer.enqueue_sale(sale, venue_name=options.venue, cashier=cashier))

    runtime.bridge.sale_did_complete.connect(enqueue)


def _poll_outbox(window: TillWindow, store: Store, runner: OpRunner, bridge: CoreBridge) -> None:
    """Until a sync engine reports its state, show the local queue (not enrolled)."""

    def poll(force: bool = False) -> None:
        if force or not runner.busy:
            runner.run(lambda: outbox_state(store), bridge.on_sync_state)

    timer = QTimer(window)
    timer.setInterval(SYNC_POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    bridge.sale_did_complete.connect(lambda _sale: poll(force=True))
    poll()


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    try:
        store = open_till_store(options.data_dir)
    except StoreError as exc:
        print(f"pos-app till: {exc}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with store:
        if options.server:
            print("pos-app till: --server is noted; this build has no sync engine yet, so the "
                  "till works offline.", file=sys.stderr)  # fmt: skip
        runtime = build_till(store, options, app)
        runtime.window.resize(1366, 768)
        runtime.window.show()
        runtime.window.start()
        code = app.exec()
        runtime.stop(app)
    return int(code)
