"""The app's own sender: messages go out in the background while sales go on, whatever the
messenger does (issue 21: "never blocking a sale")."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bench.fake_telegram import BOT_USERNAME, TOKEN, FakeBotApi
from pos_server.app import create_app
from pos_server.notify.settings import notify_settings
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, guest_payload, sale_payload

SECRET = "app-s3cret"


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        for name, value in {
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake.base,
            "TELEGRAM_BOT_USERNAME": BOT_USERNAME, "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "NOTIFY_INTERVAL_SECONDS": "0.05", "NOTIFY_BACKOFF_SECONDS": "0.2",
            "NOTIFY_BACKOFF_MAX_SECONDS": "0.5", "NOTIFY_MAX_ATTEMPTS": "100",
        }.items():  # fmt: skip
            monkeypatch.setenv(f"POS_SERVER_{name}", value)
        notify_settings.cache_clear()
        yield fake
    notify_settings.cache_clear()


@pytest.fixture
def client(settings: ServerSettings, bot: FakeBotApi) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _eventually(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("not within the time")


def test_sales_go_on_while_the_messenger_is_down(till: Till, bot: FakeBotApi) -> None:
    till.push_ok(till.op("guest.created", guest_payload("olga", "Olga")),
                 till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}))  # fmt: skip
    link = till.client.post("/v1/guests/olga/telegram-link", headers=till.headers).json()["link"]
    start = {"update_id": 1, "message": bot.start_message(5001, "/start " + link.split("=")[1])}
    assert till.client.post(f"/telegram/webhook/{SECRET}", json=start).status_code == 200
    _eventually(lambda: len(bot.to(5001)) == 1)  # the card, sent by the app's own sender

    bot.down = True
    for n in range(5):
        buyer = f"buyer{n}"
        sale = sale_payload(buyer, payments=[{"method": "card", "amount": 54_000}])
        redeemed = {"sale_id": sale["sale_id"], "code": "TOPLASER6502",
                    "owner_guest_id": "olga", "buyer_guest_id": buyer, "paid_in_money": 54_000,
                    "discount": 0, "cashback_bp": 1_000, "cashback": 5_400}  # fmt: skip
        started = time.monotonic()
        body = till.push_ok(
            till.op("guest.created", guest_payload(buyer, f"Buyer {n}")),
            till.op("sale.closed", sale),
            till.op("promo.redeemed", redeemed),
        )
        assert time.monotonic() - started < 5
        assert [r["status"] for r in body["results"]] == ["applied"] * 3
    time.sleep(0.5)
    assert len(bot.to(5001)) == 1  # nothing got through
    bot.down = False
    _eventually(lambda: len(bot.to(5001)) == 6)
    time.sleep(0.3)
    cashbacks = [d.text for d in bot.to(5001)[1:]]
    assert len(cashbacks) == len(set(cashbacks)) == 5  # each once, balances 54,00 … 270,00
    assert {t.rsplit("Баланс: ", 1)[1] for t in cashbacks} == {
        f"{54 * n},00 ₽." for n in range(1, 6)}  # fmt: skip


def test_the_app_polls_telegram_behind_nat(
    settings: ServerSettings, bot: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.server.conftest import enrol

    monkeypatch.setenv("POS_SERVER_TELEGRAM_MODE", "polling")
    notify_settings.cache_clear()
    with TestClient(create_app(settings)) as client:
        till = enrol(client, settings.database_url)
        till.push_ok(
            till.op("guest.created", guest_payload("olga", "Olga")),
            till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}),
        )
        link = client.post("/v1/guests/olga/telegram-link", headers=till.headers).json()["link"]
        bot.push_update(message=bot.start_message(5002, "/start " + link.split("=")[1]))
        _eventually(lambda: len(bot.to(5002)) == 1)  # polled, bound, answered by the sender
        assert "TOPLASER6502" in bot.to(5002)[0].text
        assert client.post("/v1/guests/olga/telegram-link",
                           headers=till.headers).json()["subscribed"] is True  # fmt: skip
        started = time.monotonic()
    assert time.monotonic() - started < 5  # shutdown did not wait out the 25 s long poll
