"""The ``pos-app`` entry point as a shop owner runs it."""

import importlib
import subprocess
import sys

from pos_app.app import COMMANDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app.app", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "demo-data" in result.stdout


def test_unknown_command_is_a_clear_error_not_a_traceback() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_registered_command_names_a_function_that_exists() -> None:
    for name, command in COMMANDS.items():
        module = importlib.import_module(command.module)
        assert callable(getattr(module, command.function)), name


def test_help_lists_the_emulate_commands_from_the_same_table() -> None:
    result = run("--help")
    assert "emulate printer" in result.stdout and "emulate msr" in result.stdout
    result = run("emulate", "--help")
    assert result.returncode == 0 and "demo-data" not in result.stdout
    assert "emulate scanner" in result.stdout


def test_a_command_in_a_group_runs_with_its_arguments() -> None:
    result = run("emulate", "msr", "--help")
    assert result.returncode == 0 and "pos-app emulate scanner|msr" in result.stdout
    result = run("emulate", "toaster")
    assert result.returncode == 2 and "unknown command 'toaster'" in result.stderr
