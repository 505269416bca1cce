"""The first-run wizard's port (``services/first_run.py`` ``TillSetup``) on a till's data folder
(when the wizard is shown: ``commands/first_run.py``).

Enrolment is the ``--enrol-code`` path of ``pos-app till`` (``sync_runtime.enrol_data_dir``);
the venue's data is the change feed (``FeedPuller``, as ``pos-app pull``); the devices are the
device settings screen's service with the print queue and the scanner running
(``device_settings_app``); the device list is the one ``pos-app diagnostics`` writes.

Where the token goes: the OS keyring when a usable backend is there, else a file only this
user can read, ``DATA/terminal.token`` (mode 0600) - the wizard says which before the code is
spent.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pos_app.commands.first_run import OFFLINE_KEY
from pos_app.commands.store_factory import data_dir, open_till_store
from pos_app.commands.sync_runtime import (
    SERVER_KEY,
    TERMINAL_KEY,
    SyncSetupError,
    enrol_data_dir,
    load_token,
    server_trust,
)
from pos_app.db import Store
from pos_app.devices.keyboard_layout import normalize_wedge_text
from pos_app.domain.enrol_link import BadEnrolLink, EnrolLink, parse_enrol_link
from pos_app.services.first_run import (
    Enrolled,
    FoundDevices,
    SetupDevices,
    SetupFailed,
    TokenPlace,
    VenueDetails,
)
from pos_app.services.shifts import TERMINAL_NAME_KEY
from pos_app.sync.enrolment import FILE_PREFIX, KEYRING, KeyringTokenStore, TokenStoreError
from pos_app.sync.server_link import (
    InsecureServer,
    ServerLinkError,
    ServerTrust,
    check_server_url,
)
from pos_app.sync.transport import Refused, Unreachable

log = logging.getLogger(__name__)

TOKEN_FILE = "terminal.token"


def failure_of(
    exc: SyncSetupError, trust: ServerTrust, cause: BaseException | None = None
) -> SetupFailed:
    """The wizard's reason for an enrolment that failed (told by ``cause``, else by the
    exception's own cause)."""
    cause = cause or exc.__cause__
    if exc.reason:
        reason = exc.reason
    elif isinstance(cause, InsecureServer):
        reason = "plain_http"
    elif isinstance(cause, ServerLinkError):
        missing = trust.ca_cert and not Path(trust.ca_cert).is_file()
        reason = "ca_missing" if missing else "bad_url"
    elif isinstance(cause, Refused):
        reason = _refusal(cause)
    elif isinstance(cause, Unreachable):
        reason = "tls" if _is_tls(cause) else _unreachable(cause)
    elif isinstance(cause, TokenStoreError):
        reason = "token_store"
    else:
        reason = "server_refused"
    return SetupFailed(reason, str(exc))


def _refusal(refused: Refused) -> str:
    """The server says why in English only (pos_server/terminals.py); 401 is the code's."""
    detail = str(refused.detail).lower()
    if refused.status != 401:
        return "server_refused"
    if "expired" in detail:
        return "code_expired"
    if "revoked" in detail:
        return "terminal_revoked"
    return "code_unknown"


def _unreachable(exc: Unreachable) -> str:
    """An answer that is an error (5xx, 429) or not the server's JSON (another web server at
    that address) is not "no answer"."""
    text = str(exc)
    return (
        "server_error"
        if text.startswith("the server answered") or "not JSON" in text
        else ("unreachable")
    )


def _is_tls(exc: BaseException) -> bool:
    import requests

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, requests.exceptions.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class DataFolderSetup:
    """``TillSetup`` on one data folder; every method runs on the wizard's op worker."""

    def __init__(self, directory: str | Path | None) -> None:
        self.directory = directory
        self.store: Store | None = None
        self._devices: Any = None  # (ReceiptPrinting, RunningScanner) once the devices page opened

    def token_place(self) -> TokenPlace:
        try:
            KeyringTokenStore()
        except TokenStoreError as exc:
            return TokenPlace(False, str(data_dir(self.directory) / TOKEN_FILE), str(exc))
        return TokenPlace(True)

    def read_link(self, text: str) -> EnrolLink:
        try:
            return parse_enrol_link(normalize_wedge_text(text.strip()))
        except BadEnrolLink as exc:
            raise SetupFailed("bad_link", str(exc)) from exc

    def enrol(self, server: str, code: str, *, ca_cert: str = "",
              insecure: bool = False) -> Enrolled:  # fmt: skip
        place = self.token_place()
        choice = KEYRING if place.in_keyring else FILE_PREFIX + place.path
        ca = str(Path(ca_cert).expanduser().absolute()) if ca_cert.strip() else None
        trust = ServerTrust(ca, insecure)
        if not code.strip():  # the address is judged first: it may be what is wrong
            try:
                check_server_url(server, trust)
            except ServerLinkError as exc:
                raise failure_of(SyncSetupError(str(exc)), trust, cause=exc) from exc
            raise SetupFailed("code_unknown", "No enrolment code was given.")
        self._close_store()  # enrolment opens the folder itself
        try:
            store = enrol_data_dir(self.directory, server.strip(), code.strip(), choice, trust)
        except SyncSetupError as exc:
            raise failure_of(exc, trust) from exc
        self.store = store
        with store.unit_of_work(durable=False) as uow:
            terminal_id = str(uow.settings.get(TERMINAL_KEY))
            name = str(uow.settings.get(TERMINAL_NAME_KEY) or "")
            url = str(uow.settings.get(SERVER_KEY))
        log.info("enrolled as terminal %s (%s) with %s; token in %s", terminal_id, name, url,
                 choice)  # fmt: skip
        return Enrolled(terminal_id, name, url, place)

    def fetch_venue(self) -> VenueDetails:
        """The change feed into the store (the catalogue, staff, guests, the shop's time
        zone), then what arrived."""
        from pos_app.db.uow import SystemClock
        from pos_app.services.feed import FeedService
        from pos_app.sync.puller import FeedPuller, PullError

        store = self._store()
        try:
            _, token = load_token(store)
            with store.unit_of_work(durable=False) as uow:
                url = str(uow.settings.get(SERVER_KEY))
            puller = FeedPuller(url, token, FeedService(store.unit_of_work, SystemClock()),
                                trust=server_trust(store))  # fmt: skip
            puller.pull()
        except (SyncSetupError, PullError) as exc:
            raise SetupFailed("feed_failed", str(exc)) from exc
        return self.venue()

    def venue(self) -> VenueDetails:
        from pos_app.services.venue_name import venue_name
        from pos_app.services.venue_time import venue_zone_name

        store = self._store()
        with store.unit_of_work(durable=False) as uow:
            name, zone = venue_name(uow), venue_zone_name(uow)
            terminal = str(uow.settings.get(TERMINAL_NAME_KEY) or "")
        with store.engine.connect() as conn:
            count = {table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                                or 0)
                     for table in ("products", "guest_groups", "staff", "guests")}  # fmt: skip
        return VenueDetails(terminal, zone, count["products"], count["guest_groups"],
                            count["staff"], count["guests"], name)  # fmt: skip

    def save_venue_name(self, name: str) -> None:
        from pos_app.services.venue_name import store_venue_name

        store_venue_name(self._store().unit_of_work, name)

    def found_devices(self) -> FoundDevices:
        from pos_app.commands.diagnostics import devices

        found = devices({})
        ports, hid, problems = found["serial_ports"], found["hid_devices"], []
        if isinstance(ports, str):
            problems.append(ports)
            ports = []
        if isinstance(hid, str):
            problems.append(hid)
            hid = []
        return FoundDevices(
            tuple(f"{p['device']} - {p['description']}" for p in ports),
            tuple(sorted({f"{d['vendor_id']}:{d['product_id']} {d['product'] or ''}".strip()
                          for d in hid})),
            tuple(problems),
        )  # fmt: skip

    def devices(self) -> SetupDevices:
        """The device settings with the print queue and the stored scanner running (as
        ``pos-app devices``): the test page prints, the last scan shows."""
        from pos_app.commands.composition import device_settings_service
        from pos_app.commands.device_settings_app import RunningScanner
        from pos_app.commands.printing import ReceiptPrinting, printer_settings_config
        from pos_app.devices.scan_monitor import LastScanRecorder

        store = self._store()
        self._stop_devices()
        stored = device_settings_service(store).load()
        printing = ReceiptPrinting(store, printer_settings_config(stored.printer))
        printing.start()
        scanner = RunningScanner(LastScanRecorder())
        self._devices = (printing, scanner)
        scanner.use(stored.scanner)
        service = device_settings_service(store, printing, scans=scanner.scans,
                                          on_saved=lambda s: scanner.use(s.scanner))  # fmt: skip
        return SetupDevices(service, printing.service)

    def work_offline(self) -> None:
        store = self._store()
        with store.unit_of_work() as uow:
            uow.settings.set(OFFLINE_KEY, True)
            uow.commit()

    def close(self) -> None:
        self._stop_devices()
        self._close_store()

    def _store(self) -> Store:
        if self.store is None:
            self.store = open_till_store(self.directory)
        return self.store

    def _stop_devices(self) -> None:
        if self._devices is not None:
            printing, scanner = self._devices
            scanner.stop()
            printing.stop()
            self._devices = None

    def _close_store(self) -> None:
        self._stop_devices()
        if self.store is not None:
            self.store.close()
            self.store = None
