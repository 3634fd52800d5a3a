"""Client-side limits: requests in flight, and requests per time window.

Two pieces, both replaceable:

* [`RateLimiter`][cwa_query.RateLimiter] (pure bookkeeping, thread-safe, never
  sleeps) answers "may a request go now, or in how many seconds?". It starts from a
  client-side cap (a sliding window: at most N requests in any `window` seconds; the seed
  profile's default is 60 a minute) and, once the server sends `X-RateLimit-Limit`,
  `-Remaining` and `-Reset`, follows the server's own window instead (unless the user set
  the cap, which then also stays). A 429's `Retry-After` pauses every request.
* `LimitTransport` / `AsyncLimitTransport` wrap an httpx transport: each attempt takes one
  of `max_in_flight` slots, waits its turn with the rate limiter, and holds the slot until
  the response body is read (a server that counts concurrent requests counts until then).

>>> limiter = RateLimiter(per_window=2, window=60.0, clock=lambda: 0.0)
>>> limiter.try_acquire(), limiter.try_acquire(), limiter.try_acquire()
(0.0, 0.0, 60.0)
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from collections.abc import Awaitable, Callable, Mapping

import httpx

from ._headers import int_header, reset_seconds, retry_after

__all__ = [
    "CLOCK_SLACK",
    "DEFAULT_MAX_IN_FLIGHT",
    "DEFAULT_WINDOW",
    "MIN_SERVER_WINDOW",
    "SAME_WINDOW_TOLERANCE",
    "AsyncLimitTransport",
    "LimitTransport",
    "RateLimiter",
]

#: seconds added to a wait for the server's window to roll over, against clock granularity
CLOCK_SLACK = 0.02
#: the shortest server window assumed (seconds), when `X-RateLimit-Reset` says less
MIN_SERVER_WINDOW = 1.0
#: two `X-RateLimit-Reset` readings whose window ends lie within this many seconds are one window
SAME_WINDOW_TOLERANCE = 1.0
#: the default window of a client-side cap: "per minute"
DEFAULT_WINDOW = 60.0
#: requests in flight at once by default (the seed document's figure)
DEFAULT_MAX_IN_FLIGHT = 10


class RateLimiter:
    """Decides when the next request may go; thread-safe, does no I/O and never sleeps.

    Args:
        per_window: the client-side cap (requests per `window` seconds), or `None` for none.
        window: the cap's window in seconds (60: "per minute").
        follow_server: replace the cap by the server's `X-RateLimit-*` figures once seen.
            An explicit user cap is kept alongside (pass `user_set=True`).
        clock: a monotonic clock (seconds).
    """

    def __init__(
        self,
        per_window: float | None = None,
        *,
        window: float = DEFAULT_WINDOW,
        follow_server: bool = True,
        user_set: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_window is not None and per_window <= 0:
            raise ValueError(f"a rate limit must be positive, not {per_window}")
        if window <= 0:
            raise ValueError(f"a rate window must be positive, not {window}")
        self.per_window = per_window
        self.window = window
        self.follow_server = follow_server
        self.user_set = user_set
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: collections.deque[float] = collections.deque()
        # the server's window, once it has told us about it
        self._server_limit: int | None = None
        self._server_remaining = 0
        self._server_window_end = 0.0
        self._server_window_len = 0.0
        self._paused_until = 0.0
        self._in_flight = 0

    def __repr__(self) -> str:
        cap = "none" if self.per_window is None else f"{self.per_window:g}/{self.window:g}s"
        server = "unknown" if self._server_limit is None else f"{self._server_limit}"
        return f"<RateLimiter cap={cap} server_limit={server}>"

    @property
    def following_server(self) -> bool:
        """Whether the server's `X-RateLimit-*` figures are in force."""
        return self._server_limit is not None

    def try_acquire(self) -> float:
        """Take a turn and return 0.0, or return the seconds to wait before asking again."""
        with self._lock:
            now = self._clock()
            if now < self._paused_until:
                return self._paused_until - now
            wait = 0.0
            use_cap = self.per_window is not None and (self.user_set or self._server_limit is None)
            if use_cap:
                assert self.per_window is not None
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                if len(self._sent) >= self.per_window:
                    wait = self._sent[0] + self.window - now
            if self._server_limit is not None:
                if now >= self._server_window_end:  # the server's window has rolled over
                    self._server_remaining = self._server_limit
                    self._server_window_end = now + max(self._server_window_len, MIN_SERVER_WINDOW)
                if self._server_remaining <= 0:
                    wait = max(wait, self._server_window_end - now + CLOCK_SLACK)
            if wait > 0:
                return wait
            if use_cap:
                self._sent.append(now)
            if self._server_limit is not None:
                self._server_remaining -= 1
            self._in_flight += 1
            return 0.0

    def release(self, status: int | None, headers: Mapping[str, str] | None) -> None:
        """Record the end of a request taken with `try_acquire` (`status` None: no response)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            if headers is None:
                return
            now = self._clock()
            lowered = {k.lower(): v for k, v in headers.items()}
            if status == 429:
                wait = retry_after(lowered)
                if wait is not None:
                    self._paused_until = max(self._paused_until, now + wait)
            if self.follow_server:
                self._observe(lowered, now)

    def _observe(self, headers: Mapping[str, str], now: float) -> None:
        limit = int_header(headers, "x-ratelimit-limit")
        remaining = int_header(headers, "x-ratelimit-remaining")
        reset = reset_seconds(headers.get("x-ratelimit-reset"))
        if limit is None or remaining is None or reset is None or limit <= 0:
            return
        # requests still in flight may not be counted in `remaining` yet: assume they are not
        remaining -= self._in_flight
        window_end = now + reset
        self._server_window_len = max(self._server_window_len, reset)
        if self._server_limit is None or window_end > self._server_window_end + SAME_WINDOW_TOLERANCE:
            self._server_remaining = remaining  # a new window
            self._server_window_end = window_end
        elif window_end >= self._server_window_end - SAME_WINDOW_TOLERANCE:  # the same window
            self._server_remaining = min(self._server_remaining, remaining)
            self._server_window_end = max(self._server_window_end, window_end)
        # else: an answer counted in a window that has already rolled over
        self._server_limit = limit


def _release(limiter: RateLimiter, response: httpx.Response | None) -> None:
    if response is None:
        limiter.release(None, None)
    else:
        limiter.release(response.status_code, response.headers)


class LimitTransport(httpx.BaseTransport):
    """At most `max_in_flight` requests at once through `transport`, at the rate `limiter` allows (sync)."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be at least 1, not {max_in_flight}")
        self._transport = transport
        self.max_in_flight = max_in_flight
        self.limiter = limiter or RateLimiter()
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._slots:
            while (wait := self.limiter.try_acquire()) > 0:
                self._sleep(wait)
            response: httpx.Response | None = None
            try:
                response = self._transport.handle_request(request)
                response.read()
            except BaseException:
                if response is not None:
                    response.close()
                _release(self.limiter, response)
                raise
            _release(self.limiter, response)
            return response

    def close(self) -> None:
        self._transport.close()


class AsyncLimitTransport(httpx.AsyncBaseTransport):
    """At most `max_in_flight` requests at once through `transport`, at the rate `limiter` allows (async)."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be at least 1, not {max_in_flight}")
        self._transport = transport
        self.max_in_flight = max_in_flight
        self.limiter = limiter or RateLimiter()
        self._slots: asyncio.Semaphore | None = None
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._slots is None:  # created lazily, inside the running event loop
            self._slots = asyncio.Semaphore(self.max_in_flight)
        async with self._slots:
            while (wait := self.limiter.try_acquire()) > 0:
                await self._sleep(wait)
            response: httpx.Response | None = None
            try:
                response = await self._transport.handle_async_request(request)
                await response.aread()
            except BaseException:
                if response is not None:
                    await response.aclose()
                _release(self.limiter, response)
                raise
            _release(self.limiter, response)
            return response

    async def aclose(self) -> None:
        await self._transport.aclose()
