"""The guest card's use cases at the till (fakes and real SQLite): each change is made locally
and queued as its operation in the same unit of work, with the staff member's permission
checked; a refused change leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest

from pos_app.domain.bonus import InsufficientPoints
from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import InvalidGuestCard, PhoneTaken, UnknownIdentifier
from pos_app.domain.identifiers import IdentifierTaken, InputMethod, Medium
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.services.guest_card import ContactInput, GuestCardService
from pos_app.services.loyalty_settings import loyalty_for
from pos_app.services.staff import StaffSession
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds

NOW = FakeClock().now()
KATE = StaffSession("kate", "Kate", "cashier", frozenset(), NOW)
MAX = StaffSession("max", "Max", "manager", frozenset(), NOW)
KATE_BONUS = StaffSession("kate", "Kate", "cashier", frozenset(), NOW,
                          frozenset({"bonus_settings"}))  # fmt: skip


@pytest.fixture
def cards(shop: Shop) -> GuestCardService:
    return GuestCardService(shop.uow, FakeClock(), FakeIds("adj"))


def test_the_card_shows_what_the_till_knows(cards: GuestCardService) -> None:
    card = cards.card("anna")
    assert (card.name, card.group_id, card.group_name) == ("Анна Смирнова", "g10", "Гость 10 %")
    assert [(c.type, c.label, c.value) for c in card.contacts] == [
        ("phone", "other", "+79121234567")
    ]
    assert card.sms_phone == "+79121234567"  # a mobile number, though not marked
    assert [(i.value, i.blocked) for i in card.identifiers] == [(ANNA_CARD, False)]
    assert (card.points_total, card.points_held, card.points_available) == (
        rub(300),
        rub(50),
        rub(250),
    )


def test_an_edit_is_local_at_once_and_queued(shop: Shop, cards: GuestCardService) -> None:
    card = cards.update(
        KATE,
        "anna",
        name=" Анна  Петрова ",
        birthday=date(1990, 5, 17),
        sex="female",
        note="овсяное молоко",
        ordering_allowed=False,
    )
    assert (card.name, card.birthday, card.sex, card.note) == (
        "Анна Петрова",
        date(1990, 5, 17),
        "female",
        "овсяное молоко",
    )
    assert card.ordering_allowed is False
    [op] = shop.pending()
    assert op.kind == "guest.updated"
    assert op.payload["fields"] == ["name", "birthday", "sex", "note", "ordering_allowed"]
    assert (op.payload["name"], op.payload["birthday"], op.payload["staff_id"]) == (
        "Анна Петрова",
        "1990-05-17",
        "kate",
    )
    assert op.payload["changed_at"] == NOW.isoformat()
    assert cards.card("anna").name == "Анна Петрова"  # stored


def test_refused_edits_change_nothing(shop: Shop, cards: GuestCardService) -> None:
    for by, changes, error in (
        (KATE, {"name": "  "}, InvalidGuestCard),
        (KATE, {"birthday": date(2999, 1, 1)}, InvalidGuestCard),
        (KATE, {"group_id": "g5"}, PermissionDenied),
        (MAX, {"group_id": "nope"}, InvalidGuestCard),
    ):
        with pytest.raises(error):
            cards.update(by, "anna", **changes)
    with pytest.raises(PermissionDenied):
        cards.set_loyalty(MAX, "anna", accrual_bp=1_000, max_redemption_bp=None)
    with pytest.raises(PermissionDenied):
        cards.adjust(KATE, "anna", account="points", direction="credit", amount=100,
                     reason="gift")  # fmt: skip
    assert shop.pending() == [] and cards.card("anna").name == "Анна Смирнова"


def test_a_group_put_by_hand_follows_the_group_rules(shop: Shop, cards: GuestCardService) -> None:
    card = cards.update(MAX, "anna", group_id="g5")  # no spend yet: 5 % is automatic
    assert (card.group_id, card.group_by_hand) == ("g5", True)
    assert shop.pending()[0].payload["group_id"] == "g5"


def test_contacts_with_kinds_and_a_phone_of_another_guest(
    shop: Shop, cards: GuestCardService
) -> None:
    card = cards.set_contacts(KATE, "anna", [
        ContactInput("phone", "home", "8 (343) 111-22-33"),
        ContactInput("phone", "mobile", "+7 912 000 11 22"),
        ContactInput("email", "work", "Anna@Example.COM"),
    ])  # fmt: skip
    assert [(c.type, c.label, c.value) for c in card.contacts] == [
        ("phone", "mobile", "+79120001122"),
        ("phone", "home", "+73431112233"),
        ("email", "work", "anna@example.com"),
    ]
    assert card.sms_phone == "+79120001122"
    [op] = shop.pending()
    assert op.payload["contacts"][0] == {"type": "phone", "label": "home", "value": "+73431112233"}
    with pytest.raises(PhoneTaken):
        cards.set_contacts(KATE, "anna", [ContactInput("phone", "mobile", "89221112233")])
    with pytest.raises(DomainError):
        cards.set_contacts(KATE, "anna", [ContactInput("email", "other", "not mail")])
    assert len(shop.pending()) == 1


def test_own_loyalty_settings_need_the_checkbox_and_reach_the_pricing(
    shop: Shop, cards: GuestCardService
) -> None:
    card = cards.set_loyalty(KATE_BONUS, "anna", accrual_bp=1_500, max_redemption_bp=2_000)
    assert (card.accrual_bp, card.max_redemption_bp) == (1_500, 2_000)
    with shop.uow(durable=False) as uow:
        settings = loyalty_for(uow, "anna")
    assert (settings.accrual.bp, settings.max_redemption.bp) == (1_500, 2_000)
    assert shop.pending()[0].payload == {"guest_id": "anna", "staff_id": "kate",
                                         "changed_at": NOW.isoformat(), "accrual_bp": 1_500,
                                         "max_redemption_bp": 2_000}  # fmt: skip


def test_cards_added_blocked_and_replaced(shop: Shop, cards: GuestCardService) -> None:
    card = cards.add_identifier(KATE, "anna", Medium.GUEST_APP, InputMethod.MANUAL, "qr-anna")
    assert card.identifiers[-1].method == "barcode"  # an app's code is scanned
    with pytest.raises(IdentifierTaken):
        cards.add_identifier(KATE, "anna", Medium.GUEST_APP, InputMethod.BARCODE, "QR-BORIS")
    card = cards.replace_identifier(KATE, "anna", old_value=ANNA_CARD, medium=Medium.CARD,
                                    method=InputMethod.MSR, raw=";7000000000000099=2912?",
                                    reason="lost")  # fmt: skip
    assert [(i.value, i.blocked) for i in card.identifiers] == [
        (ANNA_CARD, True),
        ("QR-ANNA", False),
        ("7000000000000099", False),
    ]
    with shop.uow(durable=False) as uow:
        assert uow.guests.by_identifier(ANNA_CARD) is None  # a blocked card identifies nobody
        assert uow.guests.by_identifier("7000000000000099").id == "anna"
    cards.block_identifier(KATE, "anna", "qr-anna", "the phone was stolen")
    with pytest.raises(UnknownIdentifier):
        cards.block_identifier(KATE, "anna", "QR-BORIS", "not hers")
    with pytest.raises(InvalidGuestCard):
        cards.block_identifier(KATE, "anna", "7000000000000099", "  ")
    assert [(op.kind, op.payload.get("value")) for op in shop.pending()] == [
        ("identifier.bound", "QR-ANNA"),
        ("identifier.replaced", "7000000000000099"),
        ("identifier.blocked", "QR-ANNA"),
    ]
    assert shop.pending()[1].payload["old_value"] == ANNA_CARD


def test_a_manager_credits_and_debits_with_a_reason(shop: Shop, cards: GuestCardService) -> None:
    cards.adjust(MAX, "anna", account="points", direction="credit", amount=rub(100),
                 reason="день рождения")  # fmt: skip
    cards.adjust(MAX, "anna", account="points", direction="debit", amount=rub(250),
                 reason="ошибка кассира")  # fmt: skip
    with pytest.raises(InsufficientPoints):  # only 250 available by the last snapshot
        cards.adjust(MAX, "anna", account="points", direction="debit", amount=rub(251),
                     reason="x")  # fmt: skip
    payloads = [op.payload for op in shop.pending()]
    assert [(p["account"], p["direction"], p["amount"], p["reason"], p["staff_id"])
            for p in payloads] == [
        ("points", "credit", rub(100), "день рождения", "max"),
        ("points", "debit", rub(250), "ошибка кассира", "max")]  # fmt: skip
    assert payloads[0]["adjustment_id"] != payloads[1]["adjustment_id"]


def test_a_managers_adjustment_prints_a_slip(cards: GuestCardService) -> None:
    """Seed 002's slip: the account, credit or debit, the reason, who, the guest, the balance
    after as the till expects it."""
    _view, slip = cards.adjust_with_slip(MAX, "anna", account="points", direction="debit",
                                         amount=rub(50), reason="ошибка кассира")  # fmt: skip
    text = "\n".join(slip)
    assert "СПИСАНИЕ: БАЛЛЫ" in text and "-50,00 б." in text
    assert "Причина: ошибка кассира" in text and "Менеджер: Max" in text
    assert "Анна Смирнова" in text and "200,00 б." in text  # 250 available - 50
    _view, slip = cards.adjust_with_slip(MAX, "anna", account="money", direction="credit",
                                         amount=rub(100), reason="компенсация")  # fmt: skip
    assert "ЗАЧИСЛЕНИЕ: ДЕПОЗИТ" in slip[0] and "100,00 ₽" in "\n".join(slip)
