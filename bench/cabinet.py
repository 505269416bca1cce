"""``python -m bench cabinet [--quick]``: the guest cabinet under 200 guests at once (issue 19
point 8), one ``pos-server run`` process on PostgreSQL.

A scratch database ``tk_bench_cabinet`` is migrated and seeded through the services and the
tills' operations: the demo catalogue (every product open to guest orders), ``--guests`` (200;
``--quick`` 10) guests made by a till over ``POST /v1/ops`` (``guest.created``, money and
points credited by a manager, three sales each in the last month), each given cabinet
credentials by ``accounts.set_credentials`` ("skip registration" on, as staff do). Then one
real ``pos-server run --workers 1`` starts, every guest signs in over HTTP (the sign-in page,
its CSRF token, the POST: argon2 included; timed apart, as ``sign-in``), and all of them at
once, each with its own connection and cookie jar, browse for ``--seconds`` (90; quick 6): a
page, then a pause a person takes to read it (``--think``: TPC-W's think time, exponential with
a mean of 7 s, at most ten times that), again: the cabinet's home,
the profile, the history's three tabs, and - once the shop exists - the shop's menu, a search,
the basket and an order with its page. Meanwhile a console listens on ``GET /v1/orders/stream``
(a terminal's token, ``bench.sse``) and accepts each order it sees through ``POST /v1/ops``
(``order.accepted``) as the console does; the time from just before the guest's "place the
order" POST to the order's ``placed`` event on the stream is the order's time to the console.

Baseline in the same run: ``GET /health`` every 100 ms under the same load (what any request
costs on this machine now); ``ratio`` = page p50 / health p50. Every page must answer 200 and
carry the guest's own session (its CSRF token; the profile its login besides): the sign-in
form, or somebody else's page, is an error.
Targets: page p99 < 300 ms, order on a console p99 < 1 s, no errors. The last line printed is
one JSON object; ``--quick`` stays under 30 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.server import ServerProcess, drop_pg_database, pg_url, recreate_pg_database
from bench.sse import SseReader
from bench.stats import percentile

DATABASE = "tk_bench_cabinet"
PASSWORD = "bench cabinet pass"
PAGE_TARGET_MS = 300.0
ORDER_TARGET_MS = 1000.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PRODUCT = re.compile(r'<li class="product" id="product-([^"]+)"')  # a product on the menu
ORDER_TOKEN = re.compile(r'name="order_token" value="([^"]+)"')
METHOD = re.compile(r'name="method" value="([^"]+)"')
SEARCHES = ("латте", "чай", "пицца", "сок", "кола", "бургер")  # each finds a product
HTMX = {"HX-Request": "true"}
MENU_PART = HTMX | {"HX-Target": "menu"}
THINK_S = 7.0  # TPC-W's mean think time
ORDER_CHANCE = 0.08  # of a guest's steps: an order (one or two in a minute's run)
CATALOGUE = Path(__file__).resolve().parents[1] / "pos_server" / "demo_data" / "catalogue.json"


@dataclass
class Venue:
    """What the seed made: the till and console tokens, the guests' ids and logins."""

    till_id: str
    till_token: str
    console_id: str
    console_token: str
    staff_id: str
    guests: list[tuple[str, str]] = field(default_factory=list)  # (guest id, login)


def _terminal(session: Any, name: str, now: datetime) -> tuple[str, str]:
    from pos_server.terminals import service as terminals

    added = terminals.add_terminal(session, name, now)
    return added.terminal_id, terminals.enrol(session, added.enrolment_code, now).token


def seed_venue(url: str) -> Venue:
    """Migrate; the catalogue (all of it guest-orderable), a till, a console, a manager."""
    from pos_server.catalogue.service import CatalogueIn, import_catalogue
    from pos_server.db import make_engine, make_sessions, upgrade
    from pos_server.staff import service as staff
    from pos_server.uow import unit_of_work

    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        with make_sessions(engine).begin() as session:
            till = _terminal(session, "Bench till", now)
            console = _terminal(session, "Bench console", now)
        data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        for product in data["products"]:
            product["guest_orderable"] = True
        with unit_of_work(engine, actor="bench", now=now) as uow:
            import_catalogue(uow, CatalogueIn.model_validate(data))
            staff_id = staff.add_staff(uow, "Bench manager", "manager", "246810").id
    finally:
        engine.dispose()
    return Venue(*till, *console, staff_id)


def _ops(venue: Venue, seq: list[int], operations: list[Any]) -> dict[str, Any]:
    batch = []
    for operation in operations:
        seq[0] += 1
        batch.append({"op_id": str(uuid.uuid4()), "terminal_id": venue.till_id,
                      "seq": seq[0], "created_at": datetime.now(UTC).isoformat(),
                      "kind": operation.KIND, "payload": operation.to_json()})  # fmt: skip
    return {"operations": batch}


def _guest_ops(venue: Venue, n: int, now: datetime) -> tuple[str, list[Any]]:
    """A guest as a till makes one: created, 5 000 ₽ and 1 000 points credited, three sales."""
    from pos_app.domain.operations import (
        AccountAdjusted,
        GuestCreated,
        SaleClosed,
        SaleGuest,
        SaleLine,
        SalePayment,
        SaleTotals,
    )

    guest_id = f"bench-guest-{n:04d}"
    made: list[Any] = [
        GuestCreated(guest_id=guest_id, name=f"Гость {n:04d}", phone=f"+7916{n:07d}"),
        AccountAdjusted(adjustment_id=f"money-{n}", guest_id=guest_id, account="money",
                        direction="credit", amount=500_000, staff_id=venue.staff_id,
                        reason="Пополнение на кассе"),
        AccountAdjusted(adjustment_id=f"points-{n}", guest_id=guest_id, account="points",
                        direction="credit", amount=100_000, staff_id=venue.staff_id,
                        reason="Бонус"),
    ]  # fmt: skip
    for k in range(3):
        at = now - timedelta(days=3 + 7 * k, hours=n % 12)
        made.append(SaleClosed(
            sale_id=f"sale-{n}-{k}", terminal_id=venue.till_id, receipt_no=f"B-{n:04d}{k}",
            opened_at=at, closed_at=at,
            guest=SaleGuest(guest_id=guest_id, name=f"Гость {n:04d}", identified_by="msr"),
            group=None,
            lines=(SaleLine(line_no=1, product_id="latte", name="Латте",
                            product_group_id="coffee", tags=(), quantity=1, unit_price=21_000,
                            subtotal=21_000, discount=0, total=21_000),),
            payments=(SalePayment(method="card", amount=21_000, tendered=21_000, change=0,
                                  at=at),),
            totals=SaleTotals(subtotal=21_000, discount=0, total=21_000, paid=21_000,
                              change=0)))  # fmt: skip
    return guest_id, made


def seed_guests(url: str, base: str, venue: Venue, count: int) -> None:
    """``count`` guests pushed by the till over HTTP, then their cabinet credentials."""
    import httpx

    from pos_server.cabinet_web import accounts
    from pos_server.db import make_engine
    from pos_server.uow import unit_of_work

    now, seq, ids = datetime.now(UTC), [0], []
    pending: list[Any] = []
    headers = {"Authorization": f"Bearer {venue.till_token}"}
    with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
        for n in range(count):
            guest_id, operations = _guest_ops(venue, n, now)
            ids.append(guest_id)
            pending += operations
            if len(pending) >= 120 or n == count - 1:
                answer = client.post("/v1/ops", json=_ops(venue, seq, pending))
                answer.raise_for_status()
                bad = [r for r in answer.json()["results"] if r["status"] != "applied"]
                if bad:
                    raise RuntimeError(f"the seed's operations were refused: {bad[:3]}")
                pending = []
    engine = make_engine(url)

    def credentials(n: int) -> None:
        with unit_of_work(engine, actor="bench", now=datetime.now(UTC)) as uow:
            uow.guest_cards.load(ids[n])
            uow.guest_cards.write(ids[n], {"registration_skipped": True}, uow.now)
            accounts.set_credentials(uow, ids[n], f"guest{n:04d}", PASSWORD)

    try:  # two at a time: argon2 lets go of the GIL, and the machine has two cores
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(credentials, range(len(ids))))
    finally:
        engine.dispose()
    venue.guests += [(guest_id, f"guest{n:04d}") for n, guest_id in enumerate(ids)]


@dataclass
class Results:
    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # ms
    sign_ins: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    placed: dict[str, float] = field(default_factory=dict)  # order id -> perf_counter
    to_console: list[float] = field(default_factory=list)  # ms
    accepted: int = 0
    errors: list[str] = field(default_factory=list)


class Guest:
    """One signed-in guest: its own connection and cookies."""

    def __init__(self, base: str, guest_id: str, login: str, results: Results) -> None:
        import httpx

        self.guest_id, self.login, self.results = guest_id, login, results
        self.client = httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True)
        self.csrf = ""

    async def sign_in(self) -> None:
        form = await self.client.get("/cabinet/sign-in")
        token = CSRF.search(form.text)
        started = time.perf_counter()
        answer = await self.client.post("/cabinet/sign-in", data={
            "login": self.login, "password": PASSWORD,
            "csrf_token": token.group(1) if token else ""})  # fmt: skip
        self.results.sign_ins.append((time.perf_counter() - started) * 1000)
        session = CSRF.search(answer.text)
        if answer.status_code != 200 or session is None or "/sign-in" in answer.url.path:
            raise RuntimeError(f"{self.login} could not sign in: {answer.status_code} "
                               f"{answer.url}")  # fmt: skip
        self.csrf = session.group(1)

    async def page(self, kind: str, path: str, *, must: str | None = None,
                   headers: dict[str, str] | None = None) -> str:  # fmt: skip
        """GET a page, timed under ``kind``; its text ('' after an error). ``must``: what the
        answer must hold (default: the session's CSRF token, which every full page has)."""
        return await self._timed(kind, "GET", path, must=must, headers=headers)

    async def post(self, kind: str, path: str, data: dict[str, str], *, must: str | None = None,
                   headers: dict[str, str] | None = None) -> str:  # fmt: skip
        """POST a form (the session's CSRF token added), timed with the redirect it answers."""
        return await self._timed(kind, "POST", path, data | {"csrf_token": self.csrf},
                                 must=must, headers=headers)  # fmt: skip

    async def _timed(self, kind: str, method: str, path: str, data: dict[str, str] | None = None,
                     *, must: str | None, headers: dict[str, str] | None) -> str:  # fmt: skip
        started = time.perf_counter()
        try:
            answer = await self.client.request(method, path, data=data, headers=headers)
        except Exception as error:  # an error is a result of the run
            self.results.errors.append(f"{kind}: {error!r}")
            return ""
        self.results.pages[kind].append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200 or (must or self.csrf) not in answer.text or (
                self.login not in answer.text and kind in OWN_LOGIN):  # fmt: skip
            self.results.errors.append(f"{kind}: {answer.status_code} {answer.url}")
            return ""
        return answer.text

    async def order(self, rng: random.Random, think: float, polls: int) -> None:
        """The shop, a search, two or three products into the basket (htmx's requests, as the
        page's buttons send them), the order placed, then its page following the state as
        the page does (its live part every 3 s, ``polls`` times)."""
        menu = await self.page("shop: menu", "/cabinet/shop")
        products = PRODUCT.findall(menu)
        if not products:
            self.results.errors.append("shop: no product on the menu")
            return
        await asyncio.sleep(pause(rng, think))
        word = rng.choice(SEARCHES)
        await self.page("shop: search", f"/cabinet/shop?q={word}", must='id="product-',
                        headers=MENU_PART)  # fmt: skip
        basket = ""
        for product in rng.sample(products, min(len(products), rng.choice((2, 3)))):
            await asyncio.sleep(pause(rng, think / 2))
            basket = await self.post("shop: add", "/cabinet/shop/add",
                                     {"product_id": product, "in_points": "0"},
                                     headers=HTMX)  # fmt: skip
        token, methods = ORDER_TOKEN.search(basket), METHOD.findall(basket)
        if token is None or not methods:
            self.results.errors.append("shop: no order form in the basket")
            return
        await asyncio.sleep(pause(rng, think))
        order_id = token.group(1)
        self.results.placed[order_id] = time.perf_counter()
        placed = await self.post("shop: place order", "/cabinet/shop/order", {
            "order_token": order_id, "method": "balance" if "balance" in methods
            else methods[0], "note": "", "ready_by": ""}, must=order_id)  # fmt: skip
        if not placed:
            self.results.placed.pop(order_id, None)
            return
        for _ in range(polls):
            await asyncio.sleep(3)
            await self.page("order: live state", f"/cabinet/orders/{order_id}/live",
                            must='id="order-live"', headers=HTMX)  # fmt: skip

    async def close(self) -> None:
        await self.client.aclose()


# Every signed-in page carries the session's own CSRF token (the sign-out form); the profile
# shows the guest's login besides.
OWN_LOGIN = {"profile"}


def pause(rng: random.Random, mean: float) -> float:
    """A think time as TPC-W draws it: exponential, cut at ten times its mean."""
    return min(rng.expovariate(1 / mean), 10 * mean) if mean > 0 else 0.0


async def browse(guest: Guest, stop_at: float, think: float,
                 rng: random.Random, *, shop: bool, order_chance: float, polls: int
                 ) -> None:  # fmt: skip
    """Pages a guest opens one after another, a pause between them, until ``stop_at``;
    ``shop``: now and then an order instead (once the server has the shop)."""
    pages = [("home", "/cabinet"), ("profile", "/cabinet/profile"),
             ("history: orders", "/cabinet/history?section=sales"),
             ("history: balance", "/cabinet/history?section=money"),
             ("history: points", "/cabinet/history?section=points")]  # fmt: skip
    await asyncio.sleep(rng.uniform(0, 2 * think))  # the guests do not all start at once
    while time.monotonic() < stop_at:
        if shop and rng.random() < order_chance:
            await guest.order(rng, think, polls)
        else:
            kind, path = rng.choice(pages)
            await guest.page(kind, path)
        await asyncio.sleep(pause(rng, think))


async def health_probe(base: str, stop_at: float, results: Results) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            answer = await client.get("/health")
            results.health.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                results.errors.append(f"health: {answer.status_code}")
            await asyncio.sleep(0.1)


async def console(base: str, port: int, venue: Venue, results: Results, stop: asyncio.Event
                  ) -> None:  # fmt: skip
    """The console: the order stream; each ``placed`` order timed and accepted."""
    import httpx

    stream = await SseReader("127.0.0.1", port, venue.console_token).open()
    seen, seq = 0, 0
    headers = {"Authorization": f"Bearer {venue.console_token}"}
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as client:
            while not (stop.is_set() and seen >= len(stream.events)):
                await stream.wait_for(lambda known=seen: len(stream.events) > known, 0.2)
                for arrival in stream.events[seen:]:
                    seen += 1
                    data = arrival.data or {}
                    order_id = str(data.get("order_id"))
                    if data.get("event") != "placed":
                        continue
                    started = results.placed.pop(order_id, None)
                    if started is None:
                        results.errors.append(f"console: an order nobody timed: {order_id}")
                        continue
                    results.to_console.append((arrival.at - started) * 1000)
                    seq += 1
                    op = {"op_id": str(uuid.uuid4()), "terminal_id": venue.console_id,
                          "seq": seq, "created_at": datetime.now(UTC).isoformat(),
                          "kind": "order.accepted", "payload": {"order_id": order_id}}  # fmt: skip
                    answer = await client.post("/v1/ops", json={"operations": [op]})
                    verdict = answer.json()["results"][0]["status"] if answer.is_success \
                        else answer.status_code  # fmt: skip
                    if verdict == "applied":
                        results.accepted += 1
                    else:
                        results.errors.append(f"console: accept {order_id}: {verdict}")
    finally:
        await stream.close()


async def run_load(base: str, port: int, venue: Venue, seconds: float, *,
                   think: float, sign_in_at_once: int, order_chance: float,
                   polls: int) -> Results:  # fmt: skip
    results = Results()
    guests = [Guest(base, gid, login, results) for gid, login in venue.guests]
    gate = asyncio.Semaphore(sign_in_at_once)

    async def sign_in(guest: Guest) -> None:
        async with gate:
            await guest.sign_in()

    stop = asyncio.Event()
    listener = asyncio.create_task(console(base, port, venue, results, stop))
    try:
        await asyncio.gather(*(sign_in(g) for g in guests))
        shop = (await guests[0].client.get("/cabinet/shop")).status_code == 200
        stop_at = time.monotonic() + seconds
        rng = random.Random(19)
        await asyncio.gather(health_probe(base, stop_at, results),
                             *(browse(g, stop_at, think, random.Random(rng.random()), shop=shop,
                                      order_chance=order_chance, polls=polls)
                               for g in guests))  # fmt: skip
        await asyncio.sleep(0.1)
        for _ in range(50):  # orders placed last: give the stream up to 5 s to bring them
            if not results.placed:
                break
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(listener, 30)
    finally:
        if not listener.done():
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        await asyncio.gather(*(g.close() for g in guests))
    results.errors += [f"order {oid} never reached the console" for oid in results.placed]
    return results


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None}  # type: ignore[dict-item]
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cabinet", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 guests, 6 s of load (< 30 s)")
    parser.add_argument("--guests", type=int, help="guests signed in at once (200; quick 10)")
    parser.add_argument("--seconds", type=float, help="load time (default 90; quick 6)")
    parser.add_argument("--think", type=float, metavar="MEAN",
                        help="mean pause between pages, s (default 7; quick 0.7)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args(argv)
    count = args.guests or (10 if args.quick else 200)
    seconds = args.seconds or (6.0 if args.quick else 90.0)
    think = args.think if args.think is not None else 0.7 if args.quick else THINK_S

    recreate_pg_database(DATABASE)
    url = pg_url(DATABASE)
    try:
        started = time.perf_counter()
        venue = seed_venue(url)
        server = ServerProcess(url, args.workers)
        try:
            base = f"http://127.0.0.1:{server.port}"
            seed_guests(url, base, venue, count)
            seeded_s = time.perf_counter() - started
            results = asyncio.run(run_load(
                base, server.port, venue, seconds, think=think, sign_in_at_once=4,
                order_chance=0.4 if args.quick else ORDER_CHANCE,
                polls=1 if args.quick else 2))  # fmt: skip
        finally:
            logged = server.stop()
    finally:
        drop_pg_database(DATABASE)
    if "Traceback" in logged:
        results.errors.append("the server logged a traceback")
        print(f"pos-server logged errors during the run:\n{logged[-3000:]}")
    print(f"PostgreSQL, one pos-server process ({args.workers} worker), {count} guests signed "
          f"in, {seconds:g} s of browsing, pauses of {think:g} s on average "
          f"(seeded in {seeded_s:.1f} s)")  # fmt: skip
    summary = report(results, seconds)
    summary |= {"guests": count, "seconds": seconds, "think_s": think, "workers": args.workers}
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if results.errors else 0  # a target missed is in the figures ("ok"), not an error


def report(results: Results, seconds: float) -> dict[str, Any]:
    """The table and the verdicts printed; the figures for the JSON line."""
    every_page = [ms for values in results.pages.values() for ms in values]
    overall, health = _stats(every_page), _stats(results.health)
    orders = _stats(results.to_console)
    sign_in = _stats(results.sign_ins)
    print(f"{'request':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = [(kind, _stats(values)) for kind, values in sorted(results.pages.items())]
    rows += [("all pages", overall), ("order to console", orders),
             ("sign-in (argon2)", sign_in), ("baseline: /health", health)]  # fmt: skip
    for name, r in rows:
        print(f"{name:<22} {r['n']:>6} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} {r['p99_ms']!s:>8}")
    ratio = round(overall["p50_ms"] / health["p50_ms"], 2) if health["n"] else None
    pages_ok = overall["n"] > 0 and overall["p99_ms"] < PAGE_TARGET_MS
    orders_ok = not orders["n"] or orders["p99_ms"] < ORDER_TARGET_MS
    ok = pages_ok and orders_ok and not results.errors
    rate = overall["n"] / seconds
    print(f"{rate:.1f} pages/s; page p50 / health p50 = {ratio}; {results.accepted} orders "
          f"accepted by the console; errors: {len(results.errors)}")  # fmt: skip
    kinds = Counter(re.sub(r" http\S*| [0-9a-f-]{16,}\S*", "", e) for e in results.errors)
    for error, times in kinds.most_common(10):
        print(f"  error x{times}: {error}")
    verdict = "pass" if orders_ok and orders["n"] else "FAIL" if orders["n"] else "no orders"
    print(f"page p99 {overall['p99_ms']} ms (target < {PAGE_TARGET_MS:g}): "
          f"{'pass' if pages_ok else 'FAIL'}; order on the console p99 {orders['p99_ms']} ms "
          f"(target < {ORDER_TARGET_MS:g}): {verdict}")  # fmt: skip
    return {"benchmark": "cabinet",
               "pages_per_s": round(rate, 1), "page_p50_ms": overall["p50_ms"],
               "page_p95_ms": overall["p95_ms"], "page_p99_ms": overall["p99_ms"],
               "health_p50_ms": health["p50_ms"], "health_p99_ms": health["p99_ms"],
               "page_health_ratio": ratio, "orders": orders["n"],
               "order_console_p50_ms": orders["p50_ms"],
               "order_console_p99_ms": orders["p99_ms"], "accepted": results.accepted,
               "sign_in_p50_ms": sign_in["p50_ms"], "sign_in_p99_ms": sign_in["p99_ms"],
               "errors": len(results.errors), "page_target_ms": PAGE_TARGET_MS,
               "order_target_ms": ORDER_TARGET_MS, "ok": ok,
               **{f"{k.replace(': ', '_').replace(' ', '_')}_p99_ms": _stats(v)["p99_ms"]
                  for k, v in sorted(results.pages.items())}}  # fmt: skip


__all__ = ["main"]
