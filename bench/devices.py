"""``python -m bench devices [--quick]``: a receipt through the print queue at 19 200 baud, and
scan -> ``ScanEvent`` latency, both over pseudo-terminals with the real drivers.

* **receipt** - a 30-line receipt (80 mm, 48 columns) is rendered and enqueued on the real
  SQLite print queue; the print worker sends it with python-escpos' ``Serial`` driver to the
  serial printer emulator, which takes the line no faster than 19 200 baud would deliver it
  and answers the status query after the job only once the job has "arrived". ``receipt_s``
  runs from the enqueue call to the worker marking the job done (status fine after it);
  ``wire_s`` is the job's bytes on a 19 200-baud line (``bytes * 10 / 19200``). Their ratio is
  the cost of the queue, the driver and the status round trips (target <= 1.2).
* **scan** - a barcode with its CR suffix is written to a pty in one go; the latency runs from
  that write to the serial reader's ``ScanEvent`` callback (p50/p99).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.stats import percentile
from pos_app.commands.printing import ReceiptPrinting
from pos_app.db import open_store
from pos_app.devices.emulators.serial_device import PtyDevice
from pos_app.devices.emulators.serial_printer import SerialPrinterEmulator, wire_seconds
from pos_app.devices.escpos_printer import PrinterConfig
from pos_app.devices.events import ScanEvent, ScanRejected
from pos_app.devices.print_document import Text
from pos_app.devices.receipt import ReceiptData, ReceiptLine, ReceiptPayment, render_receipt
from pos_app.devices.serial_reader import SerialConfig, SerialReader

BAUD = 19200
COLUMNS = 48
RECEIPT_LINES = 30


def receipt_with_lines(target: int = RECEIPT_LINES) -> tuple[ReceiptData, int]:
    """The receipt with the fewest items whose printout has at least ``target`` text lines."""
    for items in range(1, 40):
        lines = tuple(
            ReceiptLine(f"Позиция {i + 1}: капучино", 1, 18000 + 100 * i, 18000 + 100 * i)
            for i in range(items)
        )
        total = sum(line.total for line in lines)
        receipt = ReceiptData(
            number="B1-000001", printed_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
            venue_name="Кофейня Зерно", lines=lines, subtotal=total, total=total,
            payments=(ReceiptPayment("Наличные", total),), qr="https://pos.example/r/B1-000001",
            cashier="Анна",
        )  # fmt: skip
        printed = sum(isinstance(op, Text) for op in render_receipt(receipt, COLUMNS))
        if printed >= target:
            return receipt, printed
    raise AssertionError("the receipt template never reaches the line count")


def bench_receipts(runs: int, tmp: Path) -> tuple[list[float], list[float], int]:
    emulator = SerialPrinterEmulator(baudrate=BAUD, columns=COLUMNS)
    device = emulator.start()
    receipt, printed_lines = receipt_with_lines()
    finished: dict[int, float] = {}
    done = threading.Condition()

    def on_change(job_id: int, printed: bool) -> None:
        with done:
            finished[job_id] = time.perf_counter() if printed else -1.0
            done.notify_all()

    config = PrinterConfig(transport="serial", device_path=device, baudrate=BAUD,
                           timeout_s=10.0, columns=COLUMNS)  # fmt: skip
    store = open_store(tmp / "bench.sqlite3", terminal_id="BENCH", receipt_prefix="B1")
    printing = ReceiptPrinting(store, config, on_change=on_change)
    printing.start()
    took, wire = [], []
    try:
        for _ in range(runs + 1):  # the first is a warm-up
            start = time.perf_counter()
            job_id = printing.enqueue_receipt(receipt)
            with done:
                if not done.wait_for(lambda: job_id in finished, timeout=30):  # noqa: B023
                    raise RuntimeError("the receipt was not printed within 30 s")
            if finished[job_id] < 0:
                raise RuntimeError(f"printing failed: {printing.service.state().last_error}")
            job = printing.service.queue.get(job_id)
            assert job is not None
            took.append(finished[job_id] - start)
            wire.append(wire_seconds(len(job.document), BAUD))
    finally:
        printing.stop()
        store.close()
        emulator.stop()
    return took[1:], wire[1:], printed_lines


def bench_scans(count: int) -> list[float]:
    device = PtyDevice(terminator=b"\r")
    arrived = threading.Event()
    events: list[ScanEvent | ScanRejected] = []

    def on_event(event: ScanEvent | ScanRejected) -> None:
        events.append(event)
        arrived.set()

    reader = SerialReader(SerialConfig(port=device.path, baudrate=BAUD), on_event)
    reader.start()
    latencies = []
    try:
        if not device.wait_for_driver(5.0):
            raise RuntimeError("the serial reader did not open the pty")
        for i in range(count + 5):  # the first five warm up
            arrived.clear()
            code = f"46000000{i:05d}"
            start = time.perf_counter()
            os.write(device.master, code.encode() + b"\r")
            if not arrived.wait(2.0):
                raise RuntimeError(f"scan {code} produced no event")
            latencies.append(time.perf_counter() - start)
            time.sleep(0.005)
    finally:
        reader.stop()
        device.close()
    if not all(isinstance(e, ScanEvent) for e in events):
        raise RuntimeError("a scan was rejected")
    return latencies[5:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench devices")
    parser.add_argument("--quick", action="store_true", help="a short run (under 20 s)")
    parser.add_argument("--runs", type=int, help="receipts to time (default 10, quick 3)")
    parser.add_argument("--scans", type=int, help="scans to time (default 500, quick 100)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 10)
    scans = args.scans or (100 if args.quick else 500)
    with tempfile.TemporaryDirectory(prefix="pos-bench-devices-") as tmp:
        took, wire, printed_lines = bench_receipts(runs, Path(tmp))
    latencies = bench_scans(scans)
    receipt_s, wire_s = statistics.median(took), statistics.median(wire)
    p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
    print(f"receipt: {printed_lines} lines, {wire_s * BAUD / 10:.0f} bytes at {BAUD} baud: "
          f"{receipt_s:.3f} s through the queue (median of {runs}), wire {wire_s:.3f} s, "
          f"ratio {receipt_s / wire_s:.3f} (target <= 1.2)")  # fmt: skip
    print(f"scan -> ScanEvent over a pty: p50 {p50:.2f} ms, p99 {p99:.2f} ms ({scans} scans)")
    print(json.dumps({
        "receipt_s": round(receipt_s, 4), "wire_s": round(wire_s, 4),
        "receipt_ratio": round(receipt_s / wire_s, 3), "receipt_lines": printed_lines,
        "receipt_bytes": round(wire_s * BAUD / 10), "baud": BAUD,
        "scan_p50_ms": round(p50, 3), "scan_p99_ms": round(p99, 3), "scans": scans,
    }))  # fmt: skip
    return 0
