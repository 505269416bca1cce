"""Screenshots of the cabinet's card top-up for docs/cabinet.md, from a real ``pos-server run``
whose YooKassa is the local fake, in headless chromium at a phone's size, in Russian::

    .venv/bin/python -m tests.web.make_top_up_screenshots

Saves ``docs/screenshots/cabinet-top-up-*.png``: the form, the (fake) bank's page, credited,
and a refused card.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.web.browser import ROOT, browser
from tests.web.cabinet_flow import PHONE, PHONE_VIEWPORT, seed_credentials, seed_guest, sign_in
from tests.web.top_up_flow import card_server

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, card_server(Path(folder)) as (server, _, bank):
        seed_guest(server.db_url)
        seed_credentials(server.db_url, PHONE, "anna", "anna's password")
        with browser() as chromium:
            context = chromium.new_context(locale="ru", viewport=PHONE_VIEWPORT, is_mobile=True,
                                           has_touch=True, device_scale_factor=2)  # fmt: skip
            page = context.new_page()
            page.goto(f"{server.url}/cabinet/language/ru?next=/cabinet/sign-in")
            sign_in(page, server, "anna", "anna's password")
            page.wait_for_url("**/cabinet/profile")
            page.click("#nav-top-up")
            page.fill("#amount", "1500")
            page.screenshot(path=str(OUT / "cabinet-top-up-ru.png"), full_page=True)
            page.click("#pay")
            page.wait_for_url("**/checkout/*")
            page.screenshot(path=str(OUT / "cabinet-top-up-bank-ru.png"))
            page.click("#pay-card")
            page.wait_for_selector('#top-up-status[data-status="credited"]')
            page.screenshot(path=str(OUT / "cabinet-top-up-credited-ru.png"), full_page=True)
            bank.outcome = "cancel"
            page.click("#back")
            page.fill("#amount", "300")
            page.click("#pay")
            page.wait_for_url("**/checkout/*")
            page.click("#pay-card")
            page.wait_for_selector('#top-up-status[data-status="failed"]')
            page.screenshot(path=str(OUT / "cabinet-top-up-failed-ru.png"), full_page=True)
            context.close()


if __name__ == "__main__":
    main()
