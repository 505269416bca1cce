"""Programme settings in a real headless Chromium against a real ``pos-server run`` (issue 18
points 4 and 9): the accrual changed on the page is the next sale's accrual, the venue's
receipt header reaches a till through the feed, and a bad value is refused on the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.server.conftest import Till, add_terminal, guest_payload
from tests.server.ledger_fixtures import pay, sale
from tests.web.browser import Server, add_admin_by_cli, browser, chromium_path, live_server, sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with live_server(tmp_path_factory.mktemp("settings")) as found:
        add_admin_by_cli(found.db_url, "Boss")
        yield found


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    with browser() as chromium:
        context = chromium.new_context(locale="ru-RU")
        try:
            yield context.new_page()
        finally:
            context.close()


def _points_of(till: Till, guest_id: str) -> int:
    feed = till.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                           headers=till.headers).json()  # fmt: skip
    totals = [c["data"]["total"] for c in feed["changes"]
              if c["entity"] == "bonus_account" and guest_id in c["entity_id"]]  # fmt: skip
    return int(totals[-1]) if totals else 0


def test_a_settings_change_in_the_browser_is_honoured_by_the_next_sale(
    page: Any, server: Server
) -> None:
    added = add_terminal(server.db_url, "Till 1")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        body = client.post("/v1/terminals/enrol", json={"code": added.enrolment_code}).json()
        till = Till(client, added.terminal_id, body["token"])  # type: ignore[arg-type]
        till.push_ok(till.op("guest.created", guest_payload("anna")))
        till.push_ok(till.op("sale.closed", sale("anna", 10_000, pay("card", 10_000))))
        assert _points_of(till, "anna") == 500  # 5 %, the default

        sign_in(page, server, "Boss", path="/admin/settings")
        page.wait_for_selector("#accrual")
        page.fill("#accrual", "12")
        page.fill("#loyalty-reason", "осенняя акция")
        page.click("#save-loyalty")
        page.wait_for_url("**/admin/settings?saved=loyalty*")
        assert page.input_value("#accrual") == "12"
        page.fill("#receipt_header", "Добро пожаловать!")
        page.fill("#tax_number", "12345")
        page.click("#save-venue")
        assert "10 or 12 digits" in page.inner_text(".error")
        page.fill("#tax_number", "6671000001")
        page.click("#save-venue")
        page.wait_for_url("**/admin/settings?saved=venue*")

        till.push_ok(till.op("sale.closed", sale("anna", 10_000, pay("card", 10_000))))
        assert _points_of(till, "anna") == 500 + 1_200  # 12 % from the next sale on
        feed = client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                          headers=till.headers).json()  # fmt: skip
        venue = [c["data"] for c in feed["changes"]
                 if c["entity"] == "programme" and c["entity_id"] == "venue"]  # fmt: skip
        assert venue[-1]["receipt_header"] == "Добро пожаловать!"
        assert venue[-1]["tax_number"] == "6671000001"
