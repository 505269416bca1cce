"""The serial printer emulator: python-escpos' Serial driver over a pty at a real line speed."""

from __future__ import annotations

import time
from pathlib import Path

from pos_app.devices.emulators.serial_printer import SerialPrinterEmulator, wire_seconds
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig, PrinterState
from pos_app.devices.receipt import render_receipt
from tests.devices.receipts import a_receipt


def serial_printer(path: str, baudrate: int) -> EscposPrinter:
    return EscposPrinter(PrinterConfig(transport="serial", device_path=path, baudrate=baudrate,
                                       timeout_s=5.0, columns=32))  # fmt: skip


def test_a_job_takes_its_wire_time_and_prints_in_russian(tmp_path: Path) -> None:
    emulator = SerialPrinterEmulator(tmp_path / "jobs", baudrate=38400, columns=32, job_gap_s=0.1)
    path = emulator.start()
    try:
        printer = serial_printer(path, 38400)
        job = printer.render(render_receipt(a_receipt(), 32))
        started = time.perf_counter()
        result = printer.print_bytes(job)
        took = time.perf_counter() - started
        deadline = time.monotonic() + 2
        while not emulator.printed and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        emulator.stop()
    assert result.ok and result.state is PrinterState.READY
    wire = wire_seconds(len(job), 38400)
    assert wire <= took < wire + 1.0  # the status after the job waited for the line
    [text] = emulator.printed
    assert "ИТОГО     630,00" in text.read_text("utf-8")


def test_paper_out_is_reported_over_serial_and_nothing_is_sent(tmp_path: Path) -> None:
    emulator = SerialPrinterEmulator(tmp_path / "jobs", baudrate=115200)
    path = emulator.start()
    emulator.paper_out = True
    try:
        result = serial_printer(path, 115200).print_bytes(b"hello\n")
    finally:
        emulator.stop()
    assert result.state is PrinterState.PAPER_OUT and result.bytes_sent == 0
    assert emulator.bytes_received < 10  # only the status requests
