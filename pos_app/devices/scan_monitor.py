"""The last reading any scanner or card reader made, for the settings screen's "last scan".

Drivers call their callbacks on their own threads; the composition fans each event out to the
till and to this recorder, which keeps only the newest one (with when it came) under a lock.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from pos_app.devices.events import ScanEvent, ScanRejected


class LastScanRecorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: tuple[ScanEvent | ScanRejected, datetime] | None = None

    def record(self, event: ScanEvent | ScanRejected) -> None:
        with self._lock:
            self._last = (event, datetime.now(UTC))

    def last(self) -> tuple[ScanEvent | ScanRejected, datetime] | None:
        with self._lock:
            return self._last
