"""The till's printing, composed: SQLite print queue + ESC/POS printer and its layout + the
print worker.

``ReceiptPrinting`` is built by the composition root (``commands/composition.py``) with the
store and the printer's configuration, started once, and handed to the screens as a
``PrintService`` (which only enqueues and reads state) and as the till's ``ReportPrinter``.
The layout (``services.ports_print.PrintLayout``, ``devices.layout.EscposLayout``) makes the
printer's bytes on the caller's thread, before the job is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pos_app.db.print_queue import SqlPrintQueue
from pos_app.db.uow import Store
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig
from pos_app.devices.events import ScanEvent
from pos_app.devices.layout import EscposLayout
from pos_app.devices.printer_test_page import render_test_page
from pos_app.devices.receipt import ReceiptData
from pos_app.devices.refund_layout import refund_receipt_for
from pos_app.devices.scan_monitor import LastScanRecorder
from pos_app.services.device_settings import (
    LastScan,
    PrinterSettings,
)
from pos_app.services.dto import SaleView
from pos_app.services.order_checkout import order_of_sale
from pos_app.services.ports_print import PrintLayout
from pos_app.services.printing import Backoff, PrintService, PrintWorker
from pos_app.services.programme_settings import read_venue_details
from pos_app.services.receipt_points import ReceiptPoints
from pos_app.services.refunds import RefundReceipt
from pos_app.services.venue_time import VenueTime


def printer_config(settings: Mapping[str, Any]) -> PrinterConfig:
    """A ``PrinterConfig`` from the stored printer settings (``device.printer``)."""
    driver = str(settings.get("driver", "network"))
    columns = settings.get("columns")
    return PrinterConfig(
        transport=driver,
        host=str(settings.get("host", "127.0.0.1")),
        port=int(settings.get("port", 9100)),
        device_path=str(settings.get("device_path", "")),
        baudrate=int(settings.get("baudrate", 19200)),
        usb_vendor_id=int(settings.get("usb_vendor_id", 0)),
        usb_product_id=int(settings.get("usb_product_id", 0)),
        timeout_s=float(settings.get("timeout_s", 5.0)),
        profile=str(settings.get("profile", "epson")),
        codepage=settings.get("codepage") or None,
        codepage_number=settings.get("codepage_number"),
        columns=int(columns) if columns else None,
    )


class ReceiptPrinting:
    """One printer's queue service and worker; ``start()`` after the store is open."""

    def __init__(
        self,
        store: Store,
        config: PrinterConfig,
        *,
        printer_name: str = "receipt",
        backoff: Backoff | None = None,
        idle_poll_s: float = 2.0,
        on_change: Callable[[int, bool], None] | None = None,
    ) -> None:
        self.printer = EscposPrinter(config)
        self.layout: PrintLayout = EscposLayout(self.printer)
        self.service = PrintService(
            SqlPrintQueue(store),
            store.clock,
            printer=printer_name,
            backoff=backoff,
            on_change=on_change,
        )
        self.worker = PrintWorker(self.service, self.printer, idle_poll_s=idle_poll_s)
        self._venue = VenueTime(store.unit_of_work)
        self._store = store

    @property
    def columns(self) -> int:
        return self.printer.profile.columns

    def start(self) -> None:
        self.worker.start()

    def reconfigure(self, config: PrinterConfig) -> None:
        """New settings: the worker takes the new printer from its next job on."""
        self.printer = EscposPrinter(config)
        self.layout = EscposLayout(self.printer)
        self.worker.printer = self.printer

    def stop(self, timeout: float = 5.0) -> None:
        self.worker.stop(timeout)

    def enqueue_receipt(self, receipt: ReceiptData) -> int:
        """A receipt already in the template's terms (``devices.receipt.ReceiptData``)."""
        document = EscposLayout(self.printer).receipt(receipt)
        return self.service.enqueue("receipt", document, title=receipt.number)

    def enqueue_sale(self, sale: SaleView, *, cashier: str = "", venue_name: str | None = None,
                     points: ReceiptPoints | None = None,
                     subscribe_link: str | None = None) -> int:  # fmt: skip
        """``venue_name``: None, the till's setting (``services/venue_name.py``); ``points``:
        the guest's points of the sale (``services/receipt_points.py``); ``subscribe_link``:
        the buyer's messenger link and its QR (``services/subscription.py``)."""
        venue = read_venue_details(self._store.unit_of_work)  # the back office's, via the feed
        if venue_name is None:
            venue_name = venue.name
        with self._store.unit_of_work() as uow:  # the guest order it pays, if any (issue 20)
            order = order_of_sale(uow, sale.sale_id) or {}
        document = self.layout.sale_receipt(sale, venue_name=venue_name, cashier=cashier,
                                             timezone=self._venue.name(), points=points,
                                             subscribe_link=subscribe_link,
                                             order_number=order.get("number") or "",
                                             venue=venue)  # fmt: skip
        return self.service.enqueue("receipt", document, title=sale.receipt_no or sale.sale_id)

    @property
    def available(self) -> bool:
        """A ``ReportPrinter``: this till has a printer."""
        return True

    def print_report(self, lines: Sequence[str], title: str, *, kick_drawer: bool = False
                     ) -> int:  # fmt: skip
        """A shift report or a slip (plain lines) into the print queue; ``kick_drawer``: the
        drawer opens after it (cash of a deposit top-up taken or handed back)."""
        return self.service.enqueue("report", self.layout.report(lines, kick_drawer=kick_drawer),
                                    title=title)  # fmt: skip

    def print_refund(self, refund: RefundReceipt, *, venue_name: str, cashier: str) -> int:
        """A refund's receipt into the print queue (``devices/refund_layout.py``)."""
        receipt = refund_receipt_for(refund, venue_name=venue_name, cashier=cashier,
                                     timezone=self._venue.name())  # fmt: skip
        return self.service.enqueue("receipt", EscposLayout(self.printer).receipt(receipt),
                                    title=f"refund {refund.receipt_no}")  # fmt: skip

    def enqueue_test_page(self) -> int:
        c = self.printer.config
        where = f"{c.host}:{c.port}" if c.transport == "network" else c.device_path
        description = f"{c.transport} {where} {self.printer.profile.name}"
        ops = render_test_page(self.columns, description, datetime.now(UTC))
        return self.service.enqueue("test", self.printer.render(ops))


def printer_settings_config(p: PrinterSettings) -> PrinterConfig:
    """The driver configuration of the settings screen's printer settings."""
    return printer_config(
        {
            "driver": p.driver, "host": p.host, "port": p.port, "device_path": p.device_path,
            "baudrate": p.baudrate, "usb_vendor_id": p.usb_vendor_id,
            "usb_product_id": p.usb_product_id, "profile": p.profile,
            "codepage_number": p.codepage_number, "columns": p.columns,
        }
    )  # fmt: skip


def last_scan(recorder: LastScanRecorder) -> LastScan | None:
    """The last reading the scanners' recorder saw, as the settings screen shows it."""
    last = recorder.last()
    if last is None:
        return None
    event, at = last
    if isinstance(event, ScanEvent):
        kind = "card" if event.kind.value == "msr" else "barcode"
        return LastScan(kind, event.data, event.device, at)
    return LastScan("rejected", event.message, event.device, at)
