"""``pos-app diagnostics --data-dir DIR --out FILE.zip``: what support needs, in one file.

The zip holds ``versions.json`` (the app, Python, the platform, every library the till uses),
``store.json`` (the store's state: the outbox by status and its oldest waiting operation, the
reconciliation items, the print queue, the terminal's numbering, the settings;
``db/diagnostics.py``), ``devices.json`` (the device settings and the serial ports and USB HID
devices this computer sees) and ``logs/`` (the data folder's log files and crash reports,
``commands/till_logs.py``).

Never in it: the database file itself (guests, PIN hashes), the terminal's token (neither the
token file nor the keyring is copied; a token found in a file token store and anything after
``Bearer`` is blanked out of every text put in), settings named like a secret.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import zipfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any

from pos_app.commands.store_factory import STORE_FILE, data_dir
from pos_app.commands.till_logs import logs_dir
from pos_app.db.diagnostics import store_snapshot

REDACTED = "<redacted>"
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
MAX_LOG_BYTES = 20_000_000  # all of the logs folder fits many times; a runaway file is cut


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pos-app diagnostics", description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", help="the till's data folder (default: $POS_DATA_DIR or the "
                   "user data directory)")  # fmt: skip
    p.add_argument("--out", type=Path,
                   help="the zip to write (default: pos-app-diagnostics-<UTC time>.zip here)")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    folder = data_dir(args.data_dir)
    if not folder.is_dir():
        print(f"pos-app diagnostics: there is no data folder {folder}", file=sys.stderr)
        return 1
    now = datetime.now(UTC)
    out = args.out or Path(f"pos-app-diagnostics-{now:%Y%m%dT%H%M%SZ}.zip")
    snapshot = store_snapshot(folder / STORE_FILE)
    secrets = _known_secrets(snapshot)
    try:
        written = write_zip(out, folder, snapshot, secrets, now)
    except OSError as exc:
        print(f"pos-app diagnostics: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"{out}: {len(written)} files ({', '.join(written)})")
    return 0


def write_zip(out: Path, folder: Path, snapshot: dict[str, Any], secrets: list[str],
              now: datetime) -> list[str]:  # fmt: skip
    def scrub(text: str) -> str:
        text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text

    def as_json(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)

    names: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        members = {
            "versions.json": as_json({"taken_at": now.isoformat(), **versions()}),
            "store.json": as_json(snapshot),
            "devices.json": as_json(devices(snapshot.get("settings"))),
        }
        for name, text in members.items():
            zf.writestr(name, scrub(text))
            names.append(name)
        logs = logs_dir(folder)
        for path in sorted(logs.iterdir()) if logs.is_dir() else []:
            if path.is_file():
                raw = path.read_bytes()[-MAX_LOG_BYTES:]
                zf.writestr(f"logs/{path.name}", scrub(raw.decode("utf-8", "replace")))
                names.append(f"logs/{path.name}")
    out.chmod(0o600)  # the logs may name guests
    return names


def versions() -> dict[str, Any]:
    """The app, Python, the platform and the installed version of every library the app
    requires (read from the package's metadata: Qt is not imported)."""
    libraries: dict[str, str] = {}
    try:
        wanted = requires("tillkeeper") or []
        app = version("tillkeeper")
    except PackageNotFoundError:
        wanted, app = [], "not installed (a source checkout)"
    for requirement in wanted:
        name = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
        if not name or name in libraries:
            continue
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = "not installed"
    return {"tillkeeper": app, "python": sys.version, "executable": sys.executable,
            "platform": platform.platform(), "machine": platform.machine(),
            "libraries": libraries}  # fmt: skip


def devices(settings: Any) -> dict[str, Any]:
    """The device settings as stored, and what this computer sees: serial ports, HID devices."""
    stored = settings if isinstance(settings, dict) else {}
    found: dict[str, Any] = {
        "settings": {k: v for k, v in stored.items() if k.startswith("device.")},
    }
    try:
        from serial.tools import list_ports

        found["serial_ports"] = [
            {"device": p.device, "description": p.description, "hwid": p.hwid}
            for p in list_ports.comports()
        ]
    except Exception as exc:  # a missing library or a port that cannot be listed
        found["serial_ports"] = f"not listed: {exc}"
    try:
        import hid

        found["hid_devices"] = [
            {"vendor_id": f"{d['vendor_id']:04x}", "product_id": f"{d['product_id']:04x}",
             "product": d.get("product_string"), "manufacturer": d.get("manufacturer_string"),
             "usage_page": d.get("usage_page")}
            for d in hid.enumerate()
        ]  # fmt: skip
    except Exception as exc:
        found["hid_devices"] = f"not listed: {exc}"
    return found


def _known_secrets(snapshot: dict[str, Any]) -> list[str]:
    """The terminal's token when it is kept in a file token store (or a console's in
    ``$POS_CONSOLE_TOKEN``), to blank it out anywhere; the keyring is not opened: it may ask
    its user to unlock it."""
    found = [t for t in (os.environ.get("POS_CONSOLE_TOKEN"),) if t and len(t) >= 8]
    settings = snapshot.get("settings")
    if not isinstance(settings, dict):
        return found
    choice, terminal = settings.get("sync.token_store"), settings.get("sync.terminal_id")
    if not (isinstance(choice, str) and choice.startswith("file:") and terminal):
        return found
    from pos_app.sync.enrolment import TokenStoreError, token_store

    try:
        token = token_store(choice).load(str(terminal))
    except (TokenStoreError, OSError, ValueError):
        return found
    return [*found, token] if token and len(token) >= 8 else found
