"""The rate-limit window: fixed windows of `rate_window` seconds on the app's clock."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from ._config import UNLIMITED, SandboxConfig
from ._http import HttpError

__all__ = ["RateWindow"]

Headers = list[tuple[str, str]]


class RateWindow:
    """Counts requests per fixed window and writes the `X-RateLimit-*` headers (thread-safe)."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], float]) -> None:
        self._limit = config.rate_limit
        self._window = config.rate_window
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._index = -1
        self._count = 0

    def headers(self, *, count: bool) -> tuple[Headers, int]:
        """The `X-RateLimit-*` headers and the requests in this window (counting this one when `count`)."""
        with self._lock:
            elapsed = self._clock() - self._started
            index = int(elapsed // self._window)
            if index != self._index:
                self._index, self._count = index, 0
            if count:
                self._count += 1
            used = self._count
        reset = max(1, math.ceil((index + 1) * self._window - elapsed))
        shown = self._limit if self._limit is not None else UNLIMITED
        headers = [
            ("X-RateLimit-Limit", str(shown)),
            ("X-RateLimit-Remaining", str(max(0, shown - used))),
            ("X-RateLimit-Reset", str(reset)),
        ]
        return headers, used

    def admit(self) -> Headers:
        """Count this request; raise a 429 (with `Retry-After` = seconds to the next window) past the limit."""
        headers, used = self.headers(count=True)
        limit = self._limit
        if limit is not None and used > limit:
            reset = dict(headers)["X-RateLimit-Reset"]
            err = HttpError(
                429,
                f"Rate limit exceeded: {limit} requests per {self._window:g} s; retry in {reset} s",
                {"limit": limit, "window": self._window},
                [("Retry-After", reset)],
            )
            err.rate_headers = headers
            raise err
        return headers
