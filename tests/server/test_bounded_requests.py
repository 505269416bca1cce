"""Bounded work per request (issue 16 point 6): ``POST /v1/ops`` checks the bearer token
before it reads the body, refuses a batch over ``max_batch`` while parsing it, and parses a
large body off the event loop, one operation at a time."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pos_server.app import create_app
from pos_server.db import upgrade
from pos_server.http import ops_fast_path
from pos_server.settings import ServerSettings
from tests.server.conftest import add_terminal, sale_payload

BIG = 15 * 1000 * 1000


def _scope(token: str | None) -> dict[str, Any]:
    headers = [(b"content-type", b"application/json")]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "path": "/v1/ops", "raw_path": b"/v1/ops", "query_string": b"",
            "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            "scheme": "http", "root_path": ""}


async def _call(app: Any, token: str | None, body: bytes) -> tuple[int, bytes, int]:
    """(status, response body, how many times the app asked for the request body)."""
    asked = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(token), receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, content, asked


@pytest.fixture
def server(tmp_path: Path) -> Any:
    url = f"sqlite:///{tmp_path / 'bounded.sqlite3'}"
    upgrade(url)
    added = add_terminal(url)
    app = create_app(ServerSettings(database_url=url, max_body_bytes=32 * 1024 * 1024))
    with TestClient(app) as client:
        token = client.post("/v1/terminals/enrol",
                            json={"code": added.enrolment_code}).json()["token"]
    return app, added.terminal_id, token


def test_a_big_body_without_a_valid_token_gets_401_unread(server: Any) -> None:
    app, _terminal_id, _token = server
    body = b'{"operations": [' + b" " * BIG + b"]}"
    for token in (None, "forged-token"):
        status, content, asked = asyncio.run(_call(app, token, body))
        assert status == 401, content
        assert "detail" in json.loads(content)
        assert asked == 0  # the body was never read, let alone parsed


def _ops(terminal_id: str, count: int, **payload: Any) -> list[dict[str, Any]]:
    return [{"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": 10**6 + i,
             "kind": "sale.closed", "created_at": "2026-11-23T10:00:00+00:00",
             "payload": sale_payload(**payload)} for i in range(count)]


def test_a_batch_over_max_batch_is_refused_while_parsing(server: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    app, terminal_id, token = server
    decoded = 0
    real = ops_fast_path.decode_element

    def counting(text: str, at: int) -> int:
        nonlocal decoded
        decoded += 1
        return real(text, at)

    monkeypatch.setattr(ops_fast_path, "decode_element", counting)
    ops = _ops(terminal_id, 1)[0]
    body = json.dumps({"operations": [ops] * 5000}).encode()
    assert len(body) > ops_fast_path.INLINE_PARSE_BYTES
    status, content, _asked = asyncio.run(_call(app, token, body))
    assert status == 413, content
    assert "at most 500 operations" in json.loads(content)["detail"]
    assert decoded == 501  # stopped at max_batch + 1 of the 5000


def test_a_large_batch_is_parsed_off_the_event_loop(server: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A 500-operation batch (≈ 0.5 MB) is parsed on a worker thread, not the loop's."""
    app, terminal_id, token = server
    body = json.dumps({"operations": _ops(terminal_id, 500)}).encode()
    assert len(body) > ops_fast_path.INLINE_PARSE_BYTES
    threads: list[int] = []
    real = ops_fast_path._parsed

    def recording(data: bytes, max_batch: int) -> Any:
        threads.append(threading.get_ident())
        return real(data, max_batch)

    monkeypatch.setattr(ops_fast_path, "_parsed", recording)

    async def run() -> tuple[int, bytes, int]:
        return await _call(app, token, body)

    loop_thread = threading.get_ident()  # asyncio.run runs its loop in this thread
    started = time.perf_counter()
    status, content, _asked = asyncio.run(run())
    assert time.perf_counter() - started < 60
    assert status == 200, content  # seq gaps: refused verdicts, nothing written
    assert {r["status"] for r in json.loads(content)["results"]} == {"refused"}
    assert threads and loop_thread not in threads


def test_other_token_routes_refuse_a_missing_header_unread(server: Any) -> None:
    app, _terminal_id, _token = server
    body = b'{"guest_id": "' + b"x" * BIG + b'"}'
    for path in ("/v1/orders", "/v1/holds/reconcile"):
        scope = {**_scope(None), "path": path, "raw_path": path.encode()}

        async def call(scope: dict[str, Any] = scope) -> tuple[int, bytes, int]:
            asked, sent = 0, []

            async def receive() -> dict[str, Any]:
                nonlocal asked
                asked += 1
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(message: dict[str, Any]) -> None:
                sent.append(message)

            await app(scope, receive, send)
            status = next(m["status"] for m in sent if m["type"] == "http.response.start")
            return status, b"".join(m.get("body", b"") for m in sent
                                    if m["type"] == "http.response.body"), asked

        status, content, asked = asyncio.run(call())
        assert status == 401, content
        assert json.loads(content)["detail"].startswith("An 'Authorization: Bearer")
        assert asked == 0


async def _call_at(app: Any, path: str, headers: list[tuple[bytes, bytes]], body: bytes
                   ) -> tuple[int, bytes, int]:  # fmt: skip
    """``_call`` on any path with any headers: (status, response body, body reads)."""
    asked, sent = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {**_scope(None), "path": path, "raw_path": path.encode(),
             "headers": [(b"content-type", b"application/json"), *headers]}  # fmt: skip
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, content, asked


BODY_ROUTES = ("/v1/orders", "/v1/holds/reconcile", "/v1/ops/known", "/v1/admin/holds/reset")


def test_a_wrong_token_or_credential_gets_401_with_the_body_unread(server: Any) -> None:
    """Issue 16 point 6 on every route that takes a body: a wrong (not only a missing) token,
    and on the admin route a wrong staff password or key without a token, are answered before
    the body is read."""
    app, _terminal_id, _token = server
    body = b'{"guest_id": "' + b"x" * BIG + b'"}'
    wrong_token = [(b"authorization", b"Bearer forged-token")]
    for path in BODY_ROUTES:
        status, content, asked = asyncio.run(_call_at(app, path, wrong_token, body))
        assert (status, asked) == (401, 0), (path, content)
    for staff in ([(b"x-staff-id", b"maria"), (b"x-staff-password", b"not the password")],
                  [(b"x-staff-key", b"tk_forged")], []):
        status, content, asked = asyncio.run(_call_at(app, "/v1/admin/holds/reset", staff, body))
        assert (status, asked) == (401, 0), (staff, content)


def test_every_route_that_takes_a_body_is_authenticated_before_reading_it(server: Any) -> None:
    """A new POST route must be listed with how it is authenticated before its body is read
    (``pos_server.app.TOKEN_POSTS`` / ``late_body``), or as the enrolment, whose body is the
    credential."""
    from fastapi.routing import APIRoute

    from pos_server.app import TOKEN_POSTS
    from pos_server.http.ops_fast_path import PATH

    app, _terminal_id, _token = server
    routes = [route for top in app.routes
              for route in getattr(getattr(top, "original_router", None), "routes", [top])
              if isinstance(route, APIRoute)]  # fmt: skip
    with_body = {route.path for route in routes
                 if route.methods & {"POST", "PUT", "PATCH", "DELETE"}}  # fmt: skip
    late = {route.path for route in routes if route.path in with_body
            and route.body_field is None}  # fmt: skip
    assert with_body - TOKEN_POSTS - late - {PATH, "/v1/terminals/enrol"} == set()
    assert set(BODY_ROUTES) <= with_body
