"""The texts of messages to guests are programme settings (issue 18 point 4, ``messages``): a
text set through the audited service is the one a message written after it carries (ru and en),
the language they go out in is one too (``POS_SERVER_NOTIFY_LANGUAGE`` only its default),
a text naming a placeholder its message does not have (or lacking one it must name) is refused
with the reason, the group is not sent to the tills, a server still given a retired
``POS_SERVER_TEMPLATE_*`` variable says so in its log (its name, never its value), and migration
0035 moves the promo programme's texts set before into the group."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text

from pos_server.app import create_app
from pos_server.db import make_engine
from pos_server.db.migrate import alembic_config, upgrade
from pos_server.notify.messages import order_ready, sms_to_phone
from pos_server.notify.settings import notify_settings, retired_template_variables
from pos_server.notify.templates import DEFAULTS, PLACEHOLDERS
from pos_server.programme.model import Messages
from pos_server.programme.service import ProgrammeError, change, current
from pos_server.settings import ServerSettings
from pos_server.uow import UnitOfWork
from tests.server.ledger_fixtures import Shop, shop
from tests.server.test_programme_settings import programme_changes

__all__ = ["shop"]


@pytest.fixture
def language(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Sets ``POS_SERVER_NOTIFY_LANGUAGE`` through the returned monkeypatch; the process's
    settings are read again before and after."""
    notify_settings.cache_clear()
    yield monkeypatch
    monkeypatch.delenv("POS_SERVER_NOTIFY_LANGUAGE", raising=False)
    notify_settings.cache_clear()


def _outbox(s: Shop) -> list[tuple[str, str]]:
    def read(uow: UnitOfWork) -> list[tuple[str, str]]:
        found = uow.session.execute(text("SELECT idempotency_key, text FROM notifications "
                                         "ORDER BY id")).all()  # fmt: skip
        return [(str(key), str(body)) for key, body in found]

    result: list[tuple[str, str]] = s.work(read)
    return result


def test_every_kind_has_a_setting_per_language_and_a_built_in_text() -> None:
    assert set(Messages.model_fields) - {"language"} == {f"{kind}_{lang}" for kind in PLACEHOLDERS
                                          for lang in ("ru", "en")}  # fmt: skip
    assert set(DEFAULTS) == {(kind, lang) for kind in PLACEHOLDERS for lang in ("ru", "en")}


def test_a_message_written_after_a_change_carries_the_new_text_in_ru_and_en(
    shop: Shop,
) -> None:
    shop.work(lambda uow: order_ready(uow, "o-1", "anna", "17"))
    shop.work(lambda uow: change(uow, {"messages.order_ready_ru": "{name}, заказ {number} ждёт!",
                                       "messages.order_ready_en": "{name}: order {number} is up"},
                                 reason="friendlier"))  # fmt: skip
    shop.work(lambda uow: order_ready(uow, "o-2", "anna", "18"))
    shop.work(lambda uow: change(uow, {"messages.language": "en"}))
    shop.work(lambda uow: order_ready(uow, "o-3", "anna", "19"))
    shop.work(lambda uow: change(uow, {"messages.order_ready_en": ""}))  # back to the built-in
    shop.work(lambda uow: order_ready(uow, "o-4", "anna", "20"))
    assert [body for _key, body in _outbox(shop)] == [
        "Anna, ваш заказ № 17 готов.",  # written before the change: as it was
        "Anna, заказ 18 ждёт!",
        "Anna: order 19 is up",
        "Anna, your order No. 20 is ready.",
    ]
    audit = shop.work(lambda uow: uow.audit.newest(target="setting:messages.order_ready_ru"))
    assert [(a.action, a.details, a.reason) for a in audit] == [
        ("programme.set", {"before": "", "after": "{name}, заказ {number} ждёт!"}, "friendlier")
    ]
    assert not [group for group, _data in programme_changes(shop) if group == "messages"]
    with pytest.raises(ProgrammeError, match=r"messages\.language"):
        shop.work(lambda uow: change(uow, {"messages.language": "de"}))


def test_the_environments_language_is_only_the_default_until_one_is_set(
    shop: Shop, language: pytest.MonkeyPatch
) -> None:
    language.setenv("POS_SERVER_NOTIFY_LANGUAGE", "en")
    notify_settings.cache_clear()
    shop.work(lambda uow: order_ready(uow, "o-1", "anna", "17"))
    shop.work(lambda uow: change(uow, {"messages.language": "ru"}))
    shop.work(lambda uow: order_ready(uow, "o-2", "anna", "18"))
    assert [body for _key, body in _outbox(shop)] == [
        "Anna, your order No. 17 is ready.", "Anna, ваш заказ № 18 готов."]  # fmt: skip


def test_a_secret_in_a_message_stays_out_of_the_audit(shop: Shop) -> None:
    shop.work(lambda uow: change(uow, {
        "messages.cabinet_credentials_ru": "Вход: {url} {login} / {password}"}))  # fmt: skip
    shop.work(lambda uow: sms_to_phone(uow, "+79121234567", "cabinet_credentials", "cred:1",
                                       name="Anna", login="anna", password="S3cret-77",
                                       url="https://venue.example/cabinet"))  # fmt: skip
    assert _outbox(shop)[-1][1] == "Вход: https://venue.example/cabinet anna / S3cret-77"
    audit = shop.work(lambda uow: uow.audit.newest(
        target="setting:messages.cabinet_credentials_ru"))  # fmt: skip
    assert audit and all("S3cret-77" not in repr(a.details) for a in audit)


@pytest.mark.parametrize(
    ("key", "bad", "reason"),
    [
        (
            "messages.card_en",
            "{name}, {balance}",
            r"the text names \{balance\}; it may use code, "
            r"name",
        ),
        ("messages.order_ready_ru", "{name.__class__}", r"names \{name.__class__\}"),
        ("messages.link_invalid_ru", "Ссылка {", "a brace without its pair"),
        ("messages.recovery_code_en", "Your code is ready", r"must name \{code\}"),
        ("messages.cabinet_credentials_en", "{login} at {url}", r"must name \{password\}"),
    ],
)
def test_a_text_the_message_cannot_fill_is_refused_and_nothing_changes(
    shop: Shop, key: str, bad: str, reason: str
) -> None:
    with pytest.raises(ProgrammeError, match=rf"^{key}: .*{reason}"):
        shop.work(lambda uow: change(uow, {key: bad}))
    assert shop.work(current).messages == Messages()


def test_a_retired_template_variable_is_named_in_the_log_and_not_read(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("POS_SERVER_TEMPLATE_CARD_RU", "Карта {code} для {name} — секрет")
    notify_settings.cache_clear()
    try:
        with (
            caplog.at_level(logging.WARNING),
            TestClient(create_app(ServerSettings(database_url=db_url))),
        ):
            pass
    finally:
        notify_settings.cache_clear()
    said = [r.getMessage() for r in caplog.records if "POS_SERVER_TEMPLATE_CARD_RU" in
            r.getMessage()]  # fmt: skip
    assert len(said) == 1 and "messages.*" in said[0] and "секрет" not in caplog.text
    assert retired_template_variables({"POS_SERVER_TEMPLATE_CARD_RU": "x", "POS_SERVER_PORT": "1",
                                       "pos_server_template_signup_code_en": "y"}) == [
        "POS_SERVER_TEMPLATE_CARD_RU", "pos_server_template_signup_code_en"]  # fmt: skip


def test_migration_0035_moves_the_promo_texts_into_the_group_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url, "0034")
    engine = make_engine(url)
    put = text("INSERT INTO programme_settings (key, value, updated_at, updated_by) "
               "VALUES (:k, :v, '2026-12-07 10:00:00', 'test')")  # fmt: skip
    keys = text("SELECT key FROM programme_settings ORDER BY key")
    try:
        with engine.begin() as connection:
            connection.execute(put, {"k": "promo.message_card_ru", "v": '{"v": "{name}: {code}"}'})
            connection.execute(put, {"k": "promo.prefix", "v": '{"v": "CAFE"}'})
        upgrade(url)
        with engine.begin() as connection:
            assert list(connection.execute(keys).scalars()) == ["messages.card_ru", "promo.prefix"]
            connection.execute(put, {"k": "messages.order_ready_en", "v": '{"v": "{number}"}'})
            connection.execute(put, {"k": "staff.cashier_max_discount_bp", "v": '{"v": 700}'})
        command.downgrade(alembic_config(url), "0034")
        with engine.begin() as connection:
            assert list(connection.execute(keys).scalars()) == [
                "promo.message_card_ru", "promo.prefix"]  # fmt: skip
    finally:
        engine.dispose()
