"""Pagination: which pages to ask for, in what order, and when to stop.

[`PagePlan`][cwa_query.client.PagePlan] is the pure part (no I/O): page 1 first; then

* with paging headers (seed): the remaining pages are known, and up to `prefetch` of them
  are in flight at once;
* without (automate): pages are asked for ahead of the reader, the window growing
  1, 2, 4, ... up to `prefetch` while pages come back full; the first page shorter than the
  page size ends the result, and pages asked for beyond it are dropped (they lie past the
  end of the result).

Pages are always handed over in page order, each once, and trimmed to `limit`. The sync
and async drivers (`iter_pages_sync`, `iter_pages_async`) keep at most `prefetch` pages in
flight or waiting, so memory is bounded by the window, not by the result.

>>> plan = PagePlan(page_size=2, limit=None, prefetch=4, paging_headers=False)
>>> plan.accept(Page(1, [{"Id": 1}, {"Id": 2}]))
[{'Id': 1}, {'Id': 2}]
>>> plan.window(), plan.schedule(), plan.schedule()
(2, 2, 3)
>>> plan.accept(Page(2, [{"Id": 3}])), plan.done
([{'Id': 3}], True)
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Page", "PagePlan", "iter_pages_async", "iter_pages_sync"]

Record = dict[str, Any]


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

    def __init__(self, *, page_size: int, limit: int | None, prefetch: int, paging_headers: bool) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, not {page_size}")
        if prefetch < 1:
            raise ValueError(f"prefetch must be at least 1, not {prefetch}")
        self.page_size = page_size
        self.limit = limit
        self.prefetch = prefetch
        self.paging_headers = paging_headers
        self.done = limit == 0
        self.delivered = 0  # records handed over
        self.total_count: int | None = None
        self._last_page: int | None = None if limit is None else max(1, math.ceil(limit / page_size))
        self._known_end = False
        self._next = 2  # the next page to schedule (page 1 is always fetched first, alone)
        self._expected = 1  # the next page to accept
        self._full_pages = 0

    def window(self) -> int:
        """How many pages may be in flight or waiting now."""
        if self._known_end:
            return self.prefetch
        return min(self.prefetch, 1 << min(self._full_pages, 30))

    def schedule(self) -> int | None:
        """The next page number to fetch, or `None` when no more are needed (yet or at all)."""
        if self.done or self._expected == 1:
            return None
        if self._last_page is not None and self._next > self._last_page:
            return None
        number = self._next
        self._next += 1
        return number

    def accept(self, page: Page) -> list[Record]:
        """Take the next page in order; returns the records to hand over (trimmed to `limit`)."""
        if page.number != self._expected:
            raise ValueError(f"page {page.number} accepted out of order (expected {self._expected})")
        self._expected += 1
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
        elif len(page.records) >= self.page_size:
            self._full_pages += 1
        if self._last_page is not None and page.number >= self._last_page:
            self.done = True
        return records


def iter_pages_sync(
    fetch: Callable[[int], Callable[[], Page]],
    plan: PagePlan,
    *,
    executor: Callable[[int], ThreadPoolExecutor] = ThreadPoolExecutor,
) -> Iterator[Page]:
    """Fetch pages in a small thread pool and yield them in order.

    `fetch(number)` does the I/O (in a worker thread) and returns a function that builds
    the `Page`; that one runs in the reading thread, so the records are parsed where they
    are consumed and a page waiting its turn holds only its raw body. Page 1 is fetched in
    the calling thread; the pool (at most `plan.prefetch` threads) starts only when more
    pages are needed. Leaving the loop early cancels the pages not yet started and waits
    for those in flight.
    """
    first = fetch(1)()
    first.records = plan.accept(first)
    yield first
    if plan.done:
        return
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
            if page.records:  # an empty page past the end (no paging headers) is not handed over
                yield page
    finally:
        for future in pending.values():
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


async def iter_pages_async(fetch: Callable[[int], Awaitable[Page]], plan: PagePlan) -> AsyncIterator[Page]:
    """Fetch pages with `await fetch(number)` as asyncio tasks and yield them in order.

    Leaving the loop early cancels the tasks still running.
    """
    first = await fetch(1)
    first.records = plan.accept(first)
    yield first
    if plan.done:
        return
    pending: dict[int, asyncio.Task[Page]] = {}
    try:
        while not plan.done:
            while len(pending) < plan.window() and (number := plan.schedule()) is not None:
                pending[number] = asyncio.ensure_future(fetch(number))
            if not pending:
                break
            page = await pending.pop(min(pending))
            page.records = plan.accept(page)
            if page.records:
                yield page
    finally:
        for task in pending.values():
            task.cancel()
        if pending:
            await asyncio.gather(*pending.values(), return_exceptions=True)
