"""``pos-server``: run, migrate, add/revoke terminals, export applied operations, back up and
restore the database."""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import logging
import logging.config
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from pos_server.commands import admin as admin_cli
from pos_server.commands import backup as backup_cli
from pos_server.commands import guest as guest_cli
from pos_server.commands import notifications as notifications_cli
from pos_server.commands import reconciliation as reconciliation_cli
from pos_server.commands import settings as settings_cli
from pos_server.commands.args import DB_HELP, aware_time, positive
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.models import AppliedOperation
from pos_server.ledger.overdraft_list import list_overdrafts
from pos_server.log_format import LOG_FORMATS, log_config
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals
from pos_server.uow import unit_of_work


def _settings(args: argparse.Namespace) -> ServerSettings:
    overrides: dict[str, Any] = {}
    if getattr(args, "db", None):
        overrides["database_url"] = args.db
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    for name in ("tls_cert", "tls_key", "enrol_code_hours"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    if getattr(args, "api_docs", False):
        overrides["api_docs"] = True
    if getattr(args, "log_format", None):
        overrides["log_format"] = args.log_format
    return ServerSettings(**overrides)


def _tls_problem(settings: ServerSettings) -> str | None:
    """Why the certificate or key cannot be used (said before uvicorn's traceback would)."""
    import ssl

    if settings.tls_cert is None or settings.tls_key is None:
        return None
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            settings.tls_cert, settings.tls_key)
    except (OSError, ssl.SSLError) as exc:
        return (f"the TLS certificate {settings.tls_cert} and key {settings.tls_key} cannot "
                f"be used: {exc}")
    return None


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from pos_server.app import create_app

    try:
        settings = _settings(args)
    except ValidationError as exc:
        print(f"pos-server: cannot start: {_settings_problem(exc)}", file=sys.stderr)
        return 2
    problem = _rules_problem() or notifications_cli.settings_problem() or _tls_problem(settings)
    if problem is not None:
        print(f"pos-server: cannot start: {problem}", file=sys.stderr)
        return 2
    logging_config = log_config(settings.log_format, args.log_level)
    if logging_config is not None:  # the migrations' lines are JSON too
        logging.config.dictConfig(logging_config)
    upgrade(settings.database_url)
    # open order streams never end by themselves: give them 3 s to go on shutdown
    common: dict[str, Any] = {"host": settings.host, "port": settings.port,
                              "log_level": args.log_level, "timeout_graceful_shutdown": 3}
    if logging_config is not None:  # each worker process applies it too
        common["log_config"] = logging_config
    if settings.tls_cert is not None and settings.tls_key is not None:
        common["ssl_certfile"] = str(settings.tls_cert)
        common["ssl_keyfile"] = str(settings.tls_key)
    if args.workers > 1:  # worker processes build the app from the environment
        os.environ["POS_SERVER_DATABASE_URL"] = settings.database_url
        os.environ["POS_SERVER_API_DOCS"] = "1" if settings.api_docs else "0"
        # uvicorn's supervisor kills a worker that misses a 5 s health ping; one judging a
        # long batch under load may be slow to answer, not hung (and a kill cuts every
        # terminal connected to it)
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
            common["timeout_worker_healthcheck"] = 30
        with _metrics_folder():  # /metrics of any worker adds up all of them
            uvicorn.run("pos_server.app:app_from_env", factory=True, workers=args.workers,
                        **common)  # fmt: skip
    else:
        uvicorn.run(create_app(settings), **common)
    return 0


@contextmanager
def _metrics_folder() -> Iterator[None]:
    """A fresh ``PROMETHEUS_MULTIPROC_DIR`` for the workers of this run (prometheus_client's
    multiprocess mode: each worker writes its figures there), removed when the run ends."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="pos-server-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _settings_problem(exc: ValidationError) -> str:
    return "; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors())


def _rules_problem() -> str | None:
    """What is wrong with the loyalty settings of the environment (the shop's time zone ...),
    said for the operator, or None."""
    from pos_server.ledger.rules import ledger_rules

    ledger_rules.cache_clear()
    try:
        ledger_rules()
    except ValidationError as exc:
        return "; ".join(
            f"POS_SERVER_{'_'.join(map(str, error['loc'])).upper()}="
            f"{error.get('input')!r}: {error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        )
    return None


def cmd_migrate(args: argparse.Namespace) -> int:
    upgrade(_settings(args).database_url)
    print("database is up to date", file=sys.stderr)
    return 0


def cmd_terminal_add(args: argparse.Namespace) -> int:
    settings = _settings(args)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(engine, actor=f"cli:{admin_cli._os_user()}",
                          now=datetime.now(UTC)) as uow:  # fmt: skip
            added = terminals.register(uow, args.name, settings.enrol_code_lifetime)
    except terminals.TerminalError as exc:
        print(f"pos-server: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(json.dumps({"terminal_id": added.terminal_id, "enrolment_code": added.enrolment_code,
                      "expires_at": added.expires_at.isoformat(timespec="seconds")}))
    return 0


def cmd_terminal_revoke(args: argparse.Namespace) -> int:
    settings = _settings(args)
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(engine, actor=f"cli:{admin_cli._os_user()}",
                          now=datetime.now(UTC)) as uow:  # fmt: skip
            found = terminals.revoke_terminal(uow, args.terminal_id)
    finally:
        engine.dispose()
    if not found:
        print(f"no terminal {args.terminal_id}", file=sys.stderr)
        return 1
    print(json.dumps({"terminal_id": args.terminal_id, "revoked": True}))
    return 0


def _operations(url: str, terminal_id: str | None) -> Iterator[dict[str, Any]]:
    engine = make_engine(url)
    query = select(AppliedOperation).order_by(AppliedOperation.terminal_id, AppliedOperation.seq)
    if terminal_id:
        query = query.where(AppliedOperation.terminal_id == terminal_id)
    try:
        with make_sessions(engine)() as session:
            for op in session.scalars(query.execution_options(yield_per=500)):
                yield {
                    "op_id": op.op_id, "terminal_id": op.terminal_id, "seq": op.seq,
                    "kind": op.kind, "verdict": op.verdict, "reason": op.reason,
                    "payload": op.payload,
                }
    finally:
        engine.dispose()


def cmd_overdrafts(args: argparse.Namespace) -> int:
    """Overdrafts (points and balance) for managers to review, oldest first, as JSON lines;
    with ``--breaches`` the rule breaches follow (the same query as GET /v1/admin/overdrafts)."""
    engine = make_engine(_settings(args).database_url)
    try:
        with unit_of_work(engine, actor="cli", now=datetime.now(UTC)) as uow:
            found = list_overdrafts(uow, args.since, args.limit)
    finally:
        engine.dispose()
    lines: Iterable[dict[str, Any]] = reversed(found.overdrafts)
    if args.breaches:
        lines = itertools.chain(lines, ({"breach": True, **b} for b in reversed(found.breaches)))
    for line in lines:
        print(json.dumps(line, ensure_ascii=False))
    return 0



def cmd_export_operations(args: argparse.Namespace) -> int:
    for row in _operations(_settings(args).database_url, args.terminal):
        print(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return 0


def cmd_demo_order(args: argparse.Namespace) -> int:
    """Place believable guest orders, one transaction each; print each as a JSON line."""
    import random

    from pos_server.demo import place_demo_order

    settings = _settings(args)
    upgrade(settings.database_url)
    rng = random.Random(args.seed)
    engine = make_engine(settings.database_url)
    try:
        for _ in range(args.count):
            order = place_demo_order(engine, now=datetime.now(UTC), rng=rng)
            print(json.dumps({k: order[k] for k in ("order_id", "guest_id", "total", "method")}),
                  flush=True)  # fmt: skip
    finally:
        engine.dispose()
    return 0


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("a number of hours, e.g. 24 or 0.5") from exc
    if not 0 < value <= 24 * 365:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 8760 (a year)")
    return value



def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="migrate, then serve the API")
    run.add_argument("--db", help=DB_HELP)
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    run.add_argument("--workers", type=int, default=1,
                     help="uvicorn worker processes (default 1; each has its own pool)")
    run.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    run.add_argument("--log-format", choices=LOG_FORMATS,
                     help="text (uvicorn's, the default) or json: one object per line with "
                     "time, level, logger, message and the request's fields "
                     "(env POS_SERVER_LOG_FORMAT)")  # fmt: skip
    run.add_argument("--tls-cert", type=Path, metavar="PEM",
                     help="serve HTTPS with this certificate (chain); needs --tls-key")
    run.add_argument("--tls-key", type=Path, metavar="PEM", help="the certificate's private key")
    run.add_argument("--api-docs", action="store_true",
                     help="serve /docs and /openapi.json (POS_SERVER_API_DOCS=1; default off)")
    run.set_defaults(func=cmd_run)

    migrate = sub.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--db", help=DB_HELP)
    migrate.set_defaults(func=cmd_migrate)

    terminal = sub.add_parser("terminal", help="manage terminals").add_subparsers(
        dest="action", required=True
    )
    add = terminal.add_parser("add", help="register a terminal, print id and one-time code")
    add.add_argument("name")
    add.add_argument("--code-hours", dest="enrol_code_hours", type=_hours,
                     help="the code works this many hours (default 24; "
                          "POS_SERVER_ENROL_CODE_HOURS)")
    add.add_argument("--db", help=DB_HELP)
    add.set_defaults(func=cmd_terminal_add)
    revoke = terminal.add_parser("revoke", help="revoke a terminal's token")
    revoke.add_argument("terminal_id")
    revoke.add_argument("--db", help=DB_HELP)
    revoke.set_defaults(func=cmd_terminal_revoke)

    overdrafts = sub.add_parser(
        "overdrafts", help="points and balance overdrafts for managers (JSON lines)"
    )
    overdrafts.add_argument("--db", help=DB_HELP)
    overdrafts.add_argument("--since", type=aware_time, help="only from this time on (ISO)")
    overdrafts.add_argument("--limit", type=positive, default=1_000,
                            help="at most this many of each (newest kept; default 1000)")
    overdrafts.add_argument("--breaches", action="store_true",
                            help="also the rule breaches recorded instead of enforced")
    overdrafts.set_defaults(func=cmd_overdrafts)

    demo = sub.add_parser("demo-order", help="place believable demo guest orders")
    demo.add_argument("--db", help=DB_HELP)
    demo.add_argument("--count", type=positive, default=1, help="how many orders (default 1)")
    demo.add_argument("--seed", type=int, help="random seed, for repeatable demos")
    demo.set_defaults(func=cmd_demo_order)

    export = sub.add_parser("export", help="audit exports").add_subparsers(
        dest="what", required=True
    )
    ops = export.add_parser("operations", help="applied operations as JSON lines")
    ops.add_argument("--terminal", help="only this terminal id")
    ops.add_argument("--db", help=DB_HELP)
    ops.set_defaults(func=cmd_export_operations)
    admin_cli.register(sub)
    reconciliation_cli.register(sub)
    guest_cli.register(sub)
    backup_cli.register(sub)
    notifications_cli.register(sub)
    settings_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
