"""The one place where plain-Python core events become Qt signals.

The core (sync worker, device readers, print queue) runs on its own threads and knows nothing
of Qt: it is handed plain callables (``bridge.on_sync_state``, ``bridge.on_device_event``,
...). Each emits a signal; a signal emitted on a foreign thread reaches slots of GUI-thread
objects through a queued connection, so every screen reacts on the GUI thread. Names follow
Anki's hooks: what happened, in the past tense (``sale_did_complete``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class CoreBridge(QObject):
    """Signals for core events; the ``on_*`` methods are safe to call from any thread."""

    sync_did_change_state = Signal(object)  # sync-core's state object (see till/status.py)
    sale_did_complete = Signal(object)  # SaleView of a closed sale
    scan_did_arrive = Signal(object)  # ScanEvent / ScanRejected from a serial or HID reader
    device_did_change_state = Signal(object)  # DeviceStatus
    receipt_did_print = Signal(object)  # the printer's result for one receipt
    subscription_did_arrive = Signal(object)  # services.subscription.Subscription (seed 003)

    def on_sync_state(self, state: object) -> None:
        self.sync_did_change_state.emit(state)

    def on_sale_completed(self, sale: object) -> None:
        self.sale_did_complete.emit(sale)

    def on_device_event(self, event: object) -> None:
        self.scan_did_arrive.emit(event)

    def on_device_status(self, status: object) -> None:
        self.device_did_change_state.emit(status)

    def on_receipt_printed(self, result: object) -> None:
        self.receipt_did_print.emit(result)

    def on_subscription(self, state: object) -> None:
        self.subscription_did_arrive.emit(state)
