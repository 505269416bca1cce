"""Releasing a guest's open points holds from the till: the server's audited "reset holds".

API::

    resets = HoldResetService(staff, port=AdminClient(url, token), refresh=pull_feed)
    result = resets.reset_guest("anna", "the till crashed mid-payment", "9999")
    result.released   # how many holds the server released; result.approved_by: the manager

Holds normally end by themselves (commit, release, expiry, reconciliation), so this is the
manager's last resort, and the server keeps an audit row of who, where and why. The manager's
PIN is checked here first (the till's own throttle counts a wrong one, and only a manager's or
an admin's role may) and then sent with their staff id: the server checks it again against its
own staff table, and only takes a PIN of 6 or more digits (docs/security.md): an older
shorter manager PIN still approves at the till but is stopped here, before the call, with
``PinTooShortForServer``. After a reset ``refresh`` (the change-feed pull) brings the guest's new
available points into the local cache; if it fails the reset still stands.

The port does the network call (``pos_app.sync.admin_client``); it raises the errors below.
A till that is not enrolled has ``NotEnrolled``: not ``available``, it refuses with
``NotConnected``, and there is no feed to pull (``NO_FEED``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from pos_app.domain.errors import DomainError
from pos_app.domain.staff_pins import MIN_MANAGER_PIN_DIGITS
from pos_app.services.staff import Action, StaffService

MIN_REASON = 3


class ServerUnavailable(DomainError):
    """The server did not answer (offline): nothing was released."""

    code = "server_unavailable"


class NotConnected(DomainError):
    """This till is not enrolled with a server (no address, no token)."""

    code = "not_connected"


class ServerRefusedStaff(DomainError):
    """The server did not accept the manager's id and PIN, or their role (401/403/429)."""

    code = "server_refused_staff"


class PinTooShortForServer(DomainError):
    """A manager's PIN from before the 6-digit rule: the server would refuse it."""

    code = "pin_too_short_for_server"


class ResetRefused(DomainError):
    """The server refused the request itself (a bad reason, an unknown guest...)."""

    code = "reset_refused"


class ReasonNeeded(DomainError):
    code = "reason_needed"


class HoldResetPort(Protocol):
    @property
    def available(self) -> bool:
        """Whether a server can be asked at all (the till is enrolled)."""
        ...

    def reset_guest_holds(self, guest_id: str, reason: str, staff_id: str, pin: str) -> list[str]:
        """The ids of the holds the server released; raises the errors of this module."""
        ...


_NOT_CONNECTED = "This till is not connected to a server, so it cannot release holds."


class NotEnrolled:
    """The holds-reset port of a till with no server: it refuses, saying so."""

    @property
    def available(self) -> bool:
        return False

    def reset_guest_holds(self, guest_id: str, reason: str, staff_id: str, pin: str) -> list[str]:
        raise NotConnected(_NOT_CONNECTED)


NOT_ENROLLED = NotEnrolled()  # stateless


def no_feed() -> object:
    """The refresh of a till with no server: there is no change feed to pull."""
    raise NotConnected("This till has no server to pull the guest's points from.")


@dataclass(frozen=True, slots=True)
class HoldsReset:
    guest_id: str
    released: int
    approved_by: str  # the manager's name
    refreshed: bool  # the guest's points were pulled from the server afterwards


class HoldResetService:
    def __init__(
        self, staff: StaffService, port: HoldResetPort, refresh: Callable[[], object] = no_feed,
    ) -> None:  # fmt: skip
        self._staff = staff
        self._port = port
        self._refresh = refresh

    @property
    def available(self) -> bool:
        """Only an enrolled till (it has a server and a token) can ask the server."""
        return self._port.available

    def reset_guest(self, guest_id: str, reason: str, pin: str) -> HoldsReset:
        reason = reason.strip()
        if len(reason) < MIN_REASON:
            raise ReasonNeeded("Say why the holds are reset (a few words, kept in the audit).")
        approval = self._staff.authorize_manager(pin, Action.RESET_HOLDS)
        if not self._port.available:  # said before the PIN's length for the server
            raise NotConnected(_NOT_CONNECTED)
        if len(pin.strip()) < MIN_MANAGER_PIN_DIGITS:
            raise PinTooShortForServer(
                f"{approval.name}'s PIN is shorter than {MIN_MANAGER_PIN_DIGITS} digits, which "
                "the server does not accept; ask the admin for a new PIN. Nothing was released.",
                digits=MIN_MANAGER_PIN_DIGITS,
            )
        released = self._port.reset_guest_holds(guest_id, reason, approval.staff_id, pin.strip())
        try:
            self._refresh()
            refreshed = True
        except Exception:  # the reset stands; the next pull shows it
            refreshed = False
        return HoldsReset(guest_id, len(released), approval.name, refreshed)
