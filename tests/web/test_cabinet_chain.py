"""The guest cabinet end to end (issue 19 point 7) in a real headless Chromium (Debian's,
driven by Playwright) at a phone's size, against a real ``pos-server run`` whose SMS go to a
fake SMS.ru and whose card payments go to a fake YooKassa, with a console listening:

register -> the SMS code read from the fake -> signed in -> top up by card (the fake's checkout
page, its notification to the server) -> the shop: search, basket, order -> the order arrives
on the console's order stream -> the console accepts it -> the cabinet's order page shows
"Accepted" by itself. Then the guest tries another guest's order and top-up by their
addresses, and sees neither."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from pos_app.domain.orders import OrderAction, OrderState
from pos_server.db import make_engine
from pos_server.uow import unit_of_work
from tests.server.fake_smsru import FakeSmsRu
from tests.server.fake_yookassa import FakeYooKassa
from tests.web.browser import Server, browser, chromium_path
from tests.web.cabinet_console import Console
from tests.web.cabinet_flow import (
    PHONE_VIEWPORT,
    cabinet_server,
    register,
    seed_catalogue,
    seed_credentials,
    seed_guest,
    sign_in,
)

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
from playwright.sync_api import expect

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip

OTHER_PHONE = "+79167654321"


class Venue:
    def __init__(self, server: Server, sms: FakeSmsRu, bank: FakeYooKassa) -> None:
        self.server, self.sms, self.bank = server, sms, bank


@pytest.fixture(scope="module")
def venue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Venue]:
    assert not any(key.startswith("POS_SERVER_YOOKASSA") for key in os.environ)
    with FakeYooKassa() as bank, cabinet_server(tmp_path_factory.mktemp("chain"), bank) as (
        server, sms):  # fmt: skip
        seed_catalogue(server.db_url)
        seed_guest(server.db_url)
        seed_guest(server.db_url, "Борис Другой", OTHER_PHONE)
        yield Venue(server, sms, bank)


@pytest.fixture
def phone(venue: Venue) -> Iterator[Any]:
    with browser() as chromium:
        context = chromium.new_context(locale="en", viewport=PHONE_VIEWPORT, is_mobile=True,
                                       has_touch=True)  # fmt: skip
        yield context
        context.close()


def _other_guests_order(venue: Venue, console: Console) -> str:
    """An order of Boris's, placed by a terminal as any client places one."""
    engine = make_engine(venue.server.db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            [boris] = uow.cabinet.guests_by_phone(OTHER_PHONE)
    finally:
        engine.dispose()
    answer = requests.post(f"{venue.server.url}/v1/orders", timeout=10, json={
        "order_id": "boris-order-1", "guest_id": boris, "method": "cash",
        "lines": [{"product_id": "latte", "name": "Латте", "quantity": 1,
                   "unit_price": 21_000}]},
        headers={"Authorization": f"Bearer {console.token}"})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return "boris-order-1"


def test_register_top_up_order_and_see_it_accepted(venue: Venue, phone: Any) -> None:
    server = venue.server
    page = phone.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/register")
    register(page, server, venue.sms)  # the code read from the fake SMS.ru

    # top up 500 ₽ by card: the fake bank's checkout page, its notification, back to us
    page.click("#nav-top-up")
    page.fill("#amount", "500")
    page.click("#pay")
    page.wait_for_url(f"{venue.bank.base}/checkout/**")
    page.click("#pay-card")
    page.wait_for_url("**/cabinet/top-up/*")
    top_up_path = page.url.split(server.url, 1)[1]
    expect(page.locator("#top-up-status")).to_have_attribute("data-status", "credited",
                                                             timeout=15_000)  # fmt: skip
    page.goto(f"{server.url}/cabinet/history?section=money")
    expect(page.locator("#closing")).to_have_text("4\u00a0000,00 ₽")  # 3 500 + 500

    with Console(server) as console:
        # the shop: search, two products into the basket, pay from the balance
        page.click("#nav-shop")
        page.fill("#q", "латте")
        expect(page.locator("#product-latte")).to_be_visible()
        expect(page.locator("#product-espresso")).to_have_count(0)
        page.click("#product-latte button.add")
        expect(page.locator("#basket-lines")).to_contain_text("Латте")
        page.fill("#q", "")
        page.click("#find")
        page.click("#product-cappuccino button.add")
        expect(page.locator("#basket-lines")).to_contain_text("Капучино")
        expect(page.locator("#basket-total")).to_have_text("400,00 ₽")
        page.check("#method-balance")
        placed_at = time.monotonic()
        page.click("#place-order")
        page.wait_for_url("**/cabinet/orders/*")
        order_id = page.url.rsplit("/", 1)[1].split("?")[0]
        expect(page.locator("#order-live")).to_have_attribute("data-state", "new")

        # the console sees it on its stream within a second and accepts it
        seen = console.wait_for(order_id, OrderState.NEW, timeout=10)
        assert console.arrived[order_id] - placed_at < 5.0
        assert [line.name for line in seen.lines] == ["Латте", "Капучино"]
        assert seen.total == 40_000 and seen.method.value == "balance"
        assert console.act(OrderAction.ACCEPT, order_id)["status"] == "applied"
        console.wait_for(order_id, OrderState.ACCEPTED)

        # the cabinet's order page follows by itself (its live part, no reload)
        expect(page.locator("#order-live")).to_have_attribute("data-state", "accepted",
                                                              timeout=15_000)  # fmt: skip
        expect(page.locator("#order-state")).to_have_text("Accepted")

        # another guest's order and top-up: not found, nothing of them shown
        boris_order = _other_guests_order(venue, console)
        for path in (f"/cabinet/orders/{boris_order}", f"/cabinet/orders/{boris_order}/live"):
            answer = page.goto(server.url + path)
            assert answer is not None and answer.status == 404, path
            assert "Борис" not in page.content()
    page.close()

    # and the other way round: Boris signed in opens Anna's order and top-up by their addresses
    seed_credentials(server.db_url, OTHER_PHONE, "boris", "borises pass")
    phone.clear_cookies()
    page = phone.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/sign-in")
    sign_in(page, server, "boris", "borises pass")
    page.wait_for_url("**/cabinet/profile")
    for path in (f"/cabinet/orders/{order_id}", f"/cabinet/orders/{order_id}/live",
                 top_up_path, f"{top_up_path}/status", f"{top_up_path}/pay"):  # fmt: skip
        # the browser's own cookies; a request, as an empty 404 is an error page to chromium
        answer = phone.request.get(server.url + path, max_redirects=0)
        assert answer.status == 404, (path, answer.status)
        body = answer.text()
        assert "Анна" not in body and "Капучино" not in body and "500,00" not in body, path
    expect(page.locator("#sign-out")).to_be_visible()  # still signed in: refused, not out
    page.close()
