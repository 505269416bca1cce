"""The cabinet shop's screenshots for docs/cabinet.md, from a real ``pos-server run`` in
headless chromium: the shop at a phone's size and on a desktop (Russian), the order page
after a console accepted the order::

    .venv/bin/python -m tests.web.make_shop_screenshots

Saves ``docs/screenshots/cabinet-shop-*.png`` and ``cabinet-order-ru.png``.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from pos_app.domain.orders import OrderAction
from tests.web.browser import ROOT, browser, live_server
from tests.web.cabinet_console import Console
from tests.web.cabinet_flow import PHONE_VIEWPORT, seed_credentials, seed_guest, sign_in
from tests.web.shop_flow import seed_menu

OUT = ROOT / "docs" / "screenshots"
LOGIN, PASSWORD = "anna", "my cabinet pass"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, live_server(Path(folder)) as server:
        seed_guest(server.db_url)
        seed_credentials(server.db_url, "+79161234567", LOGIN, PASSWORD)
        seed_menu(server.db_url, "cash,balance,points")
        with browser() as chromium:
            desktop = chromium.new_context(locale="ru", viewport={"width": 1200, "height": 760})
            page = desktop.new_page()
            page.goto(f"{server.url}/cabinet/language/ru?next=/cabinet/sign-in")
            sign_in(page, server, LOGIN, PASSWORD)
            page.wait_for_url("**/cabinet/profile")
            page.goto(f"{server.url}/cabinet/shop")
            page.click("#product-latte button.add")
            page.wait_for_selector("#basket .basket-line")
            page.click("#product-cookie button.add-points")
            page.wait_for_selector("#basket-points")
            page.screenshot(path=str(OUT / "cabinet-shop-desktop-ru.png"), full_page=True)
            desktop.close()
            phone = chromium.new_context(locale="ru", viewport=PHONE_VIEWPORT, is_mobile=True,
                                         has_touch=True, device_scale_factor=2)  # fmt: skip
            page = phone.new_page()
            sign_in(page, server, LOGIN, PASSWORD)
            page.wait_for_url("**/cabinet/profile")
            page.goto(f"{server.url}/cabinet/shop")
            page.screenshot(path=str(OUT / "cabinet-shop-ru.png"), full_page=True)
            page.fill("#ready-by", "18:30")
            page.fill("#note", "Без сахара, пожалуйста")
            with Console(server) as venue:
                page.click("#place-order")
                page.wait_for_url(re.compile(r".*/cabinet/orders/[0-9a-f]{32}$"))
                venue.act(OrderAction.ACCEPT, page.url.rsplit("/", 1)[1])
                page.wait_for_selector("#order-live[data-state=accepted]", timeout=15_000)
            page.screenshot(path=str(OUT / "cabinet-order-ru.png"), full_page=True)
            phone.close()


if __name__ == "__main__":
    main()
