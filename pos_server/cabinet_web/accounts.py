"""Guest cabinet accounts: credentials set by staff, registration confirmed by an SMS code,
throttled sign-in, recovery by login or e-mail with a new password by SMS.

- Passwords are argon2id (``pos_server.staff.passwords``), 8 to 128 characters.
- Sign-in is throttled in the database (``pos_server.web.throttle``, realm ``guest``): a
  wrong login and a wrong password are the same answer and cost the same time.
- A guest whose "cabinet login allowed" flag is off is refused, whatever the password.
- Registration: the guest gives a phone, their name, a login and a password; a 6-digit code
  goes by SMS through the outbox (``notify.messages.sms_to_phone``, template ``signup_code``);
  the right code (five wrong ones end the attempt, ten minutes at most) gives the account to
  the venue's guest having that phone, or, when no guest has it, to a new guest with that name
  and phone made as a till's new guest is (``guests.new_guest.create_guest_by_guest``: by the
  cabinet, fed to every till). Nothing is created before the code; which guest it is, or that
  several share the phone, is said only after it. Confirmations of one phone are serialised
  (``uow.cabinet.lock_phone``): one new guest, however many at once. SMS sending is throttled
  per phone and address.
- First sign-in with credentials staff set: unless the guest's "skip registration" flag is on,
  the phone on the card is confirmed by a code the same way before the first session.
- Recovery: whoever asks, the answer is the same; a guest found by login or e-mail gets a new
  random password by SMS (template ``cabinet_credentials``), valid beside the old one for a
  day, so a stranger's request locks nobody out; using it replaces the old one and ends every
  other session. At most one such SMS per account per ten minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from pos_app.domain.errors import DomainError
from pos_app.domain.guests import generate_password, normalise_login
from pos_app.domain.phones import is_mobile, normalise_phone
from pos_server.db.models_cabinet import CabinetAccountRow, CabinetSignupRow
from pos_server.guests.backoffice import EditRefused
from pos_server.guests.new_guest import create_guest_by_guest
from pos_server.notify.messages import sms_to_phone
from pos_server.staff import passwords
from pos_server.uow import UnitOfWork
from pos_server.web import sessions, throttle

GUEST_REALM = "guest"
SMS_REALM = "guest-sms"
MIN_PASSWORD, MAX_PASSWORD = 8, 128
CODE_LIFETIME = timedelta(minutes=10)
WRONG_CODES = 5
RECOVERY_LIFETIME = timedelta(days=1)
RECOVERY_EVERY = timedelta(minutes=10)
MAX_NAME = 200  # as a guest's name column
RECOVERY_ACCOUNTS = 3  # one e-mail may be on several guests' cards


class CabinetRefused(Exception):
    """A request refused; the message (English, translated on the page) says why."""

    def __init__(self, message: str, status: int = 400, **values: object) -> None:
        super().__init__(message)
        self.message, self.status, self.values = message, status, values


@dataclass(frozen=True)
class SignedIn:
    guest_id: str
    token: str  # the session cookie's value


@dataclass(frozen=True)
class CodeSent:
    token: str  # the registration's cookie value: the confirmation page reads it


@dataclass(frozen=True)
class Refused:
    locked_seconds: float = 0.0


def require_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise CabinetRefused("A password is {low} to {high} characters.", low=MIN_PASSWORD,
                             high=MAX_PASSWORD)  # fmt: skip
    if password.strip() != password or not password.isprintable():
        raise CabinetRefused("A password has no leading or trailing spaces.")
    return password


def _login(text: str) -> str:
    try:
        return normalise_login(text)
    except DomainError:
        raise CabinetRefused(
            "A login has 3 to 64 letters, digits, dots, dashes or underscores."
        ) from None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def set_credentials(
    uow: UnitOfWork, guest_id: str, login: str, password: str | None = None, *,
    send: bool = False, url: str = "", staff_id: str | None = None,
) -> str:  # fmt: skip
    """Staff set a guest's login and password (``None``: a random one) from the guest card;
    ``send``: the credentials by SMS now, when the card has a mobile phone. The password."""
    guest = uow.cabinet.guest(guest_id)
    if guest is None:
        raise CabinetRefused("There is no such guest.", 404)
    name = _login(login)
    taken = uow.cabinet.account_by_login(name)
    if taken is not None and taken.guest_id != guest_id:
        raise CabinetRefused("This login is taken.", 409)
    secret = require_password(password) if password is not None else generate_password(
        secrets.choice, 10)  # fmt: skip
    account = uow.cabinet.account(guest_id)
    before = None if account is None else account.login
    if account is None:
        uow.cabinet.add_account(CabinetAccountRow(
            guest_id=guest_id, login=name, password_hash=passwords.hash_checked(secret),
            created_at=uow.now, password_changed_at=uow.now))  # fmt: skip
    else:
        account.login, account.password_hash = name, passwords.hash_checked(secret)
        account.recovery_hash = account.recovery_expires_at = None
        account.password_changed_at = uow.now
        uow.web_sessions.remove_of(GUEST_REALM, guest_id)
    uow.guest_cards.audit(guest_id, "cabinet.credentials", field="cabinet_login", before=before,
                          after=name, staff_id=staff_id)  # fmt: skip
    if send and guest.phone and is_mobile(guest.phone):
        sms_to_phone(uow, guest.phone, "cabinet_credentials",
                     f"cabinet-credentials:{guest_id}:{uow.now.isoformat()}", guest_id,
                     name=guest.name, login=name, password=secret, url=url)  # fmt: skip
    return secret


def sign_in(uow: UnitOfWork, login: str, password: str, source: str,
            lifetimes: sessions.Lifetimes) -> SignedIn | CodeSent | Refused:  # fmt: skip
    """A session for the right login and password (or ``CodeSent``: the phone is to be
    confirmed first); ``CabinetRefused`` for a guest not allowed in."""
    attempt = throttle.Attempt(GUEST_REALM, login[:200], source)
    wait = throttle.wait_seconds(uow, attempt)
    if wait > 0:
        return Refused(wait)
    try:
        account = uow.cabinet.account_by_login(normalise_login(login))
    except DomainError:
        account = None
    current = account.password_hash if account is not None else None
    by_password = passwords.password_matches(password, current)
    by_recovery = (not by_password and account is not None
                   and account.recovery_hash is not None
                   and account.recovery_expires_at is not None
                   and uow.now < account.recovery_expires_at
                   and passwords.password_matches(password, account.recovery_hash))  # fmt: skip
    if account is None or not (by_password or by_recovery):
        throttle.failed(uow, attempt)
        return Refused()
    throttle.succeeded(uow, attempt)
    guest = uow.cabinet.guest(account.guest_id)
    if guest is None or not guest.cabinet_login_allowed:
        raise CabinetRefused("Your cabinet is closed. Ask the venue to open it.", 403)
    if by_recovery:
        account.password_hash, account.recovery_hash = account.recovery_hash, None
        account.recovery_expires_at, account.password_changed_at = None, uow.now
        uow.web_sessions.remove_of(GUEST_REALM, account.guest_id)
    elif current and passwords.needs_rehash(current):
        account.password_hash = passwords.hash_checked(password)
    if account.phone_confirmed_at is None and not guest.registration_skipped:
        if not guest.phone or not is_mobile(guest.phone):
            raise CabinetRefused("Your card has no mobile phone to confirm. Ask the venue to "
                                 "add one.", 403)  # fmt: skip
        return _send_code(uow, guest.phone, account.login, None, guest_id=account.guest_id,
                          source=source)  # fmt: skip
    token, _session = sessions.start(uow, GUEST_REALM, account.guest_id, lifetimes)
    return SignedIn(account.guest_id, token)


def change_password(uow: UnitOfWork, guest_id: str, current: str, new: str, *, source: str,
                    lifetimes: sessions.Lifetimes) -> SignedIn | Refused:  # fmt: skip
    """A signed-in guest's new password, given the current one (throttled as a sign-in: a
    stolen session cannot guess it); every session of the guest ends and a new one starts."""
    account = uow.cabinet.account(guest_id)
    if account is None:
        raise CabinetRefused("There is no such guest.", 404)
    require_password(new)
    attempt = throttle.Attempt(GUEST_REALM, account.login, source)
    wait = throttle.wait_seconds(uow, attempt)
    if wait > 0:
        return Refused(wait)
    if not passwords.password_matches(current, account.password_hash):
        throttle.failed(uow, attempt)
        return Refused()
    throttle.succeeded(uow, attempt)
    account.password_hash = passwords.hash_checked(new)
    account.recovery_hash = account.recovery_expires_at = None
    account.password_changed_at = uow.now
    uow.web_sessions.remove_of(GUEST_REALM, guest_id)
    uow.guest_cards.audit(guest_id, "cabinet.password", reason="by the guest")
    token, _session = sessions.start(uow, GUEST_REALM, guest_id, lifetimes)
    return SignedIn(guest_id, token)


def start_signup(uow: UnitOfWork, phone: str, login: str, password: str, source: str, *,
                 name: str) -> CodeSent:  # fmt: skip
    """A registration: the code goes by SMS to ``phone``; the account (and the guest, when no
    guest has the phone: ``name`` is theirs) is made on ``confirm``."""
    name = " ".join(name.split())
    if not name or not name.isprintable():
        raise CabinetRefused("Give your name.")
    if len(name) > MAX_NAME:
        raise CabinetRefused("A name has at most 200 characters.")
    try:
        number = normalise_phone(phone)
    except DomainError:
        raise CabinetRefused("This is not a phone number.") from None
    if not is_mobile(number):
        raise CabinetRefused("An SMS code can only go to a mobile phone (+7 9..).")
    chosen = _login(login)
    if uow.cabinet.account_by_login(chosen) is not None:
        raise CabinetRefused("This login is taken.", 409)
    hashed = passwords.hash_checked(require_password(password))
    return _send_code(uow, number, chosen, hashed, guest_id=None, source=source, name=name)


def _send_code(uow: UnitOfWork, phone: str, login: str, password_hash: str | None, *,
               guest_id: str | None, source: str, name: str | None = None
               ) -> CodeSent:  # fmt: skip
    """A registration row and its code by SMS, unless this phone or address sent too many."""
    attempt = throttle.Attempt(SMS_REALM, phone, source)
    wait = throttle.wait_seconds(uow, attempt)
    if wait > 0:
        raise CabinetRefused("Too many codes were sent. Try again in {seconds} s.", 429,
                             seconds=int(wait) + 1)  # fmt: skip
    throttle.failed(uow, attempt)  # every code sent counts; nothing clears it but time
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    uow.cabinet.add_signup(CabinetSignupRow(
        token_hash=_digest(token), phone=phone, login=login, password_hash=password_hash,
        guest_id=guest_id, name=name, code_hash=_digest(token, code), wrong_codes=0,
        created_at=uow.now, expires_at=uow.now + CODE_LIFETIME))  # fmt: skip
    sms_to_phone(uow, phone, "signup_code", f"cabinet-code:{_digest(token)}", guest_id,
                 code=code)  # fmt: skip
    return CodeSent(token)


def pending_phone(uow: UnitOfWork, token: str) -> str | None:
    """The phone a registration's code went to (shown masked on the page); None: no such."""
    row = uow.cabinet.signup(_digest(token)) if token else None
    return None if row is None or uow.now >= row.expires_at else row.phone


@dataclass(frozen=True)
class WrongCode:
    left: int  # codes that may still be tried; 0: the registration is over


def confirm(uow: UnitOfWork, token: str, code: str, lifetimes: sessions.Lifetimes
            ) -> SignedIn | WrongCode:  # fmt: skip
    """The code of a registration (or of a first sign-in): the account and a session, or the
    wrong code counted (committed like any answer)."""
    row = uow.cabinet.signup(_digest(token)) if token else None
    if row is None or uow.now >= row.expires_at:
        raise CabinetRefused("This code has expired. Start again.", 410)
    if not hmac.compare_digest(_digest(token, code.strip()), row.code_hash):
        row.wrong_codes += 1
        if row.wrong_codes >= WRONG_CODES:
            uow.cabinet.remove_signup(row.token_hash)
        return WrongCode(max(WRONG_CODES - row.wrong_codes, 0))
    uow.cabinet.remove_signup(row.token_hash)
    if row.guest_id is None:
        uow.cabinet.lock_phone(row.phone)  # a second confirmation waits, then finds the guest
    guest_id = row.guest_id or _register(uow, row)
    account = uow.cabinet.account(guest_id)
    assert account is not None
    account.phone_confirmed_at = uow.now
    token_out, _session = sessions.start(uow, GUEST_REALM, guest_id, lifetimes)
    return SignedIn(guest_id, token_out)


def _register(uow: UnitOfWork, row: CabinetSignupRow) -> str:
    """The account of the venue's guest with the confirmed phone, or of a new guest when none
    has it: the guest id."""
    found = uow.cabinet.guests_by_phone(row.phone)
    if not found:
        return _register_new(uow, row)
    if len(found) > 1:
        raise CabinetRefused("Several guests have this phone. Ask the venue to set your "
                             "login.", 409)  # fmt: skip
    guest = uow.cabinet.guest(found[0])
    assert guest is not None and row.password_hash is not None
    if not guest.cabinet_login_allowed:
        raise CabinetRefused("Your cabinet is closed. Ask the venue to open it.", 403)
    if uow.cabinet.account(guest.guest_id) is not None:
        raise CabinetRefused("You already have a cabinet. Sign in, or recover the password.",
                             409)  # fmt: skip
    if uow.cabinet.account_by_login(row.login) is not None:
        raise CabinetRefused("This login is taken.", 409)
    uow.cabinet.add_account(CabinetAccountRow(
        guest_id=guest.guest_id, login=row.login, password_hash=row.password_hash,
        created_at=uow.now, password_changed_at=uow.now))  # fmt: skip
    uow.guest_cards.audit(guest.guest_id, "cabinet.registered", field="cabinet_login",
                          after=row.login, reason="by the guest")  # fmt: skip
    return guest.guest_id


def _register_new(uow: UnitOfWork, row: CabinetSignupRow) -> str:
    """A new guest with the registration's name and the phone its code proved, and the
    account: the guest id."""
    if not row.name or row.password_hash is None:  # a registration started before names
        raise CabinetRefused("This code has expired. Start again.", 410)
    if uow.cabinet.account_by_login(row.login) is not None:
        raise CabinetRefused("This login is taken.", 409)
    try:
        guest_id = create_guest_by_guest(uow, row.name, row.phone)
    except EditRefused:  # a till's rule refused it (checked before the code; not expected)
        raise CabinetRefused("The venue could not add you as a guest. Ask at the venue.",
                             409) from None  # fmt: skip
    uow.cabinet.add_account(CabinetAccountRow(
        guest_id=guest_id, login=row.login, password_hash=row.password_hash,
        created_at=uow.now, password_changed_at=uow.now))  # fmt: skip
    uow.guest_cards.audit(guest_id, "cabinet.registered", field="cabinet_login",
                          after=row.login, reason="by the guest")  # fmt: skip
    return guest_id


def recover(uow: UnitOfWork, login_or_email: str, url: str = "") -> int:
    """A new password by SMS to each guest found by login or e-mail (the page says the same
    whoever asked); how many were sent (for tests and logs only)."""
    text = login_or_email.strip()
    if "@" in text:
        accounts = uow.cabinet.accounts_by_email(text.lower())[:RECOVERY_ACCOUNTS]
    else:
        try:
            found = uow.cabinet.account_by_login(normalise_login(text))
        except DomainError:
            found = None
        accounts = [found] if found is not None else []
    sent = 0
    for account in accounts:
        guest = uow.cabinet.guest(account.guest_id)
        if guest is None or not guest.cabinet_login_allowed or not guest.phone:
            continue
        if not is_mobile(guest.phone):
            continue
        if account.recovery_sent_at and uow.now - account.recovery_sent_at < RECOVERY_EVERY:
            continue
        secret = generate_password(secrets.choice, 10)
        account.recovery_hash = passwords.hash_checked(secret)
        account.recovery_expires_at = uow.now + RECOVERY_LIFETIME
        account.recovery_sent_at = uow.now
        sms_to_phone(uow, guest.phone, "cabinet_credentials",
                     f"cabinet-recovery:{account.guest_id}:{uow.now.isoformat()}",
                     account.guest_id, name=guest.name, login=account.login, password=secret,
                     url=url)  # fmt: skip
        sent += 1
    return sent
