"""``pos-app diagnostics``: logs, versions, queue state, devices - and no secrets
(issue 23 point 4)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.net import free_port
from pos_app.db import open_store
from pos_app.sync.enrolment import FileTokenStore

TOKEN = "tk_live_5Qm2v8ZrXc7Lp0sYw4Nd"


def pos_app(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pos_app.app", *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def enrolled_demo_till(data: Path) -> None:
    """A demo till as enrolment leaves it with ``--token-store file:PATH`` (the token file in
    the data folder itself), with one sale waiting for the server."""
    assert pos_app("demo-data", "--data-dir", data).returncode == 0
    token_file = data / "till.token"
    FileTokenStore(token_file).save("T1", TOKEN)
    with open_store(data / "till.sqlite3") as store, store.unit_of_work() as uow:
        uow.settings.set("sync.server_url", "https://pos.example.invalid")
        uow.settings.set("sync.terminal_id", "T1")
        uow.settings.set("sync.token_store", f"file:{token_file}")
        uow.settings.set("device.printer", {"driver": "network", "host": "10.0.0.7",
                                            "port": 9100})  # fmt: skip
        uow.commit()
    # no printer answers: the sale is done, its operations wait, the receipt is not printed
    sold = pos_app("demo-sale", "--data-dir", data, "--printer", f"127.0.0.1:{free_port()}")
    assert sold.returncode == 3, sold.stderr
    with (data / "logs" / "till.log").open("a", encoding="utf-8") as log:  # a careless library
        log.write(f"2026-01-01T00:00:00.000Z DEBUG requests: Authorization: Bearer {TOKEN}\n")


def test_the_zip_has_logs_versions_queue_and_devices_but_no_secret(tmp_path: Path) -> None:
    data, out = tmp_path / "till", tmp_path / "support" / "diag.zip"
    enrolled_demo_till(data)
    done = pos_app("diagnostics", "--data-dir", data, "--out", out)
    assert done.returncode == 0, done.stderr

    with zipfile.ZipFile(out) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    assert {"versions.json", "store.json", "devices.json", "logs/demo-data.log",
            "logs/demo-sale.log", "logs/till.log"} <= set(members)  # fmt: skip
    assert not any(name.endswith((".sqlite3", ".token")) for name in members)

    versions = json.loads(members["versions.json"])
    assert versions["tillkeeper"] and versions["python"].startswith(sys.version.split()[0])
    assert "PySide6" in versions["libraries"] and "SQLAlchemy" in versions["libraries"]

    store = json.loads(members["store.json"])
    with sqlite3.connect(data / "till.sqlite3") as conn:
        waiting = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()
        hashes = conn.execute("SELECT pin_hash, salt FROM staff").fetchall()
    assert waiting[0] > 0
    assert store["outbox"]["by_status"] == {"pending": waiting[0]}
    assert store["outbox"]["oldest_waiting_at"] and store["outbox"]["waiting_kinds"]
    assert store["terminal"]["terminal_id"] == "T1"
    assert store["print_queue"] == {"by_status": {}, "recent": []}  # demo-sale prints directly
    assert store["settings"]["sync.server_url"] == "https://pos.example.invalid"
    assert store["counts"]["staff"] == 3 and store["schema"]["quick_check"] == "ok"

    devices = json.loads(members["devices.json"])
    assert devices["settings"]["device.printer"]["host"] == "10.0.0.7"
    assert "serial_ports" in devices and "hid_devices" in devices

    log = members["logs/till.log"].decode()
    assert "Bearer <redacted>" in log
    everything = b"\n".join(members.values())
    assert TOKEN.encode() not in everything
    assert len(hashes) == 3
    for pin_hash, salt in hashes:
        assert str(pin_hash).encode() not in everything and str(salt).encode() not in everything
    assert "Анна Смирнова".encode() not in everything  # no guest data either
    assert out.stat().st_mode & 0o077 == 0


def test_a_folder_that_is_not_there_is_said(tmp_path: Path) -> None:
    done = pos_app("diagnostics", "--data-dir", tmp_path / "nothing", "--out", tmp_path / "d.zip")
    assert done.returncode == 1
    assert "there is no data folder" in done.stderr and not (tmp_path / "d.zip").exists()
