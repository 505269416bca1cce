"""The guest record: name, contacts, group, spend, and guest-cabinet credentials (seeds 000, 002).

Contacts are stored normalised (phones E.164, e-mails lower-cased) so a search at the till finds
them however they were typed. Passwords are kept only as a salted PBKDF2 hash; the salt (and any
random password) is passed in, the domain reads no randomness or clock.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.money import require_amount
from pos_app.domain.phones import is_mobile, normalise_phone

PBKDF2_ALGORITHM = "sha256"
PBKDF2_ITERATIONS = 200_000
MIN_SALT_BYTES = 16
MIN_PASSWORD_LENGTH = 6
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOGIN_RE = re.compile(r"^[\w.-]{3,64}$")  # \w: letters of any script, digits, "_"
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class InvalidGuest(DomainError):
    code = "invalid_guest"


class InvalidEmail(DomainError):
    code = "invalid_email"


class InvalidLogin(DomainError):
    code = "invalid_login"


class WeakPassword(DomainError):
    code = "weak_password"


def normalise_email(text: str) -> str:
    """``" Anna@Example.COM "`` -> ``"anna@example.com"``; raises InvalidEmail."""
    email = text.strip().lower()
    if not _EMAIL_RE.match(email):
        raise InvalidEmail(f"{text.strip()!r} is not an e-mail address.", text=text)
    return email


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Contact:
    """One normalised contact of a guest, as stored and as searched for."""

    kind: ContactKind
    value: str


def parse_contact(text: str) -> Contact:
    """A typed contact: an e-mail if it has ``@``, else a phone (InvalidEmail/InvalidPhone)."""
    if "@" in text:
        return Contact(ContactKind.EMAIL, normalise_email(text))
    return Contact(ContactKind.PHONE, normalise_phone(text))


def name_search_key(name: str) -> str:
    """Key for name search: case-folded, ``ё`` as ``е``, whitespace collapsed."""
    folded = " ".join(name.split()).casefold()
    return folded.replace("ё", "е")


def normalise_login(text: str) -> str:
    """A cabinet login: numeric or alphabetic, Cyrillic too (seed 000), 3–64 characters,
    case-insensitive."""
    login = text.strip().lower()
    if not _LOGIN_RE.match(login):
        raise InvalidLogin(
            "A login has 3 to 64 letters, digits, dots, dashes or underscores.", text=text
        )
    return login


@dataclass(frozen=True, slots=True)
class PasswordHash:
    """A salted PBKDF2 hash in a form that can be stored and checked later."""

    salt: bytes
    digest: bytes
    iterations: int = PBKDF2_ITERATIONS
    algorithm: str = PBKDF2_ALGORITHM

    @classmethod
    def create(
        cls, password: str, salt: bytes, iterations: int = PBKDF2_ITERATIONS
    ) -> PasswordHash:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPassword(
                f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
                minimum=MIN_PASSWORD_LENGTH,
            )
        if len(salt) < MIN_SALT_BYTES:
            raise ValueError("salt must be at least 16 random bytes")
        digest = hashlib.pbkdf2_hmac(PBKDF2_ALGORITHM, password.encode(), salt, iterations)
        return cls(salt, digest, iterations)

    def verify(self, password: str) -> bool:
        candidate = hashlib.pbkdf2_hmac(
            self.algorithm, password.encode(), self.salt, self.iterations
        )
        return hmac.compare_digest(candidate, self.digest)


def generate_password(choose: Callable[[str], str], length: int = 8) -> str:
    """A random password from an unambiguous alphabet; ``choose`` is e.g. secrets.choice."""
    return "".join(choose(_PASSWORD_ALPHABET) for _ in range(max(length, MIN_PASSWORD_LENGTH)))


@dataclass(frozen=True, slots=True)
class Guest:
    """A guest card; amounts in kopecks, contacts normalised on construction."""

    id: str
    name: str
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    group_id: str | None = None
    lifetime_spend: int = 0
    login: str | None = None
    password_hash: PasswordHash | None = field(default=None, repr=False)
    skip_registration: bool = False
    can_order_from_cabinet: bool = True
    # the guest card (issue 17, ``guest_card.py``); defaults for guests made before it
    birthday: date | None = None
    sex: str | None = None  # "female" | "male"
    note: str = ""
    cabinet_login_allowed: bool = True
    group_by_hand: bool = False
    accrual_bp: int | None = None  # the guest's own loyalty percentages (None: the group's)
    max_redemption_bp: int | None = None
    contact_labels: tuple[tuple[str, str], ...] = ()  # (value, "mobile"|"home"|"work"|"other")

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidGuest("A guest needs a name.", guest_id=self.id)
        require_amount(self.lifetime_spend, "lifetime spend")
        object.__setattr__(self, "name", " ".join(self.name.split()))
        object.__setattr__(self, "phones", _unique(normalise_phone(p) for p in self.phones))
        object.__setattr__(self, "emails", _unique(normalise_email(e) for e in self.emails))
        if self.login is not None:
            object.__setattr__(self, "login", normalise_login(self.login))

    @property
    def search_key(self) -> str:
        return name_search_key(self.name)

    @property
    def contacts(self) -> tuple[Contact, ...]:
        phones = tuple(Contact(ContactKind.PHONE, phone) for phone in self.phones)
        return phones + tuple(Contact(ContactKind.EMAIL, email) for email in self.emails)

    @property
    def sms_phone(self) -> str | None:
        """The first mobile number, where cabinet credentials can be sent by SMS."""
        return next((p for p in self.phones if is_mobile(p)), None)

    def matches(self, query: str) -> bool:
        """Till search: a name fragment, phone digits or a phone in any typed form, an e-mail
        or a part of one (three characters at least)."""
        key = name_search_key(query)
        if key and key in self.search_key:
            return True
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 4 and any(digits in p for p in self.phones):
            return True
        try:
            return parse_contact(query) in self.contacts
        except DomainError:
            fragment = query.strip().lower()
            return len(fragment) >= 3 and any(fragment in email for email in self.emails)

    def with_spend(self, amount: int) -> Guest:
        """The guest after a paid order of ``amount`` kopecks."""
        return replace(self, lifetime_spend=self.lifetime_spend + require_amount(amount))

    def with_password(self, password: str, salt: bytes) -> Guest:
        return replace(self, password_hash=PasswordHash.create(password, salt))

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and self.password_hash.verify(password)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
