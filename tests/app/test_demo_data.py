"""``pos-app demo-data`` run as a real process into a temp dir."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def demo_data(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app.app", "demo-data", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("product_groups", "products", "guest_groups", "guests", "identifiers",
                          "guest_phones", "account_snapshots")
        }  # fmt: skip


def test_demo_data_fills_the_store_once_however_often_it_runs(tmp_path: Path) -> None:
    first = demo_data("--data-dir", str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "products in 8 groups" in first.stdout
    db = tmp_path / "till.sqlite3"
    after_first = counts(db)
    assert after_first["product_groups"] == 8
    assert 55 <= after_first["products"] <= 65
    assert after_first["guest_groups"] == 2
    assert after_first["guests"] == 20
    assert after_first["identifiers"] == 40  # a stripe card and an app QR code each

    second = demo_data("--data-dir", str(tmp_path))
    assert second.returncode == 0, second.stderr
    assert counts(db) == after_first

    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM products")}
        groups = conn.execute(
            "SELECT name, discount_bp, spend_threshold FROM guest_groups ORDER BY spend_threshold"
        ).fetchall()
        with_barcode = conn.execute("SELECT count(*) FROM products WHERE barcode IS NOT NULL")
        drinks = conn.execute("SELECT count(*) FROM products WHERE tags LIKE '%напитки%'")
        assert with_barcode.fetchone()[0] > 10
        assert drinks.fetchone()[0] > 10
    assert "Латте" in names
    assert groups == [("Гость 5 %", 500, 50_000), ("Гость 10 %", 1_000, 100_000)]


def test_the_data_dir_comes_from_the_environment(tmp_path: Path) -> None:
    result = demo_data(env={"POS_DATA_DIR": str(tmp_path / "from-env")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / "till.sqlite3").exists()


def test_a_damaged_store_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "till.sqlite3").write_bytes(b"this is not a database" * 100)
    result = demo_data("--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(tmp_path / "till.sqlite3") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
