"""Run Python as an unprivileged user (``nobody``) wherever the checkout and its venv live.

As root a test that needs file permissions to matter runs its Python as ``nobody`` (root reads
any file). ``nobody`` may not be able to read the checkout or the venv: a clone in a
``mktemp -d`` folder or under ``/root`` (0700), with the venv inside it as CI has it. So what
that user must read is prepared in a world-readable folder first: the Python modules the code
needs (found by running it once as this user) are copied there, and the real interpreter
binary runs with that folder as its ``PYTHONPATH``. Where even that cannot work (no
``setpriv``, an interpreter ``nobody`` may not run) the test is skipped with the reason,
never failed.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

NOBODY = 65534
DROP = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]

_PROBE_TAIL = """
import json as _json, os as _os, sys as _sys
_tops = {}
for _name, _m in list(_sys.modules.items()):
    _file = getattr(_m, "__file__", None)
    if "." not in _name and _file:  # a package's folder, or a module's file
        _tops[_name] = _os.path.dirname(_file) if hasattr(_m, "__path__") else _file
with open(_os.environ["POS_TEST_MODULES_OUT"], "w") as _out:
    _json.dump(sorted(_tops.values()), _out)
"""


@dataclass(frozen=True)
class Unprivileged:
    """How to run ``python -c CODE`` as the unprivileged user: ``[*argv, "-c", CODE, ...]``
    with ``env`` and ``cwd``."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path

    def run(self, code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        argv = [*self.argv, "-c", code, *args]
        return subprocess.run(argv, env=self.env, cwd=self.cwd, capture_output=True, text=True,
                              timeout=timeout, check=False)  # fmt: skip


def world_reachable(path: Path) -> bool:
    """Every folder from ``/`` down to ``path`` lets others through (``o+x``)."""
    path = path.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


def shared_temp_root() -> Path:
    """A temporary folder any user can reach: ``$TMPDIR`` if it is one, else ``/tmp``."""
    for candidate in (Path(tempfile.gettempdir()), Path("/tmp")):
        if candidate.is_dir() and world_reachable(candidate):
            return candidate
    pytest.skip("no temporary folder here that another user can reach")


@contextmanager
def unprivileged_python(code: str, probe_args: Sequence[str] = ()) -> Iterator[Unprivileged]:
    """A Python that runs without root's right to read any file, able to run ``code``.

    Not root: this user's own interpreter, as it is. Root: ``nobody`` through ``setpriv``,
    with the modules ``code`` imports (run once here with ``probe_args`` to find them) copied
    into a world-readable folder, removed afterwards.
    """
    if os.geteuid() != 0:
        yield Unprivileged([sys.executable], dict(os.environ), Path.cwd())
        return
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv (util-linux) is not installed")
    interpreter = _interpreter_for_nobody()
    folder = Path(tempfile.mkdtemp(prefix="pos-nobody-", dir=shared_temp_root()))
    try:
        folder.chmod(0o755)
        lib = folder / "lib"
        _copy_modules(_modules_of(code, probe_args, folder), lib)
        _open_up(folder)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(lib),
               "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(folder), "LANG": "C.UTF-8"}
        argv = [*DROP, str(interpreter), "-s"]
        probe = subprocess.run([*argv, "-c", "pass"], env=env, cwd=folder, capture_output=True,
                               text=True, timeout=60, check=False)  # fmt: skip
        if probe.returncode != 0:
            pytest.skip(f"running as root and {interpreter} cannot run as nobody here: "
                        f"{probe.stderr.strip()[-300:]}")  # fmt: skip
        yield Unprivileged(argv, env, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _interpreter_for_nobody() -> Path:
    """This interpreter's real binary (a venv's python is a link to it) if nobody can reach
    it, else the system's binary of the same version (the copied compiled modules need the
    same ABI); none: the test is skipped."""
    own = Path(sys.executable).resolve()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (own, *(Path(d) / version for d in ("/usr/local/bin", "/usr/bin", "/bin"))):
        if candidate.is_file() and world_reachable(candidate.parent) and (
            candidate.stat().st_mode & stat.S_IXOTH
        ):
            return candidate
    pytest.skip(f"running as root, and nobody can reach neither this interpreter ({own}) nor "
                f"a system {version}")  # fmt: skip


def _modules_of(code: str, args: Sequence[str], scratch: Path) -> list[Path]:
    """The top-level packages (folders) and modules (files) ``code`` has imported when it
    ends, run here as root."""
    out = scratch / "modules.json"
    done = subprocess.run([sys.executable, "-c", code + _PROBE_TAIL, *args],
                          env={**os.environ, "POS_TEST_MODULES_OUT": str(out)},
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    tops = [Path(f) for f in json.loads(out.read_text())]
    out.unlink()
    return tops


def _copy_modules(tops: list[Path], lib: Path) -> None:
    """Copy every top-level package or module that is not the standard library's into
    ``lib`` under its own name."""
    stdlib = {Path(sysconfig.get_paths()[k]).resolve() for k in ("stdlib", "platstdlib")}
    lib.mkdir()
    for top in tops:
        resolved = top.resolve()
        if any(resolved.is_relative_to(s) for s in stdlib) and not _in_site(resolved):
            continue
        if top.is_dir():
            shutil.copytree(top, lib / top.name, symlinks=False,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))  # fmt: skip
        elif top.is_file():
            shutil.copy2(top, lib / top.name)


def _in_site(path: Path) -> bool:
    return "site-packages" in path.parts or "dist-packages" in path.parts


def _open_up(folder: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames:
            (Path(dirpath) / name).chmod(0o755)
        for name in filenames:
            path = Path(dirpath) / name
            path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
