"""A new guest made in a real headless Chromium against a real ``pos-server run`` (issue 18
point 2): the form on /admin/guests/new, the new card opens, the guest is in the tills' feed;
a taken phone is refused with a link to the guest who has it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.browser import Server, add_admin_by_cli, browser, chromium_path, live_server, sign_in
from tests.web.guests_seed import add_guests

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with live_server(tmp_path_factory.mktemp("new-guest")) as found:
        add_admin_by_cli(found.db_url, "Boss")
        add_guests(found.db_url, anna="Анна Петрова", boris="Борис")
        yield found


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    with browser() as chromium:
        context = chromium.new_context(locale="ru-RU")
        try:
            yield context.new_page()
        finally:
            context.close()


def test_a_guest_is_made_in_the_browser_and_reaches_the_tills(page: Any, server: Server) -> None:
    sign_in(page, server, "Boss", path="/admin/guests")
    page.click("#new-guest")
    page.wait_for_url("**/admin/guests/new")
    assert page.inner_text("h1") == "Новый гость"
    page.fill("#name", "Вера Иванова")
    page.fill("#phone", "8 (912) 555-44-33")
    page.fill("#email", "vera@example.com")
    page.fill("#birthday", "1990-05-17")
    page.fill("#card", "7700555")
    page.click("#create-guest")
    page.wait_for_url("**/admin/guests/*?saved=1")
    assert page.inner_text("h1") == "Вера Иванова"
    assert page.input_value("#birthday") == "1990-05-17"
    assert "7700555" in page.inner_text("#identifiers")
    guest_id = page.url.split("/admin/guests/")[1].split("?")[0]

    # the same phone again: refused, naming Вера, with a link to her card
    page.goto(server.url + "/admin/guests/new")
    page.fill("#name", "Вера Другая")
    page.fill("#phone", "+7 912 555 44 33")
    page.click("#create-guest")
    assert "У гостя Вера Иванова уже есть номер +79125554433" in page.inner_text(".error")
    assert page.input_value("#name") == "Вера Другая"
    page.click("#phone-owner a")
    page.wait_for_url(f"**/admin/guests/{guest_id}")

    page.goto(server.url + "/admin/terminals")
    page.fill("#terminal-name", "Feed reader")
    page.click("#add-terminal")
    code = page.inner_text("#enrolment-code").strip()
    token = httpx.post(f"{server.url}/v1/terminals/enrol", json={"code": code},
                       timeout=30).json()["token"]  # fmt: skip
    changes = httpx.get(
        f"{server.url}/v1/changes",
        params={"cursor": 0, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    fed = [c for c in changes["changes"] if c["entity_id"] in (guest_id, "7700555")]
    guest = [c["data"] for c in fed if c["entity"] == "guest"][-1]
    assert (guest["name"], guest["phone"], guest["birthday"]) == (
        "Вера Иванова", "+79125554433", "1990-05-17")  # fmt: skip
    assert [c["data"]["guest_id"] for c in fed if c["entity"] == "identifier"] == [guest_id]
    # the back office's own terminal row is not listed among the terminals
    assert "Back office" not in page.inner_text("#terminals")
