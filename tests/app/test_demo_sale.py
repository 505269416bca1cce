"""The whole till path as the demo runs it: store -> services -> swipe -> receipt on the
TCP printer emulator, each a real process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.net import free_port
from tests.live_server import wait_for_port


def pos_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app.app", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port, out = free_port(), tmp_path / "printer"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pos_app.app", "emulate", "printer", "--port", str(port),
         "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for_port(port, proc)
    yield port, out
    proc.terminate()
    proc.wait(10)


def test_demo_sale_prints_the_receipt_and_queues_the_sale(
    tmp_path: Path, printer: tuple[int, Path]
) -> None:
    port, out = printer
    till = tmp_path / "till"
    assert pos_app("demo-data", "--data-dir", str(till)).returncode == 0
    result = pos_app("demo-sale", "--data-dir", str(till), "--printer", f"127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr
    assert "guest Анна Смирнова" in result.stdout

    deadline = time.monotonic() + 10
    while not list(out.glob("job-*.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    receipt = next(out.glob("job-*.txt")).read_text(encoding="utf-8")
    # Guest 1 is in the 10 % group: 2 x latte 210 + croissant 140 + PC hour 150 = 710 -> 639.
    assert "Анна Смирнова" in receipt
    assert receipt.splitlines()[0].strip() == "Демо-кафе"  # the demo store's venue name
    assert "2 x 210,00" in receipt and "420,00" in receipt
    assert "Гость 10 %" in receipt and "-71,00" in receipt
    assert "639,00" in receipt
    assert "[QR:receipt:T1-000001]" in receipt
    assert "[CUT]" in receipt and "[DRAWER]" in receipt

    with sqlite3.connect(till / "till.sqlite3") as conn:
        rows = conn.execute("SELECT kind, payload FROM outbox ORDER BY seq").fetchall()
    closed = [json.loads(p) for k, p in rows if k == "sale.closed"]
    assert len(closed) == 1
    assert closed[0]["receipt_no"] == "T1-000001"


def test_demo_sale_without_a_printer_says_so(tmp_path: Path) -> None:
    till = tmp_path / "till"
    assert pos_app("demo-data", "--data-dir", str(till)).returncode == 0
    result = pos_app("demo-sale", "--data-dir", str(till), "--printer", f"127.0.0.1:{free_port()}")
    assert result.returncode == 3
    assert "sale T1-000001" in result.stdout  # the sale is done whatever the printer does
    assert "printer:" in result.stdout
    assert "Traceback" not in result.stderr
