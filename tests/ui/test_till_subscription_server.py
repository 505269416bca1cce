"""Seed 003 end to end through the composition root: an enrolled till window, a real
``pos-server run`` with the fake Telegram Bot API (long polling) and the printer emulator. The
cashier applies a promo code, gives the anonymous buyer a card by phone («Client», Ctrl+K)
and takes the money; the till asks the server for the buyer's link, shows it with its QR code
and prints both on the receipt; the buyer presses Start and the bot sends them their card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bench.fake_telegram import BOT_USERNAME, TOKEN, FakeBotApi
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import enrol_data_dir
from pos_app.commands.till_app import TillOptions
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.devices.emulators.printer import PrinterEmulator
from pos_app.services.staff import StaffService
from pos_app.services.till import TillServices
from tests.sync.conftest import new_code
from tests.sync.faultproxy import ServerProcess
from tests.ui.test_till_subscription import _client_card
from tests.ui.test_till_window import LATTE, open_shift
from tests.ui.till_fixtures import CASHIER_PIN, started_till

PREFIX = f"https://t.me/{BOT_USERNAME}?start="


@pytest.fixture(scope="module")
def bot() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bot: FakeBotApi) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("server")
    telegram = {"telegram_bot_token": TOKEN, "telegram_api_base": bot.base,
                "telegram_bot_username": BOT_USERNAME, "telegram_mode": "polling",
                "notify_interval_seconds": 0.1}  # fmt: skip
    with ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}", folder,
                       sweep_interval_seconds=0, **telegram) as process:  # fmt: skip
        yield process


def test_a_promo_sale_shows_and_prints_the_buyers_link_and_the_bot_sends_the_card(
    server: ServerProcess, bot: FakeBotApi, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "till"
    store = enrol_data_dir(folder, server.url, new_code(server.db_url),
                           f"file:{tmp_path / 'tokens'}")  # fmt: skip
    with store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.settings.set("promo.program", {"prefix": "TOPLASER", "discount_bp": 1500,
                                           "cashback_bp": 1000, "digits": 4})  # fmt: skip
        uow.commit()
    StaffService(store.unit_of_work, SystemClock()).add_staff(
        "s1", "Olga Cashier", "cashier", CASHIER_PIN, b"salt-s1"
    )
    services = TillServices.build(store.unit_of_work, SystemClock(), UuidGenerator())
    owner = services.promo.issue_card("+79110000101", name="Ольга Владелица")
    printer = PrinterEmulator(tmp_path / "printer", port=0)
    port = printer.start()
    options = TillOptions(data_dir=str(folder), lang="en", printer=f"127.0.0.1:{port}")
    till = started_till(store, options, qtbot)
    window = till.window
    try:
        till.sign_in()
        qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
        open_shift(till)
        till.scan(LATTE)
        qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
        window.controller.apply_promo(owner.code.removeprefix("TOPLASER"))
        qtbot.waitUntil(lambda: window.controller.sale.discount > 0, timeout=5000)
        _client_card(till, "+7 922 000-01-02", "Павел Покупатель")
        qtbot.waitUntil(lambda: window.controller.guest is not None, timeout=5000)
        buyer_code = window.banner.text().split()[1]
        window.controller.pay("cash", 500_00)

        qtbot.waitUntil(lambda: window.subscription.dialog is not None, timeout=20000)
        link = window.subscription.dialog.field.text()
        assert link.startswith(PREFIX) and buyer_code not in link
        jobs = printer.wait_for_jobs(1, timeout=20)
        printed = jobs[-1].read_text("utf-8")
        assert f"[QR:{link}]" in printed and "Ваша карта в Telegram" in printed

        chat = 880_001
        bot.push_update(message=bot.start_message(chat, "/start " + link[len(PREFIX) :]))
        qtbot.waitUntil(lambda: any(buyer_code in d.text for d in bot.to(chat)), timeout=30000)
    finally:
        till.stop()
        store.close()
        printer.stop()
