"""FeedService: pages of the change feed into the store, with the cursor, in one unit of work.

Fakes for the rules; one test on the real SQLite store for the all-or-nothing page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pos_app.db import open_store
from pos_app.domain.guests import Guest
from pos_app.domain.operations import GuestCreated, PromoIssued
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.feed import CURSOR_KEY, Change, FeedService, protected_keys
from pos_app.services.ports import OutboxEntry
from pos_app.services.ports_till import PromoCodeRecord
from pos_app.services.venue_time import VenueTime
from tests.operation_examples import sale_closed
from tests.services.fakes import FakeClock, FakeStore


def change(n: int, entity: str, entity_id: str, **data: Any) -> Change:
    return Change(n, entity, entity_id, data)


def guest(n: int, guest_id: str, name: str, phone: str | None = None, **more: Any) -> Change:
    return change(n, "guest", guest_id, guest_id=guest_id, name=name, phone=phone, **more)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def feed(store: FakeStore) -> FeedService:
    return FeedService(store, FakeClock())


def test_given_a_page_when_applied_then_rows_and_cursor_commit_together(
    store: FakeStore, feed: FeedService
) -> None:
    page = [guest(1, "anna", "Anna", "8 912 123-45-67"),
            change(2, "identifier", "4000123412341234", guest_id="anna", medium="card",
                   method="msr", value="4000123412341234"),
            change(3, "bonus_account", "anna", account_id="anna", total=700, held=200,
                   available=500)]  # fmt: skip

    result = feed.apply_page(0, page, 3)

    assert (result.applied, result.cursor, result.skipped) == (3, 3, {})
    assert store.data.guests["anna"].phones == ("+79121234567",)
    assert store.data.identifiers["4000123412341234"][1] == "anna"
    [(owner, account)] = store.data.accounts.values()
    assert (owner, account.total, account.held, account.kind) == ("anna", 700, 200, "bonus")
    assert store.data.settings[CURSOR_KEY] == 3 and store.commits == 1


def test_given_a_page_fetched_from_an_old_cursor_when_applied_then_it_is_stale_and_ignored(
    store: FakeStore, feed: FeedService
) -> None:
    feed.apply_page(0, [guest(1, "anna", "Anna")], 1)

    again = feed.apply_page(0, [guest(1, "anna", "Anna Renamed")], 1)

    assert again.stale and again.cursor == 1
    assert store.data.guests["anna"].name == "Anna"


def test_given_unknown_entities_orders_and_orphans_when_applied_then_skipped_and_counted(
    store: FakeStore, feed: FeedService
) -> None:
    page = [change(1, "order", "o-1", order_id="o-1", state="new"),
            change(2, "loyalty_rule", "r1", name="?"),
            change(3, "bonus_account", "ghost", account_id="ghost", total=1, held=0),
            change(4, "product", "old", product_id="old", name="Old", price=1, active=False)]

    result = feed.apply_page(0, page, 4)

    assert result.applied == 1 and result.cursor == 4  # a withdrawn product: withdrawn here too
    assert result.skipped == {"order": 1, "loyalty_rule": 1,
                              "bonus_account/unknown guest": 1}  # fmt: skip
    assert store.data.settings[CURSOR_KEY] == 4  # skipped changes are not pulled again


def test_given_a_local_guest_with_more_fields_when_the_feed_updates_it_then_they_are_kept(
    store: FakeStore, feed: FeedService
) -> None:
    store.data.guests["anna"] = Guest("anna", "Anna", ("+79121234567",),
                                      emails=("anna@example.com",), lifetime_spend=900)
    feed.apply_page(0, [guest(1, "anna", "Anna Smirnova", "+79127654321",
                              group_id="gold")], 1)  # fmt: skip

    anna = store.data.guests["anna"]
    assert (anna.name, anna.phones, anna.emails) == (
        "Anna Smirnova", ("+79127654321",), ("anna@example.com",))
    assert (anna.lifetime_spend, anna.group_id) == (900, None)  # no local group "gold" yet


def test_given_waiting_operations_when_their_rows_change_on_the_server_then_deferred(
    store: FakeStore, feed: FeedService
) -> None:
    with store() as uow:
        uow.guests.add(Guest("boris", "Boris (till)"))
        uow.outbox.append(sale_closed("boris"))
        uow.commit()
    page = [guest(1, "boris", "Boris (server)"),
            change(2, "bonus_account", "boris", account_id="boris", total=100, held=0),
            guest(3, "boris", "Boris (server, later)")]

    first = feed.apply_page(0, page, 3)

    assert (first.applied, first.deferred, first.cursor) == (1, 2, 3)
    assert store.data.guests["boris"].name == "Boris (till)"
    assert store.data.accounts["boris"][1].total == 100  # a snapshot is the server's, always
    assert feed.deferred_count() == 1  # the newest change of the guest
    store.data.outbox[0] = OutboxEntry(**{**_fields(store.data.outbox[0]), "status": "applied"})

    assert feed.retry_deferred() == 1

    assert store.data.guests["boris"].name == "Boris (server, later)"
    assert feed.deferred_count() == 0


def test_given_a_deferred_row_when_a_newer_change_arrives_after_the_drain_then_the_newer_wins(
    store: FakeStore, feed: FeedService
) -> None:
    with store() as uow:
        uow.guests.add(Guest("vera", "Vera (till)"))
        uow.outbox.append(GuestCreated(guest_id="vera", name="Vera (till)"))
        uow.commit()
    feed.apply_page(0, [guest(1, "vera", "Vera v1")], 1)
    store.data.outbox.clear()

    feed.apply_page(1, [guest(2, "vera", "Vera v2")], 2)

    assert store.data.guests["vera"].name == "Vera v2" and feed.deferred_count() == 0


def test_protected_keys_normalise_identifier_values_as_the_server_does() -> None:
    from datetime import UTC, datetime

    op = OutboxEntry("op", "T1", 1, datetime.now(UTC), "identifier.bound",
                     {"guest_id": "anna", "medium": "card", "method": "msr",
                      "value": ";4000123412341234=2612?"})  # fmt: skip

    assert protected_keys([op]) == {"identifier:4000123412341234", "guest:anna"}


def test_given_a_malformed_row_on_sqlite_then_it_is_counted_and_the_feed_goes_on(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path / "till.sqlite3") as real:
        feed = FeedService(real.unit_of_work, FakeClock())
        page = [guest(1, "anna", "Anna"), guest(2, "bob", "   "),  # a guest needs a name
                change(3, "product", "p", product_id="p", name="Tea", price=-1),
                change(4, "staff", "s1", name="Olga", role="pilot")]  # fmt: skip

        result = feed.apply_page(0, page, 4)

        assert result.applied == 1 and feed.cursor() == 4
        assert result.skipped == {"guest/invalid": 1, "product/invalid": 1, "staff/invalid": 1}
        with real.unit_of_work() as uow:
            assert uow.guests.count() == 1


def _fields(entry: OutboxEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in entry.__slots__}


def test_given_a_balance_snapshot_and_a_guest_with_group_and_spend_then_both_are_cached(
    store: FakeStore, feed: FeedService
) -> None:
    from pos_app.domain.groups import GuestGroup
    from pos_app.domain.money import Percent

    store.data.groups["gold"] = GuestGroup("gold", "Gold", Percent(500))
    page = [guest(1, "anna", "Anna", group_id="gold", lifetime_spend=150_000),
            change(2, "balance_account", "anna", account_id="balance:anna", guest_id="anna",
                   total=30_000, held=0, available=30_000, debt=0)]  # fmt: skip

    feed.apply_page(0, page, 2)

    anna = store.data.guests["anna"]
    assert (anna.group_id, anna.lifetime_spend) == ("gold", 150_000)
    owner, account = store.data.accounts["balance:anna"]
    assert (owner, account.kind, account.total) == ("anna", "balance", 30_000)


def test_given_a_promo_code_in_the_feed_then_the_till_knows_it_unless_it_issued_it_unsent(
    tmp_path: Path,
) -> None:
    """Issue 15: a code issued on another till reaches this one; a code this till issued and
    has not delivered yet is not overwritten by the server's copy until its operation is."""
    with open_store(tmp_path / "till.sqlite3") as real:
        with real.unit_of_work() as uow:  # this till issued PROMO000002 to Boris, unsent
            uow.promo.add_code(PromoCodeRecord("PROMO000002", "boris", "+79220000002"))
            uow.outbox.append(PromoIssued(code="PROMO000002", guest_id="boris",
                                          phone="+79220000002"))
            uow.commit()
        feed = FeedService(real.unit_of_work, FakeClock())
        page = [guest(1, "olga", "Olga", "+79110000001"),
                change(2, "promo_code", "PROMO000001", code="PROMO000001", guest_id="olga",
                       phone="+79110000001"),
                change(3, "promo_code", "PROMO000002", code="PROMO000002", guest_id="vera",
                       phone=None)]  # fmt: skip

        result = feed.apply_page(0, page, 3)

        assert (result.applied, result.deferred, result.skipped) == (2, 1, {})
        with real.unit_of_work() as uow:
            assert uow.promo.by_code("PROMO000001") == PromoCodeRecord(
                "PROMO000001", "olga", "+79110000001")
            assert uow.promo.by_code("PROMO000002") == PromoCodeRecord(
                "PROMO000002", "boris", "+79220000002")  # ours stays while it is unsent
            [entry] = uow.outbox.pending(10)  # the server gave the code to Vera first
            uow.outbox.mark(entry.op_id, "rejected", "promo_code_taken")
            uow.commit()

        assert feed.retry_deferred() == 1

        with real.unit_of_work() as uow:
            assert uow.promo.by_code("PROMO000002") == PromoCodeRecord("PROMO000002", "vera",
                                                                       None)  # fmt: skip


def test_protected_keys_hold_a_promo_code_this_till_issued() -> None:
    from datetime import UTC, datetime

    op = OutboxEntry("op", "T1", 1, datetime.now(UTC), "promo.issued",
                     {"code": "promo000002", "guest_id": "boris", "phone": None})  # fmt: skip

    assert protected_keys([op]) == {"promo_code:PROMO000002", "guest:boris"}


def test_given_the_shops_time_zone_in_the_feed_then_the_till_keeps_it(tmp_path: Path) -> None:
    """Issue 15: the server's zone reaches the till; until then it is the domain's default;
    a name this till cannot read is counted as invalid and the zone it had stays."""
    with open_store(tmp_path / "till.sqlite3") as real:
        feed = FeedService(real.unit_of_work, FakeClock())
        assert VenueTime(real.unit_of_work).zone() == ZoneInfo(DEFAULT_SHOP_TIMEZONE)

        result = feed.apply_page(0, [change(1, "shop_settings", "shop",
                                            timezone="Europe/Berlin")], 1)  # fmt: skip

        assert (result.applied, result.skipped) == (1, {})
        assert VenueTime(real.unit_of_work).zone() == ZoneInfo("Europe/Berlin")
        bad = feed.apply_page(1, [change(2, "shop_settings", "shop", timezone="Mars/Base")], 2)
        assert bad.skipped == {"shop_settings/invalid": 1}
        assert VenueTime(real.unit_of_work).zone() == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("kind", ["fake", "sqlite"])
def test_a_whole_guest_card_and_a_blocked_card_are_applied(kind: str, tmp_path: Path) -> None:
    """The guest card's changes (issue 17): the whole card over the local guest, a blocked
    identifier that then identifies nobody, and a later change with only the phone (a
    promotion after a sale) keeping the card's other phones."""
    from datetime import date

    from pos_app.domain.guest_card import contacts_of

    real = open_store(tmp_path / "till.sqlite3", terminal_id="T1") if kind == "sqlite" else None
    uow_factory = real.unit_of_work if real is not None else FakeStore()
    feed = FeedService(uow_factory, FakeClock())
    card = {"phones": ["+79120001122", "+73431112233"], "emails": ["anna@example.com"],
            "contacts": [{"type": "phone", "label": "home", "value": "+73431112233"},
                         {"type": "phone", "label": "mobile", "value": "+79120001122"},
                         {"type": "email", "label": "work", "value": "anna@example.com"}],
            "birthday": "1990-05-17", "sex": "female", "note": "oat milk",
            "cabinet_login_allowed": False, "ordering_allowed": False,
            "registration_skipped": True, "group_id": None, "group_by_hand": False,
            "lifetime_spend": 0, "accrual_bp": 1200, "max_redemption_bp": None}  # fmt: skip
    page = [guest(1, "anna", "Anna P", "+79120001122", **card),
            change(2, "identifier", "C-1", guest_id="anna", medium="card", method="barcode",
                   value="C-1", blocked=True, block_reason="lost"),
            guest(3, "anna", "Anna P", "+79120001122", group_id=None,
                  lifetime_spend=500)]  # fmt: skip
    assert feed.apply_page(0, page, 3).applied == 3
    with uow_factory(durable=False) as uow:
        anna = uow.guests.get("anna")
        assert anna is not None
        assert (anna.birthday, anna.sex, anna.note) == (date(1990, 5, 17), "female", "oat milk")
        assert (
            anna.cabinet_login_allowed,
            anna.can_order_from_cabinet,
            anna.skip_registration,
            anna.accrual_bp,
        ) == (False, False, True, 1200)
        assert anna.phones == ("+79120001122", "+73431112233") and anna.lifetime_spend == 500
        assert [(c.label.value, c.value) for c in contacts_of(anna)][:2] == [
            ("mobile", "+79120001122"),
            ("home", "+73431112233"),
        ]
        assert uow.guests.by_identifier("C-1") is None
        assert uow.guests.blocked_identifiers("anna") == frozenset({"C-1"})
    if real is not None:
        real.close()
