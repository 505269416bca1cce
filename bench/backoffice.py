"""``python -m bench backoffice [--quick]``: what a person in the back office waits for - the
guest list's search over 100 000 guests and the card of a guest with 5 000 postings - over
HTTP to a real ``pos-server run`` (one worker) on PostgreSQL (issue 18 point 10).

A scratch database ``tk_bench_backoffice`` is migrated and filled by COPY with ``--guests``
guests (100 000; ``--quick`` 10 000), each with a phone contact, every second one an e-mail,
and a card identifier, plus one guest with ``--postings`` (5 000) points postings; an admin
with a server password is added through the staff service. Then one ``pos-server run --workers
1`` starts and the admin signs in over HTTP (the sign-in form's CSRF token, the POST, the
session cookie kept). One keep-alive client then sends, one at a time and shuffled together,
``--requests`` (500; quick 12) requests of each kind: ``GET /admin/guests`` without a query,
its next page (the page's own "Next" link, ``?after=``), a keyset page after a random guest,
``?q=`` a name, phone digits, an e-mail and a card prefix, each with its next page (its own
link, taken from the first page's answer), the guest card ``/admin/guests/<id>`` of the
guest with the postings, its history's next page (the card's "Older" link, ``?before=``) and
a history page half-way down. Each answer is checked: a 200 page of the signed-in member (not
the sign-in form) listing guests whose names are the seeded ones and who match the query
(a next page: none of the first page's), the card with its newest (or that page's) postings.

Baselines in the same run: ``GET /health`` (no session, no template) and the back office's
home page for the same session (session, template, no query). Below the HTTP rows, the
services the pages call (``backoffice.listing``, ``backoffice.card_view``,
``history.history_page``), each in a unit of work of its own, ``--rounds`` (500; quick 12)
calls a case, with the guest read by primary key as their baseline: how much of a request is
the query. Target: p99 < 150 ms for every search and card request. The last line printed is
one JSON object; ``--quick`` stays under 30 s.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

from bench.server import ServerProcess, drop_pg_database, pg_url, recreate_pg_database
from bench.stats import percentile

DATABASE = "tk_bench_backoffice"
CARD_GUEST = "bench-card-guest"
CARD_NAME = "Card Bench"
ADMIN, PASSWORD, PIN = "Bench admin", "bench backoffice pass", "482913"
TARGET_MS = 150.0
PAGE = 50  # guests a list page shows (pos_server.guests.backoffice.PAGE)
CARD_POSTINGS = 20  # postings the card's history shows a page (backoffice.card_view)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROW = re.compile(r'<td><a href="/admin/guests/([^"]+)">([^<]*)</a></td>')  # a guest listed
NEXT = re.compile(r'<a id="next" href="([^"]+)"')  # the list's next page
OLDER = re.compile(r'<a href="(/admin/guests/[^"?]+\?before=[^"]+)"')  # the history's next
SIGNED_IN = f'<span class="muted" id="me">{ADMIN}</span>'  # every page of the session
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


@dataclass(frozen=True)
class Seeded:
    """What the seed wrote, to check the pages against: per guest id its name, phone, e-mail
    (every second guest) and card."""

    names: dict[str, str]
    phones: dict[str, str]
    emails: dict[str, str]
    cards: dict[str, str]

    def matches(self, guest_id: str, query: str) -> bool:
        """Whether the guest is one ``query`` finds (a prefix of its name, any case; of its
        e-mail; of its phone by digits, ``8``/``+7``/none before them; of its card)."""
        typed = " ".join(query.split()).lower()
        digits = re.sub(r"\D", "", query)
        phones = {f"+{digits}", f"+7{digits}"} | ({f"+7{digits[1:]}"} if digits[:1] == "8"
                                                   else set())  # fmt: skip
        phone = self.phones.get(guest_id, "")
        return (self.names[guest_id].lower().startswith(typed)
                or self.emails.get(guest_id, "\0").startswith(typed)
                or self.cards[guest_id].startswith("".join(query.split()).upper())
                or (len(digits) >= 3 and any(phone.startswith(p) for p in phones)))  # fmt: skip


def people(guests: int) -> list[tuple[str, str, str | None]]:
    """The guests the seed makes (id, name, phone), the same every run."""
    rng = random.Random(18)
    made: list[tuple[str, str, str | None]] = [
        (f"g{n:06d}", f"{rng.choice(LAST)}а {rng.choice(FIRST)}" if n % 2
         else f"{rng.choice(LAST)} {rng.choice(FIRST)}", f"+79{n:09d}")
        for n in range(guests)]  # fmt: skip
    made.append((CARD_GUEST, CARD_NAME, None))
    return made


def seeded(guests: int) -> Seeded:
    made = people(guests)
    return Seeded({gid: name for gid, name, _ in made},
                  {gid: phone for gid, _, phone in made if phone},
                  {gid: f"{gid}.{n}@mail.example" for n, (gid, _, _) in enumerate(made)
                   if n % 2 == 0},
                  {gid: f"CARD{n:08d}" for n, (gid, _, _) in enumerate(made)})  # fmt: skip


def _copy(raw: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def seed(url: str, guests: int, postings: int) -> str:
    """The scratch database migrated and filled (the guests by COPY, the back office's admin
    through the staff service); the terminal id the rows name."""
    from pos_server.db import make_engine, make_sessions, upgrade
    from pos_server.staff import service as staff
    from pos_server.terminals import service as terminals
    from pos_server.uow import unit_of_work

    upgrade(url)
    engine = make_engine(url)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        with make_sessions(engine).begin() as session:
            terminal_id = terminals.add_terminal(session, "Bench till", now).terminal_id
        raw = engine.raw_connection()
        try:
            people_made = people(guests)
            _copy(
                raw,
                "guests",
                ("id", "name", "phone", "created_at", "created_by"),
                [(gid, name, phone, now, terminal_id) for gid, name, phone in people_made],
            )
            contacts = [
                (gid, 0, "phone", "mobile", phone) for gid, _, phone in people_made if phone
            ]
            contacts += [(gid, 1, "email", "other", f"{gid}.{n}@mail.example")
                         for n, (gid, _, _) in enumerate(people_made) if n % 2 == 0]  # fmt: skip
            _copy(raw, "guest_contacts", ("guest_id", "position", "type", "label", "value"),
                  contacts)  # fmt: skip
            _copy(raw, "guest_identifiers", ("guest_id", "medium", "method", "value",
                                             "bound_at"),
                  [(gid, "card", "barcode", f"CARD{n:08d}", now)
                   for n, (gid, _, _) in enumerate(people_made)])  # fmt: skip
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
        with unit_of_work(engine, actor="bench", now=now) as uow:
            admin = staff.add_staff(uow, ADMIN, "admin", PIN)
            staff.set_password(uow, admin.id, PASSWORD)
    finally:
        engine.dispose()
    return terminal_id


def _stats(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None}  # type: ignore[dict-item]
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50), 2),
            "p95_ms": round(percentile(samples, 95), 2),
            "p99_ms": round(percentile(samples, 99), 2)}  # fmt: skip


def _time(rounds: int, call: Callable[[int], object]) -> dict[str, float]:
    for n in range(min(10, rounds)):  # warm-up: the pool's connections and compiled queries
        call(n)
    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - started) * 1000)
    return _stats(samples)


@dataclass(frozen=True)
class Queries:
    """The requests' inputs, drawn the same way for the services and the pages: random
    guests' ids (keyset cursors), name, phone-digit, e-mail and card prefixes."""

    ids: list[str]
    names: list[str]
    phones: list[str]
    mails: list[str]
    cards: list[str]


def queries(guests: int, count: int, seed: int) -> Queries:
    rng = random.Random(seed)
    return Queries([f"g{rng.randrange(guests):06d}" for _ in range(count)],
                   [rng.choice(LAST)[:3] for _ in range(count)],
                   [f"8 9{rng.randrange(guests):09d}"[:9] for _ in range(count)],
                   [f"g{rng.randrange(0, guests, 2):06d}"[:4] for _ in range(count)],
                   [f"card{rng.randrange(guests):08d}"[:10] for _ in range(count)])  # fmt: skip


def half_way(url: str, postings: int) -> str | None:
    """The history cursor half-way down the card guest's postings (the page it opens starts
    at ``bench {postings - postings // 2 - 1}``)."""
    from pos_server.db import make_engine
    from pos_server.guests.history import MAX_LIMIT, history_page
    from pos_server.uow import unit_of_work

    engine = make_engine(url)
    cursor, left = None, postings // 2
    try:
        while left > 0:  # a page holds at most history.MAX_LIMIT postings
            with unit_of_work(engine, actor="web:bench", now=datetime.now(UTC)) as uow:
                page = history_page(uow, CARD_GUEST, "postings", before=cursor,
                                    limit=min(left, MAX_LIMIT))  # fmt: skip
            cursor, left = page.next, left - len(page.items)
            if cursor is None:
                break
        return cursor
    finally:
        engine.dispose()


def measure(url: str, guests: int, rounds: int, deep: str | None) -> dict[str, dict[str, float]]:
    """The services the pages call, p50/p95/p99 per case, each call one unit of work as a
    page request has: how much of a request is the query."""
    from pos_server.db import make_engine
    from pos_server.guests.backoffice import card_view, listing
    from pos_server.guests.history import history_page
    from pos_server.uow import unit_of_work

    engine = make_engine(url)
    now = datetime.now(UTC)
    q = queries(guests, rounds + min(10, rounds), 10)  # the warm-up's calls too

    def in_uow(work: Callable[[Any], object]) -> object:
        with unit_of_work(engine, actor="web:bench", now=now) as uow:
            return work(uow)

    def search(found: list[str], page_2: bool = False) -> Callable[[int], object]:
        """The page's own call (``listing``) for each query; ``page_2``: the page after the
        first, by the first's keyset cursor (found before the clock starts)."""
        afters = [cast("str | None", in_uow(lambda uow, q=q: listing(uow, q)[1]))  # type: ignore[misc]
                  if page_2 else None for q in found]  # fmt: skip
        return lambda n: in_uow(lambda uow: listing(uow, found[n], afters[n]))

    def page(before: str | None) -> Callable[[int], object]:
        return lambda n: in_uow(lambda uow: history_page(uow, CARD_GUEST, "postings",
                                                         before=before))  # fmt: skip

    def card(before: str | None) -> Callable[[int], object]:
        return lambda n: in_uow(lambda uow: card_view(uow, CARD_GUEST, before))

    try:
        cases = {
            "baseline: guest by id": lambda n: in_uow(
                lambda uow: uow.guest_search.by_id(q.ids[n])),
            "list, no query": search([""] * len(q.ids)),
            "list, keyset page": lambda n: in_uow(lambda uow: listing(uow, "", q.ids[n])),
            "search: name": search(q.names),
            "search: name, page 2": search(q.names, page_2=True),
            "search: phone": search(q.phones),
            "search: phone, page 2": search(q.phones, page_2=True),
            "search: e-mail": search(q.mails),
            "search: e-mail, page 2": search(q.mails, page_2=True),
            "search: card": search(q.cards),
            "search: card, page 2": search(q.cards, page_2=True),
            "card: card_view": card(None),
            "card: card_view, deep": card(deep),
            "card: history page 1": page(None),
            "card: history, deep": page(deep),
        }  # fmt: skip
        return {name: _time(rounds, call) for name, call in cases.items()}
    finally:
        engine.dispose()


class Probe(NamedTuple):
    """One request to time: its kind (the table's row), its path, what its page must show
    (``check``: what is wrong, '' if nothing) and the request it leads to (``then``: the next
    page, taken from this page's own link)."""

    kind: str
    path: str
    check: Callable[[str], str]
    then: Callable[[str], Probe | None] | None = None


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


def _listed(text: str) -> list[tuple[str, str]]:
    return [(gid, html.unescape(name)) for gid, name in ROW.findall(text)]


def _guests(seed: Seeded, query: str, *, full: bool = False,
            not_in: frozenset[str] = frozenset()) -> Callable[[str], str]:  # fmt: skip
    """The check of a list page: guests listed, each with its seeded name and found by
    ``query``; ``full``: a whole page of them; ``not_in``: none of the previous page's."""

    def check(text: str) -> str:
        rows = _listed(text)
        if not rows or (full and len(rows) != PAGE):
            return f"{len(rows)} guests listed"
        for gid, name in rows:
            if seed.names.get(gid) != name:
                return f"guest {gid} listed as {name!r}"
            if not seed.matches(gid, query):
                return f"guest {gid} ({name}) does not match {query!r}"
            if gid in not_in:
                return f"guest {gid} was on the previous page"
        return ""

    return check


def _next_page(kind: str, seed: Seeded, query: str) -> Callable[[str], Probe | None]:
    """The probe of the page after this one: the page's own "Next" link."""

    def then(text: str) -> Probe | None:
        found = NEXT.search(text)
        if found is None:
            return None
        shown = frozenset(gid for gid, _ in _listed(text))
        return Probe(kind, html.unescape(found.group(1)), _guests(seed, query, not_in=shown))

    return then


def _holds(*needles: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        missing = [n for n in needles if n not in text]
        return f"missing {missing}" if missing else ""

    return check


def _reason(i: int) -> str:
    return f"<td>bench {i}</td>"  # the card's history row of the seed's posting i


def probes(seed: Seeded, guests: int, postings: int, requests: int,
           deep: str | None) -> list[Probe]:  # fmt: skip
    """The first requests of every kind (``requests`` each), shuffled; the next pages come
    from their answers."""
    from urllib.parse import quote

    q = queries(guests, requests, 11)
    latin = [gid for gid, name in seed.names.items() if name[0].isascii() and gid != CARD_GUEST]
    rng = random.Random(12)
    made: list[Probe] = []
    newest, older = postings - 1, postings - 1 - CARD_POSTINGS
    half = postings - postings // 2 - 1  # the first posting of the page half-way down
    card = f"/admin/guests/{CARD_GUEST}"
    for n in range(requests):
        made += [
            Probe("baseline: /health", "/health", _holds('"status":"ok"')),
            Probe("baseline: admin home", "/admin", _holds(SIGNED_IN)),
            Probe("list, no query", "/admin/guests", _guests(seed, "", full=True),
                  _next_page("list, next page", seed, "")),
            # a page after a guest early in the order (a Latin name): a whole page follows
            Probe("list, keyset page", f"/admin/guests?q=&after={rng.choice(latin)}",
                  _guests(seed, "", full=True)),
        ]  # fmt: skip
        for kind, typed in (("name", q.names[n]), ("phone", q.phones[n]),
                            ("e-mail", q.mails[n]), ("card", q.cards[n])):  # fmt: skip
            made.append(Probe(f"search: {kind}", f"/admin/guests?q={quote(typed)}",
                              _guests(seed, typed),
                              _next_page(f"search: {kind}, page 2", seed, typed)))  # fmt: skip
        made.append(Probe("card", card, _holds(CARD_NAME, _reason(newest)),
                          lambda text: _older(text, older)))  # fmt: skip
        if deep is not None:
            made.append(Probe("card: history, deep", f"{card}?before={deep}",
                              _holds(CARD_NAME, _reason(half))))  # fmt: skip
    rng.shuffle(made)
    return made


def _older(text: str, first: int) -> Probe | None:
    found = OLDER.search(text)
    if found is None:
        return None
    return Probe(
        "card: history, next page", html.unescape(found.group(1)), _holds(CARD_NAME, _reason(first))
    )


def sign_in(client: Any) -> None:
    """The admin signs in as a person does: the form (its CSRF token), the POST; the session
    cookie stays in ``client``."""
    form = client.get("/admin/sign-in")
    token = CSRF.search(form.text)
    answer = client.post("/admin/sign-in", data={
        "csrf_token": token.group(1) if token else "", "name": ADMIN, "password": PASSWORD,
        "next": "/admin"})  # fmt: skip
    home = client.get("/admin")
    if answer.status_code != 303 or home.status_code != 200 or SIGNED_IN not in home.text:
        raise RuntimeError(f"the admin could not sign in: {answer.status_code} "
                           f"{answer.headers.get('location')} / {home.status_code}")  # fmt: skip


def request_pages(base: str, first: list[Probe], warm_up: int = 2) -> Timings:
    """Signed in, each probe sent and timed one at a time on one keep-alive connection (the
    answer read in full, redirects not followed: a redirect to the sign-in is an error); then
    the next pages they led to, shuffled, with another round of the baselines among them."""
    import httpx

    timings = Timings()
    rng = random.Random(13)
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        sign_in(client)
        seen: dict[str, int] = defaultdict(int)
        for probe in first:  # warm-up, untimed: the worker's first templates and queries
            if seen[probe.kind] < warm_up:
                seen[probe.kind] += 1
                client.get(probe.path).raise_for_status()
        later: list[Probe] = []
        for probe in first:
            text = _timed(client, probe, timings)
            following = probe.then(text) if probe.then is not None and text else None
            if following is not None:
                later.append(following)
            elif probe.then is not None and text:
                timings.errors.append(f"{probe.kind}: no next page on {probe.path}")
        later += [p for p in first if p.kind.startswith("baseline")]
        rng.shuffle(later)
        for probe in later:
            _timed(client, probe, timings)
    return timings


def _timed(client: Any, probe: Probe, timings: Timings) -> str:
    """The probe's answer, timed under its kind ('' when it is wrong: an error recorded)."""
    started = time.perf_counter()
    answer = client.get(probe.path)
    text: str = answer.text
    timings.samples[probe.kind].append((time.perf_counter() - started) * 1000)
    wrong = (f"HTTP {answer.status_code}" if answer.status_code != 200
             else "not the signed-in member's page" if probe.path != "/health"
             and SIGNED_IN not in text else probe.check(text))  # fmt: skip
    if wrong:
        timings.errors.append(f"{probe.kind}: {probe.path}: {wrong}")
        return ""
    return text


def _key(name: str) -> str:
    return name.replace(": ", "_").replace(", ", "_").replace(" ", "_").replace("/", "")


def report(pages: dict[str, dict[str, float]], services: dict[str, dict[str, float]],
           errors: list[str]) -> tuple[dict[str, Any], bool]:  # fmt: skip
    """The table printed (a verdict per page kind); the figures for the JSON line, and
    whether every page met the target."""
    print(f"{'request':<30} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  target")
    verdicts: dict[str, bool] = {}
    print("HTTP, one request at a time (what a person waits for):")
    for name, r in pages.items():
        verdict = ""
        if not name.startswith("baseline"):
            verdicts[name] = r["n"] > 0 and r["p99_ms"] < TARGET_MS
            verdict = "pass" if verdicts[name] else "FAIL"
        print(f"  {name:<28} {r['n']:>5} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} "
              f"{r['p99_ms']!s:>8}  {verdict}")  # fmt: skip
    print("the service call alone, in a unit of work (the query's share):")
    for name, r in services.items():
        print(f"  {name:<28} {r['n']:>5} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} "
              f"{r['p99_ms']!s:>8}")  # fmt: skip
    measured = [pages[k]["p99_ms"] for k in verdicts if pages[k]["n"]]
    worst = max(measured) if measured else None
    ok = bool(verdicts) and all(verdicts.values()) and not errors
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"worst page p99 {worst} ms (target < {TARGET_MS:g} ms): "
          f"{'pass' if ok else 'FAIL'}")  # fmt: skip
    figures = {"worst_page_p99_ms": worst, "target_ms": TARGET_MS, "ok": ok,
               "errors": len(errors),
               "http": {_key(k): v | ({"ok": verdicts[k]} if k in verdicts else {})
                        for k, v in pages.items()},
               "service": {_key(k): v for k, v in services.items()}}  # fmt: skip
    return figures, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench backoffice", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="10 000 guests, 12 requests a kind (< 30 s)")  # fmt: skip
    parser.add_argument("--guests", type=int, help="guests (default 100 000; quick 10 000)")
    parser.add_argument("--postings", type=int, default=5_000, help="the card guest's postings")
    parser.add_argument("--requests", type=int,
                        help="HTTP requests of each kind (default 500; quick 12)")  # fmt: skip
    parser.add_argument("--rounds", type=int,
                        help="service calls per case (default 500; quick 12)")  # fmt: skip
    args = parser.parse_args(argv)
    guests = args.guests or (10_000 if args.quick else 100_000)
    requests = args.requests or (12 if args.quick else 500)
    rounds = args.rounds or (12 if args.quick else 500)

    from pos_server.db import upgrade

    recreate_pg_database(DATABASE)
    url = pg_url(DATABASE)
    logged = ""
    try:
        started = time.perf_counter()
        upgrade(url)
        with ThreadPoolExecutor(1) as pool:  # the server starts while the rows go in
            starting = pool.submit(ServerProcess, url, 1)
            try:
                seed(url, guests, args.postings)
            finally:
                server = starting.result()
        seeded_s = time.perf_counter() - started
        try:
            deep = half_way(url, args.postings)
            first = probes(seeded(guests), guests, args.postings, requests, deep)
            timings = request_pages(f"http://127.0.0.1:{server.port}", first)
        finally:
            logged = server.stop()
        services = measure(url, guests, rounds, deep)
    finally:
        drop_pg_database(DATABASE)
    errors = timings.errors
    if "Traceback" in logged:
        errors.append("the server logged a traceback")
        print(f"pos-server logged errors during the run:\n{logged[-3000:]}")
    print(f"PostgreSQL, {guests} guests, card of {args.postings} postings (migrated and "
          f"seeded in {seeded_s:.1f} s, the server starting meanwhile); one pos-server process "
          f"(1 worker), the admin signed in, {requests} requests of each kind; {rounds} "
          f"service calls a case")  # fmt: skip
    searches = [f"search: {k}{p}" for k in ("name", "phone", "e-mail", "card")
                for p in ("", ", page 2")]  # fmt: skip
    order = ["baseline: /health", "baseline: admin home", "list, no query", "list, next page",
             "list, keyset page", *searches, "card", "card: history, next page",
             "card: history, deep"]  # fmt: skip
    pages = {kind: _stats(timings.samples.get(kind, [])) for kind in order}
    figures, _ok = report(pages, services, errors)
    summary = {"benchmark": "backoffice", "guests": guests, "postings": args.postings,
               "requests": requests, "rounds": rounds, "seeded_s": round(seeded_s, 1),
               **figures}  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if errors else 0  # a target missed is in the figures ("ok"), not an error


__all__ = ["main"]
