"""A guest's cabinet access from the till's guest card (issue 19 point 1): the cabinet login
and password live on the server only (argon2id), so the till asks it each time through a port
(``pos_app.sync.guest_cabinet_client``: ``/v1/guests/{id}/cabinet-credentials``). Offline,
or on a till not connected to a server, nothing can be set: ``CabinetServerNeeded`` says so
and the card keeps the form. The three flags stay ordinary card edits (``GuestCardService
.update``), which work offline.

API (``by``: the signed-in ``StaffSession``)::

    cabinet = GuestCabinetService(port)          # default: NO_CABINET_SERVER
    cabinet.access(guest_id)                     # -> CabinetAccess(login | None, sms_phone)
    cabinet.set_credentials(by, guest_id, "anna", None, send=True)
    # -> CredentialsSet(login, password | None, sent): None password: random, shown once

Who may: whoever may edit the guest card (``pos_app.domain.guest_card.may``, EDIT_GUEST:
cashiers and operators too); the server checks the same for the staff member named."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_app.domain.errors import DomainError
from pos_app.domain.guest_card import Permission, may
from pos_app.domain.guests import normalise_login
from pos_app.domain.loyalty import PermissionDenied
from pos_app.services.guest_card import Actor

MIN_PASSWORD, MAX_PASSWORD = 8, 128  # the server's rule (pos_server/cabinet_web/accounts.py)


class CabinetServerNeeded(DomainError):
    """The server did not answer (or the till has none): nothing was set."""

    code = "cabinet_server_needed"


class CabinetRefused(DomainError):
    """The server (or the till's own check) said no; ``reason``: ``login_taken``,
    ``unknown_guest``, ``bad_login``, ``bad_password``, ``forbidden``, ``refused``."""

    code = "cabinet_refused"

    def __init__(self, message: str, reason: str, **details: object) -> None:
        super().__init__(message, reason=reason, **details)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CabinetAccess:
    login: str | None  # None: the guest has no cabinet account yet
    sms_phone: str | None  # the card's mobile phone on the server (credentials go there)


@dataclass(frozen=True, slots=True)
class CredentialsSet:
    login: str
    password: str | None  # the random password to tell the guest, once; None: typed or sent
    sent: bool  # the SMS is queued on the server


class CabinetPort(Protocol):
    def access(self, guest_id: str) -> CabinetAccess:
        """The server's answer; ``CabinetServerNeeded`` / ``CabinetRefused`` otherwise."""
        ...

    def set_credentials(self, guest_id: str, staff_id: str, login: str, password: str | None,
                        send: bool) -> CredentialsSet:  # fmt: skip
        """Set on the server; ``CabinetServerNeeded`` / ``CabinetRefused`` otherwise."""
        ...


class NoCabinetServer:
    """A till not connected to a server."""

    def access(self, guest_id: str) -> CabinetAccess:
        raise CabinetServerNeeded("This till is not connected to a server.", reason="none")

    def set_credentials(self, guest_id: str, staff_id: str, login: str, password: str | None,
                        send: bool) -> CredentialsSet:  # fmt: skip
        raise CabinetServerNeeded("This till is not connected to a server.", reason="none")


NO_CABINET_SERVER = NoCabinetServer()  # stateless


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise CabinetRefused(f"A password is {MIN_PASSWORD} to {MAX_PASSWORD} characters.",
                             "bad_password")  # fmt: skip
    if password.strip() != password or not password.isprintable():
        raise CabinetRefused("A password has no leading or trailing spaces.", "bad_password")
    return password


class GuestCabinetService:
    def __init__(self, port: CabinetPort = NO_CABINET_SERVER) -> None:
        self._port: CabinetPort = port

    def access(self, guest_id: str) -> CabinetAccess:
        return self._port.access(guest_id)

    def set_credentials(self, by: Actor, guest_id: str, login: str, password: str | None, *,
                        send: bool = False) -> CredentialsSet:  # fmt: skip
        """Checked here first (who, the login's and the password's form), then set on the
        server; ``password`` None: a random one."""
        if not may(by.role, by.granted, Permission.EDIT_GUEST):
            raise PermissionDenied(
                f"{by.name} ({by.role}) may not edit a guest card.",
                permission=Permission.EDIT_GUEST.value,
                role=by.role,
            )
        try:
            normalise_login(login)
        except DomainError as exc:
            raise CabinetRefused(exc.message, "bad_login") from None
        if password is not None:
            check_password(password)
        return self._port.set_credentials(guest_id, by.staff_id, login.strip(), password, send)
