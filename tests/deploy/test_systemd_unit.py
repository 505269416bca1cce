"""``deploy/systemd/tillkeeper-server@.service`` is a unit systemd accepts: ``systemd-analyze
verify`` of an instance (the port) reports nothing. Skipped where systemd is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "tillkeeper-server@.service"
ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    assert ANALYZE is not None
    instance = tmp_path / "tillkeeper-server@8765.service"
    instance.write_text(UNIT.read_text())
    done = subprocess.run([ANALYZE, "verify", str(instance)], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    # an unknown directive is reported: the check reads the file (it cannot pass blindly)
    broken = tmp_path / "broken@8765.service"
    broken.write_text(UNIT.read_text().replace("[Service]", "[Service]\nNoSuchKey=1"))
    done = subprocess.run([ANALYZE, "verify", str(broken)], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert "NoSuchKey" in done.stderr

