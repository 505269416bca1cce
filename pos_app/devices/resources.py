"""Where the devices layer finds its resource files (templates, profiles, sounds)."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """``$POS_RESOURCES`` if set, else the ``resources/`` folder of the source checkout."""
    override = os.environ.get("POS_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def receipts_dir() -> Path:
    return resources_dir() / "receipts"
