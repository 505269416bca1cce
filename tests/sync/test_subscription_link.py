"""The till asks its server for a guest's Telegram link (issue 21, seed 003) against a real
``pos-server run`` with the fake Bot API in long-polling mode: a card issued by phone at the
till (the «Client» action) reaches the server through the outbox, the till gets a one-time
deep link (never the promo code), the guest presses Start and receives the card, and the next
question says "subscribed". No server, or a server that does not know the guest, is "later"
with the reason, never a broken link."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from bench.fake_telegram import BOT_USERNAME, TOKEN, FakeBotApi
from bench.net import free_port
from pos_app.commands.sync_runtime import load_token
from pos_app.db.uow import UuidGenerator
from pos_app.services.subscription import (
    NO_LINK_SOURCE,
    LinkUnavailable,
    SubscriptionService,
)
from pos_app.services.till import TillServices
from pos_app.sync.subscription_client import SubscriptionLinkClient
from tests.sync.conftest import MakeTill
from tests.sync.faultproxy import ServerProcess


@pytest.fixture(scope="module")
def bot() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bot: FakeBotApi) -> Iterator[ServerProcess]:
    """The module's server (it replaces ``tests/sync/conftest.py``'s for ``make_till``) with
    the venue's bot: long polling against the fake, its own sender draining fast."""
    folder = tmp_path_factory.mktemp("server")
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    telegram = {"telegram_bot_token": TOKEN, "telegram_api_base": bot.base,
                "telegram_bot_username": BOT_USERNAME, "telegram_mode": "polling",
                "notify_interval_seconds": 0.1}  # fmt: skip
    with ServerProcess(url, folder, sweep_interval_seconds=0, **telegram) as process:
        yield process


def _eventually(condition: Callable[[], object], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("not within the time")


def test_a_card_by_phone_then_the_link_then_start_then_subscribed(
    make_till: MakeTill, server: ServerProcess, bot: FakeBotApi
) -> None:
    till = make_till()
    _, token = load_token(till.store)
    client = SubscriptionLinkClient(server.url, token)
    services = TillServices.build(till.store.unit_of_work, till.store.clock, UuidGenerator(),
                                  link_source=client, wake_sync=till.worker.wake)  # fmt: skip
    card = services.promo.issue_card("+7 933 100-00-01", name="Вера")  # offline-capable
    with pytest.raises(LinkUnavailable) as unknown:  # still in the till's outbox
        client.telegram_link(card.guest_id)
    assert unknown.value.details["reason"] == "unknown_guest"

    till.worker.start()  # the service wakes it and asks again until the guest is there
    state = services.subscriptions.state(card.guest_id)
    assert (state.subscribed, state.later) == (False, None) and state.link is not None
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert state.link.startswith(prefix) and card.code not in state.link
    second = services.subscriptions.state(card.guest_id)
    assert second.link != state.link  # one-time: each question makes a new token

    chat = 700_000 + free_port()
    bot.push_update(message=bot.start_message(chat, "/start " + state.link[len(prefix) :]))
    _eventually(lambda: any(card.code in d.text for d in bot.to(chat)))  # the card, its QR
    assert any(d.photo for d in bot.to(chat))
    _eventually(lambda: services.subscriptions.state(card.guest_id).subscribed)
    assert services.subscriptions.state(card.guest_id).link is None
    client.close()


def test_no_server_and_a_silent_server_mean_later_with_the_reason() -> None:
    offline = SubscriptionService(NO_LINK_SOURCE).state("g1")
    assert (offline.subscribed, offline.link, offline.needs_link) == (False, None, False)
    assert (offline.later, offline.reason) == (
        "This till is not connected to a server.",
        "not_connected",
    )
    silent = SubscriptionLinkClient(f"http://127.0.0.1:{free_port()}", "token")
    woken: list[int] = []
    state = SubscriptionService(silent, wake=lambda: woken.append(1), pause=0).state("g1")
    assert (state.link, state.later, woken) == (None, "The server did not answer.", [])
    assert state.reason == "no_answer"


def test_a_guest_the_server_never_learns_of_is_later_after_the_retries(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till = make_till()
    _, token = load_token(till.store)
    woken: list[int] = []
    service = SubscriptionService(SubscriptionLinkClient(server.url, token),
                                  wake=lambda: woken.append(1), retries=2, pause=0)  # fmt: skip
    state = service.state("nobody-like-this")
    assert (state.link, state.later) == (None, "The server does not know this guest yet.")
    assert woken == [1, 1]
