"""The emulator draws each printed job as a PNG beside its text."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from pos_app.devices.emulators.png import DOTS_PER_COLUMN, LINE_HEIGHT, MARGIN, render_png
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.devices.escpos_printer import EscposPrinter, PrinterConfig
from pos_app.devices.receipt import render_receipt
from tests.devices.receipts import a_receipt


def test_each_printed_job_gets_a_paper_wide_png(tmp_path: Path) -> None:
    emulator = PrinterEmulator(tmp_path / "jobs", port=0, columns=32)
    emulator.start()
    try:
        config = PrinterConfig(port=emulator.port, timeout_s=2.0, columns=32)
        assert EscposPrinter(config).print_document(render_receipt(a_receipt(), 32)).ok
        [text] = emulator.wait_for_jobs(1)
    finally:
        emulator.stop()
    with Image.open(text.with_suffix(".png")) as picture:
        assert picture.format == "PNG"
        assert picture.width == 32 * DOTS_PER_COLUMN + 2 * MARGIN  # 384 dots: 58 mm paper
        lines = text.read_text("utf-8").splitlines()
        assert picture.height > (len(lines) - 1) * LINE_HEIGHT  # every line has its row
        ink = sum(picture.convert("L").histogram()[:128])
        assert ink > 2000  # text and a QR were drawn, not a blank strip


def test_qr_marker_is_drawn_as_a_qr_image(tmp_path: Path) -> None:
    plain = render_png(["Итого 630,00"], 48, tmp_path / "plain.png")
    with_qr = render_png(["Итого 630,00", "[QR:https://pos.example/r/1]"], 48, tmp_path / "q.png")
    with Image.open(plain) as a, Image.open(with_qr) as b:
        assert b.height - a.height > 80  # a QR of ~25 modules at 4 dots, not one text row
        middle = b.crop((b.width // 2 - 40, a.height, b.width // 2 + 40, b.height - MARGIN))
        dark = sum(middle.convert("L").histogram()[:128])
        assert dark > 500


def test_a_job_without_printable_text_makes_no_files(tmp_path: Path) -> None:
    emulator = PrinterEmulator(tmp_path / "jobs", port=0)
    emulator.start()
    try:
        assert EscposPrinter(PrinterConfig(port=emulator.port, timeout_s=2.0)).status().ok
    finally:
        emulator.stop()
    assert list((tmp_path / "jobs").glob("*.png")) == []


def test_double_size_lines_are_drawn_twice_as_tall(tmp_path: Path) -> None:
    from pos_app.devices.emulators.escpos_decoder import decode
    from pos_app.devices.escpos_encoder import PrinterProfile, encode
    from pos_app.devices.print_document import Align, Text

    ops = [Text("ИТОГО 630,00", Align.CENTER, double=True), Text("Наличные")]
    job = decode(encode(ops, PrinterProfile()), columns=48)
    assert job.double_lines == {0}
    double = render_png(job.lines, 48, tmp_path / "d.png", job.double_lines)
    single = render_png(job.lines, 48, tmp_path / "s.png")
    with Image.open(double) as d, Image.open(single) as s:
        assert d.height - s.height == LINE_HEIGHT
