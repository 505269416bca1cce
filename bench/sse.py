"""A minimal server-sent-events reader on raw asyncio sockets, for hundreds of streams in one
process (``python -m bench console``'s fan-out run and the server's fan-out tests): HTTP/1.1,
chunked body, no TLS. Each event and comment is timestamped on arrival (``time.perf_counter``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Arrival:
    at: float
    id: int | None  # None for a comment
    data: dict[str, Any] | None
    comment: str | None = None


@dataclass
class SseReader:
    """One open ``GET /v1/orders/stream``; ``arrivals`` fills as the server sends."""

    host: str
    port: int
    token: str
    last_event_id: int | None = None
    arrivals: list[Arrival] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    ended: bool = False
    _writer: asyncio.StreamWriter | None = None
    _task: asyncio.Task[None] | None = None

    async def open(self) -> SseReader:
        """Connect, send the request, and return once the ``: connected`` comment arrived."""
        reader, self._writer = await asyncio.open_connection(self.host, self.port)
        resume = f"Last-Event-ID: {self.last_event_id}\r\n" if self.last_event_id is not None \
            else ""  # fmt: skip
        self._writer.write(
            f"GET /v1/orders/stream HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n"
            f"{resume}\r\n".encode()
        )
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # headers
        self._task = asyncio.create_task(self._read(reader))
        await self.wait_for(lambda: any(a.comment is not None for a in self.arrivals), 10)
        return self

    async def wait_for(self, condition: Any, timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while not condition():
            if self.ended or time.perf_counter() > deadline:
                return bool(condition())
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), deadline - time.perf_counter())
        return True

    @property
    def events(self) -> list[Arrival]:
        return [a for a in self.arrivals if a.id is not None]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        buffer = b""
        try:
            while True:
                size_line = await reader.readline()
                if not size_line:
                    break
                size = int(size_line.strip() or b"0", 16)
                if size == 0:
                    break  # the last chunk: the server ended the stream
                buffer += await reader.readexactly(size)
                await reader.readexactly(2)  # CRLF after the chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._take(block.decode())
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.ended = True
            self.changed.set()

    def _take(self, block: str) -> None:
        now = time.perf_counter()
        event_id: int | None = None
        data: list[str] = []
        for line in block.split("\n"):
            if line.startswith(":"):
                self.arrivals.append(Arrival(now, None, None, line[1:].strip()))
            elif line.startswith("id: "):
                event_id = int(line[4:])
            elif line.startswith("data: "):
                data.append(line[6:])
        if event_id is not None:
            self.arrivals.append(Arrival(now, event_id, json.loads("\n".join(data))))
        self.changed.set()
