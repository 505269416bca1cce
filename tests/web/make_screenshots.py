"""The back office's screenshots for the README and docs/backoffice.md, from a real
``pos-server run`` in headless chromium (Russian and English)::

    .venv/bin/python -m tests.web.make_screenshots

Saves ``docs/screenshots/backoffice-{sign-in,terminals,group,settings,guests,guest-card}-``
``{ru,en}.png``
(``python -m tests.web.make_screenshots guests``: the guests' two only).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from pos_app.sync.transport import QueueReport
from tests.server.conftest import add_terminal
from tests.web.browser import (
    ROOT,
    Server,
    add_admin_by_cli,
    add_member,
    browser,
    live_server,
    sign_in,
)
from tests.web.guests_seed import add_guests

OUT = ROOT / "docs" / "screenshots"


def guests(server: Server, chromium: Any) -> None:
    """The guest list found by a search, and a card after a credit and a cabinet login set
    with a random password (shown once)."""
    add_guests(server.db_url, anna="Анна Петрова", boris="Борис Смирнов")
    for lang in ("ru", "en"):
        context = chromium.new_context(locale=lang, viewport={"width": 1200, "height": 760})
        page = context.new_page()
        page.goto(f"{server.url}/admin/language/{lang}?next=/admin/sign-in")
        sign_in(page, server, "Анна Владелец", path="/admin/guests")
        page.wait_for_selector("#guests")
        page.screenshot(path=str(OUT / f"backoffice-guests-{lang}.png"), full_page=True)
        page.goto(f"{server.url}/admin/guests/anna")
        if lang == "ru":
            page.fill("#amount", "150")
            page.fill("#reason", "Подарок ко дню рождения")
            page.click("#adjust")
            page.wait_for_url("**/admin/guests/anna?saved=1")
            page.fill("#cabinet-login", "anna.petrova")  # the Cabinet tab: a random password
            page.check("#cabinet-random")
            page.click("#set-credentials")
            page.wait_for_selector("#cabinet-password-once")
        page.screenshot(path=str(OUT / f"backoffice-guest-card-{lang}.png"), full_page=True)
        context.close()


def tills_with_queues(server: Server) -> None:
    """Two tills enrolled and reporting their queues over the real protocol, as the terminals
    page shows them (issue 18 point 7): one with 4 operations waiting for 35 minutes (the
    warning), one with nothing waiting."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for name, queue in (("Касса 1", QueueReport(4, 35 * 60.0)),
                            ("Касса 2", QueueReport(0, None))):  # fmt: skip
            code = add_terminal(server.db_url, name).enrolment_code
            enrolled = http.post("/v1/terminals/enrol", json={"code": code})
            enrolled.raise_for_status()
            headers = {"Authorization": f"Bearer {enrolled.json()['token']}", **queue.headers()}
            http.post("/v1/ops", json={"operations": []}, headers=headers).raise_for_status()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, live_server(Path(folder)) as server:
        add_admin_by_cli(server.db_url, "Анна Владелец")
        add_member(server.db_url, "Ирина Кассир", "cashier", "1234", {"terminals"})
        with browser() as chromium:
            guests(server, chromium)
            if sys.argv[1:] == ["guests"]:
                return
            tills_with_queues(server)
            for lang in ("ru", "en"):
                context = chromium.new_context(locale=lang, viewport={"width": 1200, "height": 760})
                page = context.new_page()
                page.goto(f"{server.url}/admin/language/{lang}?next=/admin/sign-in")
                page.screenshot(path=str(OUT / f"backoffice-sign-in-{lang}.png"))
                sign_in(page, server, "Анна Владелец", path="/admin/terminals")
                page.wait_for_selector("#terminal-name")
                page.fill("#terminal-name", "Бар 1" if lang == "ru" else "Bar 1")
                page.click("#add-terminal")
                page.wait_for_selector("#enrolment-code")
                page.screenshot(path=str(OUT / f"backoffice-terminals-{lang}.png"), full_page=True)
                if lang == "ru":
                    page.goto(f"{server.url}/admin/groups/new")
                    page.fill("#id", "g5")
                    page.fill("#name", "Гости 5 %")
                    page.fill("#discount", "5")
                    page.fill("#spend_threshold", "500")
                    page.check("#auto_move")
                    page.click("#save")
                    page.wait_for_url("**/admin/groups/g5?saved=1")
                else:
                    page.goto(f"{server.url}/admin/groups/g5")
                page.screenshot(path=str(OUT / f"backoffice-group-{lang}.png"), full_page=True)
                settings(page, server.url, lang)
                context.close()


def settings(page: Any, url: str, lang: str) -> None:
    """The programme settings page, a venue filled in and the "order ready" message's Russian
    text set (issue 18 point 4)."""
    page.goto(f"{url}/admin/settings")
    if lang == "ru":
        page.fill("#name", "Кофейня «Зерно»")
        page.fill("#address", "Екатеринбург, ул. Ленина, 1")
        page.fill("#tax_number", "6671000001")
        page.fill("#receipt_header", "Добро пожаловать!")
        page.fill("#receipt_footer", "Wi-Fi: zerno / 12345678")
        page.click("#save-venue")
        page.wait_for_url("**/admin/settings?saved=venue*")
        page.fill("#msg_order_ready_ru", "{name}, заказ № {number} готов — заберите у бара!")
        page.click("#save-messages")
        page.wait_for_url("**/admin/settings?saved=messages*")
    page.screenshot(path=str(OUT / f"backoffice-settings-{lang}.png"), full_page=True)


if __name__ == "__main__":
    main()
