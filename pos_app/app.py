"""Composition root and the ``pos-app`` entry point.

Sub-commands are looked up lazily so ``pos-app demo-data`` never imports Qt and a missing
optional library only disables the command that needs it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

# name -> (module, function, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo-data": ("pos_app.commands.demo_data", "main", "fill a local store with demo data"),
    "demo-sale": (
        "pos_app.commands.demo_sale",
        "main",
        "one demo sale through the services, printed on the (emulated) printer",
    ),
    "till": ("pos_app.commands.till_app", "main", "open the till window (also: plain pos-app)"),
    "pull": (
        "pos_app.commands.pull",
        "main",
        "bring the till's store up to the server's change feed (resumable)",
    ),
    "devices": (
        "pos_app.commands.device_settings_app",
        "main",
        "the device settings screen: printer, scanner, sound, print queue",
    ),
    "emulate": (
        "pos_app.devices.emulate_cli",
        "main",
        "emulate a printer (TCP 9100), scanner or card reader (pty)",
    ),
    "console": ("pos_app.commands.console_app", "main", "the operator console for guest orders"),
    "till-sim": (
        "pos_app.commands.till_sim",
        "main",
        "a headless till: sales through the services, delivered by the sync worker",
    ),
    "demo-publish": (
        "pos_app.commands.demo_publish",
        "main",
        "queue the demo till's guests and cards for the server (an enrolled demo till)",
    ),
}


def _usage() -> str:
    lines = ["usage: pos-app [COMMAND] [ARGS...]", "", "commands:"]
    for name, (_, _, summary) in sorted(COMMANDS.items()):
        lines.append(f"  {name:<12} {summary}")
    return "\n".join(lines)


def _resolve(name: str) -> Callable[[list[str]], int]:
    module_name, func_name, _ = COMMANDS[name]
    module = importlib.import_module(module_name)
    func: Callable[[list[str]], int] = getattr(module, func_name)
    return func


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(_usage())
        return 0
    if not args or args[0].startswith("-"):
        args = ["till", *args]  # plain `pos-app [--data-dir DIR ...]` opens the till
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"pos-app: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    return _resolve(name)(rest)


if __name__ == "__main__":
    raise SystemExit(main())
