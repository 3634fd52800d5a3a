"""`SandboxConfig`: every option of a sandbox, checked once, and the numbers they default to."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from ..errors import ConfigurationError
from ._data import DEFAULT_RECORDS
from ._faults import FaultPlan
from ._profiles import DEFAULT_PROFILE, SandboxProfile, sandbox_profile

__all__ = [
    "API_PREFIX",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_RATE_WINDOW",
    "DEFAULT_RECORDS",
    "DEFAULT_SLOW_MS",
    "MAX_PAGE_SIZE",
    "UNLIMITED",
    "SandboxConfig",
]

#: Where every API path starts.
API_PREFIX: Final = "/cwa/api/v1"
#: The largest `pageSize` accepted.
MAX_PAGE_SIZE: Final = 1000
#: The page size when a request names none.
DEFAULT_PAGE_SIZE: Final = 50
#: Unlimited rate limits are reported with this `X-RateLimit-Limit` (the seed profile sends the headers always).
UNLIMITED: Final = 1_000_000_000
#: Seconds of one rate-limit window.
DEFAULT_RATE_WINDOW: Final = 60.0
#: Milliseconds a `slow` fault delays an answer (plus `SLOW_MARGIN`).
DEFAULT_SLOW_MS: Final = 1500.0
#: The largest request body accepted; larger gets 413.
DEFAULT_MAX_BODY_BYTES: Final = 1 << 20


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox is configured with; see `Sandbox` for the meaning of each option.

    `Sandbox(...)` takes the same keyword arguments (and `host`, `port`), so the two never drift:

    >>> SandboxConfig(profile="automate", records=10).ttl
    3600.0
    """

    profile: str = DEFAULT_PROFILE
    records: int = DEFAULT_RECORDS
    seed: int = 0
    latency_ms: float = 0.0
    max_concurrent: int | None = None
    rate_limit: int | None = None
    rate_window: float = DEFAULT_RATE_WINDOW
    faults: FaultPlan = field(default_factory=FaultPlan)
    fault_seed: int = 0
    slow_ms: float = DEFAULT_SLOW_MS
    token_ttl: float | None = None
    username: str = "sandbox"
    password: str = field(default="sandbox", repr=False)
    client_id: str | None = None
    two_factor_code: str | None = field(default=None, repr=False)
    company: str = "sandbox"
    public_key: str = field(default="sandbox-public", repr=False)
    private_key: str = field(default="sandbox-private", repr=False)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ignore_unknown_parameters: bool = False
    token_date_offset: bool = False
    max_query_string: int | None = None

    def __post_init__(self) -> None:
        def bad(message: str) -> ConfigurationError:
            return ConfigurationError(f"sandbox: {message}")

        api = sandbox_profile(self.profile)  # a ConfigurationError naming the profiles
        if api.default_ttl is None and "expire" in self.faults.probabilities:
            raise bad(f"the {api.name} profile has no tokens to expire: use the 401 fault for refused credentials")
        if not self.company or not self.public_key or not self.private_key:
            raise bad("company, public_key and private_key must not be empty")
        if isinstance(self.records, bool) or not isinstance(self.records, int) or self.records < 1:
            raise bad(f"records must be a positive integer, got {self.records!r}")
        for name in ("latency_ms", "slow_ms", "rate_window"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise bad(f"{name} must be a finite number >= 0, got {value!r}")
        if self.rate_window <= 0:
            raise bad("rate_window must be > 0 seconds")
        for name in ("max_concurrent", "rate_limit"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise bad(f"{name} must be a positive integer or None, got {value!r}")
        if self.token_ttl is not None and (not math.isfinite(self.token_ttl) or self.token_ttl <= 0):
            raise bad(f"token_ttl must be > 0 seconds, got {self.token_ttl!r}")
        if not self.username or not self.password:
            raise bad("username and password must not be empty")
        limit = self.max_query_string
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise bad(f"max_query_string must be a positive integer or None, got {limit!r}")
        if isinstance(self.max_body_bytes, bool) or not isinstance(self.max_body_bytes, int) or self.max_body_bytes < 1:
            raise bad(f"max_body_bytes must be a positive integer, got {self.max_body_bytes!r}")

    @property
    def api(self) -> SandboxProfile:
        """The profile object: what the served API is."""
        return sandbox_profile(self.profile)

    @property
    def query_string_limit(self) -> int | None:
        """The longest query string answered: `max_query_string`, else the profile's (IIS's 2,048
        bytes for automate; none for seed, whose 16 KiB request line is the socket layer's)."""
        return self.max_query_string if self.max_query_string is not None else self.api.max_query_string

    @property
    def ttl(self) -> float:
        """The token lifetime in seconds (the profile's default unless `token_ttl` is set)."""
        if self.token_ttl is not None:
            return self.token_ttl
        return self.api.default_ttl or 0.0
