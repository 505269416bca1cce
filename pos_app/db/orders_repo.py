"""The console's order cache on SQLite (``models_console.py``), behind ``OrderCache``.

A change is written only if its change id is above the one the cached order holds, so a
change delivered twice (stream resumed, feed re-read) is applied once; ``apply`` returns just
the changes that were new, which is what the panel shows. The cache is the server's data, so
its commits are relaxed (``durable=False``): a power cut may lose the last ones and the stream
sends them again from the stored cursor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from pos_app.db.codec import dump_json, load_json
from pos_app.db.uow import Store
from pos_app.services.orders import (
    BalanceInfo,
    ConsoleSettings,
    GuestInfo,
    HistoryQuery,
    OrderView,
    PointsInfo,
    StreamBatch,
    order_from_wire,
)

CURSOR_KEY = "console.cursor"
SETTINGS_KEY = "console.settings"
_SELECT = (
    "SELECT o.data, o.change_id, o.pending_ops, g.name FROM console_orders o"
    " LEFT JOIN console_guests g ON g.guest_id = o.guest_id"
)
_UPSERT = (
    "INSERT INTO console_orders (order_id, change_id, state, guest_id, total, placed_at,"
    " updated_at, pending_ops, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (order_id) DO UPDATE SET change_id = excluded.change_id,"
    " state = excluded.state, total = excluded.total, updated_at = excluded.updated_at,"
    " pending_ops = excluded.pending_ops, data = excluded.data"
    " WHERE console_orders.change_id <= excluded.change_id"  # never back to an older state
)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def wire(order: OrderView) -> dict[str, Any]:
    """The order back in the server's JSON shape (what ``order_from_wire`` reads)."""
    data = asdict(order)
    for key in ("placed_at", "updated_at", "ready_by"):
        data[key] = data[key].isoformat() if data[key] is not None else None
    data["state"], data["method"] = order.state.value, order.method.value
    for key in ("change_id", "guest_name", "pending_ops"):
        data.pop(key)
    return data


def search_key(guest: GuestInfo) -> str:
    return " ".join((guest.name.casefold().replace("ё", "е"), guest.phone or "",
                     guest.guest_id.casefold()))  # fmt: skip


class SqlOrderCache:
    """``OrderCache`` on the console's store; safe to call from any thread (one connection
    per unit of work, SQLite serialises the writers)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._store.unit_of_work(durable=False) as uow:
            raw: sqlite3.Connection = uow.connection.connection.driver_connection  # type: ignore[assignment]
            yield raw
            uow.commit()

    def apply(self, batch: StreamBatch) -> Sequence[OrderView]:
        fresh: list[OrderView] = []
        with self._tx() as raw:
            self._put_guests(raw, batch.guests)
            raw.executemany(
                "INSERT INTO console_points (guest_id, total, held, change_id) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (guest_id) DO UPDATE SET total = excluded.total,"
                " held = excluded.held, change_id = excluded.change_id"
                " WHERE console_points.change_id <= excluded.change_id",  # the newer one wins
                [(p.guest_id, p.total, p.held, p.change_id) for p in batch.points],
            )
            raw.executemany(
                "INSERT INTO console_balances (guest_id, total, change_id) VALUES (?, ?, ?)"
                " ON CONFLICT (guest_id) DO UPDATE SET total = excluded.total,"
                " change_id = excluded.change_id"
                " WHERE console_balances.change_id <= excluded.change_id",
                [(b.guest_id, b.total, b.change_id) for b in batch.balances],
            )
            known = self._change_ids(raw, {o.order_id for o in batch.orders})
            for order in sorted(batch.orders, key=lambda o: o.change_id):
                if order.change_id <= known.get(order.order_id, -1):
                    continue
                known[order.order_id] = order.change_id
                self._upsert(raw, order)
                fresh.append(order)
            names = self._names(raw, {o.guest_id for o in fresh})
            cursor = self._cursor(raw)
            if batch.cursor > cursor:
                raw.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (CURSOR_KEY, str(batch.cursor)),
                )
        by_id = {o.order_id: o for o in fresh}  # a batch may change one order twice: keep last
        return [replace(o, guest_name=names.get(o.guest_id, ""))
                for o in fresh if by_id[o.order_id] is o]  # fmt: skip

    @staticmethod
    def _put_guests(raw: sqlite3.Connection, guests: Sequence[GuestInfo]) -> None:
        raw.executemany(
            "INSERT INTO console_guests (guest_id, name, phone, search_key) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guest_id) DO UPDATE SET name = excluded.name,"
            " phone = excluded.phone, search_key = excluded.search_key",
            [(g.guest_id, g.name, g.phone, search_key(g)) for g in guests],
        )

    @staticmethod
    def _upsert(raw: sqlite3.Connection, order: OrderView) -> None:
        raw.execute(_UPSERT, (
            order.order_id, order.change_id, order.state.value, order.guest_id, order.total,
            _iso(order.placed_at), _iso(order.updated_at), order.pending_ops,
            dump_json(wire(order)),
        ))  # fmt: skip

    @staticmethod
    def _change_ids(raw: sqlite3.Connection, ids: set[str]) -> dict[str, int]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = raw.execute(
            f"SELECT order_id, change_id FROM console_orders WHERE order_id IN ({marks})",
            tuple(ids),
        )
        return dict(rows.fetchall())

    @staticmethod
    def _names(raw: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = raw.execute(
            f"SELECT guest_id, name FROM console_guests WHERE guest_id IN ({marks})", tuple(ids)
        )
        return dict(rows.fetchall())

    @staticmethod
    def _cursor(raw: sqlite3.Connection) -> int:
        row = raw.execute("SELECT value FROM settings WHERE key = ?", (CURSOR_KEY,)).fetchone()
        return int(load_json(row[0])) if row else 0

    def put_local(self, order: OrderView) -> None:
        with self._tx() as raw:
            self._upsert(raw, order)

    def cursor(self) -> int:
        with self._tx() as raw:
            return self._cursor(raw)

    def _select(self, where: str, params: Sequence[Any], tail: str = "") -> list[OrderView]:
        with self._tx() as raw:
            rows = raw.execute(f"{_SELECT} {where} {tail}", tuple(params)).fetchall()
        return [_view(*row) for row in rows]

    def get(self, order_id: str) -> OrderView | None:
        found = self._select("WHERE o.order_id = ?", (order_id,))
        return found[0] if found else None

    def active(self) -> Sequence[OrderView]:
        return self._select(
            "WHERE o.state IN ('new', 'accepted', 'paid')", (), "ORDER BY o.placed_at, o.rowid"
        )

    def history(self, query: HistoryQuery) -> Sequence[OrderView]:
        where: list[str] = []
        params: list[Any] = []
        if query.states:
            where.append(f"o.state IN ({','.join('?' * len(query.states))})")
            params.extend(sorted(s.value for s in query.states))
        if query.since is not None:
            where.append("o.placed_at >= ?")
            params.append(_iso(query.since))
        if query.until is not None:
            where.append("o.placed_at < ?")
            params.append(_iso(query.until))
        if query.guest.strip():
            term = query.guest.strip().casefold().replace("ё", "е")
            where.append("(instr(g.search_key, ?) > 0 OR instr(lower(o.guest_id), ?) > 0)")
            params.extend([term, term])
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._select(clause, params, f"ORDER BY o.placed_at DESC LIMIT {int(query.limit)}")

    def guest(self, guest_id: str) -> GuestInfo | None:
        with self._tx() as raw:
            row = raw.execute(
                "SELECT guest_id, name, phone FROM console_guests WHERE guest_id = ?", (guest_id,)
            ).fetchone()
        return GuestInfo(*row) if row else None

    def points(self, guest_id: str) -> PointsInfo | None:
        with self._tx() as raw:
            row = raw.execute(
                "SELECT guest_id, total, held FROM console_points WHERE guest_id = ?", (guest_id,)
            ).fetchone()
        return PointsInfo(*row) if row else None

    def balance(self, guest_id: str) -> BalanceInfo | None:
        with self._tx() as raw:
            row = raw.execute(
                "SELECT guest_id, total FROM console_balances WHERE guest_id = ?", (guest_id,)
            ).fetchone()
        return BalanceInfo(*row) if row else None

    def debts_by(self, terminal_id: str, since: datetime, until: datetime) -> tuple[int, int]:
        """Orders this terminal completed unpaid between ``since`` and ``until`` (as the order
        stream told it): how many, and the debt they left (a till's shift report, issue 20)."""
        with self._tx() as raw:
            row = raw.execute(
                "SELECT COUNT(*), COALESCE(SUM(json_extract(data, '$.debt')), 0)"
                " FROM console_orders WHERE state = 'completed'"
                " AND json_extract(data, '$.debt') > 0"
                " AND json_extract(data, '$.updated_by') = ?"
                " AND updated_at >= ? AND updated_at < ?",
                (terminal_id, _iso(since), _iso(until)),
            ).fetchone()
        return int(row[0]), int(row[1])

    def load_settings(self) -> ConsoleSettings:
        with self._store.unit_of_work(durable=False) as uow:
            value = uow.settings.get(SETTINGS_KEY) or {}
        return ConsoleSettings(bool(value.get("sound_enabled", True)),
                               int(value.get("repeat_seconds", 0)))  # fmt: skip

    def save_settings(self, settings: ConsoleSettings) -> None:
        with self._store.unit_of_work() as uow:
            uow.settings.set(SETTINGS_KEY, asdict(settings))
            uow.commit()


def _view(data: str, change_id: int, pending: int, name: str | None) -> OrderView:
    view = order_from_wire(load_json(data), change_id)
    return replace(view, change_id=change_id, pending_ops=pending, guest_name=name or "")
