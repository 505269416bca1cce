"""``python -m bench server [--quick]``: hold+commit pairs over HTTP vs pgbench on one PostgreSQL.

* **server** - a real ``pos-server run`` process (its own uvicorn workers, its own connection
  pools) on a scratch PostgreSQL database ``tk_bench_server`` and then on a SQLite file. 50
  terminals, each a thread with one keep-alive HTTP connection and its own guest, loop for
  ``--seconds``: ``POST /v1/ops`` with ``hold.placed``, wait for the verdict, then ``POST
  /v1/ops`` with ``hold.committed`` - the till's online points payment. Every operation is
  judged in full: token check, terminal row lock and seq, op_id lookup, account row lock,
  postings, the hold, a change-feed row, the applied-operations row, one transaction each.
* **pgbench** - its TPC-B-like script (``pgbench -c 50 -j 2 -T N``) on a scratch database
  ``tk_bench_pgbench`` of the same PostgreSQL, right after; scale = 50 branches, so its clients
  do not queue on one branch row either.

``ratio = pairs_per_s / pgbench_tps``: a pair is two HTTP round trips and two server
transactions of five database round trips each (docs/architecture.md, "the operations
endpoint's hot path"), a TPC-B transaction is five statements, so 0.25 means a pair may cost
four pgbench transactions: HTTP, auth, validation and the ledger rules included. The load
generator runs on the same two cores as the server and PostgreSQL, as pgbench's own client
does. The last line printed is one JSON object. ``--quick`` measures PostgreSQL only (3 s,
pgbench at scale 5) to stay under 30 s; the full run adds SQLite and 15 s per run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from typing import Any

from bench.net import free_port
from pos_app.domain.operations import HOLD_COMMITTED, HOLD_PLACED

PG_ADMIN = os.environ.get("POS_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVER_DB, PGBENCH_DB = "tk_bench_server", "tk_bench_pgbench"
TERMINALS = 50
HOLD = 100  # kopecks per hold; each guest has plenty


def pg_url(database: str, driver: str = "postgresql+psycopg") -> str:
    from sqlalchemy import make_url

    return make_url(PG_ADMIN).set(drivername=driver, database=database).render_as_string(
        hide_password=False
    )


def recreate_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres", "postgresql"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres", "postgresql"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Terminal:
    terminal_id: str
    token: str
    guest_id: str
    seq: int = 0


def seed(url: str, count: int) -> list[Terminal]:
    """Migrate, then ``count`` enrolled terminals, each with its own guest rich in points."""
    from pos_server.db import make_engine, make_sessions, upgrade
    from pos_server.db.models import Guest
    from pos_server.repositories.points_ledger import credit_points
    from pos_server.terminals import service as terminals

    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    made: list[Terminal] = []
    try:
        with make_sessions(engine).begin() as session:
            for n in range(count):
                added = terminals.add_terminal(session, f"Bench till {n + 1}", now)
                token = terminals.enrol(session, added.enrolment_code, now).token
                guest_id = f"bench-guest-{n + 1}"
                session.add(Guest(id=guest_id, name=f"Guest {n + 1}", phone=None,
                                  created_at=now, created_by=added.terminal_id))
                session.flush()
                credit_points(session, guest_id, 10**10, now=now, actor="bench", reason="seed")
                made.append(Terminal(added.terminal_id, token, guest_id))
    finally:
        engine.dispose()
    return made



class ServerProcess:
    """``pos-server run`` in its own process group, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, url: str, workers: int) -> None:
        self.port = free_port()
        exe = shutil.which("pos-server") or str(Path(sys.executable).with_name("pos-server"))
        env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0"}
        # The server's log goes to a file: a pipe nobody reads fills up after 64 KiB, and then
        # every worker that logs blocks on it for the rest of the run.
        self.log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [exe, "run", "--db", url, "--port", str(self.port), "--workers", str(workers),
             "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        self._wait_ready()

    def log_tail(self, size: int = 2000) -> str:
        return Path(self.log.name).read_bytes()[-size:].decode(errors="replace")

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pos-server exited: {self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("pos-server did not answer /health within 30 s")

    def stop(self) -> str:
        """Stop the server; what it logged (errors would make its figures suspect)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        logged = Path(self.log.name).read_text(errors="replace")
        self.log.close()
        return logged


@dataclass
class Load:
    pairs: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds per HTTP request
    pair_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _op(term: Terminal, kind: str, payload: dict[str, Any]) -> bytes:
    term.seq += 1
    op = {"op_id": str(uuid.uuid4()), "terminal_id": term.terminal_id, "seq": term.seq,
          "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload}
    return json.dumps({"operations": [op]}).encode()


def _post(conn: http.client.HTTPConnection, term: Terminal, body: bytes) -> str:
    conn.request("POST", "/v1/ops", body, {"Authorization": f"Bearer {term.token}",
                                           "Content-Type": "application/json",
                                           # as a till sends them (its queue: this batch)
                                           "X-Till-Queue-Waiting": "1",
                                           "X-Till-Queue-Age": "0.0"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        return f"HTTP {response.status}: {data[:200]!r}"
    result = json.loads(data)["results"][0]
    return "" if result["status"] == "applied" else f"{result['status']}/{result['reason']}"


def connect_all(port: int, count: int) -> list[http.client.HTTPConnection]:
    """One keep-alive connection per terminal, opened one at a time.

    uvicorn's workers share one listening socket and a worker woken for it accepts every
    connection waiting in the backlog: 50 connections opened in one burst all land on the
    first worker to wake (measured: one worker at 87 % CPU, the other at 7 %). Tills
    connect at different moments; opening the bench's connections a few milliseconds apart,
    each confirmed with a request, lets every idle worker take its share, as they would.
    """
    conns = []
    for _ in range(count):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/health")
        conn.getresponse().read()
        conns.append(conn)
        time.sleep(0.005)
    return conns


def drive(conn: http.client.HTTPConnection, term: Terminal, stop_at: float, load: Load,
          lock: threading.Lock) -> None:  # fmt: skip
    """One terminal: hold, wait for the verdict, commit; until ``stop_at``."""
    mine = Load()
    while time.monotonic() < stop_at:
        hold_id = uuid.uuid4().hex
        start = time.perf_counter()
        problem = _post(conn, term, _op(term, HOLD_PLACED,
                                        {"hold_id": hold_id, "guest_id": term.guest_id,
                                         "amount": HOLD}))  # fmt: skip
        middle = time.perf_counter()
        problem = problem or _post(conn, term, _op(term, HOLD_COMMITTED,
                                                   {"hold_id": hold_id, "amount": HOLD}))
        end = time.perf_counter()
        if problem:
            mine.errors.append(problem)
            break
        mine.pairs += 1
        mine.latencies += [middle - start, end - middle]
        mine.pair_latencies.append(end - start)
    with lock:
        load.pairs += mine.pairs
        load.latencies += mine.latencies
        load.pair_latencies += mine.pair_latencies
        load.errors += mine.errors


def run_load(conns: list[http.client.HTTPConnection], terms: list[Terminal], seconds: float
             ) -> tuple[Load, float]:  # fmt: skip
    load, lock = Load(), threading.Lock()
    start = time.monotonic()
    stop_at = start + seconds
    threads = [threading.Thread(target=drive, args=(conn, t, stop_at, load, lock))
               for conn, t in zip(conns, terms, strict=True)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load, time.monotonic() - start


def percentile_ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def bench_server(url: str, seconds: float, workers: int, terminals: int = TERMINALS
                 ) -> dict[str, Any]:  # fmt: skip
    terms = seed(url, terminals)
    server = ServerProcess(url, workers)
    conns: list[http.client.HTTPConnection] = []
    try:
        conns = connect_all(server.port, len(terms))
        run_load(conns, terms, min(2.0, seconds / 3))  # warm-up: pools, caches
        load, elapsed = run_load(conns, terms, seconds)
    finally:
        for conn in conns:
            conn.close()
        logged = server.stop()
    if "Traceback" in logged:
        print(f"pos-server logged errors during the run:\n{logged[-3000:]}", file=sys.stderr)
    if load.errors:
        raise RuntimeError(f"{len(load.errors)} terminal(s) failed, e.g. {load.errors[0]}")
    return {"pairs_per_s": round(load.pairs / elapsed, 1), "pairs": load.pairs,
            "p50_ms": percentile_ms(load.latencies, 0.50),
            "p99_ms": percentile_ms(load.latencies, 0.99),
            "pair_p50_ms": percentile_ms(load.pair_latencies, 0.50),
            "pair_p99_ms": percentile_ms(load.pair_latencies, 0.99)}  # fmt: skip


def find_pgbench() -> str:
    found = shutil.which("pgbench") or next(iter(sorted(glob("/usr/lib/postgresql/*/bin/pgbench"),
                                                       reverse=True)), None)  # fmt: skip
    if not found:
        raise RuntimeError("pgbench is neither on PATH nor in /usr/lib/postgresql/*/bin")
    return found


def bench_pgbench(seconds: float, scale: int, clients: int = TERMINALS) -> float:
    """TPC-B-like tps of ``pgbench -c 50 -j 2 -T seconds`` on a fresh scratch database."""
    exe = find_pgbench()
    recreate_pg_database(PGBENCH_DB)
    conninfo = pg_url(PGBENCH_DB, "postgresql")
    try:
        subprocess.run([exe, "-i", "-q", "-s", str(scale), conninfo], check=True,
                       capture_output=True)  # fmt: skip
        out = subprocess.run(
            [exe, "-c", str(clients), "-j", "2", "-T", str(max(1, int(seconds))), conninfo],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        drop_pg_database(PGBENCH_DB)
    match = re.search(r"tps = ([0-9.]+)", out)
    if not match:
        raise RuntimeError(f"no tps in pgbench's output:\n{out}")
    return float(match.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench server", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="PostgreSQL only, 3 s of load, pgbench at scale 5 (< 30 s)")
    parser.add_argument("--seconds", type=float, help="load time per run (default 15; quick 3)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args(argv)
    seconds = args.seconds or (3.0 if args.quick else 15.0)

    recreate_pg_database(SERVER_DB)
    try:
        pg = bench_server(pg_url(SERVER_DB), seconds, args.workers)
    finally:
        drop_pg_database(SERVER_DB)
    sqlite: dict[str, Any] = {}
    if not (args.no_sqlite or args.quick):
        with tempfile.TemporaryDirectory(prefix="tk_bench_server_") as folder:
            sqlite = bench_server(f"sqlite:///{folder}/server.sqlite3", seconds, args.workers)
    tps = bench_pgbench(seconds, scale=5 if args.quick else TERMINALS)

    rows = [("PostgreSQL", pg), ("SQLite", sqlite)] if sqlite else [("PostgreSQL", pg)]
    print(f"{'server':<11} {'pairs/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'pair p99 ms':>12}")
    for name, r in rows:
        print(f"{name:<11} {r['pairs_per_s']:>9} {r['p50_ms']:>8} {r['p99_ms']:>8} "
              f"{r['pair_p99_ms']:>12}")  # fmt: skip
    print(f"pgbench TPC-B-like, 50 clients: {tps:.1f} tps")
    ratio = round(pg["pairs_per_s"] / tps, 3) if tps else 0.0
    print(f"ratio pairs/s ÷ pgbench tps = {ratio} (target >= 0.25)")
    summary = {"benchmark": "server", "pairs_per_s": pg["pairs_per_s"],
               "pgbench_tps": round(tps, 1), "ratio": ratio, "p50_ms": pg["p50_ms"],
               "p99_ms": pg["p99_ms"],
               "pair_p99_ms": pg["pair_p99_ms"], "terminals": TERMINALS, "seconds": seconds,
               "workers": args.workers,
               "sqlite_pairs_per_s": sqlite.get("pairs_per_s"),
               "sqlite_p99_ms": sqlite.get("p99_ms")}  # fmt: skip
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
