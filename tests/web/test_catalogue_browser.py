"""The catalogue forms in a real headless Chromium against a real ``pos-server run`` on loopback
(issue 18 point 6): a group and a product made in the browser reach a till through the feed,
and the till sells the product by its barcode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_app.db import open_store
from pos_app.services.feed import Change, FeedService
from tests.services.fakes import FakeClock
from tests.web.browser import (
    Server,
    add_admin_by_cli,
    browser,
    chromium_path,
    live_server,
    sign_in,
)

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with live_server(tmp_path_factory.mktemp("catalogue")) as found:
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


def test_a_product_made_in_the_browser_reaches_a_till(
    page: Any, server: Server, tmp_path: Path
) -> None:
    sign_in(page, server, "Boss", path="/admin/catalogue")
    page.click("#new-group")
    page.wait_for_url("**/admin/catalogue/create/groups")
    page.fill("#id", "desserts")
    page.fill("#name", "Десерты")
    page.fill("#position", "2")
    page.click("#save")
    page.wait_for_url("**/admin/catalogue/groups/desserts/edit?saved=1")

    page.goto(server.url + "/admin/catalogue")
    page.click("#new-product")
    page.wait_for_url("**/admin/catalogue/create/products")
    page.fill("#id", "eclair")
    page.fill("#name", "Эклер")
    page.fill("#price", "210,50")
    page.fill("#barcode", "4600000000077")
    page.select_option("#group_id", "desserts")
    page.uncheck("#allow_points")
    page.fill("#other_tags", "сладкое")
    page.fill("#minutes", "")
    page.click("#save")
    page.wait_for_url("**/admin/catalogue/products/eclair/edit?saved=1")
    assert page.input_value("#price") == "210,50"
    page.goto(server.url + "/admin/catalogue")
    assert "Эклер" in page.inner_text("#products")

    page.goto(server.url + "/admin/terminals")
    page.fill("#terminal-name", "Catalogue reader")
    page.click("#add-terminal")
    code = page.inner_text("#enrolment-code").strip()
    token = httpx.post(f"{server.url}/v1/terminals/enrol", json={"code": code},
                       timeout=30).json()["token"]  # fmt: skip
    answer = httpx.get(
        f"{server.url}/v1/changes",
        params={"cursor": 0, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    changes = [Change.from_wire(row) for row in answer["changes"]]
    fed = [c.data for c in changes if c.entity == "product"]
    assert fed[-1]["price"] == 21050 and fed[-1]["tags"] == ["сладкое"]

    with open_store(tmp_path / "till.sqlite3") as store:
        feed = FeedService(store.unit_of_work, FakeClock())
        assert feed.apply_page(0, changes, changes[-1].id).skipped == {}
        with store.unit_of_work() as uow:
            eclair = uow.products.by_barcode("4600000000077")
    assert eclair is not None
    assert (eclair.id, eclair.name, eclair.price, eclair.group_id) == (
        "eclair", "Эклер", 21050, "desserts")  # fmt: skip
    assert (eclair.payable_with_points, eclair.guest_orderable) == (False, True)
