"""The guest cabinet's screenshots for the README and docs/cabinet.md, from a real
``pos-server run`` (SMS to a fake SMS.ru, card payments to a fake YooKassa, a console
accepting the orders off its stream) in headless chromium at a phone's size and on a desktop,
Russian and English::

    .venv/bin/python -m tests.web.make_cabinet_screenshots

Saves ``docs/screenshots/cabinet-*.png``, but for the Russian phone views of the shop, the
order and the top-up form, which ``make_shop_screenshots`` and ``make_top_up_screenshots``
make (with their own menu and states).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from pos_app.domain.orders import OrderAction, OrderState
from tests.server.fake_yookassa import FakeYooKassa
from tests.web.browser import ROOT, Server, browser
from tests.web.cabinet_console import Console
from tests.web.cabinet_flow import (
    PHONE_VIEWPORT,
    cabinet_server,
    register,
    seed_catalogue,
    seed_guest,
    sign_in,
)

OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1200, "height": 800}
ELSEWHERE = {"cabinet-shop-ru.png", "cabinet-order-ru.png", "cabinet-shop-desktop-ru.png",
             "cabinet-top-up-ru.png"}  # fmt: skip


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    if name not in ELSEWHERE:
        page.screenshot(path=str(OUT / name), full_page=full_page)


def top_up(page: Any, server: Server, amount: str) -> None:
    """A card top-up through the fake bank's checkout page, until it is credited."""
    page.goto(f"{server.url}/cabinet/top-up")
    page.fill("#amount", amount)
    page.click("#pay")
    page.wait_for_url("**/checkout/**")
    page.click("#pay-card")
    page.wait_for_url("**/cabinet/top-up/*")
    page.wait_for_selector("#top-up-status[data-status=credited]", timeout=15_000)


def fill_basket(page: Any, server: Server) -> None:
    """The shop searched for latte, a latte and a cappuccino in the basket, paid from the
    balance, a note for the bar."""
    page.goto(f"{server.url}/cabinet/shop")
    page.click("#product-cappuccino button.add")
    page.wait_for_selector("#basket-lines")
    page.fill("#q", "латте")
    page.wait_for_selector("#product-espresso", state="detached")
    page.click("#product-latte button.add")
    page.wait_for_selector("#basket-lines li:nth-child(2)")
    page.check("#method-balance")
    page.fill("#note", "Без сахара, пожалуйста")


def order_accepted(page: Any, console: Console) -> None:
    """Place the basket; the console accepts the order; its page shows it by itself."""
    page.click("#place-order")
    page.wait_for_url("**/cabinet/orders/*")
    order_id = page.url.rsplit("/", 1)[1].split("?")[0]
    console.wait_for(order_id, OrderState.NEW)
    console.act(OrderAction.ACCEPT, order_id)
    page.wait_for_selector("#order-live[data-state=accepted]", timeout=15_000)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, FakeYooKassa() as bank, \
            cabinet_server(Path(folder), bank) as (server, sms):  # fmt: skip
        seed_catalogue(server.db_url)
        seed_guest(server.db_url)
        with browser() as chromium, Console(server) as console:
            for lang in ("ru", "en"):
                context = chromium.new_context(locale=lang, viewport=PHONE_VIEWPORT,
                                               is_mobile=True, has_touch=True,
                                               device_scale_factor=2)  # fmt: skip
                page = context.new_page()
                page.goto(f"{server.url}/cabinet/language/{lang}?next=/cabinet/sign-in")
                page.screenshot(path=str(OUT / f"cabinet-sign-in-{lang}.png"))
                if lang == "ru":
                    shots = {"register": str(OUT / "cabinet-register-ru.png"),
                             "confirm": str(OUT / "cabinet-code-ru.png")}  # fmt: skip
                    register(page, server, sms, shots)
                    top_up(page, server, "1500")
                else:
                    sign_in(page, server)
                    page.wait_for_url("**/cabinet/profile")
                page.screenshot(path=str(OUT / f"cabinet-profile-{lang}.png"), full_page=True)
                page.goto(f"{server.url}/cabinet/history?section=sales")
                page.screenshot(path=str(OUT / f"cabinet-orders-{lang}.png"), full_page=True)
                page.goto(f"{server.url}/cabinet/history?section=money")
                page.screenshot(path=str(OUT / f"cabinet-money-{lang}.png"), full_page=True)
                page.goto(f"{server.url}/cabinet/top-up")
                page.fill("#amount", "500")
                shot(page, f"cabinet-top-up-{lang}.png")
                fill_basket(page, server)
                shot(page, f"cabinet-shop-{lang}.png")
                order_accepted(page, console)
                shot(page, f"cabinet-order-{lang}.png")
                context.close()
            for lang in ("ru", "en"):
                desktop = chromium.new_context(locale=lang, viewport=DESKTOP)
                page = desktop.new_page()
                page.goto(f"{server.url}/cabinet/language/{lang}?next=/cabinet/sign-in")
                sign_in(page, server)
                page.wait_for_url("**/cabinet/profile")
                if lang == "ru":
                    page.goto(f"{server.url}/cabinet/history?section=money")
                    page.screenshot(path=str(OUT / "cabinet-money-desktop-ru.png"),
                                    full_page=True)  # fmt: skip
                fill_basket(page, server)
                shot(page, f"cabinet-shop-desktop-{lang}.png", full_page=False)
                order_accepted(page, console)
                shot(page, f"cabinet-order-desktop-{lang}.png", full_page=False)
                desktop.close()


if __name__ == "__main__":
    main()
