"""The change-feed puller: pages ``GET /v1/changes`` into the local store (DESIGN.md "Pull").

Why it looks like this:

* **Resumable.** The cursor lives in the store and each page is applied in one unit of work
  together with it (``pos_app.services.feed.FeedService.apply_page``), so a puller killed at
  any moment - first sync of 100 000 guests included - resumes after the last page it
  committed instead of starting over.
* **Paged for speed.** A first sync asks for big pages (``page_size``, capped by the server's
  ``max_page``); guests in a page go to the store in one ``executemany``. Fetching page N+1
  overlaps applying page N (one prefetch thread), so the network and SQLite work side by side.
* **Progress** goes to a callback as ``PullProgress`` (applied, skipped, deferred, cursor and
  the server's head when it says it), after every page.
* **Never blocking anyone.** It runs on the caller's (background) thread, every HTTP call has a
  timeout, and ``stop`` (a ``threading.Event``) ends it between pages.

The store is reached only through the feed service (sync may not import ``pos_app.db``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from pos_app.services.feed import Change, PageResult
from pos_app.sync.server_link import DEFAULT_TRUST, ServerTrust, check_server_url, new_session

DEFAULT_PAGE_SIZE = 10_000
DEFAULT_TIMEOUT = (3.05, 60.0)  # connect, read: a 10 000-change page can take seconds to build


class FeedStore(Protocol):
    """What the puller needs of ``FeedService``."""

    def cursor(self) -> int: ...
    def apply_page(
        self, from_cursor: int, changes: list[Change], next_cursor: int
    ) -> PageResult: ...
    def retry_deferred(self) -> int: ...


class PullError(Exception):
    """The server could not be asked or refused the request; says which and why."""


@dataclass(frozen=True, slots=True)
class PullProgress:
    """Where a pull stands. ``head`` is the server's last change id when it reports one."""

    applied: int
    skipped: int
    deferred: int
    cursor: int
    pages: int
    head: int | None = None
    done: bool = False


@dataclass
class PullResult:
    applied: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    deferred: int = 0
    pages: int = 0
    cursor: int = 0
    stopped: bool = False

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


@dataclass(frozen=True, slots=True)
class _Fetched:
    from_cursor: int
    changes: list[Change]
    next_cursor: int
    has_more: bool
    head: int | None


class FeedPuller:
    """Pulls the feed until it is empty; one ``pull()`` at a time per store."""

    def __init__(
        self,
        base_url: str,
        token: str | Callable[[], str],
        feed: FeedStore,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        on_progress: Callable[[PullProgress], None] | None = None,
        trust: ServerTrust = DEFAULT_TRUST,
    ) -> None:
        self._url = base_url.rstrip("/") + "/v1/changes"
        self._token = token
        self._feed = feed
        self._page_size = page_size
        self._timeout = timeout
        check_server_url(base_url, trust)  # a plain http:// that is not safe: refused here
        self._session = session or new_session(base_url, trust)
        self._on_progress = on_progress
        self._lock = threading.Lock()

    def pull(self, stop: threading.Event | None = None) -> PullResult:
        """Apply every change after the stored cursor; returns what was done.

        Raises ``PullError`` when the server cannot be reached or refuses; everything applied
        before that stays applied (the next pull goes on from there).
        """
        with self._lock, ThreadPoolExecutor(1, thread_name_prefix="feed-fetch") as pool:
            result = PullResult(cursor=self._feed.cursor())
            result.applied += self._feed.retry_deferred()
            ahead: Future[_Fetched] = pool.submit(self._fetch, result.cursor)
            while True:
                fetched = ahead.result()
                if fetched.has_more and not (stop and stop.is_set()):
                    ahead = pool.submit(self._fetch, fetched.next_cursor)
                page = self._feed.apply_page(
                    fetched.from_cursor, fetched.changes, fetched.next_cursor
                )
                if page.stale:  # another puller moved on: start again from where it got
                    result.cursor = page.cursor
                    ahead.cancel()
                    ahead = pool.submit(self._fetch, page.cursor)
                    continue
                self._count(result, page)
                done = not fetched.has_more
                self._report(result, fetched.head, done)
                if done:
                    return result
                if stop is not None and stop.is_set():
                    result.stopped = True
                    return result

    def _count(self, result: PullResult, page: PageResult) -> None:
        result.pages += 1
        result.cursor = page.cursor
        result.applied += page.applied
        result.deferred += page.deferred
        for name, n in page.skipped.items():
            result.skipped[name] = result.skipped.get(name, 0) + n

    def _report(self, result: PullResult, head: int | None, done: bool) -> None:
        if self._on_progress is not None:
            self._on_progress(PullProgress(
                result.applied, result.skipped_total, result.deferred, result.cursor,
                result.pages, head, done,
            ))  # fmt: skip

    def _fetch(self, cursor: int) -> _Fetched:
        token = self._token() if callable(self._token) else self._token
        params = {"cursor": cursor, "limit": self._page_size}
        try:
            response = self._session.get(
                self._url, params=params, timeout=self._timeout,
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        except requests.RequestException as exc:
            raise PullError(f"Cannot reach the server for changes: {exc}") from exc
        if response.status_code != 200:
            raise PullError(
                f"The server refused the changes request ({response.status_code}): "
                f"{_detail(response)}"
            )
        body: Mapping[str, Any] = response.json()
        changes = [Change.from_wire(row) for row in body["changes"]]
        head = body.get("head")
        return _Fetched(cursor, changes, int(body["next_cursor"]), bool(body["has_more"]),
                        None if head is None else int(head))  # fmt: skip


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return str(detail or response.text[:200] or response.reason)
