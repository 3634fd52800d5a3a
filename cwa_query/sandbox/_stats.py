"""The counters `GET /_sandbox/stats` reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Stats"]


@dataclass
class Stats:
    """Counters since start or the last reset (changed under the app's lock)."""

    requests: int = 0
    in_flight: int = 0
    max_concurrent_seen: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    concurrency_rejected: int = 0
    rate_limited: int = 0
    auth_requests: int = 0
    tokens_issued: int = 0
