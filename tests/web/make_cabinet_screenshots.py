"""The guest cabinet's screenshots for the README and docs/cabinet.md, from a real
``pos-server run`` (SMS to a fake SMS.ru) in headless chromium at a phone's size, Russian
and English, and one desktop view::

    .venv/bin/python -m tests.web.make_cabinet_screenshots

Saves ``docs/screenshots/cabinet-*.png``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.web.browser import ROOT, browser
from tests.web.cabinet_flow import PHONE_VIEWPORT, cabinet_server, register, seed_guest, sign_in

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, cabinet_server(Path(folder)) as (server, sms):
        seed_guest(server.db_url)
        with browser() as chromium:
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
                else:
                    sign_in(page, server)
                    page.wait_for_url("**/cabinet/profile")
                page.screenshot(path=str(OUT / f"cabinet-profile-{lang}.png"), full_page=True)
                page.goto(f"{server.url}/cabinet/history?section=sales")
                page.screenshot(path=str(OUT / f"cabinet-orders-{lang}.png"), full_page=True)
                page.goto(f"{server.url}/cabinet/history?section=money")
                page.screenshot(path=str(OUT / f"cabinet-money-{lang}.png"), full_page=True)
                context.close()
            desktop = chromium.new_context(locale="ru", viewport={"width": 1200, "height": 760})
            page = desktop.new_page()
            sign_in(page, server)
            page.wait_for_url("**/cabinet/profile")
            page.goto(f"{server.url}/cabinet/history?section=money")
            page.screenshot(path=str(OUT / "cabinet-money-desktop-ru.png"), full_page=True)
            desktop.close()


if __name__ == "__main__":
    main()
