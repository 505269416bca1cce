"""Operation handlers reach the database only through repositories (issue 15 point 4): a
handler module imports no SQLAlchemy and no table model, and never touches the unit of work's
connection or session."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

OPS = Path(__file__).resolve().parents[2] / "pos_server" / "ops"

# the ledger family: points and money accounts, holds, loyalty, refunds
LEDGER_HANDLERS = ["hold_kinds", "balance_kinds", "refund_kinds", "sale_effects",
                   "order_override"]  # fmt: skip

FORBIDDEN_MODULES = ("sqlalchemy", "pos_server.db")
FORBIDDEN_ATTRIBUTES = frozenset({"connection", "session", "has_session"})


def boundary_problems(source: str) -> list[str]:
    """Every import of SQLAlchemy or ``pos_server.db`` and every ``<x>.connection`` /
    ``<x>.session`` on the unit of work, with its line."""
    problems: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [node.module]
        for name in names:
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                problems.append((node.lineno, f"imports {name}"))
        if (isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES
                and isinstance(node.value, ast.Name) and node.value.id in {"uow", "ctx"}):
            problems.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return [f"line {line}: {what}" for line, what in sorted(problems)]


@pytest.mark.parametrize("module", LEDGER_HANDLERS)
def test_a_ledger_handler_reaches_the_database_only_through_repositories(module: str) -> None:
    source = (OPS / f"{module}.py").read_text(encoding="utf-8")
    assert boundary_problems(source) == []


def test_the_scan_finds_each_way_around_the_repositories() -> None:
    source = (
        "import sqlalchemy\n"
        "from sqlalchemy.orm import Session\n"
        "from pos_server.db.models import Guest\n"
        "def handler(op, uow):\n"
        "    uow.connection.execute(None)\n"
        "    return uow.session.get(Guest, op.guest_id)\n"
    )
    assert boundary_problems(source) == [
        "line 1: imports sqlalchemy", "line 2: imports sqlalchemy.orm",
        "line 3: imports pos_server.db.models", "line 5: uow.connection",
        "line 6: uow.session",
    ]  # fmt: skip
