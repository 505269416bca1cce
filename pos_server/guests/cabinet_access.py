"""A guest's cabinet access as staff see it on the guest card (issue 19 point 1, issue 18
point 2's "cabinet access" tab): whether the guest has a login (the login, never the
password), whether the card has a mobile phone the credentials may go to by SMS, and setting
them (``pos_server.cabinet_web.accounts.set_credentials``: argon2id, audited, the SMS through
the outbox). The back office and the till's terminal API (``POST /v1/guests/{id}/
cabinet-credentials``) both call ``set_access``; the flags stay card edits (``guest.updated``).

The cabinet's address in the SMS is ``POS_SERVER_PUBLIC_URL`` + ``/cabinet``; unset, the SMS
has none. Never the request's Host header, which a stranger could forge."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.phones import is_mobile
from pos_server.cabinet_web.accounts import set_credentials
from pos_server.uow import UnitOfWork

CABINET_PATH = "/cabinet"


def cabinet_url(public_url: str | None) -> str:
    """The cabinet's public address for an SMS ("": none configured)."""
    return public_url.rstrip("/") + CABINET_PATH if public_url else ""


@dataclass(frozen=True, slots=True)
class CabinetAccess:
    login: str | None  # None: no cabinet account yet
    sms_phone: str | None  # the card's phone when it is a mobile one (credentials go there)


@dataclass(frozen=True, slots=True)
class CredentialsSet:
    login: str  # as stored (normalised)
    password: str | None  # a random one, to be told to the guest once; None: typed or sent
    sent: bool  # the SMS is in the outbox


def access(uow: UnitOfWork, guest_id: str) -> CabinetAccess | None:
    """None: no such guest."""
    guest = uow.cabinet.guest(guest_id)
    if guest is None:
        return None
    account = uow.cabinet.account(guest_id)
    mobile = guest.phone if guest.phone and is_mobile(guest.phone) else None
    return CabinetAccess(None if account is None else account.login, mobile)


def set_access(
    uow: UnitOfWork, guest_id: str, login: str, password: str | None, *, send: bool,
    staff_id: str | None, public_url: str | None,
) -> CredentialsSet:  # fmt: skip
    """Set the login and the password (None: a random one); ``send``: by SMS when the card
    has a mobile phone. ``CabinetRefused`` (404 no guest, 409 login taken, 400 bad login or
    password) leaves everything as it was."""
    secret = set_credentials(uow, guest_id, login, password, send=send,
                             url=cabinet_url(public_url), staff_id=staff_id)  # fmt: skip
    now = access(uow, guest_id)
    assert now is not None and now.login is not None
    sent = send and now.sms_phone is not None
    return CredentialsSet(now.login, secret if password is None and not sent else None, sent)
