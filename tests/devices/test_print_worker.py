"""The print queue end to end: worker thread, SQLite queue, python-escpos, TCP emulator."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pos_app.commands.printing import ReceiptPrinting, printer_config
from pos_app.db import Store, open_store
from pos_app.db.print_queue import SqlPrintQueue
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.services.printing import Backoff
from tests.devices.receipts import a_receipt

FAST = Backoff(first_s=0.05, max_s=0.2)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[PrinterEmulator]:
    emu = PrinterEmulator(tmp_path / "jobs", port=0, columns=48)
    emu.start()
    yield emu
    emu.stop()


def printing(store: Store, port: int) -> ReceiptPrinting:
    config = printer_config({"driver": "network", "port": port, "timeout_s": 1.0})
    return ReceiptPrinting(store, config, backoff=FAST, idle_poll_s=0.1)


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_receipt_goes_through_the_queue_to_the_printer(
    tmp_path: Path, emulator: PrinterEmulator
) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        till = printing(store, emulator.port)
        till.start()
        try:
            job = till.enqueue_receipt(a_receipt())
            [printed] = emulator.wait_for_jobs(1)
            assert wait_until(lambda: till.service.state().pending == 0)
        finally:
            till.stop()
        [view] = till.service.recent_jobs()
        assert view.id == job and view.status == "done" and view.title == "T1-000042"
    text = printed.read_text("utf-8")
    assert "Кофейня Зерно" in text and "[QR:https://pos.example/r/T1-000042]" in text


def test_paper_out_keeps_the_job_waiting_without_blocking_the_sale(
    tmp_path: Path, emulator: PrinterEmulator
) -> None:
    emulator.paper_out = True
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        till = printing(store, emulator.port)
        till.start()
        try:
            started = time.monotonic()
            till.enqueue_receipt(a_receipt())
            assert time.monotonic() - started < 0.5  # the sale's side returns at once
            assert wait_until(lambda: till.service.state().waiting)
            state = till.service.state()
            assert state.pending == 1 and "out of paper" in (state.last_error or "")
            assert emulator.wait_for_jobs(1, timeout=0.3) == []
            emulator.paper_out = False
            till.service.retry_now()
            assert len(emulator.wait_for_jobs(1)) == 1
            assert wait_until(lambda: till.service.state().pending == 0)
        finally:
            till.stop()
        [view] = till.service.recent_jobs()
        assert view.status == "done" and view.attempts >= 2
    assert emulator.rejected == 0  # nothing was sent while the paper was out


def test_a_restart_loses_no_job_and_prints_each_once(
    tmp_path: Path, emulator: PrinterEmulator
) -> None:
    path = tmp_path / "till.sqlite3"
    emulator.paper_out = True
    with open_store(path, terminal_id="T1") as store:
        till = printing(store, emulator.port)
        till.start()
        till.enqueue_receipt(a_receipt(number="T1-000001"))
        till.enqueue_receipt(a_receipt(number="T1-000002"))
        assert wait_until(lambda: till.service.state().waiting)
        till.stop()  # the till is closed with two receipts unprinted
        interrupted = till.enqueue_test_page()
        SqlPrintQueue(store).mark_printing(interrupted)  # and one caught mid-print
    emulator.paper_out = False
    with open_store(path) as store:
        till = printing(store, emulator.port)
        till.start()
        try:
            printed = emulator.wait_for_jobs(3)
            assert wait_until(lambda: till.service.state().pending == 0)
        finally:
            till.stop()
    texts = [p.read_text("utf-8") for p in printed]
    assert "T1-000001" in texts[0] and "T1-000002" in texts[1] and "ТЕСТОВАЯ" in texts[2]
    assert emulator.wait_for_jobs(4, timeout=0.3) == printed  # and nothing twice


def test_printer_switched_off_then_on_again(tmp_path: Path) -> None:
    emu = PrinterEmulator(tmp_path / "jobs", port=0)
    port = emu.start()
    emu.stop()  # the printer is off: connection refused
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        till = printing(store, port)
        till.start()
        try:
            till.enqueue_receipt(a_receipt())
            assert wait_until(lambda: till.service.state().waiting)
            assert "cannot be reached" in (till.service.state().last_error or "")
            emu = PrinterEmulator(tmp_path / "jobs", port=port)
            emu.start()
            try:
                assert len(emu.wait_for_jobs(1)) == 1
            finally:
                emu.stop()
        finally:
            till.stop()


def test_a_sales_receipt_tells_the_time_by_the_shops_zone(
    tmp_path: Path, emulator: PrinterEmulator
) -> None:
    """The printed time is the shop's clock (setting ``shop.timezone``), not a fixed zone."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from pos_app.commands.demo_data import fill_catalogue
    from pos_app.db.uow import SystemClock, UuidGenerator
    from pos_app.services.payments import PaymentService
    from pos_app.services.sales import SaleService
    from pos_app.services.venue_time import TIMEZONE_KEY

    kolkata = ZoneInfo("Asia/Kolkata")  # +05:30: no test machine's own zone
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            fill_catalogue(uow)
            uow.settings.set(TIMEZONE_KEY, "Asia/Kolkata")
            uow.commit()
        sales = SaleService(store.unit_of_work, SystemClock(), UuidGenerator())
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="latte")
        PaymentService(store.unit_of_work, SystemClock(), UuidGenerator(), sales).pay_cash(
            sale_id, sales.get_sale(sale_id).due)
        till = printing(store, emulator.port)
        till.start()
        try:
            before = datetime.now(UTC).astimezone(kolkata).strftime("%d.%m.%Y %H:%M")
            till.enqueue_sale(sales.get_sale(sale_id), venue_name="Кофейня")
            after = datetime.now(UTC).astimezone(kolkata).strftime("%d.%m.%Y %H:%M")
            [printed] = emulator.wait_for_jobs(1)
        finally:
            till.stop()
    text = printed.read_text("utf-8")
    assert before in text or after in text, text
