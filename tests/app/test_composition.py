"""The composition root on a real SQLite store: a till with nothing plugged in (no printer,
no server, no card terminal) has every service, and each says what is missing; a till with a
printer prints the shift report and the sale's receipt through the same print layout."""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from pos_app.commands.composition import device_settings_service, screen_services, till_services
from pos_app.commands.printing import ReceiptPrinting, printer_config
from pos_app.db import open_store
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.services.acquiring import NoCardTerminal
from pos_app.services.device_settings import (
    DeviceSettings,
    DeviceTestUnavailable,
    ScannerSettings,
    SoundPrefs,
)
from pos_app.services.hold_reset import NotConnected
from pos_app.services.printing import Backoff
from pos_app.services.report_printer import NoPrinter
from pos_app.services.venue_name import store_venue_name
from tests.services.fakes import FakeClock, FakeIds


def test_a_till_with_nothing_plugged_in_says_what_is_missing(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            uow.products.add(Product("latte", "Латте", rub(180)))
            uow.commit()
        till = till_services(store, clock=FakeClock(), ids=FakeIds())
        screen = screen_services(store, till)
        till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(16))
        sale_id = screen.sales.open_sale().sale_id
        screen.sales.add_line(sale_id, product_id="latte")
        with pytest.raises(NoCardTerminal, match="No card terminal is set up on this till"):
            screen.payments.pay_card(sale_id)
        assert not screen.hold_reset.available
        with pytest.raises(NotConnected):
            screen.hold_reset.reset_guest("anna", "the till crashed", "9999")
        assert not screen.reports.available
        with pytest.raises(NoPrinter, match="No printer is set up on this till"):
            screen.reports.print_report(["X"], "Shift report")
        assert screen.reconciliation.items() == []
        assert screen.payments.pay_cash(sale_id, rub(200)).closed


def test_the_screen_services_have_no_field_that_may_be_left_none() -> None:
    from pos_app.ui.till.ports import TillScreenServices

    optional = [f.name for f in fields(TillScreenServices) if f.default is None
                or (f.default is MISSING and "None" in str(f.type))]  # fmt: skip
    assert optional == []


def test_device_settings_without_devices_are_kept_and_their_tests_refuse(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        service = device_settings_service(store)  # no printer, no sound, no scanners
        assert None not in vars(service).values()
        wanted = DeviceSettings(scanner=ScannerSettings(driver="wedge", prefix="~"))
        assert service.save(wanted) == wanted
        assert device_settings_service(store).load() == wanted
        with pytest.raises(DeviceTestUnavailable, match="no receipt printer"):
            service.print_test_page()
        with pytest.raises(DeviceTestUnavailable, match="Sound is not available"):
            service.play_test_sound(SoundPrefs())
        assert service.last_scan() is None


def test_the_print_queue_is_the_tills_report_printer_and_lays_out_its_receipts(
    tmp_path: Path,
) -> None:
    emulator = PrinterEmulator(tmp_path / "jobs", port=0, columns=48, png=False)
    emulator.start()
    try:
        with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
            with store.unit_of_work() as uow:
                uow.products.add(Product("latte", "Латте", rub(180)))
                uow.commit()
            store_venue_name(store.unit_of_work, "Кофейня Зерно")  # as `till --venue` does
            config = printer_config({"driver": "network", "port": emulator.port,
                                     "timeout_s": 1.0})  # fmt: skip
            printing = ReceiptPrinting(store, config, backoff=Backoff(0.05, 0.2))
            printing.start()
            try:
                screen = screen_services(store, till_services(store), printing)
                assert screen.reports.available
                sale_id = screen.sales.open_sale().sale_id
                screen.sales.add_line(sale_id, product_id="latte")
                paid = screen.payments.pay_cash(sale_id, rub(200))
                printing.enqueue_sale(paid.sale, cashier="Ирина")  # the name: the setting
                screen.reports.print_report(["СМЕНА 1", "Итого 180,00"], "Shift report")
                jobs = emulator.wait_for_jobs(2, timeout=10)
            finally:
                printing.stop()
        receipt, report = (job.read_text(encoding="utf-8") for job in jobs[:2])
        assert "Латте" in receipt and "Кофейня Зерно" in receipt and "Ирина" in receipt
        assert "Демо" not in receipt
        assert paid.sale.receipt_no is not None and paid.sale.receipt_no in receipt
        assert report.startswith("СМЕНА 1\nИтого 180,00\n")
    finally:
        emulator.stop()


def test_the_console_below_its_window_is_built_by_the_root(tmp_path: Path) -> None:
    """The console's use cases, action sender and order stream come from the root; the use
    cases read the stream's connectivity (not started: offline), the stream the cache's cursor."""
    from pos_app.commands.composition import console_engine

    with open_store(tmp_path / "console.sqlite3", terminal_id="C1") as store:
        engine = console_engine(store, "http://127.0.0.1:9", "token", on_orders=print,
                                on_status=print)  # fmt: skip
        assert not engine.stream.online and not engine.service.is_online()
        assert engine.service.cache.cursor() == 0
