"""SQLite repositories of the till's own tables (``models_till.py``) and the guest search.

Plain SQL on the unit of work's driver connection, like the sales store: these run inside the
caller's transaction. Shift reports read the ``sales``/``payments`` tables (closed sales are
always written durably, so they are on disk when a report asks).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from pos_app.db import models_till
from pos_app.db.codec import dump_json, load_json, query
from pos_app.db.guests_repo import SqlGuestRepository
from pos_app.db.models import table
from pos_app.domain.guests import Guest, name_search_key
from pos_app.domain.refunds import RefundedLine
from pos_app.services.ports_till import (
    CardSlip,
    CashMovement,
    PaymentRecord,
    PromoCodeRecord,
    RefundRecord,
    SalePromo,
    SaleRecord,
    ShiftRecord,
    StaffRecord,
    TopUpRecord,
)

# Importing models_till puts these tables on the store's one metadata (migrations are checked
# against it); the statements below are plain SQL on the same tables.
TILL_TABLES = tuple(
    table(model)
    for model in (models_till.StaffRow, models_till.ShiftRow, models_till.CashMovementRow,
                  models_till.CardSlipRow, models_till.PromoCodeRow, models_till.SalePromoRow,
                  models_till.RefundRow, models_till.DepositTopUpRow)
)  # fmt: skip


def _ts(at: datetime | None) -> str | None:
    """The same text as ``models.UTCDateTime`` writes (sorts by time)."""
    return None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class SqlStaffRepository:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def add(self, staff: StaffRecord) -> None:
        self._raw.execute(
            "INSERT INTO staff (id, name, role, pin_hash, salt, params, active, permissions)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,"
            " salt = excluded.salt, params = excluded.params, active = excluded.active,"
            " permissions = excluded.permissions",
            (staff.staff_id, staff.name, staff.role, staff.pin_hash, staff.salt,
             dump_json(dict(staff.params)), staff.active, dump_json(sorted(staff.permissions))),
        )  # fmt: skip

    def get(self, staff_id: str) -> StaffRecord | None:
        rows = query(self._raw, "SELECT * FROM staff WHERE id = ?", (staff_id,))
        return _staff(rows[0]) if rows else None

    def active(self) -> Sequence[StaffRecord]:
        rows = query(self._raw, "SELECT * FROM staff WHERE active ORDER BY name, id")
        return [_staff(r) for r in rows]


def _staff(r: sqlite3.Row) -> StaffRecord:
    return StaffRecord(
        r["id"], r["name"], r["role"], r["pin_hash"], r["salt"],
        load_json(r["params"]) or {}, bool(r["active"]),
        frozenset(load_json(r["permissions"]) or ()),
    )  # fmt: skip


_SHIFT_COLS = (
    "id, terminal_id, number, opened_at, opened_by, opening_cash, closed_at, closed_by,"
    " counted_cash, expected_cash"
)


class SqlShiftRepository:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def current(self, terminal_id: str) -> ShiftRecord | None:
        rows = query(
            self._raw,
            f"SELECT {_SHIFT_COLS} FROM shifts WHERE terminal_id = ? AND closed_at IS NULL"
            " ORDER BY number DESC LIMIT 1",
            (terminal_id,),
        )
        return _shift(rows[0]) if rows else None

    def get(self, shift_id: str) -> ShiftRecord | None:
        rows = query(self._raw, f"SELECT {_SHIFT_COLS} FROM shifts WHERE id = ?", (shift_id,))
        return _shift(rows[0]) if rows else None

    def last_number(self, terminal_id: str) -> int:
        row = self._raw.execute(
            "SELECT max(number) FROM shifts WHERE terminal_id = ?", (terminal_id,)
        ).fetchone()
        return int(row[0] or 0)

    def save(self, shift: ShiftRecord) -> None:
        self._raw.execute(
            f"INSERT OR REPLACE INTO shifts ({_SHIFT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (shift.shift_id, shift.terminal_id, shift.number, _ts(shift.opened_at),
             shift.opened_by, shift.opening_cash, _ts(shift.closed_at), shift.closed_by,
             shift.counted_cash, shift.expected_cash),
        )  # fmt: skip

    def add_movement(self, movement: CashMovement) -> None:
        self._raw.execute(
            "INSERT INTO cash_movements (shift_id, kind, amount, reason, at, staff_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (movement.shift_id, movement.kind, movement.amount, movement.reason,
             _ts(movement.at), movement.staff_id),
        )  # fmt: skip

    def movements(self, shift_id: str) -> Sequence[CashMovement]:
        rows = query(
            self._raw,
            "SELECT shift_id, kind, amount, reason, at, staff_id FROM cash_movements"
            " WHERE shift_id = ? ORDER BY id",
            (shift_id,),
        )
        return [
            CashMovement(r["shift_id"], r["kind"], r["amount"], r["reason"], _at(r["at"]),
                         r["staff_id"])
            for r in rows
        ]  # fmt: skip

    def ended_sales(
        self, terminal_id: str, since: datetime, until: datetime | None = None
    ) -> Sequence[SaleRecord]:
        sql = (
            "SELECT id, status, ended_at, guest_id, subtotal, discount, total FROM sales"
            " WHERE terminal_id = ? AND status != 'open' AND ended_at >= ?"
        )
        params: tuple[Any, ...] = (terminal_id, _ts(since))
        if until is not None:
            sql += " AND ended_at < ?"
            params += (_ts(until),)
        return self._with_payments(query(self._raw, sql + " ORDER BY ended_at", params))

    def guest_sales_since(self, guest_id: str, since: datetime) -> Sequence[SaleRecord]:
        rows = query(
            self._raw,
            "SELECT id, status, coalesce(ended_at, opened_at) AS ended_at, guest_id, subtotal,"
            " discount, total FROM sales WHERE guest_id = ?"
            " AND (ended_at >= ? OR (status = 'open' AND opened_at >= ?))"
            " ORDER BY coalesce(ended_at, opened_at)",
            (guest_id, _ts(since), _ts(since)),
        )
        return self._with_payments(rows)

    def _with_payments(self, rows: list[sqlite3.Row]) -> list[SaleRecord]:
        records = []
        for r in rows:
            payments = tuple(
                PaymentRecord(method, amount, change)
                for method, amount, change in self._raw.execute(
                    "SELECT method, amount, change FROM payments WHERE sale_id = ?"
                    " ORDER BY position",
                    (r["id"],),
                )
            )
            records.append(
                SaleRecord(r["id"], r["status"], _at(r["ended_at"]), r["guest_id"],
                           r["subtotal"], r["discount"], r["total"], payments)
            )  # fmt: skip
        return records

    def add_refund(self, refund: RefundRecord) -> None:
        self._raw.execute(
            f"INSERT INTO refunds ({_REFUND_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (refund.refund_id, refund.sale_id, _ts(refund.at), refund.staff_id,
             refund.approved_by, refund.reason, refund.cash, refund.card, refund.balance,
             refund.points,
             dump_json([[x.line_no, x.quantity, x.amount] for x in refund.lines])),
        )  # fmt: skip

    def refunds_of(self, sale_id: str) -> Sequence[RefundRecord]:
        rows = query(self._raw, f"SELECT {_REFUND_COLS} FROM refunds WHERE sale_id = ?"
                     " ORDER BY at", (sale_id,))  # fmt: skip
        return [_refund(r) for r in rows]

    def refunds(self, since: datetime, until: datetime | None = None) -> Sequence[RefundRecord]:
        sql = f"SELECT {_REFUND_COLS} FROM refunds WHERE at >= ?"
        params: tuple[Any, ...] = (_ts(since),)
        if until is not None:
            sql += " AND at < ?"
            params += (_ts(until),)
        return [_refund(r) for r in query(self._raw, sql + " ORDER BY at", params)]

    def sale_id_by_receipt(self, receipt_no: str) -> str | None:
        row = self._raw.execute(
            "SELECT id FROM sales WHERE receipt_no = ?", (receipt_no.strip().upper(),)
        ).fetchone()
        return None if row is None else str(row[0])

    def add_card_slip(self, slip: CardSlip) -> None:
        self._raw.execute(
            "INSERT OR REPLACE INTO card_slips (ref, sale_id, amount, auth_code, rrn, at,"
            " reversed) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (slip.ref, slip.sale_id, slip.amount, slip.auth_code, slip.rrn, _ts(slip.at),
             slip.reversed),
        )  # fmt: skip

    def card_slips(self, since: datetime) -> Sequence[CardSlip]:
        rows = query(
            self._raw,
            "SELECT * FROM card_slips WHERE at >= ? ORDER BY at",
            (_ts(since),),
        )
        return [
            CardSlip(r["ref"], r["sale_id"], r["amount"], r["auth_code"], r["rrn"],
                     _at(r["at"]), bool(r["reversed"]))
            for r in rows
        ]  # fmt: skip

    def save_top_up(self, top_up: TopUpRecord) -> None:
        self._raw.execute(
            f"INSERT OR REPLACE INTO deposit_top_ups ({_TOP_UP_COLS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (top_up.top_up_id, top_up.guest_id, top_up.method, top_up.amount, _ts(top_up.at),
             top_up.staff_id, top_up.card_ref, _ts(top_up.refunded_at), top_up.refunded_by),
        )  # fmt: skip

    def top_up(self, top_up_id: str) -> TopUpRecord | None:
        rows = query(self._raw, f"SELECT {_TOP_UP_COLS} FROM deposit_top_ups WHERE id = ?",
                     (top_up_id,))  # fmt: skip
        return _top_up(rows[0]) if rows else None

    def top_ups(self, since: datetime, until: datetime | None = None) -> Sequence[TopUpRecord]:
        end = _ts(until) or "9999"
        rows = query(
            self._raw,
            f"SELECT {_TOP_UP_COLS} FROM deposit_top_ups WHERE (at >= ? AND at < ?)"
            " OR (refunded_at >= ? AND refunded_at < ?) ORDER BY at",
            (_ts(since), end, _ts(since), end),
        )
        return [_top_up(r) for r in rows]

    def guest_top_ups(self, guest_id: str) -> Sequence[TopUpRecord]:
        rows = query(self._raw, f"SELECT {_TOP_UP_COLS} FROM deposit_top_ups WHERE guest_id = ?"
                     " ORDER BY at DESC", (guest_id,))  # fmt: skip
        return [_top_up(r) for r in rows]


_TOP_UP_COLS = "id, guest_id, method, amount, at, staff_id, card_ref, refunded_at, refunded_by"


def _top_up(r: Any) -> TopUpRecord:
    return TopUpRecord(
        r["id"],
        r["guest_id"],
        r["method"],
        r["amount"],
        _at(r["at"]),
        r["staff_id"],
        r["card_ref"],
        _dt(r["refunded_at"]),
        r["refunded_by"],
    )


_REFUND_COLS = "id, sale_id, at, staff_id, approved_by, reason, cash, card, balance, points, lines"


def _refund(r: sqlite3.Row) -> RefundRecord:
    lines = tuple(RefundedLine(int(n), int(q), int(a)) for n, q, a in load_json(r["lines"]))
    return RefundRecord(
        r["id"],
        r["sale_id"],
        _at(r["at"]),
        r["staff_id"],
        r["approved_by"],
        r["reason"],
        r["cash"],
        r["card"],
        r["balance"],
        r["points"],
        lines,
    )


def _shift(r: sqlite3.Row) -> ShiftRecord:
    opened_at = _at(r["opened_at"])
    return ShiftRecord(
        r["id"], r["terminal_id"], r["number"], opened_at, r["opened_by"], r["opening_cash"],
        _dt(r["closed_at"]), r["closed_by"], r["counted_cash"], r["expected_cash"],
    )  # fmt: skip


class SqlPromoRepository:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def add_code(self, record: PromoCodeRecord) -> None:
        self._raw.execute(
            "INSERT OR REPLACE INTO promo_codes (code, guest_id, phone) VALUES (?, ?, ?)",
            (record.code, record.guest_id, record.phone),
        )

    def _one(self, where: str, value: str) -> PromoCodeRecord | None:
        row = self._raw.execute(
            f"SELECT code, guest_id, phone FROM promo_codes WHERE {where} = ?"
            " ORDER BY code LIMIT 1",
            (value,),
        ).fetchone()
        return None if row is None else PromoCodeRecord(*row)

    def by_code(self, code: str) -> PromoCodeRecord | None:
        return self._one("code", code)

    def by_phone(self, e164: str) -> PromoCodeRecord | None:
        return self._one("phone", e164)

    def of_guest(self, guest_id: str) -> PromoCodeRecord | None:
        return self._one("guest_id", guest_id)

    def code_taken(self, code: str) -> bool:
        return self.by_code(code) is not None

    def set_sale_promo(self, promo: SalePromo) -> None:
        self._raw.execute(
            "INSERT OR REPLACE INTO sale_promos (sale_id, code, owner_guest_id, discount_bp,"
            " cashback_bp) VALUES (?, ?, ?, ?, ?)",
            (promo.sale_id, promo.code, promo.owner_guest_id, promo.discount_bp,
             promo.cashback_bp),
        )  # fmt: skip

    def sale_promo(self, sale_id: str) -> SalePromo | None:
        row = self._raw.execute(
            "SELECT sale_id, code, owner_guest_id, discount_bp, cashback_bp FROM sale_promos"
            " WHERE sale_id = ?",
            (sale_id,),
        ).fetchone()
        return None if row is None else SalePromo(*row)

    def drop_sale_promo(self, sale_id: str) -> None:
        self._raw.execute("DELETE FROM sale_promos WHERE sale_id = ?", (sale_id,))


class SqlGuestSearch:
    """Name fragments through ``search_key`` (case-folded, ё as е), phones by digits."""

    def __init__(self, conn: Connection, raw: sqlite3.Connection) -> None:
        self._guests = SqlGuestRepository(conn, raw)
        self._raw = raw

    def search(self, text: str, limit: int = 20) -> Sequence[Guest]:
        key = name_search_key(text)
        # letters mean a name (digits in it too: "Номер 12"); otherwise phone digits
        digits = "" if any(ch.isalpha() for ch in text) else "".join(filter(str.isdigit, text))
        ids: list[str] = []
        if len(digits) >= 4:
            ids += [
                r[0]
                for r in self._raw.execute(
                    "SELECT DISTINCT guest_id FROM guest_phones WHERE phone LIKE ? LIMIT ?",
                    (f"%{_like(digits)}%", limit),
                )
            ]
        if key and not digits:
            ids += self._by_name(key, limit)
        found = [self._guests.get(guest_id) for guest_id in dict.fromkeys(ids)]
        return [g for g in found if g is not None][:limit]

    def _by_name(self, key: str, limit: int) -> list[str]:
        """Names starting with ``key`` first (an index range), then names containing it (a
        scan that stops at ``limit``): "гость" over 100 000 guests is a few milliseconds."""
        upper = key + "\U0010ffff"
        ids = [r[0] for r in self._raw.execute(
            "SELECT id FROM guests WHERE search_key >= ? AND search_key < ?"
            " ORDER BY search_key, id LIMIT ?", (key, upper, limit))]  # fmt: skip
        if len(ids) < limit:
            ids += [r[0] for r in self._raw.execute(
                "SELECT id FROM guests WHERE search_key LIKE ? ESCAPE '\\'"
                " AND NOT (search_key >= ? AND search_key < ?) LIMIT ?",
                (f"%{_like(key)}%", key, upper, limit - len(ids)))]  # fmt: skip
        return ids


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
