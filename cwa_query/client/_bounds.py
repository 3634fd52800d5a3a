"""Bounds on one HTTP exchange: a total deadline and the size of the answer the client reads.

httpx's `timeout` bounds each read, not the whole answer: a server that drips two bytes a
second never trips a 30-second read timeout, and a page of 160 MB is read whole into memory
(a bare `MemoryError` under a memory cap). `BoundedTransport` and `AsyncBoundedTransport`
sit next to the network and read each answer themselves, decoded (after gzip), in chunks:

* past `max_response_bytes` (an announced `Content-Length`, or the bytes decoded so far) the
  read stops with [`ResponseTooLargeError`][cwa_query.errors.ResponseTooLargeError];
* past `deadline` seconds from sending the request the exchange stops with
  [`DeadlineExceededError`][cwa_query.errors.DeadlineExceededError]. The async transport
  enforces it exactly (`asyncio.timeout`); the sync one lowers each timeout of the request to
  the deadline and checks the clock between reads, so it stops within two deadlines at worst.

The deadline is per exchange: a retried request starts a new one (the retry layer sits above
and keeps its own budget). Neither error is retried: the same request would meet the same
server. Both errors name the request (method and path, never the query string's secrets).

>>> BoundedTransport(httpx.MockTransport(lambda r: httpx.Response(200)), deadline=0, max_response_bytes=1)
Traceback (most recent call last):
...
ValueError: deadline must be a positive number of seconds or None, not 0
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Final

import httpx

from ..errors import DeadlineExceededError, ResponseTooLargeError

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "AsyncBoundedTransport",
    "BoundedTransport",
    "check_bounds",
]

#: seconds one exchange may take, sending to the last byte of the answer (aiohttp's `total`)
DEFAULT_DEADLINE: Final = 300.0
#: bytes of one answer, decoded, the client reads at most (a page of 1,000 large records is a few MB)
DEFAULT_MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024
_TIMEOUT_KEYS: Final = ("connect", "read", "write", "pool")
# headers that describe the body as it came over the wire, not the decoded body the client keeps
_WIRE_HEADERS: Final = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def check_bounds(deadline: float | None, max_response_bytes: int | None) -> None:
    """`ValueError` unless `deadline` is a positive number of seconds and `max_response_bytes` a
    positive integer (either may be `None`: no bound)."""
    if deadline is not None and (not isinstance(deadline, int | float) or not 0 < deadline < math.inf):
        raise ValueError(f"deadline must be a positive number of seconds or None, not {deadline!r}")
    if max_response_bytes is not None and (
        isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes < 1
    ):
        raise ValueError(f"max_response_bytes must be a positive integer or None, not {max_response_bytes!r}")


class _Bounds:
    """The settings of a bounded transport, checked once."""

    def __init__(self, deadline: float | None, max_response_bytes: int | None, clock: Callable[[], float]) -> None:
        check_bounds(deadline, max_response_bytes)
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        self.clock = clock

    def exchange(self, request: httpx.Request) -> _Exchange:
        return _Exchange(request, self.deadline, self.max_response_bytes, self.clock)


class _Exchange:
    """The bookkeeping of one exchange (no I/O): the clock, the bytes read, the errors."""

    def __init__(
        self, request: httpx.Request, deadline: float | None, limit: int | None, clock: Callable[[], float]
    ) -> None:
        self.request = request
        self.deadline = deadline
        self.limit = limit
        self.clock = clock
        self.started = clock()
        self.body = bytearray()

    def lower_timeouts(self) -> None:
        """No single wait of the request may be longer than the whole deadline."""
        if self.deadline is None:
            return
        timeouts = dict(self.request.extensions.get("timeout") or {})
        for key in _TIMEOUT_KEYS:
            value = timeouts.get(key)
            timeouts[key] = self.deadline if value is None else min(value, self.deadline)
        self.request.extensions["timeout"] = timeouts

    def check_announced(self, response: httpx.Response) -> None:
        announced = response.headers.get("content-length", "")
        if self.limit is not None and announced.isdigit() and len(announced) < 20 and int(announced) > self.limit:
            raise self.too_large(f"announces {int(announced):,} bytes")

    def take(self, chunk: bytes) -> None:
        self.body += chunk
        if self.limit is not None and len(self.body) > self.limit:
            raise self.too_large(f"holds more than {self.limit:,} bytes")
        self.check_clock()

    def check_clock(self) -> None:
        if self.deadline is not None and self.clock() - self.started > self.deadline:
            raise self.late()

    def answer(self, response: httpx.Response) -> httpx.Response:
        """The answer with its decoded body in memory, as if `response.read()` had been called."""
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=bytes(self.body),
            request=self.request,
            extensions=response.extensions,
        )

    def _where(self) -> tuple[str, str]:
        return self.request.method, self.request.url.path

    def too_large(self, what: str) -> ResponseTooLargeError:
        method, path = self._where()
        return ResponseTooLargeError(
            f"the answer {what}, more than max_response_bytes={self.limit:,} allows; ask for smaller pages "
            "(page_size=) or raise the bound",
            limit=self.limit or 0,
            status=200,
            code="ResponseTooLarge",
            method=method,
            path=path,
        )

    def late(self) -> DeadlineExceededError:
        method, path = self._where()
        deadline = self.deadline or 0.0
        return DeadlineExceededError(
            f"{method} {path} took longer than its deadline of {deadline:g} s "
            f"({len(self.body):,} bytes of the answer read); raise deadline= if the server is only slow",
            deadline=deadline,
            method=method,
            path=path,
        )


class BoundedTransport(httpx.BaseTransport):
    """Reads each answer of `transport` within `deadline` seconds and `max_response_bytes` (sync)."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        *,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._bounds = _Bounds(deadline, max_response_bytes, clock)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._bounds.exchange(request)
        exchange.lower_timeouts()
        response = self._transport.handle_request(request)
        try:
            exchange.check_clock()
            exchange.check_announced(response)
            for chunk in response.iter_bytes():
                exchange.take(chunk)
        finally:
            response.close()
        return exchange.answer(response)

    def close(self) -> None:
        self._transport.close()


class AsyncBoundedTransport(httpx.AsyncBaseTransport):
    """Reads each answer of `transport` within `deadline` seconds and `max_response_bytes` (async)."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._bounds = _Bounds(deadline, max_response_bytes, clock)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._bounds.exchange(request)
        try:
            async with asyncio.timeout(self._bounds.deadline):
                response = await self._transport.handle_async_request(request)
                try:
                    exchange.check_announced(response)
                    async for chunk in response.aiter_bytes():
                        exchange.take(chunk)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise exchange.late() from None
        return exchange.answer(response)

    async def aclose(self) -> None:
        await self._transport.aclose()
