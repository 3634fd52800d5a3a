"""Pagination: which pages to ask for, in what order, and when to stop.

[`PagePlan`][cwa_query.client.PagePlan] is the pure part (no I/O). From the start, pages
1, 2, ... up to `prefetch` of them are in flight at once (the window), without waiting for
page 1 to say how many there are: a query of many pages then takes as many round trips as
one that knew the count in advance. Then

* with paging headers (seed): page 1's `X-Total-Pages` bounds what is asked for; pages asked
  for beyond it (a result smaller than the window) are dropped unread;
* without (automate): the first page shorter than the page size (or empty) ends the result,
  and the pages asked for beyond it are cancelled (they lie past the end of the result).

Pages that do not add up end the read with a
[`PaginationError`][cwa_query.errors.PaginationError] rather than asking forever (a server that
ignores `page` sends page 1 again and again): a page larger than the page size asked for, a
page identical to the one before (unless its records are all alike), a page holding a record
already handed over (by its `Id`), or an empty page before the last page the paging headers
announced.

`limit` bounds the pages asked for from the start; `first_window` (a client on a tight
rate limit may want 1) bounds the pages asked for before page 1 is in. Pages are always handed over in page
order, each once, and trimmed to `limit`. The sync and async drivers (`iter_pages_sync`,
`iter_pages_async`) keep at most `prefetch` pages in flight or waiting, so memory is bounded
by the window, not by the result.

>>> plan = PagePlan(page_size=2, limit=None, prefetch=4, paging_headers=False)
>>> [plan.schedule() for _ in range(5)]
[1, 2, 3, 4, 5]
>>> plan.accept(Page(1, [{"Id": 1}, {"Id": 2}]))
[{'Id': 1}, {'Id': 2}]
>>> plan.accept(Page(2, [{"Id": 3}])), plan.done
([{'Id': 3}], True)
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import PaginationError

__all__ = ["Page", "PagePlan", "iter_pages_async", "iter_pages_sync", "records_of", "records_of_async"]

Record = dict[str, Any]

# turns of the event loop a new page's task takes to write its request on a kept-alive
# connection (three with httpx 0.28 / httpcore 1.0: the auth flow, the slot, the pool), plus one:
# given them before a page is parsed, the requests are on the wire during the parse, as the sync
# client's threads have them (else they wait for the parse and the latency adds to it)
_SEND_TURNS = 4


@dataclass(slots=True)
class Page:
    """One page of a result: its 1-based `number`, its `records`, and what the headers said."""

    number: int
    records: list[Record]
    total_count: int | None = None
    total_pages: int | None = None
    retries: int = field(default=0, compare=False)

    def __repr__(self) -> str:
        return f"Page(number={self.number}, records={len(self.records)}, total_count={self.total_count})"


class PagePlan:
    """The pure bookkeeping of one paginated read (see the module docstring)."""

    def __init__(
        self,
        *,
        page_size: int,
        limit: int | None,
        prefetch: int,
        paging_headers: bool,
        first_window: int | None = None,
        path: str | None = None,
    ) -> None:
        for name, value in (("page_size", page_size), ("prefetch", prefetch), ("first_window", first_window)):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, not {value}")
        self.page_size = page_size
        self.limit = limit
        self.prefetch = prefetch
        # pages asked for before the first answer: the whole window unless told fewer
        self.first_window = prefetch if first_window is None else min(first_window, prefetch)
        self.paging_headers = paging_headers
        self.done = limit == 0
        self.delivered = 0  # records handed over
        self.total_count: int | None = None
        self._last_page: int | None = None if limit is None else max(1, math.ceil(limit / page_size))
        self._known_end = False
        self._next = 1  # the next page to schedule
        self._expected = 1  # the next page to accept
        self.path = path  # for the messages of `PaginationError`
        self._previous: list[Record] | None = None  # the last non-empty page, to catch a repeat
        self._seen: set[int] = set()  # hashes of the ids handed over, to catch an overlap

    def window(self) -> int:
        """How many pages may be in flight or waiting at once: `first_window` until page 1 is
        in, then `prefetch`."""
        return self.first_window if self._expected == 1 else self.prefetch

    def schedule(self) -> int | None:
        """The next page number to fetch, or `None` when no more are needed."""
        if self.done or (self._last_page is not None and self._next > self._last_page):
            return None
        number = self._next
        self._next += 1
        return number

    def accept(self, page: Page) -> list[Record]:
        """Take the next page in order; returns the records to hand over (trimmed to `limit`)."""
        if page.number != self._expected:
            raise ValueError(f"page {page.number} accepted out of order (expected {self._expected})")
        self._expected += 1
        self._check(page)
        if page.number == 1:
            self.total_count = page.total_count
            if self.paging_headers and page.total_pages is not None:
                self._known_end = True
                pages = max(1, page.total_pages)
                self._last_page = pages if self._last_page is None else min(self._last_page, pages)
        records = page.records
        if self.limit is not None and self.delivered + len(records) >= self.limit:
            records = records[: self.limit - self.delivered]
            self.done = True
        self.delivered += len(records)
        if len(page.records) < self.page_size and not self._known_end:
            self.done = True  # the first short page ends a result without paging headers
        if self._last_page is not None and page.number >= self._last_page:
            self.done = True
        return records


    def _check(self, page: Page) -> None:
        """Raise `PaginationError` when `page` does not follow from the pages before it."""
        records = page.records
        if len(records) > self.page_size:
            self._fault(page, f"holds {len(records)} records, more than the {self.page_size} asked for")
        if not records:
            if page.number > 1 and self._known_end and self._last_page is not None and page.number < self._last_page:
                self._fault(page, f"is empty, but the server announced {self._last_page} pages")
            return
        # (pages of records all alike may repeat: a projection to one field, `Status`, say)
        if records == self._previous and any(record != records[0] for record in records):
            self._fault(page, f"repeats page {page.number - 1}: the server seems to ignore the page parameter")
        self._previous = records
        seen = self._seen
        for record in records:
            identity = _identity(record)
            if identity is None:
                continue
            key = hash(identity)
            if key in seen:
                self._fault(page, f"holds the record with id {identity!r} again: pages overlap")
            seen.add(key)

    def _fault(self, page: Page, what: str) -> None:
        raise PaginationError(
            f"page {page.number} {what}; stopped reading rather than repeat records or ask forever",
            page=page.number,
            status=200,
            code="Pagination",
            method="GET",
            path=self.path,
        )


def _identity(record: Record) -> str | int | None:
    """The id of a record (`Id`, or `id` as Manage spells it), when it has one to compare."""
    value = record.get("Id", record.get("id"))
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    return None


def iter_pages_sync(
    fetch: Callable[[int], Callable[[], Page]],
    plan: PagePlan,
    *,
    executor: Callable[[int], ThreadPoolExecutor] = ThreadPoolExecutor,
) -> Generator[Page, None, None]:
    """Fetch pages in a small thread pool and yield them in order.

    `fetch(number)` does the I/O (in a worker thread) and returns a function that builds
    the `Page`; that one runs in the reading thread, so the records are parsed where they
    are consumed and a page waiting its turn holds only its raw body. The pool has at most
    `plan.prefetch` threads. Leaving the loop early (or reaching the end) cancels the pages
    not yet started and waits for those in flight.
    """
    pending: dict[int, Future[Callable[[], Page]]] = {}
    pool = executor(plan.prefetch)
    try:
        while not plan.done:
            while len(pending) < plan.window() and (number := plan.schedule()) is not None:
                pending[number] = pool.submit(fetch, number)
            if not pending:
                break
            page = pending.pop(min(pending)).result()()
            page.records = plan.accept(page)
            if page.records or page.number == 1:  # an empty page past the end is not handed over
                yield page
            del page  # not held while the next one is parsed: one page of records in memory, not two
    finally:
        for future in pending.values():
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


async def iter_pages_async(
    fetch: Callable[[int], Awaitable[Callable[[], Page]]], plan: PagePlan
) -> AsyncIterator[Page]:
    """Fetch pages with `await fetch(number)` as asyncio tasks and yield them in order.

    As in `iter_pages_sync`, `fetch` does the I/O and returns a function that builds the
    `Page`, called here when the page's turn comes: a page waiting its turn holds only its raw
    body, and the tasks' callbacks are not held up behind other pages' JSON. Pages newly asked
    for get a turn of the event loop before a page is parsed, so that their requests go out
    first. Leaving the loop early (or reaching the end) cancels the tasks still running.
    """
    pending: dict[int, asyncio.Task[Callable[[], Page]]] = {}
    try:
        while not plan.done:
            asked = False
            while len(pending) < plan.window() and (number := plan.schedule()) is not None:
                pending[number] = asyncio.ensure_future(fetch(number))
                asked = True
            if not pending:
                break
            if asked:  # the new requests go out before a page is parsed (see `_SEND_TURNS`)
                for _ in range(_SEND_TURNS):
                    await asyncio.sleep(0)
            page = (await pending.pop(min(pending)))()
            page.records = plan.accept(page)
            if page.records or page.number == 1:
                yield page
            del page
    finally:
        for task in pending.values():
            task.cancel()
        if pending:
            await asyncio.gather(*pending.values(), return_exceptions=True)


def records_of(pages: Iterator[Page]) -> Generator[Record, None, None]:
    """The records of `pages`, in order; a page's records are let go before the next page is read."""
    with contextlib.closing(pages) if isinstance(pages, Generator) else contextlib.nullcontext():
        for page in pages:
            records, page.records = page.records, []
            del page
            yield from records
            del records


async def records_of_async(pages: AsyncIterator[Page]) -> AsyncGenerator[Record, None]:
    """The records of `pages` (`async for`); a page's records are let go before the next is read."""
    async for page in pages:
        records, page.records = page.records, []
        del page
        for record in records:
            yield record
        del records
