"""The guest card's Cabinet tab in a real headless Chromium against a real ``pos-server run``
on loopback (issue 19 point 1): staff set the flags, a login and a random password shown once;
the guest signs in to /cabinet with them in another browser context."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import Server, add_admin_by_cli, browser, chromium_path, live_server, sign_in
from tests.web.guests_seed import add_guests

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder: Path = tmp_path_factory.mktemp("cabinet-access")
    with live_server(folder, {"POS_SERVER_PUBLIC_URL": "https://venue.example"}) as found:
        add_admin_by_cli(found.db_url, "Boss")
        add_guests(found.db_url, anna="Анна Петрова", boris="Борис")
        yield found


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as found:
        yield found


def test_staff_set_a_random_password_and_the_guest_signs_in_with_it(
    chromium: Any, server: Server
) -> None:
    staff = chromium.new_context(locale="ru-RU")
    page = staff.new_page()
    sign_in(page, server, "Boss", path="/admin/guests/anna")
    page.wait_for_url("**/admin/guests/anna")
    assert "Логина для кабинета пока нет" in page.inner_text("#cabinet")
    page.check("#cabinet input[name=cabinet_login_allowed]")
    page.check("#cabinet input[name=registration_skipped]")  # no SMS code at first sign-in
    page.click("#save-cabinet-flags")
    page.wait_for_url("**/admin/guests/anna?saved=1")
    assert page.is_checked("#cabinet input[name=registration_skipped]")
    page.fill("#cabinet-login", "Anna.Web")
    page.check("#cabinet-random")
    page.click("#set-credentials")
    page.wait_for_selector("#cabinet-password-once")
    password = page.inner_text("#cabinet-password-once").strip()
    assert len(password) == 10
    assert page.inner_text("#cabinet-login-now") == "anna.web"
    page.goto(server.url + "/admin/guests/anna")  # shown once: not on the card again
    assert page.locator("#cabinet-password-once").count() == 0
    assert password not in page.content()
    staff.close()

    guest = chromium.new_context(locale="ru-RU")
    page = guest.new_page()
    page.goto(f"{server.url}/cabinet/sign-in")
    page.fill("#login", "anna.web")
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_url("**/cabinet/profile")
    assert "Анна Петрова" in page.content()
    guest.close()
