"""The back office's venue reaches the printed receipt (issue 18 point 4): a ``programme``
change applied by the till's feed service is what the till's real print path (queue, worker,
ESC/POS, the printer emulator) prints; a malformed change is counted and changes nothing."""

from __future__ import annotations

from pathlib import Path

from pos_app.commands.demo_data import fill_catalogue
from pos_app.db import open_store
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.services.feed import Change, FeedService
from pos_app.services.payments import PaymentService
from pos_app.services.programme_settings import read_venue_details
from pos_app.services.sales import SaleService
from pos_app.services.venue_name import read_venue_name, store_venue_name
from tests.devices.test_print_worker import emulator, printing
from tests.services.fakes import FakeClock

__all__ = ["emulator"]

VENUE = {"name": "Кофейня «Зерно»", "address": "ул. Ленина, 1", "tax_number": "6671000001",
         "receipt_header": "Добро пожаловать!", "receipt_footer": "Wi-Fi: zerno\nДо встречи!",
         "timezone": "Europe/Moscow"}  # fmt: skip


def test_the_venue_from_the_feed_is_printed_on_the_next_receipt(
    tmp_path: Path, emulator: PrinterEmulator
) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            fill_catalogue(uow)
            uow.commit()
        store_venue_name(store.unit_of_work, "Демо-кафе")  # the till's own, until the server's
        feed = FeedService(store.unit_of_work, FakeClock())
        assert feed.apply_page(0, [Change(1, "programme", "venue", VENUE)], 1).applied == 1
        assert read_venue_name(store.unit_of_work) == "Кофейня «Зерно»"
        sales = SaleService(store.unit_of_work, SystemClock(), UuidGenerator())
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="latte")
        PaymentService(store.unit_of_work, SystemClock(), UuidGenerator(), sales).pay_cash(
            sale_id, sales.get_sale(sale_id).due)  # fmt: skip
        till = printing(store, emulator.port)
        till.start()
        try:
            till.enqueue_sale(sales.get_sale(sale_id))  # the venue as the till keeps it
            [printed] = emulator.wait_for_jobs(1)
        finally:
            till.stop()
    lines = [line.strip() for line in printed.read_text("utf-8").splitlines()]
    # the printer's code page has no « »: they print as plain quotes
    for expected in ('Кофейня "Зерно"', "ул. Ленина, 1", "ИНН 6671000001", "Добро пожаловать!",
                     "Wi-Fi: zerno", "До встречи!"):  # fmt: skip
        assert any(expected in line for line in lines), lines


def test_a_malformed_programme_change_is_counted_and_changes_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        feed = FeedService(store.unit_of_work, FakeClock())
        feed.apply_page(0, [Change(1, "programme", "venue", VENUE)], 1)
        bad = feed.apply_page(
            1,
            [
                Change(
                    2, "programme", "venue", {**VENUE, "name": "Другое", "timezone": "Mars/Base"}
                ),
                Change(3, "programme", "loyalty", {"accrual_bp": "x"}),
            ],
            3,
        )
        assert bad.skipped == {"programme/invalid": 2}
        assert read_venue_details(store.unit_of_work).name == "Кофейня «Зерно»"
        empty = feed.apply_page(3, [Change(4, "programme", "venue", {**VENUE, "name": ""})], 4)
        assert empty.applied == 1  # the server has no name yet: the till keeps its own
        assert read_venue_name(store.unit_of_work) == "Кофейня «Зерно»"


def test_the_promo_programme_from_the_feed_is_the_tills(tmp_path: Path) -> None:
    """The subscription link is not a setting: a guest's is the bot's one-time deep link
    (``pos_app/services/subscription.py``, docs/notifications.md)."""
    from pos_app.services.promo import PROGRAM_KEY, program

    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            uow.settings.set(PROGRAM_KEY, {"prefix": "PROMO"})
            uow.commit()
        promo = {"prefix": "ZERNO", "discount_bp": 1_000, "cashback_bp": 300, "digits": 6,
                 "message_card_ru": ""}  # fmt: skip
        feed = FeedService(store.unit_of_work, FakeClock())
        assert feed.apply_page(0, [Change(1, "programme", "promo", promo)], 1).applied == 1
        with store.unit_of_work(durable=False) as uow:
            prefix, referral, digits = program(uow)
            assert (prefix, referral.discount.bp, referral.cashback.bp, digits) == (
                "ZERNO", 1_000, 300, 6)  # fmt: skip
            assert "subscribe_link" not in uow.settings.get(PROGRAM_KEY)
