"""Fault injection: which request gets which fault, drawn from a seeded generator.

A fault plan maps each kind to a probability. Every request that reaches the fault stage
draws one number from a `random.Random(fault_seed)`; the kinds split [0, 1) in the fixed
order of `FAULT_KINDS`, so the same plan and seed give the same schedule:

>>> plan = FaultPlan.parse("500=0.5,reset=0.25")
>>> plan.schedule(8, seed=3) == plan.schedule(8, seed=3)
True
>>> sorted(set(plan.schedule(200, seed=3)) - {None})
['500', 'reset']
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import ConfigurationError

__all__ = ["FAULT_KINDS", "FaultInjector", "FaultPlan"]

#: Every fault kind, in the order they split the unit interval.
FAULT_KINDS: tuple[str, ...] = ("429", "500", "502", "503", "reset", "slow", "expire", "401")

_DESCRIPTIONS = {
    "429": "a 429 Too Many Requests with Retry-After",
    "500": "a 500 with an error body",
    "502": "a 502 with an error body",
    "503": "a 503 with an error body",
    "reset": "the connection dropped with no response",
    "slow": "the response delayed past slow_ms",
    "expire": "the presented token, once it has served a request, expired from now on (401)",
    "401": "a spurious 401 (the token stays valid)",
}


@dataclass(frozen=True)
class FaultPlan:
    """Probabilities per fault kind (each in [0, 1], summing to at most 1).

    >>> FaultPlan.parse("429=0.1, slow=0.05").probabilities
    {'429': 0.1, 'slow': 0.05}
    >>> FaultPlan.parse("teapot=1")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConfigurationError: unknown fault kind 'teapot' in the fault spec; \
known kinds: 429, 500, 502, 503, reset, slow, expire, 401
    """

    probabilities: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        total = 0.0
        for kind, p in self.probabilities.items():
            if kind not in FAULT_KINDS:
                raise ConfigurationError(
                    f"unknown fault kind {kind!r} in the fault spec; known kinds: {', '.join(FAULT_KINDS)}"
                )
            if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
                raise ConfigurationError(f"fault probability for {kind!r} must be a number in [0, 1], got {p!r}")
            total += p
        if total > 1.0 + 1e-9:
            raise ConfigurationError(f"fault probabilities sum to {total:g}; they must sum to at most 1")

    @classmethod
    def parse(cls, spec: str | Mapping[str, float] | FaultPlan | None) -> FaultPlan:
        """A plan from `"429=0.1,500=0.05"`, a mapping, an existing plan or `None` (no faults)."""
        if spec is None:
            return cls({})
        if isinstance(spec, FaultPlan):
            return spec
        if isinstance(spec, Mapping):
            return cls({str(k): v for k, v in spec.items()})
        probabilities: dict[str, float] = {}
        for raw_item in spec.split(","):
            item = raw_item.strip()
            if not item:
                continue
            kind, sep, value = item.partition("=")
            kind = kind.strip().lower()
            if not sep:
                raise ConfigurationError(f"fault spec item {item!r} must look like KIND=PROBABILITY, e.g. 500=0.05")
            try:
                probabilities[kind] = float(value)
            except ValueError:
                raise ConfigurationError(f"fault probability in {item!r} is not a number") from None
            if kind in FAULT_KINDS and probabilities[kind] != probabilities[kind]:  # NaN
                raise ConfigurationError(f"fault probability in {item!r} is not a number")
        return cls(probabilities)

    def draw(self, rng: random.Random) -> str | None:
        """One fault kind (or `None`) from one number drawn from `rng`."""
        x = rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += self.probabilities.get(kind, 0.0)
            if x < edge:
                return kind
        return None

    def schedule(self, n: int, *, seed: int = 0) -> list[str | None]:
        """The faults the first `n` requests get with this seed (what the server will do)."""
        rng = random.Random(seed)
        return [self.draw(rng) for _ in range(n)]

    def __bool__(self) -> bool:
        return any(p > 0 for p in self.probabilities.values())

    def describe(self) -> str:
        """A short human description, e.g. for the command line's banner.

        >>> FaultPlan.parse("reset=0.01").describe()
        'reset=0.01 (the connection dropped with no response)'
        """
        if not self:
            return "no faults"
        return ", ".join(f"{k}={p:g} ({_DESCRIPTIONS[k]})" for k, p in self.probabilities.items() if p > 0)


class FaultInjector:
    """The thread-safe, seeded stream of fault draws a running server consumes."""

    def __init__(self, plan: FaultPlan, seed: int = 0) -> None:
        self.plan = plan
        self.seed = seed
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def next(self) -> str | None:
        """The fault for the next request (`None` for none)."""
        if not self.plan:
            return None
        with self._lock:
            return self.plan.draw(self._rng)
