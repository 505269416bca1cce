"""The back office's sales report for docs/backoffice.md (issue 18 point 8), from a real
``pos-server run`` in headless chromium::

    .venv/bin/python -m tests.web.make_reports_screenshot

The service tests' sales (two business days, two tills, two cashiers) are written first;
saves ``docs/screenshots/backoffice-reports-ru.png`` and ``-en.png`` (sales by shift).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pos_server.db import make_engine
from pos_server.uow import unit_of_work
from tests.server.test_reports_service import seed
from tests.web.browser import ROOT, add_admin_by_cli, browser, live_server, sign_in

OUT = ROOT / "docs" / "screenshots"
PAGE = "/admin/reports/sales?from=2026-12-01&to=2026-12-02&by=shift"


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        live_server(Path(folder), {"POS_SERVER_SHOP_TIMEZONE": "Europe/Moscow"}) as server,
    ):
        add_admin_by_cli(server.db_url, "Анна Владелец")
        engine = make_engine(server.db_url)
        with unit_of_work(engine, actor="cli:screenshots", now=datetime.now(UTC)) as uow:
            seed(uow)
        engine.dispose()
        with browser() as chromium:
            for lang in ("ru", "en"):
                context = chromium.new_context(locale=lang, viewport={"width": 1200, "height": 700})
                page = context.new_page()
                page.goto(f"{server.url}/admin/language/{lang}?next=/admin/sign-in")
                sign_in(page, server, "Анна Владелец", path="/admin/reports")
                page.wait_for_selector("#reports")
                page.goto(server.url + PAGE)  # the sign-in keeps the path, not the query
                page.wait_for_selector("#by-shift")
                page.screenshot(path=str(OUT / f"backoffice-reports-{lang}.png"), full_page=True)
                context.close()
        print(f"saved {OUT}/backoffice-reports-ru.png and -en.png")


if __name__ == "__main__":
    main()
