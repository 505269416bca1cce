"""The ``pos-app`` entry point: every command line of the app is registered in ``COMMANDS``.

A command is one name (``pos-app till``) or a group and a name (``pos-app emulate printer``);
the table says which module's function runs it. Its module is imported only when the command
runs, so ``pos-app demo-data`` never imports Qt and a missing optional library only disables
the command that needs it. The services a command uses come from the composition root,
``pos_app.commands.composition``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_app.commands.till_logs import TillLogging


@dataclass(frozen=True)
class Command:
    module: str
    function: str
    summary: str
    with_name: bool = False  # the function reads the command's last word as its first argument
    logs: bool = False  # works on a data folder: logs to DATA/logs (commands/till_logs.py)


COMMANDS: dict[str, Command] = {
    "demo-data": Command(
        "pos_app.commands.demo_data", "main", "fill a local store with demo data", logs=True
    ),
    "demo-sale": Command(
        "pos_app.commands.demo_sale",
        "main",
        "one demo sale through the services, printed on the (emulated) printer",
        logs=True,
    ),
    "till": Command(
        "pos_app.commands.till_app", "main", "open the till window (also: plain pos-app)", logs=True
    ),
    "pull": Command(
        "pos_app.commands.pull",
        "main",
        "bring the till's store up to the server's change feed (resumable)",
        logs=True,
    ),
    "backup": Command(
        "pos_app.commands.backup_cli",
        "backup_main",
        "an online backup of the till's store into its backups/ folder ([--keep-days N])",
    ),
    "restore": Command(
        "pos_app.commands.backup_cli",
        "restore_main",
        "put a checked backup in place of the till's store (the till closed)",
    ),
    "devices": Command(
        "pos_app.commands.device_settings_app",
        "main",
        "the device settings screen: printer, scanner, sound, print queue",
        logs=True,
    ),
    "console": Command(
        "pos_app.commands.console_app", "main", "the operator console for guest orders", logs=True
    ),
    "till-sim": Command(
        "pos_app.commands.till_sim",
        "main",
        "a headless till: sales through the services, delivered by the sync worker",
        logs=True,
    ),
    "demo-publish": Command(
        "pos_app.commands.demo_publish",
        "main",
        "queue the demo till's guests and cards for the server (an enrolled demo till)",
        logs=True,
    ),
    "diagnostics": Command(
        "pos_app.commands.diagnostics",
        "main",
        "a zip for support: logs, versions, queue state, devices (no secrets)",
    ),
    "emulate printer": Command(
        "pos_app.devices.emulators.printer",
        "main",
        "an ESC/POS printer on TCP (--port 9100 --out DIR [--profile epson] [--paper-out])",
    ),
    "emulate serial-printer": Command(
        "pos_app.devices.emulators.serial_printer",
        "main",
        "an ESC/POS printer on a pty (--out DIR [--baud 19200] [--paper-out])",
    ),
    "emulate card-terminal": Command(
        "pos_app.devices.acquiring.emulator",
        "main",
        "a card terminal that approves every charge, on TCP ([--host H] [--port 9300])",
    ),
    "emulate scanner": Command(
        "pos_app.devices.emulators.serial_device",
        "main",
        "a serial barcode scanner on a pty ([--send VALUE] [--link PATH])",
        with_name=True,
    ),
    "emulate msr": Command(
        "pos_app.devices.emulators.serial_device",
        "main",
        "a serial card reader on a pty ([--send VALUE] [--link PATH])",
        with_name=True,
    ),
}


def _usage(group: str = "") -> str:
    prefix = f"{group} " if group else ""
    lines = [f"usage: pos-app {prefix}COMMAND [ARGS...]", "", "commands:"]
    for name, command in sorted(COMMANDS.items()):
        if name.startswith(prefix):
            lines.append(f"  {name:<23} {command.summary}")
    return "\n".join(lines)


def _groups() -> set[str]:
    return {name.split(" ")[0] for name in COMMANDS if " " in name}


def _resolve(name: str) -> Callable[[list[str]], int]:
    command = COMMANDS[name]
    module = importlib.import_module(command.module)
    func: Callable[[list[str]], int] = getattr(module, command.function)
    return func


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(_usage())
        return 0
    if not args or args[0].startswith("-"):
        args = ["till", *args]  # plain `pos-app [--data-dir DIR ...]` opens the till
    if args[0] in _groups():
        group = args[0]
        if len(args) < 2 or args[1] in ("-h", "--help"):
            print(_usage(group))
            return 0 if len(args) > 1 else 2
        name, rest = f"{group} {args[1]}", args[2:]
    else:
        group, name, rest = "", args[0], args[1:]
    if name not in COMMANDS:
        where = f"pos-app {group}".rstrip()
        unknown = name.removeprefix(f"{group} ")
        print(f"{where}: unknown command {unknown!r}\n\n{_usage(group)}", file=sys.stderr)
        return 2
    if COMMANDS[name].with_name:
        rest = [name.split(" ")[-1], *rest]
    logs = _start_logs(name, rest)
    try:
        return _resolve(name)(rest)
    finally:
        if logs is not None:
            logs.stop()


def _start_logs(name: str, rest: list[str]) -> TillLogging | None:
    """The log files of a command that works on a data folder (``commands/till_logs.py``);
    a folder where they cannot be written is said on stderr, and the command still runs."""
    if not COMMANDS[name].logs or "-h" in rest or "--help" in rest:
        return None
    from pos_app.commands.store_factory import data_dir
    from pos_app.commands.till_logs import start_logging

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir")
    known, _ = parser.parse_known_args(rest)
    folder = data_dir(known.data_dir)
    try:
        return start_logging(folder, name)
    except OSError as exc:
        print(f"pos-app {name}: no log files in {folder}: {exc}", file=sys.stderr)
        return None


if __name__ == "__main__":
    raise SystemExit(main())
