"""Print the server's requirements, one per line, from pyproject.toml.

The server needs the ``server`` extra and a few of the project's own dependencies, not the
till's (PySide6, printer and scanner drivers): the image installs the project with
``--no-deps`` and then exactly these, so it stays small. Usage:
``python3 deploy/server_requirements.py [pyproject.toml]``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# the project's dependencies that pos_server (and the pure pos_app.domain it uses) imports
SERVER_USES = {"sqlalchemy", "alembic", "platformdirs", "tzdata"}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match is not None, requirement
    return match.group(0).lower().replace("_", "-")


def server_requirements(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    core = [r for r in project["dependencies"] if _name(r) in SERVER_USES]
    missing = SERVER_USES - {_name(r) for r in core}
    if missing:
        raise SystemExit(f"pyproject.toml no longer lists {sorted(missing)}")
    return [*core, *project["optional-dependencies"]["server"]]


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    print("\n".join(r.split("#")[0].strip() for r in server_requirements(path)))
