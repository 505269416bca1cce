"""The ``pos-app emulate ...`` commands as installers and the demo use them: real processes."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.app import main as pos_app_main
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig, PrinterState
from pos_app.devices.events import ScanEvent, ScanKind, ScanRejected
from pos_app.devices.print_document import Qr, Text
from pos_app.devices.serial_reader import SerialConfig, SerialReader

EMULATE = [sys.executable, "-m", "pos_app.app", "emulate"]


def read_scans(path: str, count: int) -> list[ScanEvent | ScanRejected]:
    events: queue.Queue[ScanEvent | ScanRejected] = queue.Queue()
    reader = SerialReader(SerialConfig(path, reconnect_s=0.05), events.put)
    reader.start()
    try:
        return [events.get(timeout=10) for _ in range(count)]
    finally:
        reader.stop()


def test_emulated_scanner_sends_values_to_the_serial_driver() -> None:
    with subprocess.Popen(
        [*EMULATE, "scanner", "--send", "4601234567893", "--send", "ABC-1", "--linger", "0.5"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/")
        scans = read_scans(path, 2)
        assert proc.wait(timeout=10) == 0
    assert [(s.kind, s.data) for s in scans if isinstance(s, ScanEvent)] == [
        (ScanKind.BARCODE, "4601234567893"),
        (ScanKind.BARCODE, "ABC-1"),
    ]


def test_emulated_card_reader_sends_stdin_lines(tmp_path: Path) -> None:
    link = tmp_path / "ttyMSR"
    with subprocess.Popen(
        [*EMULATE, "msr", "--link", str(link)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdout.readline()
        proc.stdin.write(";700123?\n;E?\n")
        proc.stdin.flush()
        first, second = read_scans(str(link), 2)
        proc.stdin.close()
        assert proc.wait(timeout=10) == 0
    assert isinstance(first, ScanEvent) and (first.kind, first.data) == (ScanKind.MSR, "700123")
    assert isinstance(second, ScanRejected)
    assert not link.exists()


def test_emulated_printer_process_prints_jobs_and_stops_on_sigterm(tmp_path: Path) -> None:
    out = tmp_path / "jobs"
    with subprocess.Popen(
        [*EMULATE, "printer", "--port", "0", "--out", str(out), "--columns", "32"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        port = int(re.search(r":(\d+) ", banner).group(1))  # type: ignore[union-attr]
        printer = EscposPrinter(PrinterConfig(port=port, timeout_s=2, columns=32))
        result = printer.print_document([Text("Проверка печати"), Qr("ok")])
        assert result.state is PrinterState.READY
        os.kill(proc.pid, signal.SIGUSR1)  # paper out
        assert proc.stdout.readline().strip() == "paper out: True"
        assert printer.status().state is PrinterState.PAPER_OUT
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert (out / "job-0001.txt").read_text("utf-8") == "Проверка печати\n[QR:ok]\n"


def test_unknown_device_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert pos_app_main(["emulate", "toaster"]) == 2
    assert "pos-app emulate: unknown command 'toaster'" in capsys.readouterr().err
    assert pos_app_main(["emulate", "--help"]) == 0
    assert "emulate serial-printer" in capsys.readouterr().out
    assert pos_app_main(["emulate"]) == 2


def test_emulated_serial_printer_process_prints_and_toggles_paper(tmp_path: Path) -> None:
    out = tmp_path / "jobs"
    with subprocess.Popen(
        [*EMULATE, "serial-printer", "--out", str(out), "--baud", "115200", "--columns", "32"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/")
        config = PrinterConfig(transport="serial", device_path=path, baudrate=115200,
                               timeout_s=3.0, columns=32)  # fmt: skip
        printer = EscposPrinter(config)
        assert printer.print_document([Text("Тест печати"), Qr("q-1")]).ok
        proc.send_signal(signal.SIGUSR1)
        assert proc.stdout.readline().strip() == "paper out: True"
        assert printer.status().state is PrinterState.PAPER_OUT
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    [job] = sorted(out.glob("job-*.txt"))
    assert "Тест печати" in job.read_text("utf-8") and job.with_suffix(".png").exists()
