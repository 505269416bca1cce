"""One operation format (``pos_app.domain.operations``): what the till stores is what the worker
sends and what the server decodes - for every kind - and a field on one side only fails here.

Path of every operation: the till's SQLite outbox (``uow.outbox.append``) -> the worker's
encoding of the batch (``wire_op`` + ``encode_push``: the bytes the transport posts) -> the
server's parsing of the body (``OpsRequest``) and its check of each payload (``check_batch``,
the one both ``POST /v1/ops`` routes use).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.db import Store, open_store
from pos_app.domain import operations as ops
from pos_app.domain.identifiers import InputMethod
from pos_app.domain.money import rub
from pos_app.domain.operations import OPERATIONS, Operation, OperationInvalid, Record, parse
from pos_app.services.payments import PaymentService
from pos_app.services.points import PointsService
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.staff import Action
from pos_app.services.sync_queue import SyncQueue
from pos_app.services.till import TillServices
from pos_app.sync.transport import encode_push
from pos_app.sync.wire import wire_op
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.http.schemas import OpsRequest
from pos_server.ops.dispatch import ALL_HANDLERS
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.terminals import service as terminals
from tests.operation_examples import examples
from tests.services.conftest import ANNA_CARD, seed
from tests.services.fakes import FakeClock, FakeIds


class _Online:
    """The points use case's view of the server: every hold is applied at once."""

    def is_online(self) -> bool:
        return True

    def push_now(self, op_id: str, timeout: float) -> OpVerdict | None:
        return OpVerdict(op_id, 1, "applied", None, None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    seed(store.unit_of_work)
    yield store
    store.close()


def tills_day(store: Store) -> None:
    """A day at the till through its real services: each writes its own operations."""
    clock, ids = FakeClock(), FakeIds("op")
    till = TillServices.build(store.unit_of_work, clock, ids)
    till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    cashier = till.staff.sign_in("1111")
    till.shifts.open_shift(cashier, rub(1_000))  # shift.opened
    till.guests.create_guest("Вера", phone="+79120000001", identifier=";4000123412341234=2612?",
                             method=InputMethod.MSR)  # guest.created, identifier.bound
    pay = PaymentService(store.unit_of_work, clock, ids, till.sales)
    points = PointsService(store.unit_of_work, clock, ids, pay, _Online())
    sale_id = till.sales.open_sale().sale_id  # Anna (group 10 %), part in points
    till.sales.add_line(sale_id, product_id="latte", quantity=2)
    till.sales.add_line(sale_id, product_id="cake")
    till.sales.identify_guest(sale_id, identifier=ANNA_CARD)
    points.pay_points(sale_id, rub(100))  # hold.placed
    till.payments.pay_cash(sale_id, rub(1_000))  # hold.committed, sale.closed
    till.refunds.refund(cashier, sale_id, {1: 1},  # sale.refunded: one latte
                        approval=till.staff.authorize_manager("9999", Action.REFUND))
    till.refunds.refund_sale(cashier, sale_id=sale_id,  # sale.refunded: the rest
                             approval=till.staff.authorize_manager("9999", Action.REFUND))
    voided = till.sales.open_sale().sale_id
    till.sales.add_line(voided, product_id="cake")
    till.payments.pay_cash(voided, rub(100))
    till.sales.cancel_sale(voided)  # sale.cancelled
    till.shifts.cash_in(cashier, rub(50), "change")
    till.shifts.close_shift(cashier, rub(900), manager_pin="9999", reason="short")  # shift.closed


def queue_examples(store: Store, kinds: set[str]) -> None:
    """The kinds the day above did not write (console and promo kinds), constructed."""
    with store.unit_of_work() as uow:
        for operation in examples():
            if operation.KIND not in kinds:
                uow.outbox.append(operation)
        uow.commit()


def sent_and_checked(store: Store) -> tuple[list[Any], list[Any]]:
    """(the stored entries, the server's checked operations) of the whole outbox."""
    entries = SyncQueue(store.unit_of_work, FakeClock()).waiting(500)
    body = encode_push([wire_op(e) for e in entries])  # the worker's bytes
    return list(entries), check_batch(OpsRequest.model_validate_json(body).operations)


def test_every_kind_goes_from_the_tills_outbox_to_the_server_unchanged(store: Store) -> None:
    tills_day(store)
    with store.unit_of_work() as uow:
        written = {e.kind for e in uow.outbox.pending(1000)}
    assert written >= {ops.SALE_CLOSED, ops.SALE_CANCELLED, ops.SALE_REFUNDED, ops.GUEST_CREATED,
                       ops.IDENTIFIER_BOUND, ops.HOLD_PLACED, ops.HOLD_COMMITTED,
                       ops.SHIFT_OPENED, ops.SHIFT_CLOSED}  # fmt: skip
    queue_examples(store, written)
    entries, checked = sent_and_checked(store)
    assert {e.kind for e in entries} == set(OPERATIONS)  # every kind, once at least
    for entry, judged in zip(entries, checked, strict=True):
        assert judged.op.payload == entry.payload  # sent unchanged
        assert type(judged.payload) is OPERATIONS[entry.kind]
        assert judged.payload == parse(entry.kind, entry.payload)  # decoded as the till's own
        # the stored row is exactly the definition's fields, no more and no fewer
        assert judged.payload.to_json() == entry.payload, entry.kind


def test_an_example_of_every_kind_survives_the_round_trip(store: Store) -> None:
    queue_examples(store, set())
    entries, checked = sent_and_checked(store)
    assert [c.payload for c in checked] == examples()
    assert [e.kind for e in entries] == [o.KIND for o in examples()]


def _keys(record: Record) -> set[str]:
    return {f.name for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def _same_keys(value: Any, data: Any, where: str) -> None:
    """Every nested object of ``to_json`` has exactly its record's fields."""
    if isinstance(value, Record):
        assert set(data) == _keys(value), where
        for name in _keys(value):
            _same_keys(getattr(value, name), data[name], f"{where}.{name}")
    elif isinstance(value, tuple):
        for index, (item, raw) in enumerate(zip(value, data, strict=True)):
            _same_keys(item, raw, f"{where}[{index}]")


@pytest.mark.parametrize("operation", examples(), ids=lambda o: o.KIND)
def test_a_field_on_one_side_only_fails(operation: Operation) -> None:
    stored = operation.to_json()
    _same_keys(operation, stored, operation.KIND)
    with pytest.raises(OperationInvalid) as extra:  # the till writes a field not defined
        parse(operation.KIND, {**stored, "written_by_the_till_only": 1})
    assert extra.value.errors == [{"type": "extra_forbidden", "loc": ["written_by_the_till_only"],
                                   "msg": "Extra inputs are not permitted"}]  # fmt: skip
    required = [n for n, _s, needed, _d in type(operation).spec_fields()[0] if needed]
    for name in required:  # the definition has a field the till does not write
        with pytest.raises(OperationInvalid) as missing:
            parse(operation.KIND, {k: v for k, v in stored.items() if k != name})
        assert missing.value.errors[0]["type"] == "missing", name


def test_every_kind_has_a_server_handler_and_every_handler_a_definition() -> None:
    assert set(ALL_HANDLERS) == set(OPERATIONS)


def test_no_till_code_stores_a_row_outside_the_definitions() -> None:
    root = Path(__file__).resolve().parents[2] / "pos_app"
    callers = [p for p in root.rglob("*.py")
               if "append_stored(" in p.read_text(encoding="utf-8") and p.name != "outbox.py"]
    assert callers == []


# A sale.closed row exactly as tills stored it before this format was one (no hold_id on a cash
# payment, no offline / loyalty_override keys): such rows wait in tills' outboxes in the field.
STORED_BEFORE = {
    "sale_id": "s-old", "terminal_id": "T1", "opened_at": "2026-11-20T09:00:00+00:00",
    "guest": {"guest_id": "anna", "name": "Анна Смирнова", "identified_by": "msr"},
    "group": {"group_id": "g10", "name": "Гость 10 %", "discount_bp": 1000,
              "scope": {"product_group_ids": [], "product_ids": [], "tags": []}},
    "lines": [{"line_no": 1, "product_id": "latte", "name": "Латте", "product_group_id": "coffee",
               "tags": ["напитки"], "quantity": 2, "unit_price": 18000, "subtotal": 36000,
               "discount": 3600, "total": 32400}],
    "payments": [{"method": "cash", "amount": 32400, "tendered": 50000, "change": 17600,
                  "at": "2026-11-20T09:01:00+00:00"}],
    "totals": {"subtotal": 36000, "discount": 3600, "total": 32400, "paid": 32400,
               "change": 17600},
    "receipt_no": "T1-000042", "closed_at": "2026-11-20T09:01:00+00:00",
}  # fmt: skip


def test_a_row_stored_in_the_old_format_is_sent_as_is_and_applied(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessions(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        terminal_id = terminals.add_terminal(session, "Till 1", now).terminal_id
    with open_store(tmp_path / "till.sqlite3", terminal_id=terminal_id) as store:
        with store.unit_of_work() as uow:
            uow.outbox.append(ops.GuestCreated(guest_id="anna", name="Анна Смирнова"))
            uow.outbox.append_stored(ops.SALE_CLOSED, STORED_BEFORE)
            uow.commit()
        entries, checked = sent_and_checked(store)
    assert json.loads(encode_push([wire_op(entries[1])]))["operations"][0]["payload"] == (
        STORED_BEFORE)  # fmt: skip
    sale = checked[1].payload
    assert isinstance(sale, ops.SaleClosed)
    assert (sale.guest_id, sale.total, sale.offline, sale.loyalty_override) == (
        "anna", 32400, False, None)
    assert sale.payments[0].hold_id is None
    outcome = apply_batch(sessions, terminal_id, checked, lambda: now)
    assert [r.status for r in outcome.results] == ["applied", "applied"]
    engine.dispose()


amounts = st.integers(0, 10**11)
# ids are printable text (the one id rule, codec.printable_id); spaces inside are allowed
ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc")),
              min_size=1, max_size=64).filter(str.isprintable)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(line_no=st.integers(1, 10_000), product_id=ids, quantity=st.integers(1, 100_000),
       unit_price=amounts, discount=amounts, tags=st.lists(st.text(max_size=20), max_size=5),
       hold_id=st.none() | ids)  # fmt: skip
def test_any_sale_the_definition_allows_survives_json(
    *, line_no: int, product_id: str, quantity: int, unit_price: int, discount: int,
    tags: list[str], hold_id: str | None,
) -> None:  # fmt: skip
    base = examples()[0]
    assert isinstance(base, ops.SaleClosed)
    line = dataclasses.replace(base.lines[0], line_no=line_no, product_id=product_id,
                               quantity=quantity, unit_price=unit_price, discount=discount,
                               tags=tuple(tags))  # fmt: skip
    payment = dataclasses.replace(base.payments[1], hold_id=hold_id)
    sale = dataclasses.replace(base, lines=(line,), payments=(payment,))
    wire = json.loads(json.dumps(sale.to_json(), ensure_ascii=False))
    assert ops.SaleClosed.from_json(wire) == sale
