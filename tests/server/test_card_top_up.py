"""Card top-up from the guest cabinet (issue 19 point 5) against a local YooKassa speaking
API v3 over real HTTP (``tests/server/fake_yookassa.py``): credited only after YooKassa says
the payment succeeded, exactly once whether the notification comes twice, late, or races the
status poll (two threads; SQLite and PostgreSQL); a cancelled payment, a forged notification
and an amount that does not match credit nothing."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from pos_server.app import create_app
from pos_server.db import make_engine
from pos_server.db.models import Guest
from pos_server.db.models_notify import NotificationRow
from pos_server.payments import card_top_up
from pos_server.payments.card_top_up import CREDITED, FAILED, MISMATCH, PENDING
from pos_server.payments.settings import payment_settings
from pos_server.payments.yookassa import ProviderError, YooKassa, kopecks, roubles
from pos_server.settings import ServerSettings
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, enrol
from tests.server.fake_yookassa import SECRET_KEY, SHOP_ID, FakeYooKassa
from tests.server.test_cabinet_pages import credentials, new_guest, sign_in, token_of

WEBHOOK = "/cabinet/payments/yookassa"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeYooKassa]:
    """The fake, and the server configured for it (no background poll: tests call it)."""
    with FakeYooKassa() as found:
        monkeypatch.setenv("POS_SERVER_YOOKASSA_SHOP_ID", SHOP_ID)
        monkeypatch.setenv("POS_SERVER_YOOKASSA_SECRET_KEY", SECRET_KEY)
        monkeypatch.setenv("POS_SERVER_YOOKASSA_API_BASE", found.api)
        monkeypatch.setenv("POS_SERVER_CARD_TOP_UP_POLL_SECONDS", "0")
        payment_settings.cache_clear()
        yield found
    payment_settings.cache_clear()


@pytest.fixture
def gateway(fake: FakeYooKassa) -> Iterator[YooKassa]:
    found = YooKassa(fake.api, SHOP_ID, SECRET_KEY)
    yield found
    found.close()


def _guest(till: Till, db_url: str, login: str = "anna") -> str:
    guest_id = new_guest(till, login.title(), "+7912555" + f"{abs(hash(login)) % 10000:04d}")
    credentials(db_url, guest_id, login)
    return guest_id


def _start(db_url: str, gateway: YooKassa, guest_id: str, amount: int = 50_000) -> str:
    engine = make_engine(db_url)
    try:
        started = card_top_up.start(engine, gateway, guest_id, amount, now=datetime.now(UTC),
                                    return_url=lambda i: f"http://venue.test/cabinet/top-up/{i}",
                                    description="Deposit top-up")  # fmt: skip
    finally:
        engine.dispose()
    assert started.confirmation_url is not None
    return started.top_up_id


def _state(db_url: str, guest_id: str, top_up_id: str) -> tuple[str, int, int, str | None]:
    """The top-up's status, the balance, how many card postings, the payment id."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            row = uow.card_top_ups.get(top_up_id)
            assert row is not None
            total = uow.accounts.load("money", guest_id).total
            cards = [p for p in uow.accounts.postings("money", guest_id)
                     if p.reason == card_top_up.REASON]  # fmt: skip
            return row.status, total, len(cards), row.payment_id
    finally:
        engine.dispose()


def _payment_of(db_url: str, guest_id: str, top_up_id: str) -> str:
    payment_id = _state(db_url, guest_id, top_up_id)[3]
    assert payment_id is not None
    return payment_id


def test_amounts_are_exact_kopecks() -> None:
    parse = card_top_up.parse_amount
    assert [parse(t) for t in ("150", "150,5", "150.50", " 1 500,05 ", "0,01")] == [
        15_000,
        15_050,
        15_050,
        150_005,
        1,
    ]
    for bad in ("", "1e3", "-5", "1,234", "1.2.3", "abc", "9999999999"):
        with pytest.raises(ValueError):
            parse(bad)
    assert card_top_up.check_amount("100", 100_00, 15_000_00) == 10_000
    with pytest.raises(card_top_up.TopUpRefused):
        card_top_up.check_amount("99,99", 100_00, 15_000_00)
    with pytest.raises(card_top_up.TopUpRefused):
        card_top_up.check_amount("15000,01", 100_00, 15_000_00)
    assert (kopecks("100.00"), kopecks("0.5"), roubles(10_005), roubles(7)) == (
        10_000, 50, "100.05", "0.07")  # fmt: skip


def test_the_idempotence_key_makes_one_payment(fake: FakeYooKassa, gateway: YooKassa) -> None:
    made = [gateway.create_payment("key-1", 12_345, return_url="http://x/r", description="d",
                                   metadata={"top_up_id": "key-1"}) for _ in range(2)]  # fmt: skip
    assert made[0].payment_id == made[1].payment_id and fake.created == 1
    assert (made[0].amount, made[0].status, made[0].metadata) == (
        12_345,
        "pending",
        {"top_up_id": "key-1"},
    )
    assert fake.payments[made[0].payment_id]["amount"] == {"value": "123.45", "currency": "RUB"}
    with pytest.raises(ProviderError) as wrong:
        YooKassa(fake.api, SHOP_ID, "wrong key").payment(made[0].payment_id)
    assert wrong.value.permanent


def test_a_duplicate_notification_credits_once(fake: FakeYooKassa, gateway: YooKassa,
                                               till: Till, db_url: str) -> None:  # fmt: skip
    anna = _guest(till, db_url)
    top_up_id = _start(db_url, gateway, anna)
    payment_id = _payment_of(db_url, anna, top_up_id)
    assert _state(db_url, anna, top_up_id)[:3] == (PENDING, 0, 0)
    fake.pay(payment_id)
    body = fake.notification(payment_id)
    for _ in range(2):
        assert till.client.post(WEBHOOK, json=body).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 50_000, 1)
    assert _telegram(db_url) == []  # not subscribed: no message (and no SMS)
    # and late, after a poll already asked
    engine = make_engine(db_url)
    try:
        assert card_top_up.poll_due(engine, gateway, datetime.now(UTC), after=timedelta(0),
                                    give_up=timedelta(hours=1)) == 0  # fmt: skip
    finally:
        engine.dispose()
    assert till.client.post(WEBHOOK, json=body).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 50_000, 1)


def _telegram(db_url: str) -> list[tuple[str | None, str]]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(NotificationRow.recipient, NotificationRow.text).where(
                    NotificationRow.kind == "top_up_credited"))  # fmt: skip
            return [(row.recipient, row.text) for row in found]
    finally:
        engine.dispose()


def test_the_poll_credits_when_the_notification_is_lost(
    fake: FakeYooKassa, gateway: YooKassa, till: Till, db_url: str
) -> None:
    anna = _guest(till, db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:  # subscribed in Telegram: the credit is messaged
        connection.execute(update(Guest).where(Guest.id == anna).values(telegram_chat_id="4242"))
    engine.dispose()
    top_up_id = _start(db_url, gateway, anna, 20_000)
    engine = make_engine(db_url)
    try:
        now = datetime.now(UTC)
        minute = timedelta(minutes=1)
        # too young to poll: not asked
        assert card_top_up.poll_due(engine, gateway, now, after=minute, give_up=minute) == 0
        reads = fake.reads
        fake.pay(_payment_of(db_url, anna, top_up_id))
        assert card_top_up.poll_due(engine, gateway, now + 2 * minute, after=minute,
                                    give_up=timedelta(hours=1)) == 1  # fmt: skip
        assert fake.reads == reads + 1
        assert card_top_up.confirm(engine, gateway, top_up_id, now) == CREDITED
    finally:
        engine.dispose()
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 20_000, 1)
    [(chat, text)] = _telegram(db_url)  # once
    assert chat == "4242" and "200,00" in text, text


def _race(*calls: Any) -> list[str]:
    """Run ``calls`` on threads released together; their results (errors re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    errors: list[BaseException] = []

    def run(call: Any) -> None:
        try:
            barrier.wait()
            results.append(str(call()))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def test_notification_and_poll_racing_credit_once(fake: FakeYooKassa, gateway: YooKassa,
                                                  till: Till, db_url: str) -> None:  # fmt: skip
    """Two threads at once for each of six paid top-ups: the webhook's and the poll's. For
    the first three both have read the payment already and settle at the same moment (the
    second waits for the row lock and finds it credited); for the others each runs the
    whole ``confirm`` (read back from YooKassa, then settle)."""
    anna = _guest(till, db_url)
    top_ups = [_start(db_url, gateway, anna, 10_000 + n) for n in range(6)]
    for top_up_id in top_ups:
        fake.pay(_payment_of(db_url, anna, top_up_id))
    engine = make_engine(db_url)
    try:
        for n, top_up_id in enumerate(top_ups):
            if n < 3:
                payment = gateway.payment(_payment_of(db_url, anna, top_up_id))
                calls = [lambda t=top_up_id, p=payment: card_top_up.settle(
                    engine, t, p, datetime.now(UTC))] * 2  # fmt: skip
            else:
                calls = [lambda t=top_up_id: card_top_up.confirm(
                    engine, gateway, t, datetime.now(UTC))] * 2  # fmt: skip
            assert _race(*calls) == [CREDITED, CREDITED]
    finally:
        engine.dispose()
    expected = sum(10_000 + n for n in range(6))
    assert _state(db_url, anna, top_ups[0])[1:3] == (expected, 6)


def test_a_cancelled_payment_credits_nothing_and_says_so(fake: FakeYooKassa, till: Till,
                                                         db_url: str) -> None:  # fmt: skip
    anna = _guest(till, db_url)
    client = till.client
    assert sign_in(client, "anna").status_code == 303
    page = client.get("/cabinet/top-up")
    sent = client.post("/cabinet/top-up", data={"csrf_token": token_of(page.text),
                       "amount": "700"}, follow_redirects=False)  # fmt: skip
    top_up_id = sent.headers["location"].split("/")[-2]
    fake.cancel(_payment_of(db_url, anna, top_up_id))
    assert client.post(WEBHOOK, json=fake.notification(_payment_of(db_url, anna, top_up_id))
                       ).status_code == 200  # fmt: skip
    assert _state(db_url, anna, top_up_id)[:3] == (FAILED, 0, 0)
    client.cookies.set("pos_lang", "en")
    done = client.get(f"/cabinet/top-up/{top_up_id}")
    assert 'data-status="failed"' in done.text and "nothing credited" in done.text


def test_a_forged_notification_credits_nothing(fake: FakeYooKassa, gateway: YooKassa,
                                               till: Till, db_url: str) -> None:  # fmt: skip
    anna = _guest(till, db_url)
    top_up_id = _start(db_url, gateway, anna)
    payment_id = _payment_of(db_url, anna, top_up_id)
    forged = fake.notification(payment_id, "payment.succeeded")
    forged["object"].update(status="succeeded", paid=True)  # YooKassa says: still pending
    for _ in range(3):
        assert till.client.post(WEBHOOK, json=forged).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (PENDING, 0, 0)
    bad = till.client.post(
        WEBHOOK, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
    stranger = {"type": "notification", "event": "payment.succeeded", "object": {"id": "nope"}}
    assert till.client.post(WEBHOOK, json=stranger).status_code == 200  # not ours: nothing
    fake.fail_next = 1  # YooKassa cannot be asked back: the notification is to be repeated
    fake.pay(payment_id)
    assert till.client.post(WEBHOOK, json=fake.notification(payment_id)).status_code == 503
    assert _state(db_url, anna, top_up_id)[:3] == (PENDING, 0, 0)
    assert till.client.post(WEBHOOK, json=fake.notification(payment_id)).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 50_000, 1)


def test_an_amount_that_does_not_match_is_refused(fake: FakeYooKassa, gateway: YooKassa,
                                                  till: Till, db_url: str) -> None:  # fmt: skip
    anna = _guest(till, db_url)
    top_up_id = _start(db_url, gateway, anna, 50_000)
    payment_id = _payment_of(db_url, anna, top_up_id)
    fake.pay(payment_id)
    fake.tamper(payment_id, amount={"value": "5.00", "currency": "RUB"})
    assert till.client.post(WEBHOOK, json=fake.notification(payment_id)).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (MISMATCH, 0, 0)
    other = _start(db_url, gateway, anna, 30_000)  # a payment of another top-up's id
    other_payment = _payment_of(db_url, anna, other)
    fake.pay(other_payment)
    fake.tamper(other_payment, metadata={"top_up_id": top_up_id})
    assert till.client.post(WEBHOOK, json=fake.notification(other_payment)).status_code == 200
    assert _state(db_url, anna, other)[:3] == (MISMATCH, 0, 0)


def test_a_payment_still_pending_is_given_up_and_a_late_success_counts(
    fake: FakeYooKassa, gateway: YooKassa, till: Till, db_url: str
) -> None:
    anna = _guest(till, db_url)
    top_up_id = _start(db_url, gateway, anna)
    engine = make_engine(db_url)
    try:
        later = datetime.now(UTC) + timedelta(hours=3)
        assert card_top_up.poll_due(engine, gateway, later, after=timedelta(0),
                                    give_up=timedelta(hours=2)) == 1  # fmt: skip
    finally:
        engine.dispose()
    assert _state(db_url, anna, top_up_id)[:3] == (FAILED, 0, 0)
    # ... and paid at last after all: the notification still credits it, once
    payment_id = _payment_of(db_url, anna, top_up_id)
    fake.pay(payment_id)
    for _ in range(2):
        assert till.client.post(WEBHOOK, json=fake.notification(payment_id)).status_code == 200
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 50_000, 1)


def _top_up_by_form(client: TestClient, amount: str) -> Any:
    page = client.get("/cabinet/top-up")
    return client.post("/cabinet/top-up", data={"csrf_token": token_of(page.text),
                       "amount": amount}, follow_redirects=False)  # fmt: skip


def test_the_cabinet_top_up_pages(fake: FakeYooKassa, till: Till, db_url: str) -> None:
    anna = _guest(till, db_url)
    boris = _guest(till, db_url, "boris")
    client = till.client
    assert client.get("/cabinet/top-up", follow_redirects=False).status_code == 303
    assert sign_in(client, "anna").status_code == 303
    page = client.get("/cabinet/top-up")
    assert 'id="pay"' in page.text and "100,00" in page.text
    low = _top_up_by_form(client, "99")
    assert low.status_code == 400 and "100,00" in low.text and 'role="alert"' in low.text
    assert _top_up_by_form(client, "12abc").status_code == 400
    no_token = client.post("/cabinet/top-up", data={"amount": "500"}, follow_redirects=False)
    assert no_token.status_code == 403 and fake.created == 0
    sent = _top_up_by_form(client, "1 234,50")
    assert sent.status_code == 303
    pay_page = sent.headers["location"]
    top_up_id = pay_page.split("/")[-2]
    going = client.get(pay_page)
    payment_id = _payment_of(db_url, anna, top_up_id)
    confirmation = f"{fake.base}/checkout/{payment_id}"
    assert f'url={confirmation}"' in going.text and f'href="{confirmation}"' in going.text
    assert fake.payments[payment_id]["amount"]["value"] == "1234.50"
    assert fake.payments[payment_id]["_return_url"] == (
        f"http://testserver/cabinet/top-up/{top_up_id}"
    )
    waiting = client.get(f"/cabinet/top-up/{top_up_id}")
    assert 'data-status="pending"' in waiting.text and "/status" in waiting.text
    fake.pay(payment_id)  # the guest paid; the notification is late: the page asks itself
    status = client.get(f"/cabinet/top-up/{top_up_id}/status")
    assert 'data-status="credited"' in status.text and "1\u00a0234,50" in status.text
    assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 123_450, 1)
    money = client.get("/cabinet/history", params={"section": "money"})
    assert re.search(r'id="closing">1\s234,50 ₽', money.text), money.text
    assert 'class="small">зачислено<' in client.get("/cabinet/top-up").text
    client.cookies.set("pos_lang", "en")
    assert 'class="small">credited<' in client.get("/cabinet/top-up").text
    # another guest sees none of it
    client.cookies.clear()
    assert sign_in(client, "boris").status_code == 303
    for path in (f"/cabinet/top-up/{top_up_id}", f"/cabinet/top-up/{top_up_id}/status",
                 f"/cabinet/top-up/{top_up_id}/pay"):  # fmt: skip
        assert client.get(path).status_code == 404
    assert top_up_id not in client.get("/cabinet/top-up").text
    assert _state(db_url, boris, top_up_id)[1:3] == (0, 0)


def test_a_provider_down_at_the_start_charges_nothing(fake: FakeYooKassa, till: Till,
                                                      db_url: str) -> None:  # fmt: skip
    anna = _guest(till, db_url)
    assert sign_in(till.client, "anna").status_code == 303
    fake.fail_next = 1
    sent = _top_up_by_form(till.client, "500")
    top_up_id = sent.headers["location"].rsplit("/", 1)[1]
    assert _state(db_url, anna, top_up_id)[:3] == (FAILED, 0, 0)
    assert 'data-status="failed"' in till.client.get(sent.headers["location"]).text


def test_without_a_shop_card_top_up_is_not_available(monkeypatch: pytest.MonkeyPatch,
                                                     till: Till, db_url: str) -> None:  # fmt: skip
    for name in ("POS_SERVER_YOOKASSA_SHOP_ID", "POS_SERVER_YOOKASSA_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    payment_settings.cache_clear()
    _guest(till, db_url)
    assert sign_in(till.client, "anna").status_code == 303
    page = till.client.get("/cabinet/top-up")
    assert 'id="unavailable"' in page.text and 'id="pay"' not in page.text
    assert _top_up_by_form(till.client, "500").status_code == 409
    assert till.client.post(WEBHOOK, json={}).status_code == 404


def test_the_servers_background_poll_credits_without_any_notification(
    fake: FakeYooKassa, monkeypatch: pytest.MonkeyPatch, db_url: str, gateway: YooKassa
) -> None:
    """The app's own job (``POS_SERVER_CARD_TOP_UP_POLL_SECONDS``): the notification lost and
    the guest gone, the payment is still credited."""
    monkeypatch.setenv("POS_SERVER_CARD_TOP_UP_POLL_SECONDS", "0.2")
    monkeypatch.setenv("POS_SERVER_CARD_TOP_UP_POLL_AFTER_SECONDS", "0")
    payment_settings.cache_clear()
    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        anna = _guest(enrol(client, db_url), db_url)
        top_up_id = _start(db_url, gateway, anna, 77_700)
        fake.pay(_payment_of(db_url, anna, top_up_id))
        deadline = time.monotonic() + 20
        while _state(db_url, anna, top_up_id)[0] != CREDITED and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 77_700, 1)
        time.sleep(0.5)  # more passes: nothing more
        assert _state(db_url, anna, top_up_id)[:3] == (CREDITED, 77_700, 1)


def test_notifications_only_from_yookassa_networks_when_asked(
    fake: FakeYooKassa, monkeypatch: pytest.MonkeyPatch, till: Till
) -> None:
    monkeypatch.setenv("POS_SERVER_YOOKASSA_WEBHOOK_IPS_ONLY", "1")
    payment_settings.cache_clear()
    assert till.client.post(WEBHOOK, json={}).status_code == 403  # the test client's address
    from pos_server.payments.yookassa import from_yookassa

    assert from_yookassa("185.71.76.5") and from_yookassa("77.75.156.11")
    assert not from_yookassa("203.0.113.9") and not from_yookassa("testclient")
