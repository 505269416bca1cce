"""A Z report through the real print queue to the TCP printer emulator, read back as text."""

from __future__ import annotations

import time
from pathlib import Path

from pos_app.commands.printing import ReceiptPrinting, printer_config
from pos_app.commands.shift_print import enqueue_shift_report
from pos_app.db import open_store
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.services.printing import Backoff
from pos_app.services.till import TillServices
from tests.services.fakes import FakeClock, FakeIds


def test_the_z_report_is_printed(tmp_path: Path) -> None:
    emulator = PrinterEmulator(tmp_path / "jobs", port=0, columns=48, png=False)
    emulator.start()
    try:
        with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
            with store.unit_of_work() as uow:
                uow.products.add(Product("latte", "Латте", rub(180)))
                uow.commit()
            till = TillServices.build(store.unit_of_work, FakeClock(), FakeIds())
            till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
            cashier = till.staff.sign_in("1111")
            till.shifts.open_shift(cashier, rub(1_000))
            sale_id = till.sales.open_sale().sale_id
            till.sales.add_line(sale_id, product_id="latte")
            till.payments.pay_cash(sale_id, rub(200))
            with store.unit_of_work() as uow:  # as if the sync worker delivered everything
                uow.connection.exec_driver_sql("UPDATE outbox SET status = 'applied'")
                uow.commit()
            report = till.shifts.close_shift(cashier, rub(1_180))
            config = printer_config({"driver": "network", "port": emulator.port,
                                     "timeout_s": 1.0})
            printing = ReceiptPrinting(store, config, backoff=Backoff(0.05, 0.2),
                                       idle_poll_s=0.1)
            printing.start()
            try:
                enqueue_shift_report(printing, report)
                [job] = emulator.wait_for_jobs(1)
                deadline = time.monotonic() + 5
                while printing.service.state().pending and time.monotonic() < deadline:
                    time.sleep(0.02)
            finally:
                printing.stop()
            [view] = printing.service.recent_jobs()
            assert (view.status, view.title) == ("done", "Z-1")
    finally:
        emulator.stop()
    text = job.read_text("utf-8")
    assert "Z-ОТЧЁТ" in text and "Смена № 1" in text and "[CUT]" in text
    assert "Ожидается в кассе" in text and "1 180,00" in text
