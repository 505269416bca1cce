"""The cabinet's shop in a real headless Chromium (Debian's, driven by Playwright) at a phone's
size against a real ``pos-server run``: a guest finds products, adds them (one for points),
places the order with a payment method, a note and a ready-by time; a console holding the
order stream open gets it with its number; the console accepts it and the guest's order page
turns to "Accepted" by itself, then to "Completed" (and stops asking)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from pos_app.domain.orders import OrderAction, OrderState
from tests.web.browser import browser, chromium_path, live_server
from tests.web.cabinet_console import Console
from tests.web.cabinet_flow import PHONE_VIEWPORT, seed_credentials, seed_guest, sign_in
from tests.web.shop_flow import seed_menu

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
from playwright.sync_api import expect

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip

LOGIN, PASSWORD = "anna", "my cabinet pass"


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    with live_server(tmp_path_factory.mktemp("shop")) as server, browser() as chromium:
        seed_guest(server.db_url)  # 120.00 points, 3 500.00 on the balance
        seed_credentials(server.db_url, "+79161234567", LOGIN, PASSWORD)
        seed_menu(server.db_url, "cash,card,points")
        context = chromium.new_context(locale="en", viewport=PHONE_VIEWPORT, is_mobile=True,
                                       has_touch=True)  # fmt: skip
        yield server, context
        context.close()


def test_order_from_the_cabinet_accepted_by_a_console(phone: tuple[Any, Any]) -> None:
    server, context = phone
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/sign-in")
    sign_in(page, server, LOGIN, PASSWORD)
    page.wait_for_url("**/cabinet/profile")
    page.click("#nav-shop")
    page.wait_for_url("**/cabinet/shop")
    page.fill("#q", "лат")  # the search swaps the menu in place
    expect(page.locator("#product-espresso")).to_have_count(0)
    expect(page.locator("#product-latte")).to_be_visible()
    page.click("#product-latte button.add")
    expect(page.locator("#basket .basket-line")).to_have_count(1)
    page.click("#product-latte button.add")
    expect(page.locator("#basket .count")).to_have_text("2")
    # the order is below the menu on a phone: a bar at the bottom says what is in it
    expect(page.locator("#basket-bar")).to_have_text("Your order: 2 · 500,00\u00a0₽")
    page.fill("#q", "")
    expect(page.locator("#product-cookie")).to_be_visible()
    expect(page.locator("#product-espresso button.add-points")).to_have_count(0)
    page.click("#product-cookie button.add-points")
    expect(page.locator("#basket-points")).to_contain_text("90,00")
    expect(page.locator("#basket-total")).to_have_text("590,00\u00a0₽")
    expect(page.locator("#method-balance")).to_have_count(0)  # not among the venue's methods
    page.check("#method-card")
    page.fill("#note", "без сахара")
    page.fill("#ready-by", "18:30")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], width
    with Console(server) as venue:
        page.click("#place-order")
        page.wait_for_url(re.compile(r".*/cabinet/orders/[0-9a-f]{32}$"))
        order_id = page.url.rsplit("/", 1)[1]
        placed = venue.wait_for(order_id, OrderState.NEW)
        assert placed.note == "без сахара" and placed.method.value == "card"
        assert (placed.total, placed.points_hold_amount) == (59_000, 9_000)
        expect(page.locator("#order-number")).to_have_text(placed.number)
        expect(page.locator("#order-state")).to_contain_text("waiting for the venue")
        venue.act(OrderAction.ACCEPT, order_id)
        expect(page.locator("#order-state")).to_have_text("Accepted", timeout=15_000)
        venue.act(OrderAction.COMPLETE, order_id)
        expect(page.locator("#order-state")).to_have_text("Completed", timeout=15_000)
        expect(page.locator("#order-live")).not_to_have_attribute("hx-trigger", re.compile("."))
    page.click("#nav-history")
    expect(page.locator("#closed-orders")).to_contain_text(placed.number)
    page.close()
