"""``python -m bench backoffice [--quick]``: the back office's guest list search over 100 000
guests and the guest card's history with 5 000 postings, on PostgreSQL (issue 18 point 10).

A scratch database ``tk_bench_backoffice`` is migrated and filled with ``--guests`` guests
(100 000; ``--quick`` 20 000), each with a phone contact, every second one an e-mail, and a
card identifier, plus one guest with ``--postings`` (5 000) points postings. Each measured
call is what the pages do for one request: a unit of work (its own connection from the pool
and transaction) around the service — ``pos_server.guests.backoffice.listing``, the very call of
``/admin/guests?q=`` (a page of 50 with e-mails and cards; name, phone, e-mail and card
prefixes, and the list without a query; the first page and the next by its keyset cursor) and
``pos_server.guests.history.history_page`` for the card's history tab (first page of 50 and a
page 2 500 postings deep). The baseline in the same run: the guest read by primary key in a
unit of work of its own (the least a request can cost). Target: p99 < 150 ms for every search
and the card. The last line printed is one JSON object; ``--quick`` stays under 30 s.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from bench.server import drop_pg_database, pg_url, recreate_pg_database
from bench.stats import percentile

DATABASE = "tk_bench_backoffice"
CARD_GUEST = "bench-card-guest"
TARGET_MS = 150.0
FIRST = (
    "Анна",
    "Борис",
    "Вера",
    "Глеб",
    "Дарья",
    "Егор",
    "Жанна",
    "Иван",
    "Кира",
    "Лев",
    "Мария",
    "Никита",
    "Ольга",
    "Павел",
    "Роман",
    "Софья",
    "Тимур",
    "Юлия",
    "Alex",
    "Maria",
)
LAST = ("Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов",
        "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Semenov",
        "Egorov", "Pavlov", "Kozlov", "Stepanov")  # fmt: skip


def _copy(raw: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def seed(url: str, guests: int, postings: int) -> str:
    """The scratch database migrated and filled; the terminal id the rows name."""
    from pos_server.db import make_engine, make_sessions, upgrade
    from pos_server.terminals import service as terminals

    upgrade(url)
    engine = make_engine(url)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rng = random.Random(18)
    try:
        with make_sessions(engine).begin() as session:
            terminal_id = terminals.add_terminal(session, "Bench till", now).terminal_id
        raw = engine.raw_connection()
        try:
            people = [(f"g{n:06d}", f"{rng.choice(LAST)}а {rng.choice(FIRST)}" if n % 2
                       else f"{rng.choice(LAST)} {rng.choice(FIRST)}", f"+79{n:09d}")
                      for n in range(guests)]  # fmt: skip
            people.append((CARD_GUEST, "Card Bench", None))  # type: ignore[arg-type]
            _copy(
                raw,
                "guests",
                ("id", "name", "phone", "created_at", "created_by"),
                [(gid, name, phone, now, terminal_id) for gid, name, phone in people],
            )
            contacts = [(gid, 0, "phone", "mobile", phone) for gid, _, phone in people if phone]
            contacts += [(gid, 1, "email", "other", f"{gid}.{n}@mail.example")
                         for n, (gid, _, _) in enumerate(people) if n % 2 == 0]  # fmt: skip
            _copy(raw, "guest_contacts", ("guest_id", "position", "type", "label", "value"),
                  contacts)  # fmt: skip
            _copy(raw, "guest_identifiers", ("guest_id", "medium", "method", "value",
                                             "bound_at"),
                  [(gid, "card", "barcode", f"CARD{n:08d}", now)
                   for n, (gid, _, _) in enumerate(people)])  # fmt: skip
            _copy(
                raw,
                "accounts",
                ("kind", "id", "total", "held"),
                [("points", CARD_GUEST, 100 * postings, 0)],
            )
            start = now - timedelta(days=400)
            _copy(raw, "postings", ("account_kind", "account_id", "kind", "amount",
                                    "total_after", "held_after", "at", "actor", "terminal_id",
                                    "reason", "ref", "hold_id"),
                  [("points", CARD_GUEST, "credit", 100, 100 * (i + 1), 0,
                    start + timedelta(minutes=i), "staff:bench", terminal_id, f"bench {i}",
                    None, None) for i in range(postings)])  # fmt: skip
            cursor = raw.cursor()
            cursor.execute("ANALYZE")
            cursor.close()
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()
    return terminal_id


def _time(rounds: int, call: Callable[[int], object]) -> dict[str, float]:
    for n in range(min(20, rounds)):  # warm-up: the pool's connections and compiled queries
        call(n)
    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(samples, 50), 2),
            "p99_ms": round(percentile(samples, 99), 2), "rounds": rounds}  # fmt: skip


def measure(url: str, guests: int, rounds: int) -> dict[str, dict[str, float]]:
    """p50/p99 per case, each call one unit of work as a page request would have."""
    from pos_server.db import make_engine
    from pos_server.guests.backoffice import listing
    from pos_server.guests.history import history_page
    from pos_server.uow import unit_of_work

    engine = make_engine(url)
    now = datetime.now(UTC)
    rng = random.Random(10)

    def in_uow(work: Callable[[Any], object]) -> object:
        with unit_of_work(engine, actor="web:bench", now=now) as uow:
            return work(uow)

    ids = [f"g{rng.randrange(guests):06d}" for _ in range(rounds + 20)]
    names = [rng.choice(LAST)[:3] for _ in range(rounds + 20)]
    phones = [f"8 9{rng.randrange(guests):09d}"[:9] for _ in range(rounds + 20)]
    mails = [f"g{rng.randrange(0, guests, 2):06d}"[:6] for _ in range(rounds + 20)]
    cards = [f"card{rng.randrange(guests):08d}"[:10] for _ in range(rounds + 20)]

    def search(queries: list[str], page_2: bool = False) -> Callable[[int], object]:
        """The page's own call (``listing``) for each query; ``page_2``: the page after the
        first, by the first's keyset cursor (found before the clock starts)."""
        afters = [cast("str | None", in_uow(lambda uow, q=q: listing(uow, q)[1]))  # type: ignore[misc]
                  if page_2 else None for q in queries]  # fmt: skip
        return lambda n: in_uow(lambda uow: listing(uow, queries[n], afters[n]))

    deep: dict[str, str | None] = {}

    def page(before: str | None) -> Callable[[int], object]:
        return lambda n: in_uow(lambda uow: history_page(uow, CARD_GUEST, "postings",
                                                         before=before))  # fmt: skip

    try:
        for _ in range(5):  # 5 x 500: half way down the card guest's postings
            in_uow(
                lambda uow: deep.__setitem__(
                    "cursor",
                    history_page(
                        uow, CARD_GUEST, "postings", before=deep.get("cursor"), limit=500
                    ).next,
                )
            )
        cases = {
            "baseline: guest by id": lambda n: in_uow(
                lambda uow: uow.guest_search.by_id(ids[n])),
            "list, no query": search([""] * (rounds + 20)),
            "list, keyset page": lambda n: in_uow(lambda uow: listing(uow, "", ids[n])),
            "search: name": search(names),
            "search: name, page 2": search(names, page_2=True),
            "search: phone": search(phones),
            "search: phone, page 2": search(phones, page_2=True),
            "search: e-mail": search(mails),
            "search: e-mail, page 2": search(mails, page_2=True),
            "search: card": search(cards),
            "search: card, page 2": search(cards, page_2=True),
            "card: history page 1": page(None),
            "card: history, deep": page(deep["cursor"]),
        }  # fmt: skip
        return {name: _time(rounds, call) for name, call in cases.items()}
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench backoffice", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="20 000 guests, 100 rounds a case (< 30 s)")  # fmt: skip
    parser.add_argument("--guests", type=int, help="guests (default 100 000; quick 20 000)")
    parser.add_argument("--postings", type=int, default=5_000, help="the card guest's postings")
    parser.add_argument("--rounds", type=int, help="calls per case (default 500; quick 100)")
    args = parser.parse_args(argv)
    guests = args.guests or (20_000 if args.quick else 100_000)
    rounds = args.rounds or (100 if args.quick else 500)

    recreate_pg_database(DATABASE)
    try:
        started = time.perf_counter()
        seed(pg_url(DATABASE), guests, args.postings)
        seeded_s = time.perf_counter() - started
        results = measure(pg_url(DATABASE), guests, rounds)
    finally:
        drop_pg_database(DATABASE)

    print(f"PostgreSQL, {guests} guests, card of {args.postings} postings "
          f"(seeded in {seeded_s:.1f} s), {rounds} calls a case")  # fmt: skip
    print(f"{'case':<26} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:<26} {r['p50_ms']:>8} {r['p99_ms']:>8}")
    measured = {k: v for k, v in results.items() if not k.startswith("baseline")}
    worst = max(r["p99_ms"] for r in measured.values())
    print(f"worst p99 {worst} ms (target < {TARGET_MS:g} ms)")
    summary = {"benchmark": "backoffice", "guests": guests, "postings": args.postings,
               "rounds": rounds, "worst_p99_ms": worst, "target_ms": TARGET_MS,
               "ok": worst < TARGET_MS,
               **{k.replace(": ", "_").replace(" ", "_").replace(",", ""): v["p99_ms"]
                  for k, v in results.items()}}  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False))
    return 0


__all__ = ["main"]
