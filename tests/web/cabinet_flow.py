"""The guest cabinet in a real browser, shared by its browser test and its screenshots: a
``pos-server run`` whose SMS go to a local fake of SMS.ru, a venue's guest with sales and
money and points movements, and the guest's steps (register -> the code from the fake ->
signed in -> history)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pos_server.app import create_app
from pos_server.cabinet_web import accounts
from pos_server.catalogue.service import CatalogueIn, import_catalogue
from pos_server.db import make_engine
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from tests.server.conftest import add_staff_member, enrol, guest_payload, sale_payload
from tests.server.fake_smsru import API_ID, FakeSmsRu
from tests.server.fake_yookassa import FakeYooKassa
from tests.web.browser import ROOT, Server, live_server

PHONE = "+79161234567"
LOGIN = "anna"
PASSWORD = "my cabinet pass"
PHONE_VIEWPORT = {"width": 390, "height": 844}  # a phone (iPhone 12-15 size)
CATALOGUE = ROOT / "pos_server" / "demo_data" / "catalogue.json"


@contextmanager
def cabinet_server(folder: Path, bank: FakeYooKassa | None = None,
                   more_env: dict[str, str] | None = None
                   ) -> Iterator[tuple[Server, FakeSmsRu]]:  # fmt: skip
    """A live server sending SMS to the fake every second, and the fake; ``bank``: card
    top-ups go to this fake YooKassa, whose notifications come back to the server;
    ``more_env``: more of the server's settings."""
    with FakeSmsRu() as sms:
        env = {"POS_SERVER_SMS_RU_API_ID": API_ID, "POS_SERVER_SMS_RU_BASE": sms.base,
               "POS_SERVER_NOTIFY_INTERVAL_SECONDS": "1", **(more_env or {})}  # fmt: skip
        if bank is not None:
            env |= {"POS_SERVER_YOOKASSA_SHOP_ID": bank.shop_id,
                    "POS_SERVER_YOOKASSA_SECRET_KEY": bank.secret_key,
                    "POS_SERVER_YOOKASSA_API_BASE": bank.api}  # fmt: skip
        with live_server(folder, env) as server:
            if bank is not None:
                bank.webhook_url = f"{server.url}/cabinet/payments/yookassa"
            yield server, sms


def seed_catalogue(db_url: str) -> None:
    """The demo catalogue, every product open to guest orders, as a catalogue import does."""
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for product in data["products"]:
        product["guest_orderable"] = True
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            import_catalogue(uow, CatalogueIn.model_validate(data))
    finally:
        engine.dispose()


def seed_guest(db_url: str, name: str = "Анна Смирнова", phone: str = PHONE) -> str:
    """A guest of the venue (as a till makes one) with two sales, money top-ups and points."""
    add_staff_member(db_url, "max", "manager")
    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        till = enrol(client, db_url)
        payload = {**guest_payload(None, name), "phone": phone}
        guest_id = str(payload["guest_id"])
        till.push_ok(till.op("guest.created", payload))
        till.push_ok(till.op("sale.closed", sale_payload(guest_id, receipt_no="A-000101")))
        till.push_ok(till.op("sale.closed", sale_payload(
            guest_id, receipt_no="A-000102", closed_at="2026-11-28T18:30:00+00:00")))  # fmt: skip
        for n, (account, amount, reason) in enumerate((
            ("money", 300_000, "Пополнение на кассе"), ("money", 50_000, "Подарок ко дню рождения"),
            ("points", 12_000, "Бонус за отзыв"))):  # fmt: skip
            till.push_ok(till.op("account.adjusted", {
                "adjustment_id": f"seed-{n}", "guest_id": guest_id, "account": account,
                "direction": "credit", "amount": amount, "staff_id": "max",
                "reason": reason}))  # fmt: skip
    return guest_id


def seed_credentials(db_url: str, phone: str, login: str, password: str) -> str:
    """Credentials staff set for the guest having ``phone`` ("skip registration" on)."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            [guest_id] = uow.cabinet.guests_by_phone(phone)
            uow.guest_cards.load(guest_id)
            uow.guest_cards.write(guest_id, {"registration_skipped": True}, uow.now)
            accounts.set_credentials(uow, guest_id, login, password)
    finally:
        engine.dispose()
    return guest_id


def password_from(sms: FakeSmsRu, phone: str, timeout: float = 30.0) -> str:
    """The password in the newest credentials SMS the fake was asked to send to ``phone``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sent in reversed(sms.sent):
            found = re.search(r"(?:password|пароль) (\S+)", sent["msg"])
            if sent["to"] == phone.lstrip("+") and found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no password reached the fake for {phone}: {sms.sent}")


def code_from(sms: FakeSmsRu, phone: str = PHONE, timeout: float = 30.0) -> str:
    """The newest code the fake SMS.ru was asked to send to ``phone``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sent in reversed(sms.sent):
            found = re.search(r"\b(\d{6})\b", sent["msg"])
            if sent["to"] == phone.lstrip("+") and found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no SMS code reached the fake for {phone}: {sms.sent}")


def register(page: Any, server: Server, sms: FakeSmsRu, shots: dict[str, str] | None = None,
             *, phone: str = PHONE, login: str = LOGIN, name: str = "Анна Смирнова",
             ) -> None:  # fmt: skip
    """Register -> the code from the fake -> the profile (``shots``: page name -> png path);
    the seeded guest's phone by default, any other one makes a new guest named ``name``."""
    page.goto(f"{server.url}/cabinet/register")
    page.fill("#phone", f"8 {phone[2:5]} {phone[5:8]}-{phone[8:10]}-{phone[10:]}")
    page.fill("#name", name)
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    if shots and "register" in shots:
        page.screenshot(path=shots["register"], full_page=True)
    page.click("#submit")
    page.wait_for_url("**/cabinet/register/confirm")
    page.fill("#code", code_from(sms, phone))
    if shots and "confirm" in shots:
        page.screenshot(path=shots["confirm"], full_page=True)
    page.click("#submit")
    page.wait_for_url("**/cabinet/profile")


def sign_in(page: Any, server: Server, login: str = LOGIN, password: str = PASSWORD) -> None:
    page.goto(f"{server.url}/cabinet/sign-in")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#submit")
