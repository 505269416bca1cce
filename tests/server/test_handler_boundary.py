"""Handlers see repositories, never SQL (issue 15 point 4): a handler module, and the helpers
it calls, import no sqlalchemy and no ORM model, and never reach ``uow.connection`` or
``uow.session``; the pipeline writes no SQL of its own and has no dialect branch.

A static scan (the AST of each module), so it fails the moment such a line is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IMPORTS = ("sqlalchemy", "pos_server.db")
FORBIDDEN_UOW_ATTRIBUTES = frozenset({"connection", "session", "has_session"})

# Every handler module of pos_server/ops (the pipeline, which owns the transaction, is checked
# below), and the services handlers call: the sale's review and the guest orders' service.
OPS_MODULES = sorted(
    f"pos_server/ops/{path.name}" for path in (ROOT / "pos_server" / "ops").glob("*.py")
    if path.name not in {"__init__.py", "pipeline.py"}
)
# ... and the code outside the pipeline that is thin over ``unit_of_work`` (issue 15 point 4):
# the admin routes, the overdraft listing, the hold sweeper and hold reconciliation, the
# back office's reports and their pages.
UOW_MODULES = ("pos_server/http/admin_api.py", "pos_server/ledger/overdraft_list.py",
               "pos_server/ledger/sweeper.py", "pos_server/ledger/hold_reconcile.py",
               "pos_server/reports/service.py", "pos_server/admin_web/report_pages.py")
HANDLER_MODULES = (*OPS_MODULES, "pos_server/ops/sale_review.py", "pos_server/orders/service.py",
                   "pos_server/notify/messages.py", *UOW_MODULES)  # fmt: skip
ALLOWED_CALLS: dict[str, frozenset[str]] = {}
# the sweeper is handed the engine it opens its units of work on (the type only)
ALLOWED_IMPORTS: dict[str, frozenset[str]] = {"pos_server/ledger/sweeper.py":
                                              frozenset({"sqlalchemy"})}  # fmt: skip


def _tree(relative: str) -> ast.Module:
    return ast.parse((ROOT / relative).read_text(encoding="utf-8"), filename=relative)


def _forbidden_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [f"line {node.lineno}: import {name}" for name in names
                  if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS)]
    return found


def _uow_transaction_uses(tree: ast.Module, allowed_calls: frozenset[str]) -> list[str]:
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in allowed_calls):
            exempt.update(id(inner) for inner in ast.walk(node))
    return [f"line {node.lineno}: uow.{node.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_UOW_ATTRIBUTES
            and isinstance(node.value, ast.Name) and node.value.id == "uow"
            and id(node) not in exempt]


def test_every_handler_module_is_checked() -> None:
    assert "pos_server/ops/hold_kinds.py" in HANDLER_MODULES
    assert len(HANDLER_MODULES) >= 14


@pytest.mark.parametrize("module", HANDLER_MODULES)
def test_a_handler_reaches_the_database_only_through_repositories(module: str) -> None:
    tree = _tree(module)
    allowed = ALLOWED_IMPORTS.get(module, frozenset())
    problems = [p for p in _forbidden_imports(tree) if p.split("import ")[1] not in allowed]
    problems += _uow_transaction_uses(tree, ALLOWED_CALLS.get(module, frozenset()))
    assert problems == [], f"{module} reaches the database itself: {problems}"


def test_the_scan_finds_what_it_forbids() -> None:
    tree = ast.parse("from sqlalchemy import select\nimport pos_server.db.models\n"
                     "def h(op, uow):\n    uow.session.add(op)\n    return uow.connection\n"
                     "def k(op, uow):\n    return lock_loyalty(uow.session)\n")
    assert len(_forbidden_imports(tree)) == 2
    assert len(_uow_transaction_uses(tree, frozenset())) == 3
    assert len(_uow_transaction_uses(tree, frozenset({"lock_loyalty"}))) == 2


def test_the_pipeline_writes_no_sql_and_has_no_dialect_branch() -> None:
    """Its statements live in ``uow.applied`` (pos_server/repositories/applied.py); what the
    pipeline keeps is transaction control (``Commits``: BEGIN, savepoints, COMMIT, through
    ``pos_server/db/driver_control.py``)."""
    tree = _tree("pos_server/ops/pipeline.py")
    imported = {f"{node.module}.{alias.name}" for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module for alias in node.names}
    assert {name for name in imported if name.startswith("sqlalchemy.")} <= {
        "sqlalchemy.Connection", "sqlalchemy.exc.DataError", "sqlalchemy.exc.IntegrityError",
        "sqlalchemy.exc.OperationalError", "sqlalchemy.orm.Session", "sqlalchemy.orm.sessionmaker",
    }, imported
    assert not [name for name in imported if name.startswith("pos_server.db.models")]
    dialect = [node.lineno for node in ast.walk(tree)
               if (isinstance(node, ast.Attribute) and node.attr == "dialect")
               or (isinstance(node, ast.Constant) and node.value in ("postgresql", "sqlite"))]
    assert dialect == [], f"pipeline.py looks at the dialect at lines {dialect}"
