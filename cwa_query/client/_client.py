"""`Client` and `AsyncClient`: the ConnectWise Automate REST API, either profile.

Both are thin over `httpx`, in layers that can each be replaced:

```
httpx.Client / httpx.AsyncClient   auth=TokenAuth (login, 2FA, ClientId, renewal, one retry on 401)
└── _LogTransport                  one log record per HTTP exchange
    └── RetryTransport             429 waits; 5xx, drops, timeouts back off with full jitter
        └── LimitTransport         at most `max_in_flight` at once; the request rate
            └── httpx.HTTPTransport (TLS verified), or the `transport` you pass
```

Concurrency: `AsyncClient` runs pages as asyncio tasks. `Client` fetches the pages ahead in a
small thread pool over one `httpx.Client` (which is thread-safe), rather than running the
async machinery in a private event loop: no loop to own, no cross-thread hand-off of async
generators, and the same transports, auth and limits serve both clients. The pool's threads
only wait on sockets; the JSON of a page is parsed in the reading thread when its turn comes.

>>> client = Client("automate.example.com", username="api", password="s3cret", profile="automate")
>>> client.base_url
'https://automate.example.com/cwa/api/v1/'
>>> client
<Client profile='automate' base_url='https://automate.example.com/cwa/api/v1/' username='api'>
>>> client.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar, Unpack

import httpx

from ..errors import ApiError, AuthenticationError, ConfigurationError, CwaQueryError, TransportError
from ..language._render import as_node, encode, render
from ._auth import LOGIN_EXTENSION, TokenAuth
from ._limits import AsyncLimitTransport, LimitTransport, RateLimiter
from ._pagination import Page, PagePlan, iter_pages_async, iter_pages_sync, paging_from_headers
from ._profiles import Profile, api_error, get_profile
from ._retry import RETRIES_EXTENSION, AsyncRetryTransport, RetryPolicy, RetryTransport

__all__ = ["AsyncClient", "Client", "ClientOptions", "QueryOptions", "Where"]

logger = logging.getLogger("cwa_query")

T = TypeVar("T")
Record = dict[str, Any]
Where = Any  # condition text, a builder Condition or an ast node (or None)

API_ROOT = "/cwa/api/v1"
DEFAULT_PAGE_SIZE = 250
MAX_PAGE_SIZE = 1000
# pages fetched ahead hold about this many records at most by default (memory, not speed, is the bound)
PREFETCH_RECORDS = 2500

_ENV_HELP = (
    "set CONNECTWISE_AUTOMATE_SERVER (with CONNECTWISE_AUTOMATE_USERNAME/_PASSWORD for an integrator, "
    "or CONNECTWISE_AUTOMATE_USER/_PASS[/_2FA] for a user)"
)

# --------------------------------------------------------------------------- settings


def api_base_url(server: str, *, allow_insecure: bool = False) -> str:
    """The API root for `server`: a host name, or a URL (`/cwa/api/v1` appended unless present).

    Plain `http://` is refused unless the host is loopback or `allow_insecure=True`.

    >>> api_base_url("automate.example.com")
    'https://automate.example.com/cwa/api/v1/'
    >>> api_base_url("http://127.0.0.1:8123")
    'http://127.0.0.1:8123/cwa/api/v1/'
    >>> api_base_url("https://h.example/cwa/api/v1/")
    'https://h.example/cwa/api/v1/'
    >>> api_base_url("http://automate.example.com")
    Traceback (most recent call last):
    ...
    cwa_query.errors.ConfigurationError: refusing plain http:// to 'automate.example.com': credentials and \
tokens would cross the network unencrypted; use https://, or pass allow_insecure=True
    """
    text = server.strip() if isinstance(server, str) else ""
    if not text:
        raise ConfigurationError(f"no server given: pass a host name or URL, or {_ENV_HELP}")
    if "://" not in text:
        text = "https://" + text
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        raise ConfigurationError(f"not a usable server address: {server!r} ({exc})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"not a usable server address: {server!r} (expected a host name or http(s) URL)")
    if url.userinfo:
        raise ConfigurationError("the server URL must not hold credentials: pass username= and password= instead")
    if url.scheme == "http" and not allow_insecure and not _is_loopback(url.host):
        raise ConfigurationError(
            f"refusing plain http:// to {url.host!r}: credentials and tokens would cross the network "
            "unencrypted; use https://, or pass allow_insecure=True"
        )
    path = url.path.rstrip("/")
    if not path.lower().endswith(API_ROOT):
        path += API_ROOT
    return str(url.copy_with(path=path + "/", query=None, fragment=None))


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _from_env(overrides: Mapping[str, Any]) -> dict[str, Any]:
    env = os.environ
    settings: dict[str, Any] = {}

    def pick(*names: str) -> str | None:
        for name in names:
            value = env.get(name)
            if value:
                return value
        return None

    settings["server"] = pick("CONNECTWISE_AUTOMATE_SERVER")
    integrator = pick("CONNECTWISE_AUTOMATE_USERNAME")
    if integrator:
        settings["username"] = integrator
        settings["password"] = pick("CONNECTWISE_AUTOMATE_PASSWORD")
    elif pick("CONNECTWISE_AUTOMATE_USER"):
        settings["username"] = pick("CONNECTWISE_AUTOMATE_USER")
        settings["password"] = pick("CONNECTWISE_AUTOMATE_PASS")
        settings["two_factor_code"] = pick("CONNECTWISE_AUTOMATE_2FA")
    settings["client_id"] = pick("CONNECTWISE_AUTOMATE_CLIENT_ID")
    profile = pick("CONNECTWISE_AUTOMATE_PROFILE")
    if profile:
        settings["profile"] = profile
    settings = {k: v for k, v in settings.items() if v is not None}
    settings.update(overrides)
    if not settings.get("server"):
        raise ConfigurationError(f"no server configured: {_ENV_HELP}, or pass server=")
    return settings


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True, slots=True)
class _Query:
    """A list request, rendered and encoded once: `query_string(page)` gives its query."""

    endpoint: str
    condition: str | None  # rendered for the profile (for logs)
    encoded: str  # the fixed parameters, percent-encoded, without page
    page_size: int

    def url(self, page: int) -> str:
        fixed = f"&{self.encoded}" if self.encoded else ""
        return f"{self.endpoint}?page={page}&pageSize={self.page_size}{fixed}"


class ClientOptions(TypedDict, total=False):
    """The keyword options of `Client` and `AsyncClient` (see `Client` for each)."""

    username: str | None
    password: str | None
    two_factor_code: str | None
    client_id: str | None
    profile: str | Profile
    timeout: float | httpx.Timeout | None
    allow_insecure: bool
    page_size: int
    max_in_flight: int
    prefetch: int | None
    rate_limit: float | str | None
    rate_window: float
    retry: RetryPolicy | None
    refresh_margin: float


class QueryOptions(TypedDict, total=False):
    """The keyword options of `iter_records`, `iter_pages`, `get_all` and the list conveniences.

    `page_size` (1..1000, default the client's), `order_by` (`"ComputerName asc"`),
    `include_fields` / `exclude_fields` / `expand` (names, or one comma-separated string),
    `limit` (at most this many records).
    """

    page_size: int | None
    order_by: str | None
    include_fields: str | Sequence[str] | None
    exclude_fields: str | Sequence[str] | None
    expand: str | Sequence[str] | None
    limit: int | None


def _quote(value: str) -> str:
    """Percent-encode everything outside RFC 3986's unreserved set (as `cwa_query.encode`)."""
    return urllib.parse.quote(value, safe="")


def _endpoint(path: str) -> str:
    text = str(path).strip().strip("/")
    if not text or "://" in text or any(part in ("", ".", "..") for part in text.split("/")) or "?" in text:
        raise ConfigurationError(f"not an API path: {path!r} (expected e.g. 'Computers' or 'Computers/12')")
    return "/".join(_quote(part) for part in text.split("/"))


def _fields(value: str | Sequence[str] | None, name: str) -> str | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    parts = [p.strip() for item in items for p in str(item).split(",") if p.strip()]
    if not parts:
        raise ConfigurationError(f"{name} is empty")
    return ",".join(parts)


def _params_string(params: Mapping[str, Any] | None) -> str:
    if not params:
        return ""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        pairs.append(f"{_quote(str(key))}={_quote(text)}")
    return "&".join(pairs)


def _check_page_size(page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")
    return page_size


def _condition_text(url: httpx.URL) -> str | None:
    query = url.query.decode("ascii", errors="replace")
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "condition":
            return urllib.parse.unquote(value)
    return None


# --------------------------------------------------------------------------- logging layer


def _log_exchange(request: httpx.Request, status: int | None, started: float, error: BaseException | None) -> None:
    elapsed_ms = (time.perf_counter() - started) * 1000
    retries = request.extensions.get(RETRIES_EXTENSION, 0)
    condition = _condition_text(request.url)
    page = None
    for part in request.url.query.decode("ascii", errors="replace").split("&"):
        if part.startswith("page="):
            page = part[5:]
    what = "login " if request.extensions.get(LOGIN_EXTENSION) else ""
    extra = ""
    if page is not None:
        extra += f" page={page}"
    if condition is not None:
        extra += f" condition={condition!r}"
    if error is not None:
        logger.warning(
            "%s%s %s%s failed: %s after %.1f ms, %d retries",
            what,
            request.method,
            request.url.path,
            extra,
            type(error).__name__,
            elapsed_ms,
            retries,
        )
        return
    level = logging.DEBUG if retries == 0 and status is not None and status < 400 else logging.INFO
    logger.log(
        level,
        "%s%s %s%s -> %s in %.1f ms, %d retries",
        what,
        request.method,
        request.url.path,
        extra,
        status,
        elapsed_ms,
        retries,
        extra={
            "cwa_method": request.method,
            "cwa_path": request.url.path,
            "cwa_condition": condition,
            "cwa_status": status,
            "cwa_elapsed_ms": elapsed_ms,
            "cwa_retries": retries,
        },
    )


class _LogTransport(httpx.BaseTransport):
    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self._transport.handle_request(request)
        except Exception as exc:
            _log_exchange(request, None, started, exc)
            raise
        _log_exchange(request, response.status_code, started, None)
        return response

    def close(self) -> None:
        self._transport.close()


class _AsyncLogTransport(httpx.AsyncBaseTransport):
    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self._transport.handle_async_request(request)
        except Exception as exc:
            _log_exchange(request, None, started, exc)
            raise
        _log_exchange(request, response.status_code, started, None)
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()


# --------------------------------------------------------------------------- shared parts


class _Base:
    """What `Client` and `AsyncClient` share: settings, query building, answers to values."""

    def __init__(
        self,
        server: str,
        *,
        username: str | None = None,
        password: str | None = None,
        two_factor_code: str | None = None,
        client_id: str | None = None,
        profile: str | Profile = "seed",
        timeout: float | httpx.Timeout | None = 30.0,
        allow_insecure: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_in_flight: int = 10,
        prefetch: int | None = None,
        rate_limit: float | str | None = "default",
        rate_window: float = 60.0,
        retry: RetryPolicy | None = None,
        refresh_margin: float = 300.0,
    ) -> None:
        self.profile = get_profile(profile)
        self.base_url = api_base_url(server, allow_insecure=allow_insecure)
        if (username is None) != (password is None):
            raise ConfigurationError("pass both username and password, or neither")
        if max_in_flight < 1:
            raise ConfigurationError(f"max_in_flight must be at least 1, not {max_in_flight}")
        self.page_size = _check_page_size(page_size)
        self.max_in_flight = max_in_flight
        if prefetch is not None and prefetch < 1:
            raise ConfigurationError(f"prefetch must be at least 1, not {prefetch}")
        self.prefetch = prefetch
        self.timeout = timeout
        self.retry_policy = retry or RetryPolicy()
        if rate_limit == "default":
            self.limiter = RateLimiter(self.profile.default_rate_per_minute, window=60.0)
        elif rate_limit is None or isinstance(rate_limit, (int, float)):
            self.limiter = RateLimiter(rate_limit, window=rate_window, user_set=rate_limit is not None)
        else:
            raise ConfigurationError(f"rate_limit must be a number of requests, None or 'default', not {rate_limit!r}")
        self.auth: TokenAuth | None = None
        if username is not None and password is not None:
            self.auth = TokenAuth(
                self.base_url,
                self.profile,
                username=username,
                password=password,
                two_factor_code=two_factor_code,
                client_id=client_id,
                refresh_margin=refresh_margin,
            )
        self.client_id = client_id
        self._headers = {"Accept": "application/json", "User-Agent": _user_agent()}
        if self.profile.requires_client_id and client_id:
            self._headers["ClientId"] = client_id

    def _pool_limits(self) -> httpx.Limits:
        """Connections for the default transport: as many as requests may be in flight."""
        return httpx.Limits(max_connections=self.max_in_flight, max_keepalive_connections=self.max_in_flight)

    def _http_options(self) -> dict[str, Any]:
        """What the sync and async httpx clients are built with, beside the transport."""
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "headers": self._headers,
            "follow_redirects": False,
        }

    def __repr__(self) -> str:
        user = f" username={self.auth.username!r}" if self.auth is not None else ""
        return f"<{type(self).__name__} profile={self.profile.name!r} base_url={self.base_url!r}{user}>"

    # ---------------------------------------------------------------- building requests

    def _prepare(
        self,
        endpoint: str,
        where: Where = None,
        *,
        page_size: int | None = None,
        order_by: str | None = None,
        include_fields: str | Sequence[str] | None = None,
        exclude_fields: str | Sequence[str] | None = None,
        expand: str | Sequence[str] | None = None,
        limit: int | None = None,
    ) -> tuple[_Query, PagePlan]:
        """Check and encode a list request (no I/O): a bad condition or option raises here."""
        path = _endpoint(endpoint)
        size = _check_page_size(page_size) if page_size is not None else self.page_size
        parts: list[str] = []
        condition = None
        if where is not None:
            node = as_node(where)
            condition = render(node, self.profile.dialect)
            parts.append("condition=" + encode(node, self.profile.dialect))
        if order_by is not None:
            text = str(order_by).strip()
            if not text:
                raise ConfigurationError("order_by is empty")
            parts.append("orderBy=" + _quote(text))
        for name, value in (("includeFields", include_fields), ("excludeFields", exclude_fields), ("expand", expand)):
            joined = _fields(value, name)
            if joined is not None:
                parts.append(f"{name}={_quote(joined)}")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            raise ConfigurationError(f"limit must be a non-negative integer, not {limit!r}")
        plan = PagePlan(
            page_size=size, limit=limit, prefetch=self._prefetch(size), paging_headers=self.profile.paging_headers
        )
        return _Query(path, condition, "&".join(parts), size), plan

    def _prefetch(self, page_size: int) -> int:
        """Pages fetched ahead: as set, else `max_in_flight` but about `PREFETCH_RECORDS` records at most."""
        if self.prefetch is not None:
            return self.prefetch
        return max(1, min(self.max_in_flight, max(2, -(-PREFETCH_RECORDS // page_size))))

    def _build(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None
    ) -> tuple[str, str, Any]:
        url = _endpoint(path)
        query = _params_string(params)
        return method.upper(), (f"{url}?{query}" if query else url), json

    # ---------------------------------------------------------------- reading answers

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        error = api_error(response)
        if isinstance(error, AuthenticationError):
            error = self._explain_401(error)
        raise error

    def _explain_401(self, error: AuthenticationError) -> AuthenticationError:
        hints = []
        if self.auth is None:
            hints.append("no credentials were given (username/password, or the CONNECTWISE_AUTOMATE_* variables)")
        if self.profile.requires_client_id and not self.client_id:
            hints.append("the automate profile needs a ClientId: pass client_id= or set CONNECTWISE_AUTOMATE_CLIENT_ID")
        if not hints:
            return error
        return type(error)(
            f"{error.message} ({'; '.join(hints)})",
            status=error.status,
            code=error.code,
            details=error.details,
            method=error.method,
            path=error.path,
        )

    def _page(self, response: httpx.Response, number: int, page_size: int) -> Page:
        records = _json_body(response)
        if not isinstance(records, list):
            raise ApiError(
                f"expected a JSON array of records, got {type(records).__name__}",
                status=response.status_code,
                code="UnexpectedBody",
                method=response.request.method,
                path=response.request.url.path,
            )
        count, pages = paging_from_headers(response.headers, page_size) if self.profile.paging_headers else (None, None)
        return Page(number, records, count, pages, response.request.extensions.get(RETRIES_EXTENSION, 0))

    def _transport_error(self, exc: httpx.HTTPError, method: str, path: str) -> TransportError:
        retries = 0
        with contextlib.suppress(RuntimeError):  # an exception raised before any request was made
            retries = exc.request.extensions.get(RETRIES_EXTENSION, 0)
        kind = type(exc).__name__
        detail = str(exc) or kind
        suffix = f" after {retries} retries" if retries else ""
        return TransportError(f"{kind} on {method} {path}{suffix}: {detail}", method=method, path=path)


def _json_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:
        raise ApiError(
            f"the answer is not valid JSON: {exc}",
            status=response.status_code,
            code="InvalidJson",
            method=response.request.method,
            path=response.request.url.path,
        ) from None


def _user_agent() -> str:
    from .. import __version__

    return f"cwa_query/{__version__}"


def _api_path(base_url: str, path: str) -> str:
    return httpx.URL(base_url).path.rstrip("/") + "/" + path.split("?", 1)[0]


# --------------------------------------------------------------------------- sync


class Client(_Base):
    """A synchronous client for the ConnectWise Automate REST API (either profile).

    Args:
        server: a host name (`automate.example.com` -> `https://automate.example.com/cwa/api/v1`)
            or a URL (`/cwa/api/v1` is appended unless it is already there).
        username, password: an integrator's or a user's credentials.
        two_factor_code: the user's two-factor code, when the account has two-factor.
        client_id: the integration's `ClientId` (the automate profile sends it on every request).
        profile: `"seed"` (the seed document's API) or `"automate"` (the real server).
        timeout: seconds per request (an `httpx.Timeout` for finer control).
        allow_insecure: allow plain `http://` to a host that is not loopback.
        page_size: records per page (1..1000; default 250).
        max_in_flight: requests at once (default 10, the seed document's figure).
        prefetch: pages fetched ahead of the reader (default `max_in_flight`, fewer for pages
            of more than 250 records, so that about 2,500 records wait at most).
        rate_limit: requests per `rate_window` seconds; `"default"` is 60 a minute for seed
            (replaced by the server's `X-RateLimit-*` once seen) and none for automate.
        retry: a [`RetryPolicy`][cwa_query.client._retry.RetryPolicy] (attempts, backoff, budget).
        transport: an httpx transport to send through (e.g. an in-process sandbox).
    """

    def __init__(
        self, server: str, *, transport: httpx.BaseTransport | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(server, **options)
        inner = transport or httpx.HTTPTransport(verify=True, limits=self._pool_limits())
        stack = _LogTransport(
            RetryTransport(
                LimitTransport(inner, max_in_flight=self.max_in_flight, limiter=self.limiter), self.retry_policy
            )
        )
        self._http = httpx.Client(transport=stack, **self._http_options())

    @classmethod
    def from_env(cls, **overrides: Any) -> Client:
        """A client configured from the `CONNECTWISE_AUTOMATE_*` environment variables.

        `SERVER`; `USERNAME`/`PASSWORD` (an integrator) or `USER`/`PASS`/`2FA` (a user);
        `CLIENT_ID`; `PROFILE`. Keyword arguments override what the environment says.
        """
        settings = _from_env(overrides)
        return cls(settings.pop("server"), **settings)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    # ---------------------------------------------------------------- one request

    def _send(self, method: str, url: str, json: Any = None) -> httpx.Response:
        path = _api_path(self.base_url, url)
        try:
            request = self._http.build_request(method, url, json=json)
            response = self._http.send(request)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, method, path) from exc
        return self._check(response)

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None) -> Any:
        """Send one request to `path` (relative to the API root) and return its JSON answer."""
        method, url, body = self._build(method, path, params=params, json=json)
        return _json_body(self._send(method, url, body))

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """`GET path` (relative to the API root, e.g. `"Computers/12"`); returns the JSON answer."""
        return self.request("GET", path, params=params)

    # ---------------------------------------------------------------- lists

    def _fetch_page(self, query: _Query) -> Callable[[int], Callable[[], Page]]:
        def fetch(number: int) -> Callable[[], Page]:
            response = self._send("GET", query.url(number))
            return lambda: self._page(response, number, query.page_size)

        return fetch

    def iter_pages(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> Iterator[Page]:
        """Pages of `endpoint` in order (see `iter_records`); the condition is checked at once."""
        query, plan = self._prepare(endpoint, where, **options)
        return iter_pages_sync(self._fetch_page(query), plan)

    def iter_records(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> Iterator[Record]:
        """The records of `endpoint` matching `where`, in order, each once, streaming.

        `where` is condition text (parsed first: a bad one raises `ConditionSyntaxError`
        before any request), a builder expression or a tree; it is rendered for the
        profile's dialect and percent-encoded. Pages are fetched ahead within the limits;
        memory holds only the pages in flight.
        """
        pages = self.iter_pages(endpoint, where, **options)
        return (record for page in pages for record in page.records)

    def get_all(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Every record `iter_records(endpoint, where, **options)` yields, as a list."""
        return list(self.iter_records(endpoint, where, **options))

    # ---------------------------------------------------------------- conveniences

    def computers(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Computers matching `where` (all pages)."""
        return self.get_all("Computers", where, **options)

    def computer(self, computer_id: int | str) -> Record:
        """One computer by id (`NotFoundError` if there is none)."""
        result: Record = self.get(f"Computers/{computer_id}")
        return result

    def clients(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Clients matching `where` (all pages)."""
        return self.get_all("Clients", where, **options)

    def alerts(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Alerts matching `where` (all pages)."""
        return self.get_all("Alerts", where, **options)

    def run_script(self, computer_id: int | str, script_id: int | str, params: Mapping[str, Any] | None = None) -> Any:
        """Run a script on a computer (`POST Computers/{id}/Scripts/{script}/Execute`).

        Not retried after the request may have reached the server (it is not idempotent).
        """
        return self.request(
            "POST", f"Computers/{computer_id}/Scripts/{script_id}/Execute", json={"Parameters": dict(params or {})}
        )

    def batch(
        self,
        func: Callable[[T], Any],
        items: Iterable[T],
        *,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Call `func(item)` for every item, up to `max_in_flight` at once; results in order.

        Every request goes through this client's limits, so a batch keeps to the same
        in-flight cap and request rate as everything else. With `return_exceptions=True`
        a failed call's `CwaQueryError` takes its place in the results instead of raising.

        >>> with Client("127.0.0.1") as client:
        ...     client.batch(lambda n: n * n, [1, 2, 3])
        [1, 4, 9]
        """

        def call(item: T) -> Any:
            try:
                return func(item)
            except CwaQueryError as exc:
                if return_exceptions:
                    return exc
                raise

        with ThreadPoolExecutor(self.max_in_flight) as pool:
            return list(pool.map(call, items))


# --------------------------------------------------------------------------- async


class AsyncClient(_Base):
    """The asynchronous client (asyncio): the same surface as [`Client`][cwa_query.Client],
    with `await` and `async for`.

    ```python
    async with AsyncClient.from_env() as client:
        async for computer in client.iter_records("Computers", "Status = 'Online'"):
            ...
    ```
    """

    def __init__(
        self, server: str, *, transport: httpx.AsyncBaseTransport | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(server, **options)
        inner = transport or httpx.AsyncHTTPTransport(verify=True, limits=self._pool_limits())
        stack = _AsyncLogTransport(
            AsyncRetryTransport(
                AsyncLimitTransport(inner, max_in_flight=self.max_in_flight, limiter=self.limiter), self.retry_policy
            )
        )
        self._http = httpx.AsyncClient(transport=stack, **self._http_options())

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncClient:
        """An async client configured from the environment (see `Client.from_env`)."""
        settings = _from_env(overrides)
        return cls(settings.pop("server"), **settings)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def _send(self, method: str, url: str, json: Any = None) -> httpx.Response:
        path = _api_path(self.base_url, url)
        try:
            request = self._http.build_request(method, url, json=json)
            response = await self._http.send(request)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, method, path) from exc
        return self._check(response)

    async def request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, json: Any = None
    ) -> Any:
        """Send one request to `path` (relative to the API root) and return its JSON answer."""
        method, url, body = self._build(method, path, params=params, json=json)
        return _json_body(await self._send(method, url, body))

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """`GET path` (relative to the API root); returns the JSON answer."""
        return await self.request("GET", path, params=params)

    def _fetch_page(self, query: _Query) -> Callable[[int], Awaitable[Page]]:
        async def fetch(number: int) -> Page:
            return self._page(await self._send("GET", query.url(number)), number, query.page_size)

        return fetch

    def iter_pages(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> AsyncIterator[Page]:
        """Pages of `endpoint` in order (`async for`); the condition is checked at once."""
        query, plan = self._prepare(endpoint, where, **options)
        return iter_pages_async(self._fetch_page(query), plan)

    def iter_records(
        self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]
    ) -> AsyncIterator[Record]:
        """The records of `endpoint` matching `where` (`async for`); see `Client.iter_records`."""
        pages = self.iter_pages(endpoint, where, **options)
        return _records(pages)

    async def get_all(self, endpoint: str, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Every record of `iter_records(endpoint, where, **options)`, as a list."""
        return [record async for record in self.iter_records(endpoint, where, **options)]

    async def computers(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Computers matching `where` (all pages)."""
        return await self.get_all("Computers", where, **options)

    async def computer(self, computer_id: int | str) -> Record:
        """One computer by id (`NotFoundError` if there is none)."""
        result: Record = await self.get(f"Computers/{computer_id}")
        return result

    async def clients(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Clients matching `where` (all pages)."""
        return await self.get_all("Clients", where, **options)

    async def alerts(self, where: Where = None, **options: Unpack[QueryOptions]) -> list[Record]:
        """Alerts matching `where` (all pages)."""
        return await self.get_all("Alerts", where, **options)

    async def run_script(
        self, computer_id: int | str, script_id: int | str, params: Mapping[str, Any] | None = None
    ) -> Any:
        """Run a script on a computer (`POST Computers/{id}/Scripts/{script}/Execute`)."""
        return await self.request(
            "POST", f"Computers/{computer_id}/Scripts/{script_id}/Execute", json={"Parameters": dict(params or {})}
        )

    async def batch(
        self,
        func: Callable[[T], Awaitable[Any]],
        items: Iterable[T],
        *,
        return_exceptions: bool = False,
    ) -> list[Any]:
        """Await `func(item)` for every item, up to `max_in_flight` at once; results in order.

        With `return_exceptions=True` a failed call's `CwaQueryError` takes its place.
        """
        gate = asyncio.Semaphore(self.max_in_flight)

        async def call(item: T) -> Any:
            async with gate:
                try:
                    return await func(item)
                except CwaQueryError as exc:
                    if return_exceptions:
                        return exc
                    raise

        return list(await asyncio.gather(*(call(item) for item in items)))


async def _records(pages: AsyncIterator[Page]) -> AsyncIterator[Record]:
    async for page in pages:
        for record in page.records:
            yield record
