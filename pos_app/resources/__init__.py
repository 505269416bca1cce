"""The files the app ships besides code: receipt templates and printer profiles, sounds,
translations, icons. They are package data (``pyproject.toml``), so a till installed from the
wheel has them; they are found through ``importlib.resources``, never relative to a checkout.

``$POS_RESOURCES`` points at another folder of the same layout (a venue's own receipt
template, say); a kind missing there is still taken from the package.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

KINDS = ("receipts", "sounds", "translations", "icons")


def package_dir(kind: str) -> Path:
    """The package's own folder of ``kind``, as a file system path.

    The wheel installs as plain files and a frozen till unpacks its data, so the folder is a
    real directory; Qt and the printer code need real paths.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; one of {', '.join(KINDS)}")
    folder = Path(str(files(__name__) / kind))
    if not folder.is_dir():
        raise FileNotFoundError(f"the package's {kind} folder is missing: {folder}")
    return folder


def resource_dir(kind: str) -> Path:
    """``$POS_RESOURCES/<kind>`` if that folder exists, else the package's own."""
    override = os.environ.get("POS_RESOURCES")
    if override and (Path(override) / kind).is_dir():
        return Path(override) / kind
    return package_dir(kind)


def receipts_dir() -> Path:
    return resource_dir("receipts")


def sounds_dir() -> Path:
    return resource_dir("sounds")


def translations_dir() -> Path:
    return resource_dir("translations")


def icon_path(name: str = "tillkeeper.svg") -> Path:
    return resource_dir("icons") / name
