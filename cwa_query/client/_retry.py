"""Retries: what to retry, how long to wait, and the transports that do it.

[`RetryPolicy`][cwa_query.RetryPolicy] decides (pure, no I/O); `RetryTransport` and
`AsyncRetryTransport` wrap another httpx transport and apply it:

* 429: wait what the server asks (`Retry-After`, else `X-RateLimit-Reset`), then retry;
* 500, 502, 503, 504, a dropped connection, a timeout: exponential backoff with full
  jitter (a random wait between 0 and `min(cap, base * 2**n)`), then retry;
* all within a budget (`max_retries` retries and `max_wait` seconds of waiting per
  request); past it the last response is returned (the client turns it into a
  `ServerError` / `RateLimitedError`) or the last transport exception is raised.

A request that is not idempotent (a POST other than a login) is retried only when it
surely never reached the server: a refused connection or a 429.

>>> policy = RetryPolicy(backoff_base=0.5, backoff_cap=4.0)
>>> [policy.backoff_ceiling(n) for n in range(5)]
[0.5, 1.0, 2.0, 4.0, 4.0]
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from ._headers import retry_after

__all__ = ["IDEMPOTENT_EXTENSION", "RETRIES_EXTENSION", "AsyncRetryTransport", "RetryPolicy", "RetryTransport"]

logger = logging.getLogger("cwa_query")

# request.extensions keys: mark a POST as safe to repeat; the number of retries made
IDEMPOTENT_EXTENSION = "cwa_query.idempotent"
RETRIES_EXTENSION = "cwa_query.retries"

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# exceptions after which the request surely never reached the server
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    Attributes:
        max_retries: retries per request (so at most `max_retries + 1` attempts).
        backoff_base, backoff_cap: the full-jitter backoff's first ceiling and its cap, in seconds.
        max_wait: seconds of waiting allowed per request; a 429 asking for longer is not waited out.
        retry_statuses: statuses retried with backoff (429 is always handled by its own rule).
    """

    max_retries: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_wait: float = 300.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({500, 502, 503, 504}))

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, not {self.max_retries}")
        if self.backoff_base < 0 or self.backoff_cap < 0 or self.max_wait < 0:
            raise ValueError("backoff_base, backoff_cap and max_wait must be >= 0")

    def backoff_ceiling(self, retry: int) -> float:
        """The longest wait before retry number `retry + 1` (0-based `retry`)."""
        return min(self.backoff_cap, self.backoff_base * (2.0 ** min(retry, 60)))

    def delay(
        self,
        *,
        retry: int,
        waited: float,
        idempotent: bool,
        response: httpx.Response | None = None,
        error: BaseException | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before retrying, or `None` to give up.

        `retry` is the number of retries made so far, `waited` the seconds already waited.
        """
        if retry >= self.max_retries:
            return None
        if response is not None:
            if response.status_code == 429:
                asked = retry_after(response.headers)
                wait = asked if asked is not None else self._jitter(retry, rng)
            elif response.status_code in self.retry_statuses and idempotent:
                wait = self._jitter(retry, rng)
            else:
                return None
        elif error is not None:
            if isinstance(error, _NOT_SENT) or (idempotent and isinstance(error, _RETRYABLE_ERRORS)):
                wait = self._jitter(retry, rng)
            else:
                return None
        else:
            return None
        if waited + wait > self.max_wait:
            return None
        return wait

    def _jitter(self, retry: int, rng: random.Random | None) -> float:
        return (rng or random).uniform(0.0, self.backoff_ceiling(retry))


def is_idempotent(request: httpx.Request) -> bool:
    """GET, HEAD, OPTIONS, PUT and DELETE, and requests marked with `IDEMPOTENT_EXTENSION`."""
    return request.method in _IDEMPOTENT_METHODS or bool(request.extensions.get(IDEMPOTENT_EXTENSION))


class _Attempts:
    """The retry state of one request: how many retries, how long waited so far."""

    def __init__(self, policy: RetryPolicy, request: httpx.Request, rng: random.Random | None) -> None:
        self.policy = policy
        self.request = request
        self.rng = rng
        self.idempotent = is_idempotent(request)
        self.retry = 0
        self.waited = 0.0
        request.extensions[RETRIES_EXTENSION] = 0

    def after(self, *, response: httpx.Response | None = None, error: BaseException | None = None) -> float | None:
        """Seconds to wait before the next attempt (logged), or `None`: this outcome is final."""
        wait = self.policy.delay(
            retry=self.retry,
            waited=self.waited,
            idempotent=self.idempotent,
            response=response,
            error=error,
            rng=self.rng,
        )
        if wait is None:
            if response is not None:
                response.extensions = {**response.extensions, RETRIES_EXTENSION: self.retry}
            return None
        self.retry += 1
        self.waited += wait
        self.request.extensions[RETRIES_EXTENSION] = self.retry
        cause = f"HTTP {response.status_code}" if response is not None else type(error).__name__
        logger.info(
            "retry %d/%d of %s %s after %s, waiting %.3f s",
            self.retry,
            self.policy.max_retries,
            self.request.method,
            self.request.url.path,
            cause,
            wait,
        )
        return wait


class RetryTransport(httpx.BaseTransport):
    """Retry requests through `transport` as `policy` says (sync).

    Closing it ends the waits in progress and retries no more: a request that is waiting
    to be retried when its client closes (a page fetched ahead, then abandoned) fails at
    once with its last outcome instead of keeping the process alive through its backoff.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._transport = transport
        self.policy = policy or RetryPolicy()
        self._closed = threading.Event()
        self._sleep = sleep
        self._rng = rng

    def _wait(self, seconds: float) -> bool:
        """Wait before a retry; `False` if the transport was closed meanwhile (no retry then)."""
        if self._sleep is not None:
            self._sleep(seconds)
        else:
            self._closed.wait(seconds)
        return not self._closed.is_set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self.policy, request, self._rng)
        while True:
            try:
                response = self._transport.handle_request(request)
                response.read()
            except _RETRYABLE_ERRORS as exc:
                if (wait := attempts.after(error=exc)) is None or not self._wait(wait):
                    raise
            else:
                if (wait := attempts.after(response=response)) is None:
                    return response
                if not self._wait(wait):
                    return response  # closed meanwhile: the last answer (read already) stands
                response.close()

    def close(self) -> None:
        self._closed.set()
        self._transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Retry requests through `transport` as `policy` says (async)."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._transport = transport
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rng = rng

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self.policy, request, self._rng)
        while True:
            try:
                response = await self._transport.handle_async_request(request)
                await response.aread()
            except _RETRYABLE_ERRORS as exc:
                if (wait := attempts.after(error=exc)) is None:
                    raise
            else:
                if (wait := attempts.after(response=response)) is None:
                    return response
                await response.aclose()
            await self._sleep(wait)

    async def aclose(self) -> None:
        await self._transport.aclose()
