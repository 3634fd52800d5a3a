"""The executor: an httpx client in layers (auth flow, retries, rate limits, pagination).

```
httpx.Client / httpx.AsyncClient   auth=TokenAuth (login, 2FA, ClientId, renewal, 401s by token generation)
└── LogTransport                   one log record per HTTP exchange
    └── RetryTransport             429 waits; 5xx, drops, timeouts back off with full jitter
        └── LimitTransport         at most `max_in_flight` at once; the request rate (RateLimiter)
            └── BoundedTransport   a deadline per exchange; the size of an answer read
                └── httpx.HTTPTransport (TLS verified; sync: each socket wait cut at the
                    deadline), or the `transport` you pass
```

Each layer is public and replaceable: `Client(auth=..., limiter=..., retry=..., transport=...)`,
or build your own `httpx.Client` from the transports. The most used names are also
re-exported from `cwa_query`.
"""

from ._answers import MAX_JSON_DEPTH, api_error, loads
from ._api_keys import ApiKeyAuth
from ._async_client import AsyncClient
from ._auth import LOGIN_EXTENSION, MAX_RESENDS_ON_401, MAX_UNUSED_TOKENS, TokenAuth
from ._bounds import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncBoundedTransport,
    BoundedTransport,
    http_transport,
)
from ._client import Client
from ._headers import links, pages_from_link
from ._limits import AsyncLimitTransport, LimitTransport, RateLimiter
from ._logging import AsyncLogTransport, LogTransport
from ._pagination import Page, PagePlan
from ._profiles import PROFILES, Profile, TokenGrant, get_profile
from ._retry import IDEMPOTENT_EXTENSION, RETRIES_EXTENSION, AsyncRetryTransport, RetryPolicy, RetryTransport
from ._settings import ClientOptions, QueryOptions, Where, api_base_url

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "IDEMPOTENT_EXTENSION",
    "LOGIN_EXTENSION",
    "MAX_JSON_DEPTH",
    "MAX_RESENDS_ON_401",
    "MAX_UNUSED_TOKENS",
    "PROFILES",
    "RETRIES_EXTENSION",
    "ApiKeyAuth",
    "AsyncBoundedTransport",
    "AsyncClient",
    "AsyncLimitTransport",
    "AsyncLogTransport",
    "AsyncRetryTransport",
    "BoundedTransport",
    "Client",
    "ClientOptions",
    "LimitTransport",
    "LogTransport",
    "Page",
    "PagePlan",
    "Profile",
    "QueryOptions",
    "RateLimiter",
    "RetryPolicy",
    "RetryTransport",
    "TokenAuth",
    "TokenGrant",
    "Where",
    "api_base_url",
    "api_error",
    "get_profile",
    "http_transport",
    "links",
    "loads",
    "pages_from_link",
]
