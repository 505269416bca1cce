"""The back office in a real headless Chromium against a real ``pos-server run`` on loopback
(issue 18 point 9): sign in, a wrong password throttled, a section refused without its
permission, a terminal added (its code enrols a till), a group edited (the tills get it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.browser import (
    PASSWORD,
    Server,
    add_admin_by_cli,
    add_member,
    browser,
    chromium_path,
    live_server,
    sign_in,
)
from tests.web.guests_seed import add_guests

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
from playwright.sync_api import expect

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with live_server(tmp_path_factory.mktemp("backoffice")) as found:
        add_admin_by_cli(found.db_url, "Boss")
        add_member(found.db_url, "Ira", "cashier", "1234", {"terminals"})
        yield found


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as found:
        yield found


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="ru-RU")
    try:
        yield context.new_page()
    finally:
        context.close()


def test_sign_in_lands_on_the_page_asked_for_and_sign_out_ends_it(
    page: Any, server: Server
) -> None:
    page.goto(server.url + "/admin/terminals")
    assert page.url.endswith("/admin/sign-in?next=/admin/terminals")
    assert page.inner_text("h1") == "Вход в бэк-офис"
    page.fill("#name", "boss")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/terminals")
    assert page.inner_text("h1") == "Терминалы" and page.inner_text("#me") == "Boss"
    page.click("#lang-en")
    page.wait_for_url("**/admin/terminals")
    assert page.inner_text("h1") == "Terminals"
    page.click("text=Sign out")
    page.wait_for_url("**/admin/sign-in")
    page.goto(server.url + "/admin/staff")
    assert "/admin/sign-in" in page.url


def test_wrong_passwords_are_refused_then_throttled(page: Any, server: Server) -> None:
    for _ in range(6):  # five free ones, then one that earns a lock
        sign_in(page, server, "Ira", "not Ira's password")
        assert page.inner_text(".error") == "Неверное имя или пароль."
    sign_in(page, server, "Ira")  # the right password, but locked: not even checked
    assert page.inner_text(".error").startswith("Слишком много неверных попыток.")
    assert "/admin/sign-in" in page.url


def test_a_section_without_the_permission_is_refused(page: Any, server: Server) -> None:
    add_member(server.db_url, "Olga", "cashier", "5678", {"terminals"})
    sign_in(page, server, "Olga")
    page.wait_for_url(server.url + "/admin")
    # the venue's settings are the terminals permission's too (what every till prints)
    assert page.locator("nav a").all_inner_texts() == ["Терминалы", "Настройки заведения"]
    response = page.goto(server.url + "/admin/staff")
    assert response is not None and response.status == 403
    assert page.inner_text("h1") == "Нет доступа"
    assert "Сотрудники" in page.inner_text("main")


def test_a_terminal_is_added_and_its_code_enrols_a_till(page: Any, server: Server) -> None:
    sign_in(page, server, "Boss", path="/admin/terminals")
    page.wait_for_selector("#terminal-name")
    page.evaluate("window.stayed = true")  # gone if the page were loaded again
    page.fill("#terminal-name", "Бар 2")
    page.click("#add-terminal")
    page.wait_for_selector("#enrolment-code")
    assert page.evaluate("window.stayed === true")  # htmx swapped the main part in place
    code = page.inner_text("#enrolment-code").strip()
    assert page.inner_text("#server-url") == server.url
    assert page.locator("#enrolment-qr svg").count() == 1
    assert "Бар 2" in page.inner_text("#terminals")
    enrolled = httpx.post(f"{server.url}/v1/terminals/enrol", json={"code": code}, timeout=30)
    assert enrolled.status_code == 200 and enrolled.json()["name"] == "Бар 2"
    page.goto(server.url + "/admin/terminals")
    row = page.locator("#terminals tr", has_text="Бар 2")
    assert "подключён" in row.inner_text()
    row.locator("button").click()
    expect(page.locator("#terminals tr", has_text="Бар 2")).to_contain_text("отозван")
    refused = httpx.get(
        f"{server.url}/v1/changes",
        timeout=30,
        headers={"Authorization": f"Bearer {enrolled.json()['token']}"},
    )
    assert refused.status_code in (401, 403)


def test_a_group_edited_in_the_browser_reaches_the_tills(
    page: Any, server: Server, tmp_path: Path
) -> None:
    sign_in(page, server, "Boss", path="/admin/groups/new")
    page.fill("#id", "g5")
    page.fill("#name", "Гости 5 %")
    page.fill("#discount", "5")
    page.fill("#spend_threshold", "500")
    page.check("#auto_move")
    page.click("#save")
    page.wait_for_url("**/admin/groups/g5?saved=1")
    page.fill("#discount", "7,5")
    page.check("#no_demotion")
    page.click("#save")
    page.wait_for_url("**/admin/groups/g5?saved=1")
    assert page.input_value("#discount") == "7.5" and page.is_checked("#no_demotion")
    page.goto(server.url + "/admin/groups")
    assert "Гости 5 %" in page.inner_text("#groups")

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
    fed = [c["data"] for c in changes["changes"] if c["entity"] == "guest_group"]
    assert [(g["discount_bp"], g["no_demotion"]) for g in fed][-1] == (750, True)


def test_a_guest_edited_in_the_browser_reaches_the_tills(page: Any, server: Server) -> None:
    add_guests(server.db_url, anna="Анна Петрова", boris="Борис")
    sign_in(page, server, "Boss", path="/admin/guests")
    page.fill("#q", "Анна П")  # the name from its start (as typed: SQLite folds ASCII only)
    page.click("#search")
    page.click("#guests >> text=Анна Петрова")
    page.wait_for_url("**/admin/guests/anna")
    page.fill("#name", "Анна Петровна")
    page.fill("#note", "любит чай")
    page.click("#save")
    page.wait_for_url("**/admin/guests/anna?saved=1")
    assert page.input_value("#name") == "Анна Петровна"

    page.goto(server.url + "/admin/terminals")
    page.fill("#terminal-name", "Guest feed reader")
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
    fed = [c["data"] for c in changes["changes"] if c["entity"] == "guest"]
    assert (fed[-1]["guest_id"], fed[-1]["name"], fed[-1]["note"]) == (
        "anna", "Анна Петровна", "любит чай")  # fmt: skip
