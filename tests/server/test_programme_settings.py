"""Programme settings in one place (issue 18 point 4): a change through the audited service is
honoured by the server's next sale and hold, reaches a till through the change feed (its
receipt prints the venue's name, address, tax number, header and footer; its loyalty and promo
settings follow), refuses invalid values with a clear message, and the environment only gives
the defaults of keys nobody has set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pos_app.db import open_store
from pos_app.devices.layout import receipt_for
from pos_app.devices.print_document import to_plain_text
from pos_app.devices.receipt import render_receipt
from pos_app.services.dto import LineView, PaymentView, SaleView
from pos_app.services.feed import Change, FeedService
from pos_app.services.guests import today_limits
from pos_app.services.loyalty_settings import program_settings
from pos_app.services.points_holds import offline_allowance
from pos_app.services.programme_settings import read_venue_details
from pos_app.services.promo import program as promo_program
from pos_app.services.venue_name import read_venue_name
from pos_server.app import create_app
from pos_server.commands import settings as settings_cli
from pos_server.http.schemas import OrderPlaced
from pos_server.ledger.rules import ledger_rules
from pos_server.orders.service import OrderRefused, place_order
from pos_server.programme.service import ProgrammeError, change, current
from pos_server.settings import ServerSettings
from tests.server.ledger_fixtures import Shop, pay, sale, shop
from tests.server.test_orders import order_body
from tests.services.fakes import FakeClock

__all__ = ["shop"]


def programme_changes(s: Shop) -> list[tuple[str, dict[str, Any]]]:
    feed = s.till.client.get("/v1/changes?limit=1000", headers=s.till.headers).json()
    return [(c["entity_id"], c["data"]) for c in feed["changes"] if c["entity"] == "programme"]


def test_an_accrual_set_in_the_back_office_is_honoured_by_the_next_sale(shop: Shop) -> None:
    first = shop.push("sale.closed", sale("anna", 10_000, pay("card", 10_000)))
    assert first["status"] == "applied"
    shop.work(lambda uow: change(uow, {"loyalty.accrual_bp": "1000"}, reason="autumn offer"))
    second = shop.push("sale.closed", sale("anna", 10_000, pay("card", 10_000)))
    assert second["status"] == "applied"
    # 5 % (the default) of the first sale, 10 % of the next one
    assert shop.state()["point_postings"] == [("accrual", 500), ("accrual", 1_000)]
    audit = shop.work(lambda uow: uow.audit.newest(target="setting:loyalty.accrual_bp"))
    assert [(a.action, a.details, a.reason) for a in audit] == [
        ("programme.set", {"before": 500, "after": 1_000}, "autumn offer")
    ]
    loyalty = [data for group, data in programme_changes(shop) if group == "loyalty"]
    assert loyalty[-1]["accrual_bp"] == 1_000


def test_hold_lifetime_and_the_daily_limit_without_a_group_are_the_programmes(
    shop: Shop,
) -> None:
    shop.work(
        lambda uow: change(
            uow, {"loyalty.hold_ttl_seconds": 600, "loyalty.daily_points_spend_limit": 5_000}
        )
    )
    assert (
        shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 4_000})["status"]
        == "applied"
    )
    hold = shop.work(lambda uow: uow.accounts.load("points", "anna").holds["h1"])
    assert hold.expires_at == shop.clock() + timedelta(seconds=600)
    refused = shop.push("hold.placed", {"hold_id": "h2", "guest_id": "anna", "amount": 2_000})
    assert (refused["status"], refused["reason"]) == ("rejected", "daily_limit")


@pytest.mark.parametrize(("updates", "message"), [
    ({"loyalty.accrual_bp": 12_000}, "loyalty.accrual_bp: Input should be less than or equal "
                                     "to 10000"),
    ({"loyalty.max_redemption_bp": "half"}, "loyalty.max_redemption_bp: Input should be a "
                                            "valid integer"),
    ({"venue.tax_number": "12345"}, "venue.tax_number: a tax number (INN) is 10 or 12 digits"),
    ({"venue.timezone": "Mars/Olympus"}, "'Mars/Olympus' is not a known time zone"),
    ({"promo.prefix": "7UP"}, "promo.prefix: a promo prefix is Latin letters and digits"),
    ({"ordering.payment_methods": []}, "choose at least one payment method"),
    ({"ordering.payment_methods": ["cash", "cheque"]}, "ordering.payment_methods: Input"),
    ({"loyalty.hold_ttl_seconds": 5}, "greater than or equal to 60"),
    ({"venue.colour": "red"}, "Unknown setting venue.colour; the settings are"),
])  # fmt: skip
def test_invalid_values_are_refused_with_a_clear_message_and_nothing_changes(
    shop: Shop, updates: dict[str, Any], message: str
) -> None:
    before = programme_changes(shop)
    with pytest.raises(ProgrammeError) as refused:
        shop.work(lambda uow: change(uow, {"venue.name": "Кофейня", **updates}))
    assert message in str(refused.value)
    assert shop.work(lambda uow: current(uow).venue.name) == ""  # all or nothing
    assert programme_changes(shop) == before


def test_guest_ordering_off_or_a_method_not_offered_is_refused(shop: Shop) -> None:
    from pos_server.db import make_engine
    from pos_server.uow import unit_of_work

    def place(method: str) -> dict[str, Any]:
        engine = make_engine(shop.db_url)
        try:
            with unit_of_work(engine, actor=shop.till.terminal_id, now=shop.clock()) as uow:
                return place_order(uow, OrderPlaced.model_validate(order_body(method=method)))
        finally:
            engine.dispose()

    shop.work(lambda uow: change(uow, {"ordering.payment_methods": "cash,balance"}))
    with pytest.raises(OrderRefused) as refused:
        place("card")
    assert refused.value.code == "payment_method_off"
    assert "they may choose cash, balance" in refused.value.message
    assert place("cash")["guest_id"] == "anna"
    shop.work(lambda uow: change(uow, {"ordering.enabled": False}))
    with pytest.raises(OrderRefused) as off:
        place("cash")
    assert (off.value.status, off.value.code) == (403, "ordering_off")


def _till_pulls(s: Shop, store: Any) -> None:
    """The till applies the server's feed as its sync loop does (``FeedService``)."""
    feed = s.till.client.get("/v1/changes?limit=1000", headers=s.till.headers).json()
    changes = [Change(c["id"], c["entity"], c["entity_id"], c["data"]) for c in feed["changes"]]
    result = FeedService(store.unit_of_work, FakeClock()).apply_page(
        0, changes, feed["next_cursor"]
    )
    assert result.skipped == {}, result.skipped


def test_the_cashiers_own_discount_reaches_a_till(shop: Shop, tmp_path: Path) -> None:
    """Before, a till-local setting nobody could change but by hand (issue 18 point 4)."""
    shop.work(lambda uow: change(uow, {"staff.cashier_max_discount_bp": "750"}))
    with pytest.raises(ProgrammeError, match=r"staff\.cashier_max_discount_bp"):
        shop.work(lambda uow: change(uow, {"staff.cashier_max_discount_bp": 10_001}))
    assert ("staff", {"cashier_max_discount_bp": 750}) in programme_changes(shop)
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        _till_pulls(shop, store)
        with store.unit_of_work(durable=False) as uow:
            assert uow.settings.get("staff.cashier_max_discount_bp") == 750


def test_venue_loyalty_and_promo_settings_reach_a_till_and_its_receipt(
    shop: Shop, tmp_path: Path
) -> None:
    shop.work(lambda uow: change(uow, {
        "venue.name": "Кофейня «Зерно»", "venue.address": "Екатеринбург, ул. Ленина, 1",
        "venue.tax_number": "6671000001", "venue.receipt_header": "Добро пожаловать!",
        "venue.receipt_footer": "Wi-Fi: zerno / 12345678\nДо встречи!",
        "venue.timezone": "Asia/Yekaterinburg", "loyalty.accrual_bp": 700,
        "loyalty.max_redemption_bp": 3_000, "loyalty.offline_allowance": 20_000,
        "loyalty.daily_identification_limit": 3, "promo.prefix": "zerno",
        "promo.discount_bp": 1_000, "promo.cashback_bp": 300,
    }))  # fmt: skip
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        store_venue = read_venue_name(store.unit_of_work)
        assert store_venue == ""
        _till_pulls(shop, store)
        venue = read_venue_details(store.unit_of_work)
        assert read_venue_name(store.unit_of_work) == "Кофейня «Зерно»"
        with store.unit_of_work(durable=False) as uow:
            assert program_settings(uow).accrual.bp == 700
            assert program_settings(uow).max_redemption.bp == 3_000
            assert offline_allowance(uow, "nobody") == 20_000
            assert today_limits(uow, "nobody", None, datetime.now(UTC)).identification_limit == 3
            prefix, referral, _ = promo_program(uow)
            assert (prefix, referral.discount.bp, referral.cashback.bp) == ("ZERNO", 1_000, 300)
            assert uow.settings.get("shop.timezone") == "Asia/Yekaterinburg"
    at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    sold = SaleView("s1", "closed", "T1-000001", at, at,
                    (LineView(1, "latte", "Латте", 1, 21_000, 21_000, 0, 21_000),), None,
                    (PaymentView("card", 21_000, 21_000, 0, at),),
                    21_000, 0, 21_000, 21_000, 0, 0)  # fmt: skip
    text = to_plain_text(
        render_receipt(
            receipt_for(
                sold,
                venue_name=venue.name,
                venue=venue,
                timezone="Asia/Yekaterinburg",
                printed_at=at,
            ),
            42,
        ),
        42,
    )
    lines = [line.strip() for line in text.splitlines()]
    for expected in (
        "Кофейня «Зерно»",
        "Екатеринбург, ул. Ленина, 1",
        "ИНН 6671000001",
        "Добро пожаловать!",
        "Wi-Fi: zerno / 12345678",
        "До встречи!",
    ):
        assert expected in lines, text
    assert "23.11.2026 15:00" in text  # the venue's zone, published with it


def test_the_environment_gives_only_the_defaults_of_keys_nobody_set(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new database starts from ``POS_SERVER_ACCRUAL_BP`` (published to the tills once, not
    at every restart); once the back office sets the key, the database wins."""
    monkeypatch.setenv("POS_SERVER_ACCRUAL_BP", "700")
    ledger_rules.cache_clear()
    try:
        for _ in range(2):
            with TestClient(create_app(ServerSettings(database_url=db_url))):
                pass
        from pos_server.db import make_engine
        from pos_server.uow import unit_of_work

        engine = make_engine(db_url)
        now = datetime.now(UTC)
        with unit_of_work(engine, actor="test", now=now) as uow:
            rows = uow.feed.record_at_version("programme", "loyalty", 2**62)
            assert rows is not None and rows["accrual_bp"] == 700
            assert current(uow).loyalty.accrual_bp == 700
            change(uow, {"loyalty.accrual_bp": 900})
        monkeypatch.setenv("POS_SERVER_ACCRUAL_BP", "300")
        ledger_rules.cache_clear()
        with unit_of_work(engine, actor="test", now=now) as uow:
            assert current(uow).loyalty.accrual_bp == 900
        engine.dispose()
    finally:
        monkeypatch.delenv("POS_SERVER_ACCRUAL_BP")
        ledger_rules.cache_clear()


def test_the_command_shows_sets_and_refuses(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pos_server.cli import main

    assert main(["settings", "set", "venue.receipt_footer", "Спасибо!", "--db", db_url]) == 0
    assert main(["settings", "set", "loyalty.daily_points_spend_limit", "none",
                 "--db", db_url]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["settings", "show", "--db", db_url]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)
    assert shown["venue.receipt_footer"] == "Спасибо!"
    assert shown["loyalty.daily_points_spend_limit"] is None
    assert main(["settings", "set", "promo.discount_bp", "-5", "--db", db_url]) == 1
    assert "promo.discount_bp: Input should be greater than or equal to 0" in (
        capsys.readouterr().err
    )
    assert settings_cli.DB_HELP


def test_the_message_texts_set_in_the_back_office_are_the_ones_sent(shop: Shop) -> None:
    from pos_server.notify.settings import NotifySettings
    from pos_server.notify.templates import render_for

    settings = NotifySettings(notify_language="ru")
    before = shop.work(
        lambda uow: render_for(settings, "card", current(uow), {"name": "Анна", "code": "P1"})
    )
    assert before.startswith("Анна, ваша карта лояльности: промокод P1")  # the default text
    shop.work(lambda uow: change(uow, {"messages.card_ru": "{name}, код {code} — ваш!"}))
    after = shop.work(
        lambda uow: render_for(settings, "card", current(uow), {"name": "Анна", "code": "P1"})
    )
    assert after == "Анна, код P1 — ваш!"
    with pytest.raises(
        ProgrammeError,
        match=r"messages.cashback_en: the text names "
        r"\{bonus\}; it may use amount, balance, code, name",
    ):
        shop.work(lambda uow: change(uow, {"messages.cashback_en": "{bonus} credited"}))
