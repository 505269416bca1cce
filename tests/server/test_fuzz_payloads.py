"""Hypothesis-built payloads for every known kind: a 200 with verdicts or a 422, never a 500,
and a 422 never leaves a write behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_server.app import create_app
from pos_server.db import upgrade
from pos_server.db.models import AppliedOperation, Change, Guest, Sale
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, add_terminal, guest_payload, sale_payload
from tests.server.test_ops import count

junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)
amounts = st.one_of(st.integers(min_value=-5, max_value=10**6), junk)


def mutated(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some fields replaced by junk or dropped, and maybe an extra field."""
    keys = sorted(base)
    return st.builds(
        lambda replace, drop, extra: {
            **{k: v for k, v in base.items() if k not in drop}, **replace, **extra
        },
        st.dictionaries(st.sampled_from(keys), junk, max_size=3),
        st.sets(st.sampled_from(keys), max_size=2),
        st.dictionaries(st.sampled_from(["x", "free"]), junk, max_size=1),
    )


def sale_with_line(quantity: Any, price: Any, total: Any) -> dict[str, Any]:
    line = {"line_no": 1, "product_id": "p", "name": "P", "quantity": quantity,
            "unit_price": price, "total": total}
    return sale_payload(lines=[line], total=total, payments=[{"method": "cash", "amount": total}])


payloads = st.one_of(
    st.tuples(st.just("sale.closed"), mutated(sale_payload())),
    st.tuples(st.just("sale.closed"), st.builds(sale_with_line, amounts, amounts, amounts)),
    st.tuples(st.just("guest.created"), mutated(guest_payload())),
    st.tuples(st.just("identifier.bound"), mutated(
        {"guest_id": "g", "medium": "card", "method": "msr", "value": ";123?"}
    )),
    st.tuples(st.text(min_size=1, max_size=10), st.dictionaries(st.text(max_size=5), junk)),
)


def test_fuzzed_payloads_get_verdicts_or_422_never_500(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"
    upgrade(url)
    added = add_terminal(url)
    with TestClient(create_app(ServerSettings(database_url=url))) as client:
        token = client.post("/v1/terminals/enrol",
                            json={"code": added.enrolment_code}).json()["token"]
        till = Till(client, added.terminal_id, token)

        @given(batch=st.lists(payloads, min_size=1, max_size=3))
        @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
        def push(batch: list[tuple[str, dict[str, Any]]]) -> None:
            before = [count(url, model) for model in (AppliedOperation, Guest, Sale, Change)]
            start_seq = till.seq
            response = till.push(*(till.op(kind, payload) for kind, payload in batch))
            assert response.status_code in (200, 422), response.text
            if response.status_code == 422:
                till.seq = start_seq
                after = [count(url, model) for model in (AppliedOperation, Guest, Sale, Change)]
                assert after == before
                return
            statuses = {r["status"] for r in response.json()["results"]}
            assert statuses <= {"applied", "rejected", "conflict"}

        push()
