"""The guest cabinet in a real headless Chromium (Debian's, driven by Playwright) at a phone's
size against a real ``pos-server run`` whose SMS go to a fake SMS.ru: register -> the code
read from the fake -> signed in -> profile -> history with the closing balance; sign out and
back in; another guest's data is nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pos_server.db import make_engine
from pos_server.uow import unit_of_work
from tests.server.conftest import add_terminal
from tests.web.browser import browser, chromium_path
from tests.web.cabinet_flow import (
    PHONE_VIEWPORT,
    cabinet_server,
    password_from,
    register,
    seed_credentials,
    seed_guest,
    sign_in,
)

pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
from playwright.sync_api import expect

if chromium_path() is None:
    pytest.skip("no chromium on this machine (scripts/bootstrap.sh installs Debian's)",
                allow_module_level=True)  # fmt: skip


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, Any]]:
    with cabinet_server(tmp_path_factory.mktemp("cabinet")) as (server, sms), browser() as chromium:
        seed_guest(server.db_url)
        seed_guest(server.db_url, "Борис Другой", "+79167654321")
        context = chromium.new_context(locale="en", viewport=PHONE_VIEWPORT, is_mobile=True,
                                       has_touch=True)  # fmt: skip
        yield server, sms, context
        context.close()


def test_register_by_sms_code_sign_in_and_see_the_history(phone: tuple[Any, Any, Any]) -> None:
    server, sms, context = phone
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/register")
    register(page, server, sms)
    expect(page.locator("#name")).to_have_value("Анна Смирнова")
    expect(page.locator("#my-login")).to_have_text("anna")
    page.click("#nav-history")
    expect(page.locator("#entries")).to_contain_text("A-000102")
    expect(page.locator("#entries")).to_contain_text("A-000101")
    page.click("#tab-money")
    expect(page.locator("#closing")).to_have_text("3\u00a0500,00 ₽")
    expect(page.locator("#entries")).to_contain_text("Пополнение на кассе")
    page.click("#tab-points")
    expect(page.locator("#entries")).to_contain_text("Бонус за отзыв")
    expect(page.locator("#entries")).to_contain_text("accrued")  # the sales' points
    page.fill("#from", "2020-01-01")
    page.fill("#to", "2020-12-31")
    page.click("#show")
    expect(page.locator("#nothing")).to_be_visible()
    # the page fits a phone: nothing wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], width
    body = page.content()
    assert "Борис" not in body and "+79167654321" not in body
    page.click("#sign-out")
    page.wait_for_url("**/cabinet/sign-in")
    sign_in(page, server, "anna", "wrong password!")
    expect(page.locator(".error")).to_contain_text("Wrong login or password")
    sign_in(page, server)
    page.wait_for_url("**/cabinet/profile")
    page.close()


def test_recovery_by_e_mail_and_throttled_guessing(phone: tuple[Any, Any, Any]) -> None:
    """Boris (staff gave him credentials, registration skipped) forgets his password: a new
    one comes by SMS to the fake; the old one keeps working until the new one is used. Then a
    stranger guessing his password is locked out after five tries."""
    server, sms, context = phone
    seed_credentials(server.db_url, "+79167654321", "boris", "borises old pass")
    context.clear_cookies()  # Anna's session from the test before
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/profile")
    sign_in(page, server, "boris", "borises old pass")
    page.wait_for_url("**/cabinet/profile")
    page.fill("#email-1", "Boris@Example.com")
    page.click("#save")
    expect(page.locator(".notice")).to_be_visible()
    page.click("#sign-out")
    page.click("#to-recover")
    page.fill("#login_or_email", "boris@example.com")
    page.click("#submit")
    expect(page.locator(".notice")).to_contain_text("a new password is on its way")
    new = password_from(sms, "+79167654321")
    sign_in(page, server, "boris", new)
    page.wait_for_url("**/cabinet/profile")
    expect(page.locator("#name")).to_have_value("Борис Другой")
    page.click("#sign-out")
    for _ in range(6):  # five free; the sixth is judged and locks the (address, login) pair
        sign_in(page, server, "boris", "a wrong guess")
        expect(page.locator(".error")).to_contain_text("Wrong login or password")
    sign_in(page, server, "boris", new)  # locked: not even the right password is checked
    expect(page.locator(".error")).to_contain_text("Too many wrong attempts")
    page.close()


def _guest_id(db_url: str, phone: str) -> str:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            [guest_id] = uow.cabinet.guests_by_phone(phone)
            return guest_id
    finally:
        engine.dispose()


def _name_of(db_url: str, guest_id: str) -> str:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            found = uow.cabinet.guest(guest_id)
            assert found is not None
            return found.name
    finally:
        engine.dispose()


def test_a_guest_tampering_with_urls_and_forms_sees_only_her_own(
    phone: tuple[Any, Any, Any],
) -> None:
    """Anna, signed in, puts Boris's guest id into the addresses of the profile and of every
    history tab, and into the profile form as an extra field: every page is hers, Boris's
    name and phone are nowhere, and his card is unchanged."""
    server, _sms, context = phone
    boris = _guest_id(server.db_url, "+79167654321")
    context.clear_cookies()
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/en?next=/cabinet/sign-in")
    sign_in(page, server)  # Anna registered in the first test
    page.wait_for_url("**/cabinet/profile")
    tampered = [f"/cabinet/profile?guest_id={boris}", f"/cabinet/profile?guest={boris}"]
    tampered += [f"/cabinet/history?section={section}&guest_id={boris}&guest={boris}"
                 for section in ("sales", "money", "points")]  # fmt: skip
    tampered += [f"/cabinet/{boris}", f"/cabinet/guests/{boris}/history",
                 f"/cabinet/history/{boris}"]  # fmt: skip
    for path in tampered:
        answer = page.goto(server.url + path)
        assert answer is not None and answer.status in (200, 404), (path, answer)
        body = page.content()
        assert "Борис" not in body and "7654321" not in body, path
        assert boris not in body.replace(path, ""), path
        if answer.status == 200:
            expect(page.locator("#sign-out")).to_be_visible()  # still Anna's session
    page.goto(f"{server.url}/cabinet/profile")
    page.evaluate(
        """(boris) => { for (const name of ["guest_id", "guest", "id"]) {
            const field = document.createElement("input");
            field.type = "hidden"; field.name = name; field.value = boris;
            document.querySelector("form[action='/cabinet/profile']").appendChild(field); } }""",
        boris,
    )
    page.fill("#name", "Анна Смирнова-Другая")
    page.click("#save")
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Анна Смирнова-Другая")
    assert _name_of(server.db_url, boris) == "Борис Другой"
    page.fill("#name", "Анна Смирнова")
    page.click("#save")
    expect(page.locator(".notice")).to_be_visible()
    page.close()


def test_a_new_person_registers_and_reaches_the_tills(phone: tuple[Any, Any, Any]) -> None:
    """Someone the venue does not know registers in Russian with a phone no guest has: the
    code comes from the fake SMS.ru, she lands signed in on her new card, and a till reading
    the change feed receives the new guest, made by the cabinet."""
    server, sms, context = phone
    context.clear_cookies()
    page = context.new_page()
    page.goto(f"{server.url}/cabinet/language/ru?next=/cabinet/register")
    expect(page.locator("label[for=name]")).to_have_text("Ваше имя")
    register(page, server, sms, phone="+79165550101", login="vera.new", name="Вера Новикова")
    expect(page.locator("#name")).to_have_value("Вера Новикова")
    expect(page.locator("#my-login")).to_have_text("vera.new")
    assert "+79165550101" in page.content()
    guest_id = _guest_id(server.db_url, "+79165550101")
    added = add_terminal(server.db_url, "Feed reader")
    token = httpx.post(f"{server.url}/v1/terminals/enrol", json={"code": added.enrolment_code},
                       timeout=30).json()["token"]  # fmt: skip
    changes = httpx.get(f"{server.url}/v1/changes", params={"cursor": 0, "limit": 1000},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=30).json()  # fmt: skip
    fed = [c["data"] for c in changes["changes"]
           if c["entity"] == "guest" and c["entity_id"] == guest_id]  # fmt: skip
    assert fed and (fed[-1]["name"], fed[-1]["phone"]) == ("Вера Новикова", "+79165550101")
    page.click("#sign-out")
    page.wait_for_url("**/cabinet/sign-in")
    sign_in(page, server, "vera.new")
    page.wait_for_url("**/cabinet/profile")
    page.close()
