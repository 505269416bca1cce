"""Real drivers end to end: python-escpos over TCP to the emulator, and over a pty."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.devices.emulators.escpos_decoder import EscposDecoder
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.devices.escpos_printer import (
    EscposPrinter,
    PrinterConfig,
    PrinterState,
    status_from_replies,
)
from pos_app.devices.receipt import render_receipt
from tests.devices.ptys import PtyPair
from tests.devices.receipts import a_receipt


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator(tmp_path / "jobs", port=0, columns=48)
    emu.start()
    yield emu
    emu.stop()


def network_printer(port: int, **overrides: object) -> EscposPrinter:
    config = PrinterConfig(transport="network", port=port, timeout_s=2.0, profile="epson")
    return EscposPrinter(PrinterConfig(**{**config.__dict__, **overrides}))


def test_given_receipt_when_printed_over_tcp_then_emulator_prints_russian_qr_and_cut(
    emulator: PrinterEmulator,
) -> None:
    printer = network_printer(emulator.port)
    result = printer.print_document(render_receipt(a_receipt(), 48))
    assert result.ok and result.state is PrinterState.READY and result.bytes_sent > 0
    [job] = emulator.wait_for_jobs(1)
    text = job.read_text("utf-8")
    assert "Кофейня Зерно" in text
    assert "Капучино большой с дополнительной порцией сиропа" in text
    assert "Начислено баллов" + " " * 25 + "6,30 б." in text
    assert "[QR:https://pos.example/r/T1-000042]" in text
    assert "[CUT]\n[DRAWER]" in text
    assert "WARNING" not in text
    sent = job.with_suffix(".bin").read_bytes()
    assert sent.startswith(b"\x10\x04\x01")  # asked for status before printing
    assert b"\x1b@\x1bt\x11" in sent  # CP866 selected as Epson numbers it


def test_given_paper_out_then_job_is_not_sent_and_cashier_is_told(
    emulator: PrinterEmulator,
) -> None:
    emulator.paper_out = True
    result = network_printer(emulator.port).print_document(render_receipt(a_receipt(), 48))
    assert not result.ok and result.state is PrinterState.PAPER_OUT
    assert "out of paper" in result.message and result.bytes_sent == 0
    emulator.paper_out = False
    assert network_printer(emulator.port).print_document(render_receipt(a_receipt(), 48)).ok
    assert len(emulator.wait_for_jobs(1)) == 1 and emulator.rejected == 0


def test_paper_out_switch_file_is_reported_by_status(emulator: PrinterEmulator) -> None:
    (emulator.out_dir / "PAPER_OUT").touch()  # the demo switch: a file in the output folder
    assert network_printer(emulator.port).status().state is PrinterState.PAPER_OUT


def test_status_without_printing(emulator: PrinterEmulator) -> None:
    result = network_printer(emulator.port).status()
    assert result.ok and result.state is PrinterState.READY and result.bytes_sent == 0
    assert emulator.wait_for_jobs(1, timeout=0.2) == []


def test_printer_switched_off_is_a_state_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    result = network_printer(free_port, timeout_s=0.5).print_bytes(b"x\n")
    assert not result.ok and result.state is PrinterState.DISCONNECTED


def test_printer_that_never_answers_status_is_offline_within_the_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as mute:
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(mute.accept()[0]), daemon=True).start()
        result = network_printer(mute.getsockname()[1], timeout_s=0.3).print_bytes(b"x\n")
        assert not result.ok and result.state is PrinterState.OFFLINE
        for conn in accepted:
            conn.close()


def test_unverified_file_transport_and_an_unplugged_usb_printer(tmp_path: Path) -> None:
    out = tmp_path / "lp0"
    out.touch()
    result = EscposPrinter(PrinterConfig(transport="file", device_path=str(out))).print_bytes(
        b"hello\n"
    )
    assert result.ok and result.state is PrinterState.UNVERIFIED
    assert out.read_bytes() == b"hello\n"
    # No such printer on this machine's USB: a state for the cashier, never an exception.
    usb = EscposPrinter(PrinterConfig(transport="usb", usb_vendor_id=0x04B8, usb_product_id=0x0E15))
    result = usb.print_bytes(b"x")
    assert result.state is PrinterState.DISCONNECTED and not result.ok, result
    assert "(" in result.message, result.message  # the cause is named after the state


def test_serial_printer_over_a_pty_answers_status_and_prints(tmp_path: Path) -> None:
    pair = PtyPair.open()
    decoder = EscposDecoder(columns=32)
    stop = threading.Event()

    def printer_side() -> None:  # a serial printer: decode, answer DLE EOT
        os.set_blocking(pair.master, False)
        while not stop.is_set():
            try:
                data = os.read(pair.master, 4096)
            except BlockingIOError:
                stop.wait(0.005)
                continue
            reply = decoder.feed(data)
            if reply:
                os.write(pair.master, reply)

    worker = threading.Thread(target=printer_side, daemon=True)
    worker.start()
    try:
        config = PrinterConfig(transport="serial", device_path=pair.path, baudrate=19200,
                               timeout_s=1.0, columns=32)  # fmt: skip
        result = EscposPrinter(config).print_document(render_receipt(a_receipt(), 32))
        assert result.ok, result.message
    finally:
        stop.set()
        worker.join(2)
        pair.unplug()
    text = decoder.finish().text
    assert "ИТОГО     630,00" in text and "[QR:https://pos.example/r/T1-000042]" in text


@pytest.mark.parametrize(
    ("s1", "s2", "s4", "state"),
    [
        (0x12, None, 0x12, PrinterState.READY),
        (0x12, None, 0x1E, PrinterState.PAPER_NEAR_END),
        (0x12, None, 0x72, PrinterState.PAPER_OUT),
        (0x1A, 0x32, None, PrinterState.PAPER_OUT),
        (0x1A, 0x16, None, PrinterState.COVER_OPEN),
        (0x1A, 0x52, None, PrinterState.ERROR),
        (0x1A, None, None, PrinterState.OFFLINE),
        (None, None, None, PrinterState.OFFLINE),
        (0xFF, None, 0x12, PrinterState.OFFLINE),  # not a status byte at all
    ],
)
def test_status_bytes_are_interpreted(
    s1: int | None, s2: int | None, s4: int | None, state: PrinterState
) -> None:
    assert status_from_replies(s1, s2, s4) is state
