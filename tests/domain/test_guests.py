from __future__ import annotations

import random

import pytest

from pos_app.domain.errors import InvalidAmount
from pos_app.domain.guests import (
    MIN_PASSWORD_LENGTH,
    Contact,
    ContactKind,
    Guest,
    InvalidEmail,
    InvalidGuest,
    InvalidLogin,
    PasswordHash,
    WeakPassword,
    generate_password,
    name_search_key,
    parse_contact,
)
from pos_app.domain.money import rub
from pos_app.domain.phones import InvalidPhone

SALT = bytes(range(16))


def _guest(**kwargs: object) -> Guest:
    fields: dict[str, object] = {"id": "g1", "name": "Пётр  Ёлкин"}
    fields.update(kwargs)
    return Guest(**fields)  # type: ignore[arg-type]


def test_contacts_are_normalised_and_deduplicated() -> None:
    guest = _guest(
        phones=("8 912 123-45-67", "+7 (912) 123 45 67", "+44 20 7946 0958"),
        emails=(" Anna@Example.COM ",),
    )
    assert guest.phones == ("+79121234567", "+442079460958")
    assert guest.emails == ("anna@example.com",)
    assert guest.name == "Пётр Ёлкин"


def test_bad_contacts_are_refused() -> None:
    with pytest.raises(InvalidPhone):
        _guest(phones=("12",))
    with pytest.raises(InvalidEmail):
        _guest(emails=("not-an-email",))
    with pytest.raises(InvalidGuest):
        _guest(name="   ")
    with pytest.raises(InvalidAmount):
        _guest(lifetime_spend=-1)


def test_name_search_key_folds_case_and_yo() -> None:
    assert name_search_key("  ПЁТР   Ёлкин ") == "петр елкин"
    assert _guest().search_key == name_search_key("петр елкин")


def test_till_search_by_name_phone_or_email() -> None:
    guest = _guest(phones=("+79121234567",), emails=("p@example.com",))
    assert guest.matches("елкин")
    assert guest.matches("8 912 123 45 67")
    assert guest.matches("4567")
    assert guest.matches("P@Example.com")
    assert guest.matches("example.COM")  # part of an e-mail
    assert not guest.matches("ex")  # too short to search e-mails by
    assert not guest.matches("Иванов")
    assert not guest.matches("8 999 000 00 00")


def test_a_typed_contact_is_an_email_or_a_phone() -> None:
    assert parse_contact(" Anna@Mail.RU ") == Contact(ContactKind.EMAIL, "anna@mail.ru")
    assert parse_contact("8 912 123-45-67") == Contact(ContactKind.PHONE, "+79121234567")
    with pytest.raises(InvalidEmail):
        parse_contact("anna@")
    with pytest.raises(InvalidPhone):
        parse_contact("anna")
    guest = _guest(phones=("+79121234567",), emails=("a@b.ru",))
    assert guest.contacts == (
        Contact(ContactKind.PHONE, "+79121234567"),
        Contact(ContactKind.EMAIL, "a@b.ru"),
    )


def test_sms_phone_is_the_first_mobile() -> None:
    assert _guest(phones=("+74951234567", "+79121234567")).sms_phone == "+79121234567"
    assert _guest(phones=("+74951234567",)).sms_phone is None


def test_login_numeric_or_alphabetic_and_validated() -> None:
    assert _guest(login="100234").login == "100234"
    assert _guest(login=" Petr.Elkin ").login == "petr.elkin"
    assert _guest(login="Пётр_Ёлкин").login == "пётр_ёлкин"  # alphabetic includes Cyrillic
    for bad in ("a b", "ab", "x" * 65, "petr@home"):
        with pytest.raises(InvalidLogin):
            _guest(login=bad)


def test_password_hash_verifies_only_the_right_password() -> None:
    stored = PasswordHash.create("s3cret-pass", SALT, iterations=1_000)
    assert stored.verify("s3cret-pass")
    assert not stored.verify("s3cret-pasS")
    other_salt = PasswordHash.create("s3cret-pass", bytes(16), iterations=1_000)
    assert other_salt.digest != stored.digest


def test_guest_password_round_trip_and_weak_passwords() -> None:
    guest = _guest()
    assert not guest.check_password("anything")
    guest = guest.with_password("correct horse", SALT)
    assert guest.check_password("correct horse")
    assert not guest.check_password("wrong horse")
    with pytest.raises(WeakPassword):
        guest.with_password("123", SALT)


def test_generated_password_is_long_enough_and_random() -> None:
    rng = random.Random(7)
    first, second = generate_password(rng.choice), generate_password(rng.choice)
    assert len(first) >= MIN_PASSWORD_LENGTH
    assert first != second


def test_flags_and_spend() -> None:
    guest = _guest(skip_registration=True, can_order_from_cabinet=False)
    assert guest.skip_registration and not guest.can_order_from_cabinet
    assert guest.with_spend(rub(500)).with_spend(rub(250)).lifetime_spend == rub(750)
