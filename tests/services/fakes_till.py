"""In-memory fakes of the till ports (``pos_app.services.ports_till``), kept in ``_Data.till``
of ``fakes.py`` so they are copied and rolled back with the rest of a fake unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pos_app.domain.guests import Guest, name_search_key
from pos_app.domain.sale import Sale, SaleStatus
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


@dataclass
class FakeTillData:
    staff: dict[str, StaffRecord] = field(default_factory=dict)
    shifts: dict[str, ShiftRecord] = field(default_factory=dict)
    movements: list[CashMovement] = field(default_factory=list)
    slips: dict[str, CardSlip] = field(default_factory=dict)
    top_ups: dict[str, TopUpRecord] = field(default_factory=dict)
    codes: dict[str, PromoCodeRecord] = field(default_factory=dict)
    sale_promos: dict[str, SalePromo] = field(default_factory=dict)
    refunds: dict[str, RefundRecord] = field(default_factory=dict)


class FakeStaff:
    def __init__(self, data: FakeTillData) -> None:
        self.d = data

    def add(self, staff: StaffRecord) -> None:
        self.d.staff[staff.staff_id] = staff

    def get(self, staff_id: str) -> StaffRecord | None:
        return self.d.staff.get(staff_id)

    def active(self) -> Sequence[StaffRecord]:
        return sorted((s for s in self.d.staff.values() if s.active), key=lambda s: s.name)


def _record(sale: Sale) -> SaleRecord:
    totals = sale.totals
    return SaleRecord(
        sale.id,
        sale.status.value,
        sale.ended_at or sale.opened_at,
        sale.guest.guest_id if sale.guest else None,
        totals.subtotal,
        totals.discount,
        totals.total,
        tuple(PaymentRecord(p.method.value, p.amount, p.change) for p in sale.payments),
    )


class FakeShifts:
    def __init__(self, data: FakeTillData, sales: dict[str, Sale]) -> None:
        self.d = data
        self.sales = sales

    def current(self, terminal_id: str) -> ShiftRecord | None:
        open_ = [s for s in self.d.shifts.values() if s.terminal_id == terminal_id and s.is_open]
        return max(open_, key=lambda s: s.number, default=None)

    def get(self, shift_id: str) -> ShiftRecord | None:
        return self.d.shifts.get(shift_id)

    def last_number(self, terminal_id: str) -> int:
        return max((s.number for s in self.d.shifts.values() if s.terminal_id == terminal_id),
                   default=0)  # fmt: skip

    def save(self, shift: ShiftRecord) -> None:
        self.d.shifts[shift.shift_id] = shift

    def add_movement(self, movement: CashMovement) -> None:
        self.d.movements.append(movement)

    def movements(self, shift_id: str) -> Sequence[CashMovement]:
        return [m for m in self.d.movements if m.shift_id == shift_id]

    def ended_sales(
        self, terminal_id: str, since: datetime, until: datetime | None = None
    ) -> Sequence[SaleRecord]:
        ended = [
            s for s in self.sales.values()
            if s.terminal_id == terminal_id and s.status is not SaleStatus.OPEN
            and s.ended_at is not None and s.ended_at >= since
            and (until is None or s.ended_at < until)
        ]  # fmt: skip
        return [_record(s) for s in sorted(ended, key=lambda s: s.ended_at or s.opened_at)]

    def guest_sales_since(self, guest_id: str, since: datetime) -> Sequence[SaleRecord]:
        mine = [
            s for s in self.sales.values()
            if s.guest is not None and s.guest.guest_id == guest_id
            and (s.ended_at >= since if s.ended_at is not None
                 else s.status is SaleStatus.OPEN and s.opened_at >= since)
        ]  # fmt: skip
        return [_record(s) for s in sorted(mine, key=lambda s: s.ended_at or s.opened_at)]

    def add_refund(self, refund: RefundRecord) -> None:
        assert refund.refund_id not in self.d.refunds, "refunds.id is unique"
        self.d.refunds[refund.refund_id] = refund

    def refunds_of(self, sale_id: str) -> Sequence[RefundRecord]:
        return sorted((r for r in self.d.refunds.values() if r.sale_id == sale_id),
                      key=lambda r: r.at)  # fmt: skip

    def refunds(self, since: datetime, until: datetime | None = None) -> Sequence[RefundRecord]:
        return sorted((r for r in self.d.refunds.values()
                       if r.at >= since and (until is None or r.at < until)),
                      key=lambda r: r.at)  # fmt: skip

    def sale_id_by_receipt(self, receipt_no: str) -> str | None:
        wanted = receipt_no.strip().upper()
        return next((s.id for s in self.sales.values() if s.receipt_no == wanted), None)

    def add_card_slip(self, slip: CardSlip) -> None:
        self.d.slips[slip.ref] = slip

    def card_slips(self, since: datetime) -> Sequence[CardSlip]:
        return sorted((s for s in self.d.slips.values() if s.at >= since), key=lambda s: s.at)

    def save_top_up(self, top_up: TopUpRecord) -> None:
        self.d.top_ups[top_up.top_up_id] = top_up

    def top_up(self, top_up_id: str) -> TopUpRecord | None:
        return self.d.top_ups.get(top_up_id)

    def top_ups(self, since: datetime, until: datetime | None = None) -> Sequence[TopUpRecord]:
        def inside(at: datetime | None) -> bool:
            return at is not None and at >= since and (until is None or at < until)

        return sorted((t for t in self.d.top_ups.values() if inside(t.at)
                       or inside(t.refunded_at)), key=lambda t: t.at)  # fmt: skip

    def guest_top_ups(self, guest_id: str) -> Sequence[TopUpRecord]:
        return sorted((t for t in self.d.top_ups.values() if t.guest_id == guest_id),
                      key=lambda t: t.at, reverse=True)  # fmt: skip


class FakePromo:
    def __init__(self, data: FakeTillData) -> None:
        self.d = data

    def add_code(self, record: PromoCodeRecord) -> None:
        self.d.codes[record.code] = record

    def by_code(self, code: str) -> PromoCodeRecord | None:
        return self.d.codes.get(code)

    def by_phone(self, e164: str) -> PromoCodeRecord | None:
        return next((r for r in sorted(self.d.codes.values(), key=lambda r: r.code)
                     if r.phone == e164), None)  # fmt: skip

    def of_guest(self, guest_id: str) -> PromoCodeRecord | None:
        return next((r for r in sorted(self.d.codes.values(), key=lambda r: r.code)
                     if r.guest_id == guest_id), None)  # fmt: skip

    def code_taken(self, code: str) -> bool:
        return code in self.d.codes

    def set_sale_promo(self, promo: SalePromo) -> None:
        self.d.sale_promos[promo.sale_id] = promo

    def sale_promo(self, sale_id: str) -> SalePromo | None:
        return self.d.sale_promos.get(sale_id)

    def drop_sale_promo(self, sale_id: str) -> None:
        self.d.sale_promos.pop(sale_id, None)


class FakeGuestSearch:
    def __init__(self, guests: dict[str, Guest]) -> None:
        self.guests = guests

    def search(self, text: str, limit: int = 20) -> Sequence[Guest]:
        key = name_search_key(text)
        # letters mean a name (digits in it too: "Номер 12"); otherwise phone digits
        digits = "" if any(ch.isalpha() for ch in text) else "".join(filter(str.isdigit, text))
        if len(digits) >= 4:
            found = [g for g in self.guests.values() if any(digits in p for p in g.phones)]
        elif key and not digits:
            found = sorted(
                (g for g in self.guests.values() if key in g.search_key),
                key=lambda g: (not g.search_key.startswith(key), g.search_key, g.id),
            )
        else:
            found = []
        return found[:limit]
