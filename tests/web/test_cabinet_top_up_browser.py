"""Card top-up in a real headless Chromium (Debian's, driven by Playwright) at a phone's size
against a real ``pos-server run`` whose YooKassa is a local fake speaking API v3 over HTTP:
sign in -> "Top up" -> 1 500 ₽ -> the fake's checkout page -> pay -> back in the cabinet,
credited -> the balance in the history; the bank's notification twice and late credits
nothing more; a refused payment credits nothing and says so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from pos_server.db import make_engine
from pos_server.uow import unit_of_work
from tests.web.browser import browser, chromium_path
from tests.web.cabinet_flow import PHONE, PHONE_VIEWPORT, seed_credentials, seed_guest, sign_in
from tests.web.top_up_flow import card_server, top_up_by_card

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
from playwright.sync_api import expect

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, ...]]:
    folder = tmp_path_factory.mktemp("top-up")
    with card_server(folder) as (server, _sms, bank), browser() as chromium:
        seed_guest(server.db_url)
        guest_id = seed_credentials(server.db_url, PHONE, "anna", "anna's password")
        context = chromium.new_context(locale="en", viewport=PHONE_VIEWPORT, is_mobile=True,
                                       has_touch=True)  # fmt: skip
        yield server, bank, context, guest_id
        context.close()


def _card_postings(db_url: str, guest_id: str) -> list[int]:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            return [p.amount for p in uow.accounts.postings("money", guest_id)
                    if p.reason == "card top-up"]  # fmt: skip
    finally:
        engine.dispose()


def test_top_up_by_card_through_the_bank_page(phone: tuple[Any, ...]) -> None:
    server, bank, context, guest_id = phone
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/sign-in")
    sign_in(page, server, "anna", "anna's password")
    page.wait_for_url("**/cabinet/profile")
    top_up_by_card(page, "1 500")
    expect(page.locator("#top-up-status")).to_have_attribute("data-status", "credited")
    expect(page.locator("#top-up-status")).to_contain_text("1\u00a0500,00")
    assert bank.delivered == [200]  # the notification credited it before the guest was back
    page.click("#to-history")
    expect(page.locator("#closing")).to_have_text("5\u00a0000,00 ₽")  # 3 500 + 1 500
    expect(page.locator("#entries")).to_contain_text("card top-up")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], width

    # the notification late (the page's own polling asks the bank first), then twice
    bank.webhook_times, bank.webhook_delay = 2, 3.0
    top_up_by_card(page, "250,50")
    expect(page.locator("#top-up-status")).to_have_attribute("data-status", "credited",
                                                             timeout=15_000)  # fmt: skip
    deadline = time.monotonic() + 20
    while len(bank.delivered) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert bank.delivered == [200, 200, 200]
    assert _card_postings(server.db_url, guest_id) == [150_000, 25_050]

    # the card refused: nothing credited, and the page says so
    bank.webhook_times, bank.webhook_delay, bank.outcome = 1, 0.0, "cancel"
    top_up_by_card(page, "300")
    expect(page.locator("#top-up-status")).to_have_attribute("data-status", "failed")
    expect(page.locator("#top-up-status")).to_contain_text("nothing credited")
    assert _card_postings(server.db_url, guest_id) == [150_000, 25_050]
    page.click("#back")
    expect(page.locator("#top-ups")).to_contain_text("failed: nothing credited")
    expect(page.locator("#top-ups")).to_contain_text("250,50")
    page.close()
