"""Bounds on one HTTP exchange: a total deadline and the size of the answer the client reads.

httpx's `timeout` bounds each read, not the whole answer: a server that drips two bytes a
second never trips a 30-second read timeout, and a page of 160 MB is read whole into memory
(a bare `MemoryError` under a memory cap). `BoundedTransport` and `AsyncBoundedTransport`
sit next to the network and read each answer themselves, decoded (after gzip), in chunks:

* past `max_response_bytes` (an announced `Content-Length`, or the bytes decoded so far) the
  read stops with [`ResponseTooLargeError`][cwa_query.errors.ResponseTooLargeError];
* past `deadline` seconds from sending the request the exchange stops with
  [`DeadlineExceededError`][cwa_query.errors.DeadlineExceededError], whatever the server drips
  (the status line, the headers or the body).

How the deadline is kept. The async transport wraps the exchange in `asyncio.timeout`: the
pending read is cancelled at the deadline and httpcore drops that connection. A sync read cannot
be cancelled, and httpcore takes each timeout once per phase (one `read` timeout for all the
reads of the headers, another for the body), so lowering the request's timeouts bounds each
wait, not their sum. The sync clients therefore send through `http_transport()`: an
`httpx.HTTPTransport` whose network backend gives each socket operation (connect, TLS
handshake, write, read) `min(its own timeout, the time left)` of the exchange running in that
thread (a context variable). The last wait ends at the deadline; httpcore maps the socket's
timeout to its own, closes that connection (the pool keeps the others) and the transport turns
it into `DeadlineExceededError`. No watchdog thread is needed, and none could do better: closing
a socket from another thread does not reliably wake a blocked `recv`, and it races the pool
handing the connection to the next request. A sync transport of your own (`transport=`) gets
the lowered timeouts and a check between reads only. Name resolution (`getaddrinfo`) is not a
socket operation with a timeout and is not bounded by either client.

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
import contextvars
import functools
import math
import ssl
import time
from collections.abc import Callable, Iterable
from typing import Final, Generic, TypeVar

import httpcore
import httpx

from ..errors import DeadlineExceededError, ResponseTooLargeError

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "AsyncBoundedTransport",
    "BoundedTransport",
    "check_bounds",
    "http_transport",
    "verified_tls",
]

T = TypeVar("T")
_Inner = TypeVar("_Inner", httpx.BaseTransport, httpx.AsyncBaseTransport)
_SocketOption = httpcore.SOCKET_OPTION

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


class _Due:
    """When the exchange running in this thread must end, and whether a wait was cut short by it."""

    def __init__(self, at: float, clock: Callable[[], float]) -> None:
        self.at = at
        self.clock = clock
        self.cut = False

    def run(self, operation: Callable[[float | None], T], timeout: float | None, late: type[Exception]) -> T:
        """`operation(timeout)`, its timeout lowered to the time left; `late` when none is left."""
        left = self.at - self.clock()
        if left <= 0:
            self.cut = True
            raise late("the exchange's deadline has passed")
        if timeout is not None and timeout <= left:
            return operation(timeout)
        try:
            return operation(left)
        except httpcore.TimeoutException:
            self.cut = True
            raise


# the deadline of the exchange this thread is running (set by `BoundedTransport` around it)
_DUE: contextvars.ContextVar[_Due | None] = contextvars.ContextVar("cwa_query_due", default=None)


def _within_deadline(operation: Callable[[float | None], T], timeout: float | None, late: type[Exception]) -> T:
    due = _DUE.get()
    return operation(timeout) if due is None else due.run(operation, timeout, late)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every wait ends by the deadline of the exchange using it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within_deadline(lambda t: self._stream.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within_deadline(lambda t: self._stream.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = _within_deadline(
            lambda t: self._stream.start_tls(ssl_context, server_hostname, t), timeout, httpcore.ConnectTimeout
        )
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, its streams bounded by the deadline of the exchange (`_DeadlineStream`)."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        stream = _within_deadline(
            lambda t: self._backend.connect_tcp(host, port, t, local_address, socket_options),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[_SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        stream = _within_deadline(
            lambda t: self._backend.connect_unix_socket(path, t, socket_options), timeout, httpcore.ConnectTimeout
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


@functools.cache
def verified_tls() -> ssl.SSLContext:
    """httpx's default TLS settings (`verify=True`: certifi's CA bundle, or `SSL_CERT_FILE` /
    `SSL_CERT_DIR`), made once and shared by the clients' transports: reading the CA bundle
    takes tens of milliseconds, which every new client paid before."""
    return httpx.create_ssl_context(verify=True)


def http_transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """An `httpx.HTTPTransport` (TLS verified) whose socket operations end by the deadline of the
    exchange `BoundedTransport` runs in the calling thread; outside one, it is httpx's own."""
    transport = httpx.HTTPTransport(verify=verified_tls(), limits=limits)
    pool = getattr(transport, "_pool", None)  # httpx has no public way to pass a network backend
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):  # else: the lowered timeouts and the clock still apply
        pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


class _Bounded(Generic[_Inner]):
    """What both bounded transports hold: the transport they wrap, and their bounds checked once."""

    def __init__(
        self,
        transport: _Inner,
        *,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_bounds(deadline, max_response_bytes)
        self._transport: _Inner = transport
        self._deadline = deadline
        self._max_response_bytes = max_response_bytes
        self._clock = clock

    def _exchange(self, request: httpx.Request) -> _Exchange:
        return _Exchange(request, self._deadline, self._max_response_bytes, self._clock)


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
        self.due = None if deadline is None else _Due(self.started + deadline, clock)

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

    def timed_out(self) -> bool:
        """Whether a timeout of the exchange was its deadline (a wait it cut short, or the clock)."""
        return self.due is not None and (self.due.cut or self.clock() >= self.due.at)

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

    def too_large(self, what: str) -> ResponseTooLargeError:
        method, path = self.request.method, self.request.url.path
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
        method, path = self.request.method, self.request.url.path
        deadline = self.deadline or 0.0
        return DeadlineExceededError(
            f"{method} {path} took longer than its deadline of {deadline:g} s "
            f"({len(self.body):,} bytes of the answer read); raise deadline= if the server is only slow",
            deadline=deadline,
            method=method,
            path=path,
        )


class BoundedTransport(_Bounded[httpx.BaseTransport], httpx.BaseTransport):
    """Reads each answer of `transport` within `deadline` seconds and `max_response_bytes` (sync)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._exchange(request)
        exchange.lower_timeouts()
        token = _DUE.set(exchange.due)
        try:
            response = self._transport.handle_request(request)
            try:
                exchange.check_clock()
                exchange.check_announced(response)
                for chunk in response.iter_bytes():
                    exchange.take(chunk)
            finally:
                response.close()
        except httpx.TimeoutException:
            if exchange.timed_out():
                raise exchange.late() from None
            raise
        finally:
            _DUE.reset(token)
        return exchange.answer(response)

    def close(self) -> None:
        self._transport.close()


class AsyncBoundedTransport(_Bounded[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """Reads each answer of `transport` within `deadline` seconds and `max_response_bytes` (async)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._exchange(request)
        try:
            async with asyncio.timeout(self._deadline):
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
