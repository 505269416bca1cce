"""Wiring of the sync engine to a till's store: enrolment of a data folder, and the worker.

``pos_app.sync`` may not import ``pos_app.db``, so the pieces meet here: the store's unit of
work goes into ``SyncQueue`` (the worker's view of the outbox) and ``FeedService`` (the puller's),
the token comes from the store the operator chose at enrolment, and the sender lock file sits
next to the store, so two processes on one data folder never push the same queue.

The worker, the puller and the till's services on top of them (``SyncRuntime.till``: points
confirmed online, holds reset on the server) are built by the composition root,
``commands/composition.py`` (``start_sync`` for an enrolled data folder, ``sync_engine`` for a
given server and token), as for every till.

Settings kept in the store (``uow.settings``): ``sync.server_url``, ``sync.terminal_id``,
``sync.token_store`` (``keyring`` or ``file:PATH``, the operator's explicit choice), and the
transport the operator chose at enrolment (``pos_app.sync.server_link``): ``sync.ca_cert``
(``--ca-cert PATH``) and ``sync.insecure`` (``--insecure``: plain http:// to another machine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.commands.store_factory import data_dir, open_till_store, store_path
from pos_app.db import Store, open_store
from pos_app.services.shifts import TERMINAL_NAME_KEY
from pos_app.services.sync_queue import SyncQueue
from pos_app.sync.enrolment import KEYRING, TokenStoreError, enrol, token_store
from pos_app.sync.puller import FeedPuller
from pos_app.sync.server_link import ServerLinkError, ServerTrust, check_server_url
from pos_app.sync.state import SyncState
from pos_app.sync.transport import HttpTransport, Refused, Unreachable
from pos_app.sync.worker import OutboxWorker

if TYPE_CHECKING:
    from pos_app.services.payments import PaymentService
    from pos_app.services.points import PointsService
    from pos_app.services.sales import SaleService
    from pos_app.services.till import TillServices

SERVER_KEY = "sync.server_url"
TERMINAL_KEY = "sync.terminal_id"
TOKEN_STORE_KEY = "sync.token_store"
CA_CERT_KEY = "sync.ca_cert"
INSECURE_KEY = "sync.insecure"
LOCK_FILE = "sync.lock"


class SyncSetupError(Exception):
    """The till cannot be enrolled or connected; the message says what to do. ``reason``
    names the data folder's own refusals (``already_enrolled``, ``has_operations``) for the
    first-run wizard; the others are told by the exception's cause."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def server_trust(store: Store, given: ServerTrust | None = None) -> ServerTrust:
    """What was given on this run, else what the operator chose at enrolment."""
    with store.unit_of_work(durable=False) as uow:
        ca_cert = uow.settings.get(CA_CERT_KEY)
        insecure = bool(uow.settings.get(INSECURE_KEY, False))
    given = given or ServerTrust()
    return ServerTrust(given.ca_cert or (str(ca_cert) if ca_cert else None),
                       given.insecure or insecure)  # fmt: skip


def checked_url(url: str, trust: ServerTrust) -> str:
    """``check_server_url`` with the refusal as a ``SyncSetupError``."""
    try:
        return check_server_url(url, trust)
    except ServerLinkError as exc:
        raise SyncSetupError(str(exc)) from exc


def enrolled_terminal(store: Store) -> str | None:
    with store.unit_of_work(durable=False) as uow:
        value = uow.settings.get(TERMINAL_KEY)
        return None if value is None else str(value)


def enrol_data_dir(
    directory: str | Path | None, server_url: str, code: str, token_choice: str = KEYRING,
    trust: ServerTrust | None = None,
) -> Store:
    """Enrol the till of ``directory`` with a one-time code; returns its open store. The
    transport options (``trust``) are kept with the till's settings for later runs."""
    trust = trust or ServerTrust()
    server_url = checked_url(server_url, trust)  # before the code travels anywhere
    try:
        tokens = token_store(token_choice)  # before the code is spent: it works only once
    except TokenStoreError as exc:
        raise SyncSetupError(str(exc)) from exc
    if store_path(directory).exists():
        _check_enrollable(directory)  # before the code is spent
    transport = HttpTransport(server_url, None, trust=trust)
    try:
        enrolment = enrol(transport, code, tokens)
    except Refused as exc:
        raise SyncSetupError(
            "The server does not accept this enrolment code (unknown, expired or already "
            "used)."
        ) from exc
    except (Unreachable, TokenStoreError) as exc:
        raise SyncSetupError(f"Enrolment failed: {exc}") from exc
    finally:
        transport.close()
    store = open_store(store_path(directory), terminal_id=enrolment.terminal_id)
    if store.terminal.terminal_id != enrolment.terminal_id:
        store = _adopt_terminal_id(store, directory, enrolment.terminal_id)
    with store.unit_of_work() as uow:
        uow.settings.set(SERVER_KEY, server_url.rstrip("/"))
        uow.settings.set(TERMINAL_KEY, enrolment.terminal_id)
        uow.settings.set(TOKEN_STORE_KEY, enrolment.token_store)
        uow.settings.set(CA_CERT_KEY, trust.ca_cert)
        uow.settings.set(INSECURE_KEY, trust.insecure)
        if transport.enrolled_name:  # the name the server knows it by, for its reports
            uow.settings.set(TERMINAL_NAME_KEY, transport.enrolled_name)
        uow.commit()
    return store


def _operations(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() or 0)


def _check_enrollable(directory: str | Path | None) -> None:
    """An existing till may be enrolled only once, and only before it wrote any operation:
    its operations carry its terminal id, which the server would not accept from the new one."""
    existing = open_till_store(directory)
    try:
        if enrolled_terminal(existing) is not None:
            raise SyncSetupError(f"The till in {data_dir(directory)} is already enrolled.",
                                 "already_enrolled")
        if count := _operations(existing):
            raise SyncSetupError(
                f"The till in {data_dir(directory)} already has {count} operations written as "
                f"terminal {existing.terminal.terminal_id}; enrol a new data folder.",
                "has_operations",
            )
    finally:
        existing.close()


def _adopt_terminal_id(store: Store, directory: str | Path | None, terminal_id: str) -> Store:
    """A till made before enrolment (demo data, a catalogue) takes the server's terminal id;
    only while it has no operation (checked again in the same statement)."""
    with store.engine.begin() as conn:
        changed = conn.exec_driver_sql(
            "UPDATE terminal_state SET terminal_id = ? WHERE id = 1"
            " AND NOT EXISTS (SELECT 1 FROM outbox)", (terminal_id,),
        ).rowcount  # fmt: skip
    store.close()
    if changed != 1:
        raise SyncSetupError(
            f"The data folder {data_dir(directory)} already belongs to another terminal; "
            "enrol into a new folder.",
            "has_operations",
        )
    return open_store(store_path(directory))


@dataclass
class SyncRuntime:
    """An enrolled till's sync worker on its store, and (``till``) its services on top."""

    store: Store
    queue: SyncQueue
    worker: OutboxWorker
    state: SyncState
    puller: FeedPuller
    server_url: str
    trust: ServerTrust = field(default_factory=ServerTrust)
    _till: TillServices | None = field(default=None, init=False, repr=False)

    @property
    def till(self) -> TillServices:
        """The till's services with this worker behind the points and the holds reset,
        built by the composition root on first use."""
        if self._till is None:
            from pos_app.commands.composition import till_services

            self._till = till_services(self.store, sync=self, server_url=self.server_url)
        return self._till

    @property
    def sales(self) -> SaleService:
        return self.till.sales

    @property
    def payments(self) -> PaymentService:
        return self.till.payments

    @property
    def points(self) -> PointsService:
        return self.till.points

    def close(self) -> None:
        self.worker.stop()
        self.store.close()


def load_token(store: Store) -> tuple[str, str]:
    """``(terminal_id, token)`` of an enrolled till; ``SyncSetupError`` says what is missing."""
    with store.unit_of_work(durable=False) as uow:
        terminal_id = uow.settings.get(TERMINAL_KEY)
        choice = uow.settings.get(TOKEN_STORE_KEY, KEYRING)
    if not terminal_id:
        raise SyncSetupError("This till is not enrolled: run it once with --enrol-code CODE.")
    try:
        token = token_store(str(choice)).load(str(terminal_id))
    except TokenStoreError as exc:
        raise SyncSetupError(str(exc)) from exc
    if not token:
        raise SyncSetupError(
            f"The token of terminal {terminal_id} is not in {choice}; enrol the till again."
        )
    return str(terminal_id), token
