"""The first-run wizard's use cases, behind one port (``TillSetup``) the commands implement.

A till started with no store, or with a store that was never enrolled, asks its installer for
the server and the enrolment code (typed, or the back office's QR scanned:
``pos_app.domain.enrol_link``), enrols, fetches the venue's data from the server, and has the
printer and scanner set up and tested. The wizard only talks to this port; the port's
implementation (``pos_app.commands.first_run``) reuses the ``--enrol-code`` path of the till.

Every failure is a ``SetupFailed`` with a stable ``reason`` the wizard turns into a sentence in
the installer's language saying what to do; ``message`` is the English detail (logged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_app.domain.enrol_link import EnrolLink
from pos_app.services.device_settings import DeviceSettingsService
from pos_app.services.printing import PrintService

REASONS = (
    "bad_link",  # the scanned text is not an enrolment link
    "bad_url",  # the server's address is not an http(s) URL
    "plain_http",  # http:// to another machine without the operator's consent
    "ca_missing",  # the CA certificate file does not exist
    "unreachable",  # no answer (down, wrong address or port, firewall)
    "server_error",  # an error answer (5xx), or not the server's (another web server there)
    "tls",  # the server's certificate was not accepted
    "code_unknown",  # unknown or already used
    "code_expired",
    "terminal_revoked",
    "token_store",  # the token could not be kept
    "already_enrolled",
    "has_operations",  # the data folder already wrote operations as another terminal
    "server_refused",  # any other refusal by the server
    "feed_failed",  # enrolled, but the venue's data could not be fetched
)


class SetupFailed(Exception):
    """One step of the first run failed; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class TokenPlace:
    """Where the terminal's token will be kept: the OS keyring, or (none usable) a file only
    this user can read - the wizard says which."""

    in_keyring: bool
    path: str = ""  # the file, when not in the keyring
    why_not_keyring: str = ""


@dataclass(frozen=True, slots=True)
class Enrolled:
    terminal_id: str
    terminal_name: str  # as the server knows it ("" when it sent none)
    server_url: str
    token_place: TokenPlace


@dataclass(frozen=True, slots=True)
class VenueDetails:
    """What the till now knows of its venue from the server's change feed."""

    terminal_name: str
    timezone: str
    products: int
    groups: int
    staff: int
    guests: int
    venue_name: str  # shop.name: the till's until the server publishes venue.name


@dataclass(frozen=True, slots=True)
class FoundDevices:
    serial_ports: tuple[str, ...]  # "device - description"
    hid_devices: tuple[str, ...]  # "vvvv:pppp product"
    listing_problems: tuple[str, ...] = ()  # a list that could not be read, and why


@dataclass(frozen=True, slots=True)
class SetupDevices:
    """The device settings screen's service and the print queue, on the till's store."""

    settings: DeviceSettingsService
    printing: PrintService


class TillSetup(Protocol):
    """The first run of one till's data folder. Every method may block: call off the GUI
    thread."""

    def token_place(self) -> TokenPlace: ...
    def read_link(self, text: str) -> EnrolLink: ...
    def enrol(self, server: str, code: str, *, ca_cert: str = "",
              insecure: bool = False) -> Enrolled: ...  # fmt: skip
    def fetch_venue(self) -> VenueDetails: ...  # the change feed pulled, then ``venue``
    def venue(self) -> VenueDetails: ...  # what the store holds now
    def save_venue_name(self, name: str) -> None: ...
    def found_devices(self) -> FoundDevices: ...
    def devices(self) -> SetupDevices: ...
    def work_offline(self) -> None: ...  # no server for now: do not ask again
    def close(self) -> None: ...
