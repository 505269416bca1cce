"""The guest card's rules: contacts and the SMS number, birthdays, who may do what, and the
rule two offline edits of one field are reconciled by."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import (
    ContactLabel,
    ContactType,
    GuestContact,
    InvalidGuestCard,
    Permission,
    edit_wins,
    effective_time,
    field_problem,
    may,
    normal_contacts,
    parse_birthday,
    primary_phone,
    sms_phone,
)

T = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_contacts_are_normalised_and_listed_once() -> None:
    contacts = normal_contacts([
        GuestContact.read("phone", "home", "8 (343) 111-22-33"),
        GuestContact.read("email", "work", " Anna@Example.COM "),
        GuestContact.read("phone", "mobile", "+7 343 111 22 33"),  # the same number again
    ])  # fmt: skip
    assert contacts == (
        GuestContact(ContactType.PHONE, ContactLabel.HOME, "+73431112233"),
        GuestContact(ContactType.EMAIL, ContactLabel.WORK, "anna@example.com"),
    )
    with pytest.raises(DomainError):
        GuestContact.read("email", "other", "not mail")


def test_sms_go_to_the_first_phone_marked_mobile_else_the_first_mobile_number() -> None:
    home = GuestContact.read("phone", "home", "+79120000001")  # a mobile number marked home
    landline = GuestContact.read("phone", "work", "+73431112233")
    marked = GuestContact.read("phone", "mobile", "+79120000002")
    assert sms_phone([landline, home, marked]) == "+79120000002"
    assert sms_phone([landline, home]) == "+79120000001"
    assert sms_phone([landline]) is None and primary_phone([landline]) == "+73431112233"


def test_birthdays_are_real_days_not_in_the_future() -> None:
    today = date(2026, 11, 23)
    assert parse_birthday("1990-05-17", today) == date(1990, 5, 17)
    for text in ("1990-02-30", "2026-11-24", "1899-12-31", "17.05.1990"):
        with pytest.raises(InvalidGuestCard):
            parse_birthday(text, today)


def test_fields_that_cannot_be_emptied() -> None:
    assert field_problem("name", None) and field_problem("ordering_allowed", None)
    assert field_problem("birthday", None) is None and field_problem("group_id", None) is None
    assert field_problem("note", "x" * 1001)


def test_bonus_settings_come_from_the_checkbox_only() -> None:
    assert may("cashier", [], Permission.EDIT_GUEST)
    assert not may("cashier", [], Permission.ADJUST_ACCOUNTS)
    assert may("manager", [], Permission.ADJUST_ACCOUNTS)
    assert not may("manager", [], Permission.BONUS_SETTINGS)
    assert may("admin", [], Permission.BONUS_SETTINGS)  # an admin holds every permission
    assert may("cashier", ["bonus_settings"], Permission.BONUS_SETTINGS)
    assert may("cashier", ["bonus_settings"], Permission.ADJUST_ACCOUNTS)
    assert not may("cashier", ["guests", "loyalty"], Permission.BONUS_SETTINGS)
    assert not may("nobody", [], Permission.EDIT_GUEST)


def test_the_till_and_the_back_office_name_one_bonus_settings_permission() -> None:
    from pos_app.domain.staff_permissions import StaffPermission, held

    assert Permission.BONUS_SETTINGS.value == StaffPermission.BONUS_SETTINGS.value
    assert held("cashier", True, ["bonus_settings", "bonus"]) == {StaffPermission.BONUS_SETTINGS}
    assert held("admin", True, []) == set(StaffPermission)
    assert held("admin", False, ["guests"]) == set()


def test_the_later_edit_by_the_tills_time_wins_a_tie_goes_to_the_later_arrival() -> None:
    assert edit_wins(None, T)
    assert edit_wins(T, T + timedelta(seconds=1))
    assert not edit_wins(T, T - timedelta(seconds=1))  # an older offline edit arriving late
    assert edit_wins(T, T)  # the same instant: the server judged this one later
    assert effective_time(T + timedelta(days=1), T) == T  # a clock ahead counts as the server's
