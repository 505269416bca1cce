"""``pos-app console``: the operator console, wired together.

Store (the console's own SQLite file: order cache, outbox, settings) -> ``ConsoleOrders``
(built by the composition root, ``commands/composition.py``) -> the order stream (sync)
feeding the window (ui) through queued signals, and the action sender
(sync) pushing the console's outbox. The token is kept in the OS keyring after ``--enrol``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from pos_app.commands.server_options import add_trust_options, trust_of
from pos_app.db import Store, StoreError, open_store
from pos_app.services.orders import ActionSender, ConsoleOrders
from pos_app.sync.order_actions import HttpActionSender
from pos_app.sync.order_stream import OrderStream
from pos_app.sync.server_link import ServerLinkError, ServerTrust, check_server_url, new_session

log = logging.getLogger(__name__)
KEYRING_SERVICE = "tillkeeper-console"


@dataclass
class RunningConsole:
    """A console's parts, for the app, the tests and the benchmark."""

    store: Store
    service: ConsoleOrders
    stream: OrderStream
    sender: HttpActionSender
    window: Any  # ConsoleWindow (Qt is imported only when a console starts)
    runner: Any  # OpRunner
    owns_store: bool = True  # False when it shares a till's store (the till closes it)

    def close(self) -> None:
        self.stream.stop()
        self.window.shutdown()
        self.window.close()
        self.runner.shutdown(wait=True)
        if self.owns_store:
            self.store.close()


def start_console(
    store: Store, base_url: str, token: str, *, sound: Any, name: str = "",
    heartbeat_timeout: float = 40.0, owns_store: bool = True,
    wrap_sender: Callable[[HttpActionSender], ActionSender] | None = None,
    trust: ServerTrust | None = None,
) -> RunningConsole:
    """Build and start one console on the GUI thread (a QApplication must exist).

    ``store`` may be a till's own store (``pos-app till --with-console``): the order cache
    tables live in every store, actions go into the till's outbox with its gap-free ``seq``,
    and the action sender and the till's outbox worker take the same in-process
    ``sender_lock(terminal_id)``, so one queue still has one sender at a time. Pass
    ``owns_store=False`` then: the till closes its store; ``wrap_sender`` lets the till
    read a verdict its own worker recorded (``till_console.SharedQueueSender``). ``trust``:
    the server's transport (``pos_app.sync.server_link``); plain http:// to another machine is
    refused unless it says ``insecure``."""
    from pos_app.commands.composition import console_engine
    from pos_app.ui.console.window import ConsoleSignals, ConsoleWindow
    from pos_app.ui.op_runner import OpRunner

    signals = ConsoleSignals()
    engine = console_engine(store, base_url, token, on_orders=signals.on_orders,
                            on_status=signals.on_status, heartbeat_timeout=heartbeat_timeout,
                            wrap_sender=wrap_sender, trust=trust)  # fmt: skip
    runner = OpRunner()
    window = ConsoleWindow(engine.service, runner, signals, sound, name=name)
    engine.stream.start()
    return RunningConsole(store, engine.service, engine.stream, engine.sender, window, runner,
                          owns_store)  # fmt: skip


def enrol(base_url: str, code: str, trust: ServerTrust | None = None) -> tuple[str, str]:
    """Exchange a one-time code for (terminal id, token)."""
    with new_session(base_url, trust or ServerTrust()) as session:
        response = session.post(f"{base_url.rstrip('/')}/v1/terminals/enrol",
                                 json={"code": code}, timeout=10)  # fmt: skip
    if response.status_code != 200:
        raise SystemExit(f"Enrolment refused ({response.status_code}): {response.text}")
    body = response.json()
    return str(body["terminal_id"]), str(body["token"])


def _token(args: argparse.Namespace, terminal_id: str) -> str | None:
    token = args.token or os.environ.get("POS_CONSOLE_TOKEN")
    if token:
        return str(token)
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, terminal_id)
    except Exception as exc:  # no keyring backend on this machine
        log.warning("keyring unavailable: %s", exc)
        return None


def _save_token(terminal_id: str, token: str) -> None:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, terminal_id, token)
    except Exception as exc:
        print(f"pos-app console: the token could not be stored in the keyring ({exc}); "
              "pass --token next time.", file=sys.stderr)  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-app console", description=__doc__)
    parser.add_argument("--server", default="http://127.0.0.1:8765", help="server base URL")
    parser.add_argument("--data-dir", type=Path, required=True, help="the console's store")
    parser.add_argument("--enrol", metavar="CODE", help="enrol this console with a one-time code")
    parser.add_argument("--token", help="bearer token (else POS_CONSOLE_TOKEN or the keyring)")
    parser.add_argument("--name", default="", help="shown in the title bar")
    parser.add_argument("--lang", choices=("ru", "en"), help="UI language")
    parser.add_argument("--screenshot", type=Path, help="save a screenshot and quit")
    parser.add_argument("--after", type=float, default=3.0, help="seconds before the screenshot")
    add_trust_options(parser)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    trust = trust_of(args)
    try:
        check_server_url(args.server, trust)
    except ServerLinkError as exc:
        print(f"pos-app console: {exc}", file=sys.stderr)
        return 2
    terminal_id = token = None
    if args.enrol:
        try:
            terminal_id, token = enrol(args.server, args.enrol, trust)
        except requests.RequestException as exc:
            print(f"pos-app console: {args.server} did not answer: {exc}", file=sys.stderr)
            return 1
        _save_token(terminal_id, token)
    try:
        store = open_store(args.data_dir / "console.sqlite3", terminal_id=terminal_id)
    except StoreError as exc:
        print(f"pos-app console: {exc}", file=sys.stderr)
        return 1
    if terminal_id is not None and store.terminal.terminal_id != terminal_id:
        store.close()
        print(f"pos-app console: {args.data_dir} belongs to terminal "
              f"{store.terminal.terminal_id}; enrol with a fresh --data-dir.",
              file=sys.stderr)  # fmt: skip
        return 2
    token = token or _token(args, store.terminal.terminal_id)
    if not token:
        store.close()
        print("pos-app console: no token; enrol with --enrol CODE (from `pos-server terminal "
              "add`) or pass --token.", file=sys.stderr)  # fmt: skip
        return 2
    return _run_gui(args, store, token, trust)


def _run_gui(args: argparse.Namespace, store: Store, token: str, trust: ServerTrust) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from pos_app.devices.sound import SoundSettings, create_sound_player
    from pos_app.ui.application import application
    from pos_app.ui.i18n import install_translators, pick_language

    app = application()
    translators = install_translators(app, pick_language(args.lang))
    console = start_console(store, args.server, token, name=args.name, trust=trust,
                            sound=create_sound_player(SoundSettings()))  # fmt: skip
    console.window.resize(1280, 760)
    console.window.show()
    try:
        if not args.screenshot:
            return int(app.exec())
        # a local loop, not app.quit(): quitting would end any application hosting this call
        loop = QEventLoop()

        def shoot() -> None:
            console.window.grab().save(str(args.screenshot))
            loop.quit()

        QTimer.singleShot(int(args.after * 1000), shoot)
        loop.exec()
        return 0
    finally:
        console.close()
        for translator in translators:
            app.removeTranslator(translator)
