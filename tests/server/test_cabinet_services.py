"""The guest cabinet's services (``pos_server/cabinet_web``): credentials, throttled sign-in,
registration by SMS code through the outbox, recovery, the profile through the guest card's
edit service and the history by period; SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_server.cabinet_web import accounts, history, profile
from pos_server.cabinet_web.accounts import CabinetRefused
from pos_server.db import make_engine
from pos_server.db.models import Guest
from pos_server.db.models_notify import NotificationRow
from pos_server.uow import UnitOfWork, unit_of_work
from pos_server.web import sessions
from tests.server.conftest import Till, add_staff_member, guest_payload, sale_payload

PASSWORD = "good password 1"
LIFE = sessions.Lifetimes()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)


def work(engine: Engine, at: datetime | None = None) -> Any:
    return unit_of_work(engine, actor="cabinet", now=at or datetime.now(UTC))


def new_guest(till: Till, name: str = "Anna", phone: str = "+79121234567") -> str:
    payload = {**guest_payload(None, name), "phone": phone}
    till.push_ok(till.op("guest.created", payload))
    return str(payload["guest_id"])


def sms_texts(engine: Engine, phone: str) -> list[str]:
    with engine.connect() as connection:
        query = select(NotificationRow.text).where(NotificationRow.recipient == phone)
        return list(connection.execute(query.order_by(NotificationRow.id)).scalars())


def last_code(engine: Engine, phone: str) -> str:
    found = re.search(r"\d{6}", sms_texts(engine, phone)[-1])
    assert found is not None
    return found.group(0)


def sign_in(engine: Engine, login: str, password: str, source: str = "10.0.0.1",
            at: datetime | None = None) -> Any:  # fmt: skip
    with work(engine, at) as uow:
        return accounts.sign_in(uow, login, password, source, LIFE)


def skip_registration(uow: UnitOfWork, guest_id: str) -> None:
    card = uow.guest_cards.load(guest_id)
    assert card is not None
    uow.guest_cards.write(guest_id, {"registration_skipped": True}, uow.now)


def test_staff_credentials_sign_in_and_the_closed_cabinet(till: Till, engine: Engine) -> None:
    anna = new_guest(till)
    with work(engine) as uow:
        skip_registration(uow, anna)
        sent = accounts.set_credentials(
            uow, anna, "Anna_K", None, send=True, url="https://x/cabinet"
        )
    assert len(sent) == 10
    [text] = sms_texts(engine, "+79121234567")
    assert "anna_k" in text and sent in text and "https://x/cabinet" in text
    result = sign_in(engine, "ANNA_K", sent)
    assert isinstance(result, accounts.SignedIn) and result.guest_id == anna
    with work(engine) as uow:
        session = sessions.load(uow, result.token, accounts.GUEST_REALM, LIFE)
        assert session is not None and session.subject_id == anna
        assert sessions.load(uow, result.token, "staff", LIFE) is None  # not a staff session
        uow.guest_cards.write(anna, {"cabinet_login_allowed": False}, uow.now)
    with pytest.raises(CabinetRefused) as closed:
        sign_in(engine, "anna_k", sent)
    assert closed.value.status == 403
    with work(engine) as uow:
        rows = uow.guest_cards.audit_rows(anna)
    assert [(r.action, r.after, r.staff_id) for r in rows if r.action.startswith("cabinet")] == [
        ("cabinet.credentials", "anna_k", None)
    ]


def test_wrong_passwords_are_throttled_in_the_database(till: Till, engine: Engine) -> None:
    anna = new_guest(till)
    with work(engine) as uow:
        skip_registration(uow, anna)
        accounts.set_credentials(uow, anna, "anna", PASSWORD)
    for _ in range(6):  # five free, the sixth locks the (address, login) pair for 30 s
        assert sign_in(engine, "anna", "wrong password") == accounts.Refused()
    locked = sign_in(engine, "anna", PASSWORD)
    assert isinstance(locked, accounts.Refused) and locked.locked_seconds > 0
    assert sign_in(engine, "nobody", "x") == accounts.Refused()  # unknown: the same answer
    later = datetime.now(UTC) + timedelta(seconds=31)
    assert isinstance(sign_in(engine, "anna", PASSWORD, at=later), accounts.SignedIn)


def test_registration_confirms_the_phone_by_an_sms_code(till: Till, engine: Engine) -> None:
    anna = new_guest(till, phone="+79125550001")
    with work(engine) as uow:
        sent = accounts.start_signup(
            uow, "8 (912) 555-00-01", "anna", PASSWORD, "10.0.0.2", name="Anna"
        )
    code = last_code(engine, "+79125550001")
    with work(engine) as uow:
        assert accounts.pending_phone(uow, sent.token) == "+79125550001"
        wrong = accounts.confirm(uow, sent.token, "000000" if code != "000000" else "111111", LIFE)
    assert wrong == accounts.WrongCode(4)
    with work(engine) as uow:
        done = accounts.confirm(uow, sent.token, code, LIFE)
    assert isinstance(done, accounts.SignedIn) and done.guest_id == anna
    assert isinstance(sign_in(engine, "anna", PASSWORD), accounts.SignedIn)  # confirmed phone
    with work(engine) as uow, pytest.raises(CabinetRefused):
        accounts.confirm(uow, sent.token, code, LIFE)  # a code is used once
    with work(engine) as uow, pytest.raises(CabinetRefused) as taken:
        accounts.start_signup(uow, "+79125550002", "anna", PASSWORD, "10.0.0.2", name="Anna")
    assert taken.value.status == 409


def guests_with(engine: Engine, phone: str) -> list[Guest]:
    with engine.connect() as connection:
        return list(connection.execute(select(Guest).where(Guest.phone == phone)))


def signup(engine: Engine, phone: str, login: str, name: str = "Вера Новая",
           source: str = "10.0.0.3") -> str:  # fmt: skip
    """A registration started; its token (the code is the newest SMS to ``phone``)."""
    with work(engine) as uow:
        return accounts.start_signup(uow, phone, login, PASSWORD, source, name=name).token


def test_a_new_person_registers_as_a_new_guest_fed_to_the_tills(
    till: Till, engine: Engine
) -> None:  # fmt: skip
    token = signup(engine, "8 912 555-00-09", "stranger", name="  Вера   Новая ")
    code = last_code(engine, "+79125550009")
    assert guests_with(engine, "+79125550009") == []  # nothing made before the code
    with work(engine) as uow:
        wrong = accounts.confirm(uow, token, "000000" if code != "000000" else "111111", LIFE)
    assert wrong == accounts.WrongCode(4)
    assert guests_with(engine, "+79125550009") == []  # nor by a wrong one
    with work(engine) as uow:
        done = accounts.confirm(uow, token, code, LIFE)
    assert isinstance(done, accounts.SignedIn)
    [guest] = guests_with(engine, "+79125550009")
    assert (guest.id, guest.name, guest.created_by) == (done.guest_id, "Вера Новая", "cabinet")
    assert guest.cabinet_login_allowed and guest.ordering_allowed
    assert not guest.registration_skipped
    with work(engine) as uow:
        audit = [(r.action, r.staff_id, r.terminal_id, r.reason, r.after)
                 for r in uow.guest_cards.audit_rows(done.guest_id)]  # fmt: skip
        card = uow.guest_cards.load(done.guest_id)
    assert audit[0] == ("guest.created", None, "cabinet", "by the guest",
                        {"name": "Вера Новая", "phone": "+79125550009"})  # fmt: skip
    assert audit[-1] == ("cabinet.registered", None, "cabinet", "by the guest", "stranger")
    assert card is not None and card.group_id is None  # no group, as a till's new guest
    changes = till.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                              headers=till.headers).json()["changes"]  # fmt: skip
    fed = [c["data"] for c in changes if c["entity"] == "guest"
           and c["entity_id"] == done.guest_id]  # fmt: skip
    assert fed and (fed[-1]["name"], fed[-1]["phone"]) == ("Вера Новая", "+79125550009")
    assert isinstance(sign_in(engine, "stranger", PASSWORD), accounts.SignedIn)
    with work(engine) as uow, pytest.raises(CabinetRefused):
        accounts.confirm(uow, token, code, LIFE)  # a code is used once
    assert len(guests_with(engine, "+79125550009")) == 1


def test_a_phone_the_venue_knows_links_its_guest_not_a_new_one(
    till: Till, engine: Engine
) -> None:  # fmt: skip
    anna = new_guest(till, "Anna", phone="+79125550010")
    token = signup(engine, "+79125550010", "anna10", name="Somebody Else")
    code = last_code(engine, "+79125550010")
    with work(engine) as uow:
        done = accounts.confirm(uow, token, code, LIFE)
    assert isinstance(done, accounts.SignedIn) and done.guest_id == anna
    [guest] = guests_with(engine, "+79125550010")
    assert guest.name == "Anna"  # the card keeps its name


def test_registration_refusals_after_the_code(till: Till, engine: Engine) -> None:
    new_guest(till, "Twin 1", phone="+79125550011")
    new_guest(till, "Twin 2", phone="+79125550011")
    closed = new_guest(till, "Closed", phone="+79125550012")
    with work(engine) as uow:
        uow.guest_cards.load(closed)
        uow.guest_cards.write(closed, {"cabinet_login_allowed": False}, uow.now)
    for phone, status in (("+79125550011", 409), ("+79125550012", 403)):
        token = signup(engine, phone, f"u{phone[-2:]}")  # no refusal before the code
        code = last_code(engine, phone)
        with work(engine) as uow, pytest.raises(CabinetRefused) as refused:
            accounts.confirm(uow, token, code, LIFE)
        assert refused.value.status == status
    assert len(guests_with(engine, "+79125550011")) == 2  # no third guest made
    assert len(guests_with(engine, "+79125550012")) == 1
    with work(engine) as uow, pytest.raises(CabinetRefused):
        accounts.start_signup(uow, "+74951234567", "landline", PASSWORD, "10.0.0.3", name="A")
    with work(engine) as uow, pytest.raises(CabinetRefused):
        accounts.start_signup(uow, "+79125550009", "shorty", "short", "10.0.0.3", name="A")
    for bad in ("  ", "Вера\x07"):
        with work(engine) as uow, pytest.raises(CabinetRefused) as nameless:
            accounts.start_signup(uow, "+79125550013", "nameless", PASSWORD, "10.0.0.3",
                                  name=bad)  # fmt: skip
        assert nameless.value.message == "Give your name."
    assert sms_texts(engine, "+79125550013") == []


def _at_once(*jobs: Callable[[], Any]) -> list[Any]:
    """The jobs started together on threads; each one's result or exception."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return job()
        except CabinetRefused as refused:
            return refused

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_racing_confirmations_make_one_guest(till: Till, engine: Engine) -> None:
    """The same registration confirmed twice at once, then two registrations of one phone
    confirmed at once: one new guest each time (PostgreSQL: the signup row's lock and
    ``lock_phone``; SQLite: writers serialised)."""
    token = signup(engine, "+79125550014", "racer")
    code = last_code(engine, "+79125550014")

    def confirm(token: str, code: str) -> Callable[[], Any]:
        def job() -> Any:
            with work(engine) as uow:
                return accounts.confirm(uow, token, code, LIFE)

        return job

    results = _at_once(confirm(token, code), confirm(token, code))
    assert sorted(type(r).__name__ for r in results) == ["CabinetRefused", "SignedIn"]
    assert len(guests_with(engine, "+79125550014")) == 1
    first = signup(engine, "+79125550015", "racer_a", source="10.0.0.6")
    first_code = last_code(engine, "+79125550015")
    second = signup(engine, "+79125550015", "racer_b", source="10.0.0.7")
    second_code = last_code(engine, "+79125550015")
    results = _at_once(confirm(first, first_code), confirm(second, second_code))
    signed = [r for r in results if isinstance(r, accounts.SignedIn)]
    refused = [r for r in results if isinstance(r, CabinetRefused)]
    assert len(signed) == 1 and [r.status for r in refused] == [409], results
    [guest] = guests_with(engine, "+79125550015")
    assert guest.id == signed[0].guest_id


def test_five_wrong_codes_end_the_registration(till: Till, engine: Engine) -> None:
    new_guest(till, phone="+79125550003")
    with work(engine) as uow:
        sent = accounts.start_signup(uow, "+79125550003", "bob", PASSWORD, "10.0.0.4", name="Anna")
    code = last_code(engine, "+79125550003")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        with work(engine) as uow:
            assert accounts.confirm(uow, sent.token, wrong, LIFE) == accounts.WrongCode(left)
    with work(engine) as uow, pytest.raises(CabinetRefused):
        accounts.confirm(uow, sent.token, code, LIFE)


def test_sms_codes_to_one_phone_are_throttled(till: Till, engine: Engine) -> None:
    for n in range(6):  # five free; the sixth locks the (address, phone) pair for 30 s
        with work(engine) as uow:
            accounts.start_signup(
                uow, "+79125550004", f"user{n}", PASSWORD, "10.0.0.5", name="Anna"
            )
    with work(engine) as uow, pytest.raises(CabinetRefused) as throttled:
        accounts.start_signup(uow, "+79125550004", "user9", PASSWORD, "10.0.0.5", name="Anna")
    assert throttled.value.status == 429
    assert len(sms_texts(engine, "+79125550004")) == 6


def test_first_sign_in_confirms_the_phone_unless_skipped(till: Till, engine: Engine) -> None:
    anna = new_guest(till, phone="+79125550005")
    with work(engine) as uow:
        accounts.set_credentials(uow, anna, "anna5", PASSWORD)
    first = sign_in(engine, "anna5", PASSWORD)
    assert isinstance(first, accounts.CodeSent)
    code = last_code(engine, "+79125550005")
    with work(engine) as uow:
        done = accounts.confirm(uow, first.token, code, LIFE)
    assert isinstance(done, accounts.SignedIn) and done.guest_id == anna
    assert isinstance(sign_in(engine, "anna5", PASSWORD), accounts.SignedIn)


def test_recovery_by_login_or_e_mail_sends_a_new_password(till: Till, engine: Engine) -> None:
    anna = new_guest(till, phone="+79125550006")
    with work(engine) as uow:
        skip_registration(uow, anna)
        accounts.set_credentials(uow, anna, "anna6", PASSWORD)
        profile.save(uow, anna, name="Anna", birthday="", sex="", emails=["Anna@Example.com"])
    t0 = datetime.now(UTC)
    with work(engine, t0) as uow:
        assert accounts.recover(uow, "anna@example.COM") == 1
        assert accounts.recover(uow, "nobody@example.com") == 0
    new = re.search(r"(?:password|пароль) (\S+)", sms_texts(engine, "+79125550006")[-1])
    assert new is not None
    assert isinstance(sign_in(engine, "anna6", PASSWORD), accounts.SignedIn)  # the old works
    with work(engine, t0 + timedelta(minutes=1)) as uow:
        assert accounts.recover(uow, "anna6") == 0  # one SMS per ten minutes
    assert isinstance(sign_in(engine, "anna6", new.group(1)), accounts.SignedIn)
    assert sign_in(engine, "anna6", PASSWORD) == accounts.Refused()  # replaced by the new one


def test_the_profile_is_edited_through_the_card_service_as_by_the_guest(
    till: Till, engine: Engine
) -> None:
    anna = new_guest(till, phone="+79125550007")
    with work(engine) as uow:
        changed = profile.save(uow, anna, name="  Anna   Ivanova ", birthday="1990-05-17",
                               sex="female", emails=["a@example.com", ""])  # fmt: skip
    assert set(changed) == {"name", "birthday", "sex", "contacts"}
    with work(engine) as uow:
        card = profile.card(uow, anna)
        audit = [r for r in uow.guest_cards.audit_rows(anna) if r.action.startswith("cabinet.")]
        feed = uow.feed.record_at("guest", anna, datetime.now(UTC) + timedelta(seconds=1))
    assert card.name == "Anna Ivanova" and card.sex == "female"
    assert [c.value for c in card.contacts] == ["+79125550007", "a@example.com"]
    assert {(r.field, r.staff_id, r.terminal_id, r.outcome) for r in audit} == {
        ("name", None, "cabinet", "applied"),
        ("birthday", None, "cabinet", "applied"),
        ("sex", None, "cabinet", "applied"),
        ("contacts", None, "cabinet", "applied"),
    }
    assert feed is not None and feed["emails"] == ["a@example.com"]  # the tills learn it
    with work(engine) as uow, pytest.raises(CabinetRefused):
        profile.save(uow, anna, name="Anna", birthday="2990-01-01", sex="", emails=[])
    with work(engine) as uow, pytest.raises(CabinetRefused):
        profile.save(uow, anna, name="Anna", birthday="", sex="", emails=["not an address"])


def test_history_for_a_period_with_balances(till: Till, engine: Engine, db_url: str) -> None:
    add_staff_member(db_url, "max", "manager")
    anna = new_guest(till, phone="+79125550008")
    till.push_ok(till.op("sale.closed", sale_payload(anna)))
    for n, amount in enumerate((10_000, 25_000), 1):
        till.push_ok(till.op("account.adjusted", {
            "adjustment_id": f"adj-{n}", "guest_id": anna, "account": "money",
            "direction": "credit", "amount": amount, "staff_id": "max",
            "reason": f"top {n}"}))  # fmt: skip
    today = datetime.now(UTC).date()
    with work(engine) as uow:
        money = history.view(uow, anna, "money", history.period_of(None, None, today), None)
        sales = history.view(uow, anna, "sales", history.period_of("2026-11-23", "2026-11-23",
                                                                    today), None)  # fmt: skip
        none = history.view(uow, anna, "sales", history.period_of("2020-01-01", "2020-01-31",
                                                                   today), None)  # fmt: skip
        tomorrow = (today + timedelta(days=1)).isoformat()
        future = history.view(uow, anna, "money", history.period_of(tomorrow, tomorrow, today),
                              None)  # fmt: skip
    assert [p.reason for p in money.page.items] == ["top 2", "top 1"]
    assert (money.opening, money.closing) == (0, 35_000)
    assert [s.total for s in sales.page.items] == [54_000]
    assert none.page.items == ()
    assert (future.opening, future.closing, future.page.items) == (35_000, 35_000, ())


def test_history_days_are_the_venues(till: Till, engine: Engine) -> None:
    """A sale at 01:30 in Moscow on 24 November (22:30 UTC on the 23rd) is the 24th's."""
    from zoneinfo import ZoneInfo

    from pos_server.cabinet_web.i18n import local_time

    anna = new_guest(till, phone="+79125550011")
    till.push_ok(
        till.op(
            "sale.closed",
            sale_payload(
                anna, opened_at="2026-11-23T22:25:00+00:00", closed_at="2026-11-23T22:30:00+00:00"
            ),
        )
    )
    moscow = ZoneInfo("Europe/Moscow")
    today = datetime(2026, 12, 7, tzinfo=UTC).date()
    with work(engine) as uow:
        on_24th = history.view(
            uow, anna, "sales", history.period_of("2026-11-24", "2026-11-24", today, moscow), None
        )
        on_23rd = history.view(
            uow, anna, "sales", history.period_of("2026-11-23", "2026-11-23", today, moscow), None
        )
        in_utc = history.view(
            uow, anna, "sales", history.period_of("2026-11-23", "2026-11-23", today), None
        )
    assert [s.total for s in on_24th.page.items] == [54_000]
    assert on_23rd.page.items == () and len(in_utc.page.items) == 1
    assert local_time(on_24th.page.items[0].closed_at, moscow) == "2026-11-24 01:30"


def test_cabinet_login_from_the_command_line(
    till: Till, engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import io
    import json

    from pos_server.cli import main as server_main

    anna = new_guest(till, phone="+79125550010")
    assert server_main(["guest", "cabinet-login", anna, "Anna10", "--db", db_url]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["login"], shown["sent"], len(shown["password"])) == ("anna10", False, 10)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert server_main(["guest", "cabinet-login", anna, "anna10", "--password-stdin", "--send",
                        "--url", "https://venue/cabinet", "--db", db_url]) == 0  # fmt: skip
    assert "password" not in json.loads(capsys.readouterr().out)
    assert PASSWORD in sms_texts(engine, "+79125550010")[-1]
    with work(engine) as uow:
        skip_registration(uow, anna)
    assert isinstance(sign_in(engine, "anna10", PASSWORD), accounts.SignedIn)
    assert server_main(["guest", "cabinet-login", "ghost", "x1x", "--db", db_url]) == 1
